/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan-detached.c: namespaces held by a detached mount tree. An fd from
 * open_tree(OPEN_TREE_CLONE) of a namespace file (/proc/PID/ns/net, or an
 * nsfs bind mount whose original bind may be gone) is the root of a mount
 * that is attached nowhere: its /proc/PID/fd/N link reads "/", not
 * "net:[…]", yet fstat shows the nsfs inode and opening the link opens the
 * namespace. lsns and Go lxkns take it for a directory.
 *
 * Cost: only fds whose link is exactly "/" are looked at (a process's fd on
 * its root directory reads the same), with one fstatat() each, following the
 * magic link; everything else is decided by the readlink the fd scan does
 * anyway. An nsfs inode is then opened once in phase 2 for its type and
 * relations.
 *
 * fsmount(2) cannot give an nsfs root: nsfs is not a file system type that
 * fsopen(2) knows (ENODEV), so every detached nsfs mount comes from
 * open_tree(2). A detached tree whose root is not nsfs but that holds nsfs
 * mounts below (OPEN_TREE_CLONE | AT_RECURSIVE of a directory) is not
 * searched here: a mount namespace held that way is found by the kernel's
 * list (scan-kernel.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "discover-internal.h"
#include "lxkns/nsfs.h"

int detached_fd_probe(struct discovery *d, int fddirfd, const char *name, uint64_t *ret_ino)
{
	struct stat st;

	if (!d->pf->real || !d->nsfs_dev)
		return 0;
	/* follows the magic link to the mount's root */
	if (fstatat(fddirfd, name, &st, 0) < 0)
		return 0; /* closed meanwhile, or not ours to see */
	if ((uint64_t)st.st_dev != d->nsfs_dev)
		return 0;
	*ret_ino = (uint64_t)st.st_ino;
	return 1;
}

int discover_detached_fd(struct discovery *d, struct lxkns_process *p, const struct fd_ref *f)
{
	char path[64];

	snprintf(path, sizeof(path), "%d/fd/%d", (int)p->pid, f->fd);
	int h = nsfs_open(d->pf, d->pf->rootfd, path, -1, 0);
	if (h < 0) {
		if (h != -ENOENT && h != -ESRCH)
			result_diag(d->r, p->pid, h, "detached mount",
				    "cannot open the detached mount at fd %d of %d: %s", f->fd,
				    (int)p->pid, strerror(-h));
		return 0;
	}
	struct lxkns_nsid id;
	int type = lxkns_nsfs_type(h);
	if (nsfs_id(d->pf, h, &id) < 0 || id.ino != f->ino || type < 0) {
		/* closed and reused meanwhile */
		nsfs_close(d->pf, h);
		return 0;
	}
	if (!want_type(d, type)) {
		nsfs_close(d->pf, h);
		return 0;
	}
	struct lxkns_namespace *ns = result_namespace_find(d->r, (enum lxkns_ns_type)type, id.ino);
	if (!ns)
		ns = ns_register(d, type, id, h, NULL);
	nsfs_close(d->pf, h);
	if (!ns)
		return -ENOMEM;
	if (ns->ref_kind == NS_REF_NONE) {
		ns->ref_kind = NS_REF_DETACHED;
		ns->ref_pid = p->pid;
		ns->ref_fd = f->fd;
		ns->held = (struct ns_held){ .kind = NS_HELD_DETACHED, .pid = p->pid, .fd = f->fd };
	}
	return 0;
}
