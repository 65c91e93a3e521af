/* SPDX-License-Identifier: Apache-2.0 */
/*
 * from-fds.c: namespaces held by open fds. An fd whose link reads
 * "net:[…]" references a namespace directly; a socket fd keeps its network
 * namespace alive, which only pidfd_getfd(2) + SIOCGSKNS reveal (opening
 * /proc/PID/fd/N of a socket fails with ENXIO). Each unique socket inode is
 * asked once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "discover-internal.h"

/* *denied: set once SIOCGSKNS was refused (no CAP_NET_ADMIN); the rest of the
 * sockets are then skipped, and one discovery-wide diagnostic says why. */
static int socket_netns(struct discovery *d, struct lxkns_process *p, const struct fd_ref *f,
			int *pidfd, bool *denied)
{
	if (*pidfd == -1) {
		*pidfd = nsfs_pidfd_open(d->pf, p->pid);
		if (*pidfd < 0) {
			if (*pidfd != -ESRCH)
				result_diag(d->r, p->pid, *pidfd, "pidfd_open",
					    "cannot open a pidfd of %d: %s", (int)p->pid,
					    strerror(-*pidfd));
			return 0;
		}
	}
	if (*pidfd < 0)
		return 0;
	bool refused = false;
	int h = nsfs_socket_netns(d->pf, *pidfd, f->fd, &refused);
	if (h < 0 && refused) {
		*denied = true;
		result_diag(d->r, 0, -h, "socket",
			    "network namespaces held only by sockets cannot be found: SIOCGSKNS "
			    "needs CAP_NET_ADMIN (%s)",
			    strerror(-h));
		return 0;
	}
	if (h < 0) {
		/* closed meanwhile (EBADF), or not ptrace-able (EPERM) */
		if (h != -EBADF && h != -ESRCH)
			result_diag(d->r, p->pid, h, "socket",
				    "cannot get the network namespace of socket fd %d of %d: %s",
				    f->fd, (int)p->pid, strerror(-h));
		return 0;
	}
	struct lxkns_nsid id;
	if (nsfs_id(d->pf, h, &id) == 0) {
		struct lxkns_namespace *ns = ns_register(d, LXKNS_NS_NET, id, h, NULL);
		if (!ns) {
			nsfs_close(d->pf, h);
			return -ENOMEM;
		}
		if (ns->ref_kind == NS_REF_NONE) {
			ns->ref_kind = NS_REF_FD;
			ns->ref_pid = p->pid;
			ns->ref_fd = f->fd;
		}
	}
	nsfs_close(d->pf, h);
	return 0;
}

int discover_from_fds(struct discovery *d)
{
	struct lxkns_result *r = d->r;
	struct u64map sockets = { 0 };
	char path[64];
	bool sockets_denied = false;
	int ret = 0;

	for (size_t i = 0; i < r->proc_count && ret == 0; i++) {
		const struct proc_scan *sc = &d->scan[i];
		if (!sc->fd_count)
			continue;
		struct lxkns_process *p = r->procs[i];
		int pidfd = -1;
		for (size_t k = 0; k < sc->fd_count && ret == 0; k++) {
			const struct fd_ref *f = &sc->fds[k];
			if (f->type == FD_REF_DETACHED) {
				ret = discover_detached_fd(d, p, f);
				continue;
			}
			if (f->type < 0) {
				if (sockets_denied || u64map_get(&sockets, f->ino))
					continue;
				if (u64map_put(&sockets, f->ino, p) < 0) {
					ret = -ENOMEM;
					break;
				}
				ret = socket_netns(d, p, f, &pidfd, &sockets_denied);
				continue;
			}
			struct lxkns_nsid id = { .dev = d->nsfs_dev, .ino = f->ino };
			snprintf(path, sizeof(path), "%d/fd/%d", (int)p->pid, f->fd);
			struct lxkns_namespace *ns = ns_register_path(d, f->type, id, path, p->pid,
								      NULL);
			if (!ns) {
				ret = -ENOMEM;
				break;
			}
			if (ns->ref_kind == NS_REF_NONE) {
				ns->ref_kind = NS_REF_FD;
				ns->ref_pid = p->pid;
				ns->ref_fd = f->fd;
			}
		}
		if (pidfd >= 0)
			nsfs_close(d->pf, pidfd);
	}
	u64map_free(&sockets);
	return ret;
}
