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
	bool any = false;

	for (size_t i = 0; i < r->ns[LXKNS_NS_USER].count && !any; i++)
		any = ((struct lxkns_namespace *)r->ns[LXKNS_NS_USER].items[i])->has_owner_uid;
	if (!any)
		return 0;

	/* the initial mount namespace's view: PID 1's root, else kthreadd's
	 * (kernel threads live in the initial namespaces), else our own */
	const struct lxkns_process *p2 = u64map_get(&r->proc_by_pid, 2);
	const char *ctxs[3] = { "1", p2 && p2->ppid == 0 ? "2" : NULL,
				d->pf->real ? "self" : NULL };
	ssize_t n = -ENOENT;
	for (int i = 0; i < 3 && n < 0; i++) {
		if (!ctxs[i])
			continue;
		_cleanup_close_ int dirfd = openat(d->pf->rootfd, ctxs[i],
						   O_PATH | O_DIRECTORY | O_CLOEXEC);
		n = dirfd < 0
			    ? -errno
			    : procfs_read_at(d->pf, dirfd, "root/etc/passwd", &b, 16 * 1024 * 1024);
		if (n >= 0 && i == 2)
			result_diag(r, 0, EACCES, "etc/passwd",
				    "no process of the initial mount namespace is readable: user "
				    "names come from our own /etc/passwd");
	}
	if (n < 0) {
		result_diag(r, 0, (int)n, "etc/passwd",
			    "cannot read /etc/passwd of the initial "
			    "mount namespace through %s: %s",
			    d->pf->root, strerror((int)-n));
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
