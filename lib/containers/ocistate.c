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

static int scan(struct lxkns_result *r, struct arena *a, const char *root, const char *type,
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
	e = ct_engine_new(a, type);
	if (!e) {
		closedir(d);
		return -ENOMEM;
	}
	size_t n = strlen(root) + 8;
	char *api = arena_alloc(a, n);
	if (!api) {
		closedir(d);
		return -ENOMEM;
	}
	snprintf(api, n, "file://%s", root);
	e->api = api;
	e->rank = strcmp(type, LXKNS_ENGINE_RUNC) == 0 ? 0 : 1;

	struct dirent *de;
	while ((de = readdir(d))) {
		char path[600];
		struct lxkns_container *c;
		const char *bundle = NULL;
		int err = 0;
		if (de->d_name[0] == '.' || strlen(de->d_name) > 256)
			continue;
		if (!(c = ct_container_new(a))) {
			ret_err = -ENOMEM;
			break;
		}
		if (strcmp(type, LXKNS_ENGINE_RUNC) == 0) {
			snprintf(path, sizeof(path), "%s/state.json", de->d_name);
			if (ct_read_file_at(rootfd, path, MAX_STATE, &buf) < 0 ||
			    (err = ct_parse_runc_state(buf.data, buf.len, a, c)) == -EBADMSG)
				continue;
		} else {
			snprintf(path, sizeof(path), "%s/status", de->d_name);
			if (ct_read_file_at(rootfd, path, MAX_STATE, &buf) < 0 ||
			    (err = ct_parse_crun_status(buf.data, buf.len, a, c, &bundle)) == -EBADMSG)
				continue;
			if (err == 0) {
				c->id = c->name = arena_strdup(a, de->d_name);
				if (!c->id)
					err = -ENOMEM;
			}
			snprintf(path, sizeof(path), "%s/config.json", de->d_name);
			if (err == 0 && ct_read_file_at(rootfd, path, MAX_STATE, &buf) == 0)
				err = ct_parse_oci_annotations(buf.data, buf.len, a, c) == -ENOMEM
					      ? -ENOMEM
					      : 0;
		}
		if (err < 0) {
			ret_err = err;
			break;
		}
		if (!alive(r, c))
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
	return scan(r, a, root, LXKNS_ENGINE_RUNC, ret);
}

int ct_scan_crun(struct lxkns_result *r, struct arena *a, const char *root,
		 struct lxkns_container_engine **ret)
{
	return scan(r, a, root, LXKNS_ENGINE_CRUN, ret);
}
