/* SPDX-License-Identifier: Apache-2.0 */
/*
 * freezer.c: whether processes and tasks are frozen, from the cgroup v1
 * freezer (freezer.state FROZEN or FREEZING) or cgroup v2 (cgroup.events
 * "frozen 1"), read through the host's view of the cgroup mounts: PID 1's
 * mount namespace, or kthreadd's when PID 1 cannot be inspected (as on our
 * CI machines; a diagnostic says so). Works on v1, hybrid (v1 controllers
 * plus cgroup2 at /sys/fs/cgroup/unified) and pure v2 hosts. Each distinct
 * cgroup is read once.
 *
 * The paths are the initial cgroup namespace's (translate_cgroups()). When
 * they stayed relative to our own cgroup namespace, only our own mount
 * namespace's cgroup mounts rooted at that namespace's root are used (a
 * container's own /sys/fs/cgroup), and paths outside it ("/../x") stay
 * unknown (not frozen): reading them anywhere else would read other cgroups.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "discover-internal.h"
#include "procfs/parse.h"

struct freezer_ctx {
	struct discovery *d;
	int rootfd;	     /* the host view's root */
	char *v1, *v2;	     /* mount points of the v1 freezer and of cgroup2 */
	struct u64map cache; /* hash of (version, path) -> state */
	struct readbuf buf;
};

#define STATE_THAWED ((void *)1)
#define STATE_FROZEN ((void *)2)

static uint64_t fnv1a(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h ? h : 1;
}

static bool has_option(struct span opts, const char *name)
{
	size_t n = strlen(name);
	const char *p = opts.p, *end = opts.p + opts.len;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *e = c ? c : end;
		if ((size_t)(e - p) == n && memcmp(p, name, n) == 0)
			return true;
		p = e + 1;
	}
	return false;
}

/* Finds the freezer mounts in ctx's mountinfo. */
static int find_mounts(struct freezer_ctx *fc, const char *ctx)
{
	struct readbuf b = { 0 };
	_cleanup_close_ int dirfd = openat(fc->d->pf->rootfd, ctx,
					   O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	ssize_t n = procfs_read_at(fc->d->pf, dirfd, "mountinfo", &b, 16 * 1024 * 1024);
	if (n < 0) {
		readbuf_free(&b);
		return (int)n;
	}
	char *decode = malloc((size_t)n + 1);
	if (!decode) {
		readbuf_free(&b);
		return -ENOMEM;
	}
	for (const char *p = b.p, *end = b.p + n; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		struct mountinfo_entry e;
		if (parse_mountinfo_line(p, len, decode, &e) == 0) {
			bool v1 = e.fstype.len == 6 && memcmp(e.fstype.p, "cgroup", 6) == 0 &&
				  has_option(e.superoptions, "freezer");
			bool v2 = e.fstype.len == 7 && memcmp(e.fstype.p, "cgroup2", 7) == 0;
			/* relative paths: only mounts of our cgroup namespace's root
			 * (mountinfo shows roots relative to it, too) */
			if (fc->d->cgroup_relative && !(e.root.len == 1 && e.root.p[0] == '/'))
				v1 = v2 = false;
			char **slot = v1 ? &fc->v1 : v2 ? &fc->v2 : NULL;
			if (slot && !*slot)
				*slot = strndup(e.mountpoint.p, e.mountpoint.len);
		}
		p += len + 1;
	}
	free(decode);
	readbuf_free(&b);
	fc->rootfd = openat(dirfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fc->rootfd < 0 ? -errno : 0;
}

static void *read_state(struct freezer_ctx *fc, const char *mnt, const char *path, bool v1)
{
	char rel[PATH_MAX];
	/* relative to the host root: "sys/fs/cgroup/freezer" + path + file */
	int n = snprintf(rel, sizeof(rel), "%s%s%s/%s", mnt[1] ? mnt + 1 : ".",
			 path[0] == '/' ? "" : "/", strcmp(path, "/") == 0 ? "" : path,
			 v1 ? "freezer.state" : "cgroup.events");
	if (n < 0 || (size_t)n >= sizeof(rel))
		return STATE_THAWED;
	ssize_t len = procfs_read_at(fc->d->pf, fc->rootfd, rel, &fc->buf, 64 * 1024);
	if (len <= 0)
		return STATE_THAWED; /* gone meanwhile, or the v2 root (no events) */
	if (v1)
		return (len >= 6 && memcmp(fc->buf.p, "FROZEN", 6) == 0) ||
				       (len >= 8 && memcmp(fc->buf.p, "FREEZING", 8) == 0)
			       ? STATE_FROZEN
			       : STATE_THAWED;
	/* v2: a "frozen 1" line */
	for (const char *p = fc->buf.p, *end = p + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);
		if (l == 8 && memcmp(p, "frozen 1", 8) == 0)
			return STATE_FROZEN;
		p += l + 1;
	}
	return STATE_THAWED;
}

/* The state of one cgroup, read once. */
static int state_of(struct freezer_ctx *fc, const char *path, bool v1, bool *frozen)
{
	const char *mnt = v1 ? fc->v1 : fc->v2;
	if (!path || !*path || !mnt)
		return 0;
	/* outside our cgroup namespace, when the paths stayed relative to it */
	if (fc->d->cgroup_relative && strncmp(path, "/..", 3) == 0 && (!path[3] || path[3] == '/'))
		return 0;
	uint64_t h = fnv1a(path, v1 ? 0xcbf29ce484222325ull : 0x84222325cbf29ce4ull);
	void *state = u64map_get(&fc->cache, h);
	if (!state) {
		state = read_state(fc, mnt, path, v1);
		if (u64map_put(&fc->cache, h, state) < 0)
			return -ENOMEM;
	}
	*frozen |= state == STATE_FROZEN;
	return 0;
}

/* Frozen by the v1 freezer, or by the v2 one (both work on hybrid hosts). */
static int frozen_of(struct freezer_ctx *fc, struct proc_common *c)
{
	int r = 0;
	c->frozen = false;
	if (c->freezer_v1)
		r = state_of(fc, c->freezer_cgroup, true, &c->frozen);
	if (r == 0 && !c->frozen)
		r = state_of(fc, c->v2_cgroup, false, &c->frozen);
	return r;
}

int discover_freezer(struct discovery *d)
{
	struct freezer_ctx fc = { .d = d, .rootfd = -1 };
	const struct lxkns_process *p2 = u64map_get(&d->r->proc_by_pid, 2);
	const char *ctxs[3] = { "1", p2 && p2->ppid == 0 ? "2" : NULL, "self" };
	int r = -ENOENT;

	/* relative paths: our own view only (see above) */
	if (d->cgroup_relative)
		ctxs[0] = ctxs[1] = NULL;

	/* the host's view of the cgroup mounts: PID 1's, else kthreadd's (in
	 * the initial namespaces too), else our own */
	for (int i = 0; i < 3 && r < 0; i++) {
		if (!ctxs[i])
			continue;
		if (fc.rootfd >= 0)
			close(fc.rootfd);
		fc.rootfd = -1;
		r = find_mounts(&fc, ctxs[i]);
		if (r == 0 && i > 0 && !d->cgroup_relative)
			result_diag(
				d->r, 1, EACCES, "freezer",
				i == 1 ? "PID 1 cannot be inspected: the cgroup mounts are read "
					 "through kthreadd (PID 2)"
				       : "neither PID 1 nor kthreadd can be inspected: the cgroup "
					 "mounts are read in our own mount namespace");
	}
	if (r < 0) {
		result_diag(d->r, 0, r, "freezer", "cannot find the cgroup mounts via %s: %s",
			    d->pf->root, strerror(-r));
		r = r == -ENOMEM ? r : 0;
		goto out;
	}
	if (!fc.v1 && !fc.v2) {
		if (d->cgroup_relative)
			result_diag(d->r, 0, ENOENT, "freezer",
				    "no cgroup mount at the root of our cgroup namespace: freezer "
				    "states unknown");
		else
			result_diag(d->r, 0, ENOENT, "freezer", "no cgroup freezer mounted");
		goto out;
	}
	for (size_t i = 0; i < d->r->proc_count && r == 0; i++) {
		struct lxkns_process *p = d->r->procs[i];
		r = frozen_of(&fc, &p->c);
		for (size_t k = 0; k < p->task_count && r == 0; k++)
			r = p->tasks[k]->tid == p->pid ? (p->tasks[k]->c.frozen = p->c.frozen, 0)
						       : frozen_of(&fc, &p->tasks[k]->c);
	}
out:
	if (fc.rootfd >= 0)
		close(fc.rootfd);
	free(fc.v1);
	free(fc.v2);
	u64map_free(&fc.cache);
	readbuf_free(&fc.buf);
	return r;
}
