/* SPDX-License-Identifier: Apache-2.0 */
/*
 * user-names.c: the owner names of user namespaces, from /etc/passwd as
 * seen in the initial mount namespace (through /proc/PID/root of a process
 * in it, so a discovery from inside a container names the host's users).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "discover-internal.h"
#include "procfs/parse.h"

int discover_user_names(struct discovery *d)
{
	struct lxkns_result *r = d->r;
	struct readbuf b = { 0 };
	struct u64map names = { 0 };
	const char *ctx = NULL;
	char ctxbuf[24];
	bool any = false;

	for (size_t i = 0; i < r->ns[LXKNS_NS_USER].count && !any; i++)
		any = ((struct lxkns_namespace *)r->ns[LXKNS_NS_USER].items[i])->has_owner_uid;
	if (!any)
		return 0;

	/* a process in the initial mount namespace: PID 1, else kthreadd */
	const struct lxkns_namespace *initial_mnt = r->initial[LXKNS_NS_MNT];
	const struct lxkns_process *p1 = u64map_get(&r->proc_by_pid, 1);
	const struct lxkns_process *p2 = u64map_get(&r->proc_by_pid, 2);
	if (p1 && p1->c.ns[LXKNS_NS_MNT])
		ctx = "1";
	else if (p2 && p2->ppid == 0 && (!initial_mnt || p2->c.ns[LXKNS_NS_MNT] == initial_mnt))
		ctx = "2";
	else {
		snprintf(ctxbuf, sizeof(ctxbuf), "%d", (int)d->self_pid);
		ctx = d->pf->real ? "self" : ctxbuf;
		result_diag(r, 0, EACCES, "etc/passwd",
			    "no process of the initial mount namespace is readable: user names "
			    "come from our own /etc/passwd");
	}
	_cleanup_close_ int dirfd = openat(d->pf->rootfd, ctx, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ssize_t n = dirfd < 0 ? -errno : procfs_read_at(d->pf, dirfd, "root/etc/passwd", &b,
							 16 * 1024 * 1024);
	if (n < 0) {
		result_diag(r, 0, (int)n, "etc/passwd", "cannot read %s/%s/root/etc/passwd: %s",
			    d->pf->root, ctx, strerror((int)-n));
		readbuf_free(&b);
		return 0;
	}
	const char *p = b.p, *end = b.p + n;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		struct span name;
		uid_t uid;
		if (parse_passwd_line(p, len, &name, &uid) == 0 &&
		    !u64map_get(&names, (uint64_t)uid + 1)) {
			char *s = arena_strndup(&r->arena, name.p, name.len);
			if (!s || u64map_put(&names, (uint64_t)uid + 1, s) < 0) {
				readbuf_free(&b);
				u64map_free(&names);
				return -ENOMEM;
			}
		}
		p += len + 1;
	}
	for (size_t i = 0; i < r->ns[LXKNS_NS_USER].count; i++) {
		struct lxkns_namespace *ns = r->ns[LXKNS_NS_USER].items[i];
		if (ns->has_owner_uid)
			ns->user_name = u64map_get(&names, (uint64_t)ns->owner_uid + 1);
	}
	readbuf_free(&b);
	u64map_free(&names);
	return 0;
}
