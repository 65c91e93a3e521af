/* SPDX-License-Identifier: Apache-2.0 */
/*
 * discover-internal.h: the state of one discovery run, shared by the
 * discovery steps (scan-procs, namespaces, from-fds, mountns,
 * user-names), which discover.c runs in order.
 */
#ifndef LXKNS_DISCOVER_INTERNAL_H
#define LXKNS_DISCOVER_INTERNAL_H

#include "lxkns-internal.h"
#include "strintern.h"
#include "procfs/procfs.h"

/* What phases 1 and 2 need of a process but the model does not keep: a
 * side table parallel to the result's process table, freed after phase 2
 * (ARCHITECTURE.md, "Scaling and start-up"). */
struct proc_scan {
	struct lxkns_nsid for_children[2]; /* pid_for_children, time_for_children */
	struct fd_ref *fds;		   /* namespace and socket fds (in the arena) */
	uint32_t fd_count;
	bool odd_tasks; /* a task has a namespace set other than the process's */
};

struct discovery {
	struct lxkns_result *r;
	struct proc_scan *scan; /* [r->proc_count], phases 1 and 2 only */
	struct procfs *pf;
	struct lxkns_discover_opts opts;
	unsigned mask; /* namespace types to discover */
	pid_t self_pid;
	struct lxkns_nsid self_mntns;
	uint64_t nsfs_dev;
	bool warned_no_owner_uid, warned_no_parent, warned_no_userns;
	/* cgroup paths stayed relative to our own (non-initial) cgroup
	 * namespace: translate_cgroups() could not place them */
	bool cgroup_relative;
	struct strintern mount_strings; /* of all mount tables (in the result's arena) */
	/* the IDs the kernel's list held before the scan (scan-kernel.c) */
	struct u64map kernel_before;
	bool kernel_snapshot;
};

static inline bool want_type(const struct discovery *d, int type)
{
	return type >= 0 && (d->mask & LXKNS_NS_TYPE_BIT(type));
}

/* The discovery pipeline (discover.c). late, when not NULL, is the
 * container step of the layer above (lib/containers/), run last (after the
 * PID map and the freezer) when opts->with_containers and procfs is real,
 * with the procfs root fd and the inode of our own mount namespace.
 * lxkns_discover() is discover_run(opts, containers_discover, ...). */
typedef int (*discover_late_fn)(struct lxkns_result *r, int procfd, uint64_t self_mntns,
				const struct lxkns_discover_opts *opts);
/* The caller's opts (NULL: the defaults) as a complete struct of the
 * library's size: fields the caller's struct lacks get their defaults.
 * Returns 0, -EINVAL (size 0) or -E2BIG (see abi_copy_in()). */
HIDDEN int discover_opts_import(const struct lxkns_discover_opts *opts,
				struct lxkns_discover_opts *ret);
HIDDEN int discover_run(const struct lxkns_discover_opts *opts, discover_late_fn late,
			struct lxkns_result **ret_result);

/* Phase 1: reads every process (and task, and fd list) into the result's
 * process table, in parallel; no namespace objects yet. */
HIDDEN int scan_processes(struct discovery *d);
/* After phase 1: cgroup paths as the initial cgroup namespace sees them,
 * when we are in another one (see scan-procs.c). 0 or -ENOMEM; what cannot
 * be done is a diagnostic and sets cgroup_relative. */
HIDDEN int translate_cgroups(struct discovery *d);

/* Registers the namespace with the identity id, reached through handle
 * (an nsfs handle, see procfs.h): looks it up or creates it; a new one gets
 * its owner, parent and owner UID at once, recursively, so hidden parents
 * and owners are found too. A namespace of another type with the same inode
 * (the kernel reused it during the scan) is no clash: both are kept and a
 * diagnostic names them. NULL only when an allocation failed. */
HIDDEN struct lxkns_namespace *ns_register(struct discovery *d, enum lxkns_ns_type type,
					   struct lxkns_nsid id, int handle, bool *ret_created);
/* Like ns_register, but opens the namespace at path (relative to the procfs
 * root) only when it is new, and checks it is still the one expected (one
 * that vanished or was replaced meanwhile is kept, with a diagnostic when it
 * was replaced). NULL only when an allocation failed. */
HIDDEN struct lxkns_namespace *ns_register_path(struct discovery *d, enum lxkns_ns_type type,
						struct lxkns_nsid id, const char *path, pid_t pid,
						bool *ret_created);

/* Phase 2 steps. */
HIDDEN int discover_from_procs(struct discovery *d);
HIDDEN int discover_from_tasks(struct discovery *d);
HIDDEN int discover_from_fds(struct discovery *d);
/* Looks into every mount namespace: bind-mounted namespaces (transitively)
 * and, with with_mounts, mount tables. */
HIDDEN int discover_mount_namespaces(struct discovery *d);
HIDDEN int discover_user_names(struct discovery *d);

/* scan-detached.c: an fd whose link reads "/" may be a detached mount tree
 * of a namespace (open_tree). Phase 1: 1 and its inode when the fd's inode
 * is an nsfs one, else 0. Phase 2: registers it with an NS_REF_DETACHED
 * reference; 0 or -ENOMEM. */
HIDDEN int detached_fd_probe(struct discovery *d, int fddirfd, const char *name, uint64_t *ret_ino);
HIDDEN int discover_detached_fd(struct discovery *d, struct lxkns_process *p,
				const struct fd_ref *f);

/* scan-kernel.c: the kernel's own lists of namespaces (listns(2) on 6.19+,
 * else the mount namespaces of NS_MNT_GET_NEXT/PREV on 6.8+), probed at run
 * time. Each listed namespace that no reference explains is registered
 * through the list's own fd (NS_REF_KERNEL) with a diagnostic naming it; a
 * mount namespace among them is handed to push (with an nsfs fd that push
 * owns from then on) when its mounts, listed by listmount(2)/statmount(2)
 * without entering it, show nsfs mounts of namespaces not known yet or
 * mount tables are wanted. 0 or -ENOMEM. */
typedef int (*kernel_push_fn)(struct discovery *d, void *ctx, struct lxkns_namespace *mntns,
			      int handle);
HIDDEN int discover_kernel_lists(struct discovery *d, kernel_push_fn push, void *ctx);
/* Before the scan: the IDs the kernel lists now. Only namespaces listed
 * both before and after the scan can be unexplained; newer ones were
 * created meanwhile. 0 or -ENOMEM. */
HIDDEN int kernel_lists_snapshot(struct discovery *d);
HIDDEN int discover_freezer(struct discovery *d);
HIDDEN int discover_affinity(struct discovery *d);

#endif
