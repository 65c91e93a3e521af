/* SPDX-License-Identifier: Apache-2.0 */
/*
 * discover.h: running a discovery. The options select the sources the engine
 * looks at; lxkns_discover() returns one immutable, reference-counted result
 * (see model.h) that owns everything it found, diagnostics included.
 */
#ifndef LXKNS_DISCOVER_H
#define LXKNS_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include <lxkns/model.h>

struct lxkns_container_watcher;

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The options of a discovery. The struct grows at its end from one release
 * to the next, so it carries its own size: fill it with
 * lxkns_discover_opts_init() (which records the size this header gives it),
 * then change fields. A library reading a struct smaller than its own uses
 * the defaults for the fields the caller's header did not have; it accepts
 * a larger one (a newer header) only when the fields it does not know are
 * all zero, and fails with -E2BIG otherwise. Never set size by hand from a
 * zeroed struct without init: size 0 is -EINVAL.
 */
struct lxkns_discover_opts {
	/* sizeof(struct lxkns_discover_opts) as the caller was compiled with;
	 * set by lxkns_discover_opts_init(). Always the first field. */
	size_t size;
	/* Namespace types to discover: LXKNS_NS_TYPE_BIT()s, 0 = all 8. */
	unsigned type_mask;
	/* /proc/PID/ns/ entries of every process (also pid_for_children and
	 * time_for_children where they differ). */
	bool from_procs;
	/* /proc/PID/task/TID/ns/ entries of every thread: loose threads. */
	bool from_tasks;
	/* /proc/PID/fd/ entries: fds that reference a namespace. */
	bool from_fds;
	/* socket fds: their network namespace (pidfd_getfd + SIOCGSKNS). */
	bool from_sockets;
	/* nsfs bind mounts in every mount namespace found, transitively (also
	 * mount namespaces that are themselves only bind-mounted). */
	bool from_bindmounts;
	/* user and PID hierarchy (NS_GET_PARENT), hidden parents included. */
	bool with_hierarchy;
	/* owning user namespaces (NS_GET_USERNS) and owner UIDs. */
	bool with_ownership;
	/* owner user names from /etc/passwd of the initial mount namespace. */
	bool with_user_names;
	/* NSpid: of /proc/PID/status (PIDs in every PID namespace): the PID
	 * map (see pidmap.h). */
	bool with_nspids;
	/* the mount table of every mount namespace (see mounts.h). */
	bool with_mounts;
	/* whether processes are frozen (cgroup v1 freezer or v2 cgroup.events). */
	bool with_freezer;
	/* CPU affinity of the leader processes, and the online CPUs. */
	bool with_affinity;
	/* CPU affinity of every task too (costs one syscall per task). */
	bool with_task_affinity;
	/* Root of the proc filesystem to read; NULL means "/proc". A tree
	 * that is not a real procfs is read as a fixture (ns links are
	 * symlinks, relations come from its "nsfs.relations" file). */
	const char *procfs_root;
	/* Worker threads for the per-process scan; 0 = one per online CPU
	 * (at most 4). */
	unsigned threads;
	/* Containers: engines found in the process table are asked for their
	 * containers (see containers.h). Only on a real procfs. */
	bool with_containers;
	/* How long one engine may take to answer before it is skipped with a
	 * diagnostic, in milliseconds (engines are asked in parallel);
	 * 0 = the default, 3000. */
	unsigned container_timeout_ms;
	/* A long-running caller's engine watcher (containers.h), or NULL to
	 * query every engine afresh. Not owned. */
	struct lxkns_container_watcher *container_watcher;
	/* New fields go here, at the end, past the previous sizeof (never
	 * into its tail padding); see ARCHITECTURE.md, "The C API and ABI". */
};

/*
 * Fills the first size bytes of opts with the defaults (everything on, all
 * types, /proc, auto threads), zeroes any bytes beyond the library's own
 * struct, and sets opts->size = size. Returns 0, or -EINVAL when opts is
 * NULL or size is smaller than the size field. Call it through
 * lxkns_discover_opts_init(), which passes the size of the caller's struct.
 */
int lxkns_discover_opts_init_sized(struct lxkns_discover_opts *opts, size_t size);

/*
 * Fills in the defaults: everything on, all types, /proc, auto threads, and
 * opts->size = sizeof(*opts) as compiled into the caller (inline, so that a
 * program built against this header passes its own size to any later
 * library).
 */
static inline void lxkns_discover_opts_init(struct lxkns_discover_opts *opts)
{
	(void)lxkns_discover_opts_init_sized(opts, sizeof(*opts));
}

/*
 * Runs a discovery with opts (NULL: the defaults). Returns 0 and a new
 * result (release it with lxkns_result_unref()), or -errno when the
 * discovery cannot run at all: -EINVAL for opts->size 0 (not initialised),
 * -E2BIG for a struct larger than the library's with non-zero fields past
 * it, -ENOENT etc. for an unreadable procfs root, -ENOMEM. Everything else that goes wrong
 * on the way is a diagnostic on the result.
 */
int lxkns_discover(const struct lxkns_discover_opts *opts, struct lxkns_result **ret_result);

#ifdef __cplusplus
}
#endif
#endif
