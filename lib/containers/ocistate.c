/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocistate.c: containers that no engine API reports but an OCI runtime's
 * state directory does: plain runc (/run/runc/<id>/state.json) and crun
 * (/run/crun/<id>/status, plus its copy of config.json for annotations).
 * A container counts only while its init process is alive: the PID must be
 * in the process table and have the start time the runtime recorded
 * (init_process_start, process-start-time), as PIDs are reused. The OCI annotations become labels; paused comes
 * from the freezer state of the init process. The "engine" is the state
 * directory (PID 0, API "file://<dir>").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "containers-internal.h"

#define MAX_STATE (4 * 1024 * 1024)

static bool alive(struct lxkns_result *r, struct lxkns_container *c)
{
	const struct lxkns_process *p = lxkns_result_process_by_pid(r, c->pid);
	if (!p || (c->starttime && p->c.starttime != c->starttime))
		return false;
	c->paused = p->c.frozen;
	return true;
}

/* One container's state in the directory name below rootfd into c (into
 * buf): 0, 1 to skip it (unreadable, malformed), or -ENOMEM. */
static int read_runc(int rootfd, const char *name, struct arena *a, struct buf *buf,
		     struct lxkns_container *c)
{
	char path[600];
	int err;

	snprintf(path, sizeof(path), "%s/state.json", name);
	if (ct_read_file_at(rootfd, path, MAX_STATE, buf) < 0 ||
	    (err = ct_parse_runc_state(buf->data, buf->len, a, c)) == -EBADMSG)
		return 1;
	return err;
}

static int read_crun(int rootfd, const char *name, struct arena *a, struct buf *buf,
		     struct lxkns_container *c)
{
	char path[600];
	const char *bundle = NULL;
	int err;

	snprintf(path, sizeof(path), "%s/status", name);
	if (ct_read_file_at(rootfd, path, MAX_STATE, buf) < 0 ||
	    (err = ct_parse_crun_status(buf->data, buf->len, a, c, &bundle)) == -EBADMSG)
		return 1;
	if (err == 0) {
		c->id = c->name = arena_strdup(a, name);
		if (!c->id)
			err = -ENOMEM;
	}
	snprintf(path, sizeof(path), "%s/config.json", name);
	if (err == 0 && ct_read_file_at(rootfd, path, MAX_STATE, buf) == 0)
		err = ct_parse_oci_annotations(buf->data, buf->len, a, c) == -ENOMEM ? -ENOMEM : 0;
	return err;
}

struct runtime {
	const char *type; /* LXKNS_ENGINE_* */
	int rank;	  /* runc before crun */
	int (*read)(int rootfd, const char *name, struct arena *a, struct buf *buf,
		    struct lxkns_container *c);
};

static const struct runtime runc = { LXKNS_ENGINE_RUNC, 0, read_runc };
static const struct runtime crun = { LXKNS_ENGINE_CRUN, 1, read_crun };

/* The engine of the state directory root, "file://<root>". */
static struct lxkns_container_engine *state_engine(struct arena *a, const char *root,
						   const struct runtime *rt)
{
	struct lxkns_container_engine *e = ct_engine_new(a, rt->type);
	if (!e)
		return NULL;
	size_t n = strlen(root) + 8;
	char *api = arena_alloc(a, n);
	if (!api)
		return NULL;
	snprintf(api, n, "file://%s", root);
	e->api = api;
	e->rank = rt->rank;
	return e;
}

static int scan(struct lxkns_result *r, struct arena *a, const char *root, const struct runtime *rt,
		struct lxkns_container_engine **ret)
{
	struct buf buf = { 0 };
	struct lxkns_container_engine *e = NULL;
	int ret_err = 0;

	*ret = NULL;
	_cleanup_close_ int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	int dfd = dup(rootfd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return -errno;
	}
	if (!(e = state_engine(a, root, rt))) {
		closedir(d);
		return -ENOMEM;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		struct lxkns_container *c;
		if (de->d_name[0] == '.' || strlen(de->d_name) > 256)
			continue;
		if (!(c = ct_container_new(a))) {
			ret_err = -ENOMEM;
			break;
		}
		int err = rt->read(rootfd, de->d_name, a, &buf, c);
		if (err < 0) {
			ret_err = err;
			break;
		}
		if (err > 0 || !alive(r, c))
			continue;
		if ((ret_err = ct_engine_add(a, e, c)) < 0)
			break;
	}
	closedir(d);
	buf_free(&buf);
	if (ret_err < 0)
		return ret_err;
	*ret = e;
	return 0;
}

int ct_scan_runc(struct lxkns_result *r, struct arena *a, const char *root,
		 struct lxkns_container_engine **ret)
{
	return scan(r, a, root, &runc, ret);
}

int ct_scan_crun(struct lxkns_result *r, struct arena *a, const char *root,
		 struct lxkns_container_engine **ret)
{
	return scan(r, a, root, &crun, ret);
}
