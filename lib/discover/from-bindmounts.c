/* SPDX-License-Identifier: Apache-2.0 */
/*
 * from-bindmounts.c: namespaces kept alive by bind mounts of nsfs files
 * (ip netns add, unshare --net=FILE, snapd's /run/snapd/ns/NAME.mnt). They are
 * read from the mountinfo of a mount namespace and opened through that
 * namespace's root. Today this is the discovering process's own mount
 * namespace (/proc/self/...); a reference is recorded as (mount namespace,
 * path), so searching other mount namespaces only needs another context.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "discover-internal.h"
#include "procfs/parse.h"

#define MAX_MOUNTINFO (16 * 1024 * 1024)

/* Scans one mount namespace's mountinfo, read through the procfs
 * directory ctx ("self" or a PID), whose mount namespace is mntns. */
static int scan_mount_namespace(struct discovery *d, const char *ctx, pid_t ctx_pid,
				struct lxkns_nsid mntns)
{
	struct readbuf b = { 0 };
	_cleanup_free_ char *decode = NULL;
	_cleanup_close_ int dirfd = -1;
	char path[PATH_MAX + 64];
	int ret = 0;

	dirfd = openat(d->pf->rootfd, ctx, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		result_diag(d->r, ctx_pid, errno, "mountinfo", "cannot open %s/%s: %s",
			    d->pf->root, ctx, strerror(errno));
		return 0;
	}
	ssize_t n = procfs_read_at(d->pf, dirfd, "mountinfo", &b, MAX_MOUNTINFO);
	if (n < 0) {
		result_diag(d->r, ctx_pid, (int)n, "mountinfo", "cannot read %s/%s/mountinfo: %s",
			    d->pf->root, ctx, strerror((int)-n));
		readbuf_free(&b);
		return 0;
	}
	const char *p = b.p, *end = b.p + n;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		struct mountinfo_entry e;
		const char *line = p;
		p += len + 1;
		/* cheap pre-filter: only nsfs lines are of interest here */
		if (len < 6 || !memmem(line, len, " - nsfs ", 8))
			continue;
		char *nd = realloc(decode, len + 1);
		if (!nd) {
			ret = -ENOMEM;
			break;
		}
		decode = nd;
		if (parse_mountinfo_line(line, len, decode, &e) < 0) {
			result_diag(d->r, ctx_pid, EBADMSG, "mountinfo",
				    "malformed mountinfo line in %s/%s", d->pf->root, ctx);
			continue;
		}
		int type;
		uint64_t ino;
		if (e.fstype.len != 4 || memcmp(e.fstype.p, "nsfs", 4) != 0 ||
		    parse_ns_link(e.root.p, e.root.len, &type, &ino) < 0 || !want_type(d, type))
			continue;
		if (e.mountpoint.len + 16 > sizeof(path))
			continue;
		char *mp = arena_strndup(&d->r->arena, e.mountpoint.p, e.mountpoint.len);
		if (!mp) {
			ret = -ENOMEM;
			break;
		}
		struct lxkns_nsid id = { .dev = d->nsfs_dev, .ino = ino };
		snprintf(path, sizeof(path), "%s/root%s", ctx, mp);
		struct lxkns_namespace *ns = ns_register_path(d, type, id, path, ctx_pid, NULL);
		if (!ns) {
			if (result_namespace_find(d->r, ino))
				continue;
			ret = -ENOMEM;
			break;
		}
		if (ns->ref_kind == NS_REF_NONE) {
			ns->ref_kind = NS_REF_BIND;
			ns->ref_mntns = mntns;
			ns->ref_pid = ctx_pid;
			ns->ref_path = mp;
		}
	}
	readbuf_free(&b);
	return ret;
}

int discover_from_bindmounts(struct discovery *d)
{
	if (!d->self_mntns.ino) {
		result_diag(d->r, d->self_pid, ENOENT, "ns/mnt",
			    "cannot identify our own mount namespace: no bind mounts scanned");
		return 0;
	}
	return scan_mount_namespace(d, "self", d->self_pid, d->self_mntns);
}
