/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lxkns-internal.h: the library's private model layout and the declarations
 * shared between its modules (model/, procfs/, ops/, discover/, json/).
 * Never included by tools or the service: they see include/lxkns only.
 */
#ifndef LXKNS_INTERNAL_H
#define LXKNS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "lxkns/lxkns.h"
#include "ptrvec.h"
#include "u64map.h"

#define HIDDEN __attribute__((visibility("hidden")))

struct lxkns_container;
struct lxkns_container_engine;
struct lxkns_container_group;

/* How a namespace was first reached, for its reference. */
enum ns_ref_kind {
	NS_REF_NONE,	/* hidden: only a parent or owner */
	NS_REF_PROC,	/* /proc/PID/ns/<name> */
	NS_REF_TASK,	/* /proc/TID/ns/<name> */
	NS_REF_FD,	/* /proc/PID/fd/N */
	NS_REF_BIND,	/* bind mount: [ref of mount ns..., path] */
	NS_REF_LITERAL, /* read back from JSON: ref[] as given */
	/* nooks (lib/discover/scan-detached.c, scan-kernel.c): */
	NS_REF_DETACHED, /* /proc/PID/fd/N of a detached mount (open_tree) */
	NS_REF_KERNEL,	 /* only the kernel's own list: no path reaches it */
};

/* How a namespace is held when its reference alone does not tell (JSON
 * "held-by", ours). */
enum ns_held_kind {
	NS_HELD_NONE,
	NS_HELD_DETACHED, /* a detached mount tree: fd of pid */
	NS_HELD_KERNEL,	  /* listed by the kernel only: via */
	NS_HELD_BIND,	  /* bind mount at path in a mount ns without reference */
};

struct ns_held {
	enum ns_held_kind kind;
	pid_t pid;	  /* DETACHED */
	int fd;		  /* DETACHED */
	uint64_t mntns;	  /* BIND: the mount namespace's inode */
	const char *what; /* KERNEL: "NS_MNT_GET_NEXT", "listns"; BIND: the path */
};

struct lxkns_namespace {
	struct lxkns_nsid id;
	enum lxkns_ns_type type;
	/* the inode in decimal, formatted once for the JSON writer */
	char idstr[21];
	unsigned char idlen;

	/* the reference, materialised by discover_finalize() */
	char **ref;
	size_t ref_count;

	/* where the first reference came from */
	enum ns_ref_kind ref_kind;
	pid_t ref_pid;		     /* PID or TID */
	int ref_fd;		     /* NS_REF_FD */
	const char *ref_name;	     /* "net", "pid_for_children", ... */
	struct lxkns_nsid ref_mntns; /* NS_REF_BIND: the mount ns of ref_path */
	const char *ref_path;	     /* NS_REF_BIND */

	struct ptrvec leaders; /* struct lxkns_process *, sorted by PID */
	struct lxkns_process *ealdorman;
	struct ptrvec loose_threads; /* struct lxkns_task *, sorted by TID */

	struct lxkns_namespace *owner; /* user ns; NULL for user ns */
	uint64_t owner_ino;	       /* while the owner object is not known */
	struct lxkns_namespace *parent;
	uint64_t parent_ino;
	struct ptrvec children; /* sorted by inode */

	bool has_owner_uid;
	uid_t owner_uid;
	const char *user_name;		  /* user ns: never NULL after finalize */
	struct ptrvec *owned;		  /* user ns: [_LXKNS_NS_TYPE_MAX] */
	struct lxkns_mount_table *mounts; /* mnt ns: when mounts were discovered */
	uint32_t pid_ordinal;		  /* pid ns: its number in the PID map */
	struct ns_held held;		  /* JSON "held-by" */
};

/* The namespaces of a process or task. Most processes and tasks share
 * theirs with many others, so the set is stored once and shared (the
 * scanner interns them; see ARCHITECTURE.md, "Memory"). ns[t] is a function
 * of id[t] only, so resolving a shared set for one member resolves it for
 * all. */
struct nsset {
	struct lxkns_nsid id[_LXKNS_NS_TYPE_MAX];	/* as scanned; ino 0 = unreadable */
	struct lxkns_namespace *ns[_LXKNS_NS_TYPE_MAX]; /* set by phase 2 */
	uint8_t resolved;				/* type bits done by phase 2 */
	bool listed; /* phase 2: its first process is on the work list */
};

/* What processes and tasks have in common. Kept small: a discovery holds
 * one per process and per task. */
struct proc_common {
	const char *name; /* interned: many share it */
	uint64_t starttime;
	const char *cpu_cgroup, *freezer_cgroup;
	const char *v2_cgroup;	 /* the unified path, also on hybrid hosts */
	struct nsset *nss;	 /* NULL: none known */
	uint32_t *affinity;	 /* CPU ranges: from, to, from, to, ... */
	pid_t *nspid;		 /* may point to the own PID/TID: one level */
	uint32_t affinity_count; /* number of ranges */
	uint32_t nspid_count;
	int policy, priority, nice;
	bool freezer_v1; /* freezer_cgroup is a v1 freezer path, else v2 */
	bool frozen;
};

static inline struct lxkns_namespace *pc_ns(const struct proc_common *c, int type)
{
	return c->nss ? c->nss->ns[type] : NULL;
}

static inline uint64_t pc_ino(const struct proc_common *c, int type)
{
	return c->nss ? c->nss->id[type].ino : 0;
}

struct lxkns_task {
	struct proc_common c;
	pid_t tid;
	struct lxkns_process *process;
};

/* fd_ref.type of an fd whose link reads "/" and whose inode is an nsfs one:
 * the root of a detached mount tree of a namespace (scan-detached.c). */
#define FD_REF_DETACHED (-2)

/* A namespace reference held by an fd of a process. */
struct fd_ref {
	int fd;
	int type;     /* namespace type, -1 for a socket, or FD_REF_DETACHED */
	uint64_t ino; /* namespace or socket inode */
};

struct lxkns_process {
	union {
		/* the main thread's task (tid = pid), in place: it is the
		 * process's own facts, so most processes need no task object of
		 * their own (scanned results; read-back ones may have one) */
		struct lxkns_task main_task;
		struct {
			struct proc_common c;
			pid_t pid;
		};
	};
	pid_t ppid;
	/* the owner UID of /proc/PID (as lsns) plus one; 0: unknown (it
	 * fills the padding after ppid) */
	uint32_t uid_p1;
	/* the arguments, each NUL-terminated, back to back (shared between
	 * processes with the same command line) */
	const char *cmdline;
	uint32_t cmdline_len, cmdline_count;
	struct lxkns_process *parent;
	struct ptrvec children; /* sorted by PID */
	struct lxkns_task **tasks;
	size_t task_count;
	struct lxkns_container *container; /* when it is a container's initial process */
	/* (what only the discovery needs, for_children and the fd list, is in
	 * its side table, struct proc_scan in lib/discover/) */
};

struct lxkns_result {
	atomic_int refcount;
	struct lxkns_discover_opts opts;
	struct arena arena;

	/* by (type, inode): the kernel reuses a freed inode for any type, so
	 * one scan may see an inode as two types (ARCHITECTURE.md, "Inode
	 * reuse") */
	struct u64map ns_by_ino[_LXKNS_NS_TYPE_MAX];
	struct ptrvec ns[_LXKNS_NS_TYPE_MAX];
	struct lxkns_namespace *initial[_LXKNS_NS_TYPE_MAX];
	struct ptrvec roots[_LXKNS_NS_TYPE_MAX]; /* user and pid only */

	struct lxkns_process **procs; /* sorted by PID */
	size_t proc_count;
	struct u64map proc_by_pid;

	pthread_mutex_t diag_lock;
	/* (pid ns ordinal, PID) -> process: built on the first lookup (most
	 * users never translate, and it is the biggest index) */
	struct u64map pidmap;
	pthread_mutex_t pidmap_lock;
	atomic_bool pidmap_wanted, pidmap_built;
	uint32_t *cpus_online; /* ranges: from, to, ... */
	uint32_t cpus_online_count;

	/* containers, engines and groups (lib/containers/): arrays in the arena */
	struct lxkns_container **containers; /* sorted by PID */
	size_t container_count;
	struct lxkns_container_engine **engines; /* engine refid - 1 */
	size_t engine_count;
	struct lxkns_container_group **groups; /* group refid - 1 */
	size_t group_count;

	struct lxkns_diagnostic *diags;
	size_t diag_count, diag_cap;
	bool diag_oom;
};

/* ---- abi.c ---- */
/* The largest size a caller's sized struct may claim (the kernel's limit
 * for clone3 and openat2): larger is -E2BIG without reading it. */
#define ABI_STRUCT_SIZE_MAX 4096
/* Copies a caller's sized struct src (src_size bytes, its leading size_t
 * field) over dst, which holds the library's defaults (dst_size bytes, its
 * own sizeof), and sets dst's size field to dst_size. Returns 0, -EINVAL
 * when src_size cannot even hold the size field, -E2BIG when src is larger
 * than dst and a byte beyond dst_size is not zero (or src_size is absurd). */
HIDDEN int abi_copy_in(void *dst, size_t dst_size, const void *src, size_t src_size);

/* ---- model/ ---- */
/* A new, empty result with a copy of opts (all false/0 when NULL: the
 * defaults belong to lib/discover/, lxkns_discover_opts_init(), so callers
 * above core pass them in). */
HIDDEN struct lxkns_result *result_new(const struct lxkns_discover_opts *opts);
/* Adds a diagnostic (printf-style message). Never fails: on OOM the
 * diagnostic is dropped and the result notes it. */
HIDDEN void result_diag(struct lxkns_result *r, pid_t pid, int err, const char *what,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Looks up by (type, inode), or creates, a namespace. NULL only when an
 * allocation failed. A namespace of another type with the same inode does
 * not matter here (see result_namespace_shared()). */
HIDDEN struct lxkns_namespace *result_namespace_get(struct lxkns_result *r, enum lxkns_ns_type type,
						    struct lxkns_nsid id, bool *ret_created);
/* The namespace of the type with the inode, or NULL. */
HIDDEN struct lxkns_namespace *result_namespace_find(const struct lxkns_result *r,
						     enum lxkns_ns_type type, uint64_t ino);
/* Another namespace than ns with ns's inode (of another type: replaced
 * during a scan, see ARCHITECTURE.md "Inode reuse"), the one of the lowest
 * type; NULL when the inode is ns's alone. */
HIDDEN struct lxkns_namespace *result_namespace_shared(const struct lxkns_result *r,
						       const struct lxkns_namespace *ns);
/* Links processes and namespaces, sorts everything, computes leaders,
 * ealdormen, loose threads, children, owned namespaces and roots. Refs are
 * built from the ref_* fields unless they already exist. */
HIDDEN int result_link(struct lxkns_result *r, bool compute_leaders);
/* Builds each namespace's reference from its ref_kind fields. */
HIDDEN int result_build_refs(struct lxkns_result *r);
/* Indexes every (PID namespace, PID) pair of processes and tasks. */
HIDDEN int result_build_pidmap(struct lxkns_result *r);
/* Indexes every (PID namespace, PID) pair of processes and tasks, once,
 * for result_build_pidmap'ed results (thread-safe; 0 or -ENOMEM). */
HIDDEN int result_index_pidmap(const struct lxkns_result *r);
HIDDEN int result_set_processes(struct lxkns_result *r, struct lxkns_process **procs, size_t n);

/* ---- what the containers layer (lib/containers/) attaches to a result ----
 * The model owns the result; the layer above writes into it only through
 * these. */
/* Marks the process with PID pid as the initial process of container c and
 * returns it; NULL (nothing changed) when there is no such process. */
HIDDEN struct lxkns_process *result_attach_container_process(struct lxkns_result *r, pid_t pid,
							     struct lxkns_container *c);
/* Hands r the final lists, all allocated in r's arena: containers sorted by
 * PID, engines by refid (refid = index + 1), groups by refid. */
HIDDEN void result_attach_containers(struct lxkns_result *r, struct lxkns_container **containers,
				     size_t container_count,
				     struct lxkns_container_engine **engines, size_t engine_count,
				     struct lxkns_container_group **groups, size_t group_count);

#endif
