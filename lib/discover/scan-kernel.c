/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan-kernel.c: the kernel's own lists of namespaces, as a cross-check of
 * what processes, tasks, fds, sockets and bind mounts showed. Probed at run
 * time, both:
 *
 *  - NS_MNT_GET_NEXT / NS_MNT_GET_PREV (nsfs ioctls, Linux 6.8): the mount
 *    namespaces, walked from our own in both directions; each step returns
 *    an nsfs fd of the next one;
 *  - listns(2) (Linux 6.19): every namespace by its 64-bit ID, per type
 *    (the mount namespaces too when the walk was not possible); each is
 *    opened by an nsfs file handle (open_by_handle_at with FD_NSFS_ROOT) to
 *    learn its inode.
 *
 * A listed namespace that no reference explains (a mount namespace held
 * only inside a detached mount tree, say) is registered through the list's
 * own fd: its reference kind is NS_REF_KERNEL (JSON "held-by": kernel-list)
 * and a diagnostic names it. Its mounts are listed with listmount(2) and
 * statmount(2) by the mount namespace ID, without entering it; only when
 * they show nsfs mounts of namespaces not known yet (or mount tables are
 * wanted) is it handed to mountns.c to be entered, which registers those
 * bind-mounted namespaces as usual.
 *
 * It runs only for a complete discovery (all the sources on, a real procfs):
 * a source turned off is a view the caller asked for, not a gap to fill.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "discover-internal.h"
#include "lxkns/nsfs.h"
#include "procfs/parse.h"
#include "species-internal.h"

/* uapi <linux/nsfs.h> of 6.8+, absent from Debian 12's headers */
#define KNSIO 0xb7
struct k_mnt_ns_info {
	uint32_t size;
	uint32_t nr_mounts;
	uint64_t mnt_ns_id;
};
#define K_NS_MNT_GET_INFO _IOR(KNSIO, 10, struct k_mnt_ns_info)
#define K_NS_MNT_GET_NEXT _IOR(KNSIO, 11, struct k_mnt_ns_info)
#define K_NS_MNT_GET_PREV _IOR(KNSIO, 12, struct k_mnt_ns_info)

/* listmount(2), statmount(2) (6.8; by mount namespace ID since 6.11) and
 * listns(2) (6.19): the same numbers on every architecture but alpha and
 * mips, which we do not build for */
#if defined(__alpha__) || defined(__mips__)
#define K_SYS_STATMOUNT -1
#define K_SYS_LISTMOUNT -1
#define K_SYS_LISTNS -1
#else
#define K_SYS_STATMOUNT 457
#define K_SYS_LISTMOUNT 458
#define K_SYS_LISTNS 470
#endif

struct k_mnt_id_req {
	uint32_t size;	/* cppcheck-suppress unusedStructMember ; kernel layout */
	uint32_t spare; /* cppcheck-suppress unusedStructMember ; kernel layout */
	uint64_t mnt_id;
	uint64_t param;
	uint64_t mnt_ns_id; /* cppcheck-suppress unusedStructMember ; kernel layout */
};
#define K_MNT_ID_REQ_SIZE_VER1 32
#define K_LSMT_ROOT 0xffffffffffffffffULL
#define K_STATMOUNT_MNT_ROOT 0x8U
#define K_STATMOUNT_MNT_POINT 0x10U
#define K_STATMOUNT_FS_TYPE 0x20U

/* the fixed part of struct statmount (512 bytes; the strings follow) */
struct k_statmount {
	uint32_t size;
	uint32_t mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major, sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint32_t fs_type;
	uint64_t mnt_id, mnt_parent_id;
	uint32_t mnt_id_old, mnt_parent_id_old;
	uint64_t mnt_attr, mnt_propagation, mnt_peer_group, mnt_master, propagate_from;
	uint32_t mnt_root;
	uint32_t mnt_point;
	uint64_t rest[50];
};
_Static_assert(sizeof(struct k_statmount) == 512, "struct statmount is 512 bytes");

struct k_ns_id_req {
	uint32_t size;	/* cppcheck-suppress unusedStructMember ; kernel layout */
	uint32_t spare; /* cppcheck-suppress unusedStructMember ; kernel layout */
	uint64_t ns_id;
	uint32_t ns_type;
	uint32_t spare2;     /* cppcheck-suppress unusedStructMember ; kernel layout */
	uint64_t user_ns_id; /* cppcheck-suppress unusedStructMember ; kernel layout */
};

/* open_by_handle_at(FD_NSFS_ROOT, …) of an nsfs file handle (6.18) */
#define K_FD_NSFS_ROOT -10003
#define K_FILEID_NSFS 0xf1
struct k_nsfs_handle {
	unsigned int handle_bytes; /* cppcheck-suppress unusedStructMember ; kernel layout */
	int handle_type;	   /* cppcheck-suppress unusedStructMember ; kernel layout */
	uint64_t ns_id;		   /* cppcheck-suppress unusedStructMember ; kernel layout */
	uint32_t ns_type;	   /* cppcheck-suppress unusedStructMember ; kernel layout */
	uint32_t ns_inum;	   /* cppcheck-suppress unusedStructMember ; kernel layout */
};

struct kernel_walk {
	struct discovery *d;
	kernel_push_fn push;
	void *ctx;
	const char *via; /* "listns", "NS_MNT_GET_NEXT" */
	bool snapshot;	 /* before the scan: only note the IDs */
	bool mnt_walked; /* NS_MNT_GET_NEXT/PREV did the mount namespaces */
	unsigned added, newer;
	int err;	   /* of the snapshot: -ENOMEM */
	struct readbuf sm; /* statmount buffer */
};

/* The nsfs mounts of mount namespace mnt_ns_id (listmount + statmount):
 * *ret_unknown is set when one of them is a namespace we do not know or a
 * mount namespace. Returns their number, or -errno. */
static int nsfs_mounts(struct kernel_walk *w, uint64_t mnt_ns_id, bool *ret_unknown)
{
	struct k_mnt_id_req req = { .size = K_MNT_ID_REQ_SIZE_VER1, .mnt_ns_id = mnt_ns_id };
	uint64_t ids[256];
	int count = 0;

	*ret_unknown = false;
	if (K_SYS_LISTMOUNT < 0)
		return -ENOSYS;
	req.mnt_id = K_LSMT_ROOT;
	req.param = 0; /* the last mount ID seen: 0 starts */
	for (;;) {
		long n = syscall(K_SYS_LISTMOUNT, &req, ids, sizeof(ids) / sizeof(ids[0]), 0);
		if (n < 0)
			return -errno;
		for (long i = 0; i < n; i++) {
			struct k_mnt_id_req sreq = {
				.size = K_MNT_ID_REQ_SIZE_VER1,
				.mnt_id = ids[i],
				.param = K_STATMOUNT_FS_TYPE | K_STATMOUNT_MNT_ROOT |
					 K_STATMOUNT_MNT_POINT,
				.mnt_ns_id = mnt_ns_id,
			};
			long r;
			for (;;) {
				r = syscall(K_SYS_STATMOUNT, &sreq, w->sm.p, w->sm.cap, 0);
				if (r == 0 || errno != EOVERFLOW || w->sm.cap >= PROCFS_MAX_FILE)
					break;
				char *nb = realloc(w->sm.heap ? w->sm.p : NULL, w->sm.cap * 2);
				if (!nb)
					return -ENOMEM;
				w->sm.p = nb;
				w->sm.cap *= 2;
				w->sm.heap = true;
			}
			if (r < 0)
				continue; /* unmounted meanwhile */
			const struct k_statmount *sm = (const struct k_statmount *)w->sm.p;
			const char *str = w->sm.p + sizeof(*sm);
			size_t strsize = sm->size > sizeof(*sm) ? sm->size - sizeof(*sm) : 0;
			uint32_t need = K_STATMOUNT_FS_TYPE | K_STATMOUNT_MNT_ROOT;
			if ((sm->mask & need) != need || sm->fs_type >= strsize ||
			    sm->mnt_root >= strsize || strcmp(str + sm->fs_type, "nsfs") != 0)
				continue;
			int type;
			uint64_t ino;
			const char *root = str + sm->mnt_root;
			count++;
			if (parse_ns_link(root, strnlen(root, strsize - sm->mnt_root), &type,
					  &ino) < 0 ||
			    !want_type(w->d, type))
				continue;
			const struct lxkns_namespace *ns =
				result_namespace_find(w->d->r, (enum lxkns_ns_type)type, ino);
			if (!ns || type == LXKNS_NS_MNT)
				*ret_unknown = true;
		}
		if (n < (long)(sizeof(ids) / sizeof(ids[0])))
			return count;
		req.param = ids[n - 1];
	}
}

/* A listed namespace, open as fd (ours; closed or handed on here). */
static int listed(struct kernel_walk *w, int fd, int type, uint64_t ns_id, uint32_t nr_mounts)
{
	struct discovery *d = w->d;
	struct lxkns_nsid id;

	if (w->snapshot || (d->kernel_snapshot && !u64map_get(&d->kernel_before, ns_id))) {
		/* noted now, or created during the scan: not a gap of ours */
		if (w->snapshot && u64map_put(&d->kernel_before, ns_id, d) < 0)
			w->err = -ENOMEM;
		w->newer += !w->snapshot;
		close(fd);
		return w->err;
	}
	if (type < 0 || !want_type(d, type) || nsfs_id(d->pf, fd, &id) < 0 ||
	    result_namespace_find(d->r, (enum lxkns_ns_type)type, id.ino)) {
		/* explained already */
		close(fd);
		return 0;
	}
	bool created = false;
	struct lxkns_namespace *ns = ns_register(d, type, id, fd, &created);
	if (!ns) {
		close(fd);
		return -ENOMEM;
	}
	ns->ref_kind = NS_REF_KERNEL;
	ns->ref_pid = 0;
	ns->held = (struct ns_held){ .kind = NS_HELD_KERNEL, .what = w->via };
	w->added++;
	if (type != LXKNS_NS_MNT) {
		result_diag(d->r, 0, 0, "kernel list",
			    "%s:[%llu] is held by nothing the scan sees (no process, task, fd, "
			    "socket or bind mount): only the kernel's list shows it (%s, "
			    "namespace ID %llu)",
			    lxkns_ns_type_name(type), (unsigned long long)id.ino, w->via,
			    (unsigned long long)ns_id);
		close(fd);
		return 0;
	}
	bool unknown = false;
	int nsfs = nsfs_mounts(w, ns_id, &unknown);
	if (nsfs == -ENOMEM) {
		close(fd);
		return nsfs;
	}
	char mounts[64] = "";
	if (nsfs >= 0)
		snprintf(mounts, sizeof(mounts), ", %d nsfs mount%s", nsfs, nsfs == 1 ? "" : "s");
	else
		snprintf(mounts, sizeof(mounts), ", its mounts not listed: %s", strerror(-nsfs));
	result_diag(d->r, 0, 0, "kernel list",
		    "mnt:[%llu] is held by nothing the scan sees (no process, task, fd or bind "
		    "mount): only the kernel's list shows it (%s, mount namespace ID %llu, "
		    "%u mounts%s)",
		    (unsigned long long)id.ino, w->via, (unsigned long long)ns_id, nr_mounts,
		    mounts);
	/* look into it (entering it) only for what listmount cannot give: new
	 * namespaces to open, or its mount table */
	if (w->push && (unknown || nsfs < 0 || d->opts.with_mounts))
		return w->push(d, w->ctx, ns, fd);
	close(fd);
	return 0;
}

/* listns(2): 1 when it did the cross-check, 0 when the kernel lacks it, or
 * -ENOMEM. */
static int walk_listns(struct kernel_walk *w)
{
	struct discovery *d = w->d;
	uint64_t ids[128];
	bool tried = false;

	if (K_SYS_LISTNS < 0)
		return 0;
	w->via = "listns";
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		if (!want_type(d, t) || (t == LXKNS_NS_MNT && w->mnt_walked))
			continue;
		struct k_ns_id_req req = { .size = sizeof(req),
					   .ns_type = (uint32_t)lxkns_ns_type_clone_flag(t) };
		for (;;) {
			long n = syscall(K_SYS_LISTNS, &req, ids, sizeof(ids) / sizeof(ids[0]), 0);
			if (n < 0 && errno == ENOSYS)
				return 0; /* before 6.19 */
			if (n < 0 && !tried) {
				/* there, but not for us: the mount namespaces' walk then */
				if (!w->snapshot)
					result_diag(d->r, 0, errno, "kernel list",
						    "listns refused (%s): cross-checking mount "
						    "namespaces only",
						    strerror(errno));
				return 0;
			}
			tried = true;
			if (n < 0) {
				if (!w->snapshot)
					result_diag(d->r, 0, errno, "kernel list",
						    "cannot list the %s namespaces with listns: %s",
						    lxkns_ns_type_name(t), strerror(errno));
				break;
			}
			for (long i = 0; i < n; i++) {
				if (w->snapshot) {
					if (u64map_put(&d->kernel_before, ids[i], d) < 0)
						return -ENOMEM;
					continue;
				}
				if (d->kernel_snapshot && !u64map_get(&d->kernel_before, ids[i]))
					continue; /* created during the scan */
				struct k_nsfs_handle fh = {
					.handle_bytes = 16,
					.handle_type = K_FILEID_NSFS,
					.ns_id = ids[i],
					.ns_type = req.ns_type,
				};
				int fd = (int)syscall(SYS_open_by_handle_at, K_FD_NSFS_ROOT, &fh,
						      O_RDONLY | O_CLOEXEC);
				if (fd < 0) {
					if (errno != ESTALE && errno != ENOENT)
						result_diag(d->r, 0, errno, "kernel list",
							    "cannot open %s namespace ID %llu: %s",
							    lxkns_ns_type_name(t),
							    (unsigned long long)ids[i],
							    strerror(errno));
					continue;
				}
				struct k_mnt_ns_info info = { .size = sizeof(info) };
				if (t == LXKNS_NS_MNT && ioctl(fd, K_NS_MNT_GET_INFO, &info) < 0)
					info.nr_mounts = 0;
				int r = listed(w, fd, t, ids[i], info.nr_mounts);
				if (r < 0)
					return r;
			}
			if (n < (long)(sizeof(ids) / sizeof(ids[0])))
				break;
			req.ns_id = ids[n - 1];
		}
	}
	return 1;
}

/* NS_MNT_GET_NEXT/PREV from our own mount namespace: 1 when walked, 0 when
 * the kernel lacks it (or mount namespaces are not wanted), or -ENOMEM. */
static int walk_mntns(struct kernel_walk *w)
{
	struct discovery *d = w->d;
	_cleanup_close_ int self = -1;
	struct k_mnt_ns_info info = { .size = sizeof(info) };

	if (!want_type(d, LXKNS_NS_MNT))
		return 0;
	w->via = "NS_MNT_GET_NEXT";
	self = openat(d->pf->rootfd, "thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return 0; /* reported by the process scan */
	if (ioctl(self, K_NS_MNT_GET_INFO, &info) < 0)
		return 0; /* before 6.8: no list to check with */
	for (int prev = 0; prev < 2; prev++) {
		/* each step's fd (O_CLOEXEC, from the kernel) is the next step's
		 * start, and only then handed to listed(), which consumes it */
		int from = self, cur = -1;
		struct k_mnt_ns_info cur_info = { 0 };
		int r = 0;
		w->via = prev ? "NS_MNT_GET_PREV" : "NS_MNT_GET_NEXT";
		for (;;) {
			info = (struct k_mnt_ns_info){ .size = sizeof(info) };
			int next = ioctl(from, prev ? K_NS_MNT_GET_PREV : K_NS_MNT_GET_NEXT, &info);
			int err = next < 0 ? errno : 0;
			if (cur >= 0) {
				if (w->snapshot) {
					close(cur);
					if (u64map_put(&d->kernel_before, cur_info.mnt_ns_id, d) <
					    0)
						r = -ENOMEM;
				} else {
					r = listed(w, cur, LXKNS_NS_MNT, cur_info.mnt_ns_id,
						   cur_info.nr_mounts);
				}
				cur = -1;
			}
			if (r < 0) {
				if (next >= 0)
					close(next);
				return r;
			}
			if (next < 0) {
				if (err != ENOENT && !w->snapshot)
					result_diag(d->r, 0, err, "kernel list",
						    "cannot walk the mount namespaces with %s: %s",
						    w->via, strerror(err));
				break;
			}
			cur = from = next;
			cur_info = info;
		}
	}
	return 1;
}

/* A complete discovery, on a real procfs: the cross-check applies. */
static bool cross_check(const struct discovery *d)
{
	const struct lxkns_discover_opts *o = &d->opts;

	return d->pf->real && o->from_procs && o->from_tasks && o->from_fds && o->from_sockets &&
	       o->from_bindmounts;
}

int kernel_lists_snapshot(struct discovery *d)
{
	struct kernel_walk w = { .d = d, .snapshot = true };
	int r;

	if (!cross_check(d))
		return 0;
	r = walk_mntns(&w);
	w.mnt_walked = r > 0;
	if (r >= 0)
		r = walk_listns(&w);
	if (r < 0)
		return r;
	d->kernel_snapshot = true;
	return 0;
}

int discover_kernel_lists(struct discovery *d, kernel_push_fn push, void *ctx)
{
	_Alignas(8) char smbuf[4096];
	struct kernel_walk w = { .d = d, .push = push, .ctx = ctx };
	int r;

	if (!cross_check(d))
		return 0;
	w.sm = (struct readbuf){ .p = smbuf, .cap = sizeof(smbuf) };
	/* the mount namespaces by NS_MNT_GET_NEXT/PREV whenever the kernel has
	 * it (it lists every one, also those listns may take for inactive),
	 * then the other types by listns */
	r = walk_mntns(&w);
	w.mnt_walked = r > 0;
	if (r >= 0)
		r = walk_listns(&w);
	if (w.sm.heap)
		free(w.sm.p);
	return r < 0 ? r : 0;
}
