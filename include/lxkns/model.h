/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.h: the information model of a discovery. A struct lxkns_result owns
 * namespaces, processes and tasks; every accessor returns a borrowed pointer
 * that stays valid until the last lxkns_result_unref(). Results are immutable
 * and may be shared between threads.
 */
#ifndef LXKNS_MODEL_H
#define LXKNS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <lxkns/species.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lxkns_result;
struct lxkns_namespace;
struct lxkns_process;
struct lxkns_task;
struct lxkns_discover_opts;

/* ---- result ---------------------------------------------------------- */

/* Takes another reference to a result (thread-safe); drop it with
 * lxkns_result_unref(). Returns result (NULL stays NULL). */
struct lxkns_result *lxkns_result_ref(struct lxkns_result *result);
/* Drops a reference (thread-safe); the last one frees the result and with
 * it every pointer obtained from it. Accepts NULL; always returns NULL. */
struct lxkns_result *lxkns_result_unref(struct lxkns_result *result);

/* The options the result was discovered with (for a result read from JSON:
 * those the document records). Borrowed, never NULL. */
const struct lxkns_discover_opts *lxkns_result_options(const struct lxkns_result *result);

/* The number of namespaces of one type (0 for an invalid type). */
size_t lxkns_result_namespace_count(const struct lxkns_result *result, enum lxkns_ns_type type);
/* The index-th namespace of a type, sorted by inode number; NULL when index
 * is out of range or type is invalid. Borrowed. */
const struct lxkns_namespace *lxkns_result_namespace_at(const struct lxkns_result *result,
							enum lxkns_ns_type type, size_t index);
/* Looks a namespace up by type and inode; type may be
 * _LXKNS_NS_TYPE_INVALID for "any type". Live namespaces never share an
 * inode, but the kernel reuses a freed one for any type, so one discovery
 * may hold two namespaces of different types with the same inode (one was
 * replaced during the scan; a diagnostic says so): "any type" then answers
 * with the lower type in enum order. NULL when unknown. Borrowed. */
const struct lxkns_namespace *lxkns_result_namespace_by_ino(const struct lxkns_result *result,
							    int type, uint64_t ino);

/* The initial namespace of a type (the one of PID 1, else kthreadd), or
 * NULL when it could not be determined or type is invalid. Borrowed. */
const struct lxkns_namespace *lxkns_result_initial_namespace(const struct lxkns_result *result,
							     enum lxkns_ns_type type);

/* The number of roots of the user or PID hierarchy (namespaces without a
 * parent): usually 1, several when privileges are missing, 0 without
 * hierarchy discovery. type is LXKNS_NS_USER or LXKNS_NS_PID. */
size_t lxkns_result_root_count(const struct lxkns_result *result, enum lxkns_ns_type type);
/* The index-th root of the user or PID hierarchy, or NULL when index is out
 * of range. Borrowed. */
const struct lxkns_namespace *lxkns_result_root_at(const struct lxkns_result *result,
						   enum lxkns_ns_type type, size_t index);

/* The number of processes found. */
size_t lxkns_result_process_count(const struct lxkns_result *result);
/* The index-th process, sorted by PID; NULL when index is out of range.
 * Borrowed. */
const struct lxkns_process *lxkns_result_process_at(const struct lxkns_result *result,
						    size_t index);
/* The process with pid (in the PID namespace the discovery ran in), or NULL
 * when there is none (or pid <= 0). Borrowed. */
const struct lxkns_process *lxkns_result_process_by_pid(const struct lxkns_result *result,
							pid_t pid);

/* The number of ranges of online CPUs (0 without affinity discovery). */
size_t lxkns_result_cpus_online_count(const struct lxkns_result *result);
/* The index-th range of online CPUs, from and to inclusive, ascending: true,
 * or false when index is out of range. ret_from and ret_to may be NULL. */
bool lxkns_result_cpus_online_at(const struct lxkns_result *result, size_t index,
				 unsigned *ret_from, unsigned *ret_to);

/* ---- diagnostics ----------------------------------------------------- */

/* Something the discovery could not see, and why. */
struct lxkns_diagnostic {
	pid_t pid;	     /* the process concerned, 0 for none */
	int err;	     /* positive errno, 0 for a note */
	const char *what;    /* what was being read: "ns/net", "status", ... */
	const char *message; /* one line for people */
};

/* The number of diagnostics (things the discovery could not see). */
size_t lxkns_result_diagnostic_count(const struct lxkns_result *result);
/* The index-th diagnostic, in the order they were recorded, or NULL when
 * index is out of range. Borrowed, strings included. */
const struct lxkns_diagnostic *lxkns_result_diagnostic_at(const struct lxkns_result *result,
							  size_t index);

/*
 * Whether the view is partial for lack of privilege, in one line for people:
 * "64 processes could not be read, 2 other sources were lost (needs
 * CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH)", from the diagnostics with EPERM or
 * EACCES (a process counts once, however many of its reads failed; "other
 * sources" are the rest: a container engine's state, sockets, bind mounts...).
 * A capability the calling process holds is named as "denied despite
 * CAP_SYS_PTRACE" instead (the denial came from elsewhere: a user namespace
 * above ours, a security module, a process that is not dumpable). The
 * kernel's namespace list is a cross-check, not a source: its refusal stays
 * a diagnostic of its own. Call it in the process that discovered. Writes it to buf (size bytes, always terminated; "" for a complete view)
 * and returns its length as snprintf() does: 0 when nothing was lost for lack
 * of privilege, -ENOMEM when memory runs out.
 */
int lxkns_result_partial_view(const struct lxkns_result *result, char *buf, size_t size);

/* ---- namespaces ------------------------------------------------------ */

/* The namespace's identity: the nsfs device and inode numbers. */
struct lxkns_nsid lxkns_namespace_id(const struct lxkns_namespace *ns);
/* The namespace's type, LXKNS_NS_MNT ... LXKNS_NS_TIME. */
enum lxkns_ns_type lxkns_namespace_type(const struct lxkns_namespace *ns);

/* The number of elements of the reference: one path (/proc/PID/ns/T,
 * /proc/PID/fd/N, /proc/TID/ns/T), or a chain for bind mounts (element 0 in
 * the initial context, each next one inside the mount namespace named before
 * it). 0 elements: hidden. */
size_t lxkns_namespace_ref_count(const struct lxkns_namespace *ns);
/* The index-th element of the reference (a path), or NULL when index is out
 * of range. Borrowed. */
const char *lxkns_namespace_ref_at(const struct lxkns_namespace *ns, size_t index);
/* Only reachable as a parent or owner: no process, fd or mount of its own
 * (and not held by a detached mount or known to the kernel's list alone). */
bool lxkns_namespace_is_hidden(const struct lxkns_namespace *ns);
/* How the namespace is held when its reference does not tell (the JSON key
 * "held-by"): "detached-mount" (an fd of a process is a mount attached
 * nowhere whose root is the namespace; the reference is that fd),
 * "kernel-list" (nothing the discovery sees holds it; only the kernel's own
 * list shows it, and it has no reference) or "bind-mount" (bind-mounted in a
 * mount namespace that has no reference itself); NULL otherwise. Static. */
const char *lxkns_namespace_held_kind(const struct lxkns_namespace *ns);
/* The same as one line for people, such as "a detached mount, fd 7 of PID
 * 4414", "nothing the discovery sees (only the kernel's list,
 * NS_MNT_GET_NEXT, shows it)" or "a bind mount at
 * /run/x in mnt:[4026532304]", written to buf (NUL-terminated, cut to
 * size). Returns its full length, or -ENOENT when held_kind is NULL. */
int lxkns_namespace_held_describe(const struct lxkns_namespace *ns, char *buf, size_t size);

/* The number of leaders: the topmost processes attached to the namespace
 * (those whose parent is not attached to it). */
size_t lxkns_namespace_leader_count(const struct lxkns_namespace *ns);
/* The index-th leader, sorted by PID, or NULL when index is out of range.
 * Borrowed. */
const struct lxkns_process *lxkns_namespace_leader_at(const struct lxkns_namespace *ns,
						      size_t index);
/* The most senior leader (earliest start, then lowest PID), or NULL when the
 * namespace has no process. Borrowed. */
const struct lxkns_process *lxkns_namespace_ealdorman(const struct lxkns_namespace *ns);

/* The number of loose threads: threads attached to this namespace while
 * their process is not (only when tasks were scanned). */
size_t lxkns_namespace_loose_thread_count(const struct lxkns_namespace *ns);
/* The index-th loose thread, sorted by TID, or NULL when index is out of
 * range. Borrowed. */
const struct lxkns_task *lxkns_namespace_loose_thread_at(const struct lxkns_namespace *ns,
							 size_t index);

/* The owning user namespace; NULL for user namespaces (see parent) and when
 * ownership was not discovered or could not be read. Borrowed. */
const struct lxkns_namespace *lxkns_namespace_owner(const struct lxkns_namespace *ns);
/* The parent in the hierarchy (user and pid namespaces only); NULL for a
 * root, for other types and without hierarchy discovery. Borrowed. */
const struct lxkns_namespace *lxkns_namespace_parent(const struct lxkns_namespace *ns);
/* The number of child namespaces (user and pid namespaces only). */
size_t lxkns_namespace_child_count(const struct lxkns_namespace *ns);
/* The index-th child namespace, sorted by inode, or NULL when index is out
 * of range. Borrowed. */
const struct lxkns_namespace *lxkns_namespace_child_at(const struct lxkns_namespace *ns,
						       size_t index);

/* User namespaces only: the UID of the namespace's creator into *ret_uid
 * (may be NULL) and true; 0 and false when unknown or not a user namespace. */
bool lxkns_namespace_owner_uid(const struct lxkns_namespace *ns, uid_t *ret_uid);
/* User namespaces only: the owner UID's user name from /etc/passwd of the
 * initial mount namespace; "" when unknown (never NULL). Borrowed. */
const char *lxkns_namespace_user_name(const struct lxkns_namespace *ns);
/* User namespaces only: the number of namespaces of a type it owns (0 for
 * other namespaces and invalid types). */
size_t lxkns_namespace_owned_count(const struct lxkns_namespace *ns, enum lxkns_ns_type type);
/* User namespaces only: the index-th owned namespace of a type, sorted by
 * inode, or NULL when index is out of range. Borrowed. */
const struct lxkns_namespace *lxkns_namespace_owned_at(const struct lxkns_namespace *ns,
						       enum lxkns_ns_type type, size_t index);

/* ---- processes and tasks --------------------------------------------- */

/* The process's PID, in the PID namespace the discovery ran in. */
pid_t lxkns_process_pid(const struct lxkns_process *proc);
/* The parent's PID as the process's stat gives it; 0 for PID 1, kthreadd
 * and processes whose parent is outside the discovery's PID namespace. */
pid_t lxkns_process_ppid(const struct lxkns_process *proc);
/* The process's UID as lsns(8) gives it: the owner of its /proc/PID
 * directory (the effective UID, unless the process is not dumpable, then
 * root's). true and *ret set, or false when unknown (not read, or a saved
 * discovery without it). ret may be NULL. */
bool lxkns_process_uid(const struct lxkns_process *proc, uid_t *ret);
/* comm, as the kernel gives it (may contain spaces, parentheses, newlines);
 * "" when unknown. Borrowed. */
const char *lxkns_process_name(const struct lxkns_process *proc);
/* The number of command line arguments (0 for kernel threads, zombies and
 * unreadable command lines). */
size_t lxkns_process_cmdline_count(const struct lxkns_process *proc);
/* The index-th argument, or NULL when index is out of range. Borrowed.
 * O(index): walk the arguments in order where it matters. */
const char *lxkns_process_cmdline_at(const struct lxkns_process *proc, size_t index);
/* Start time in clock ticks since boot. */
uint64_t lxkns_process_starttime(const struct lxkns_process *proc);
/* v1 cpu controller path, else the v2 path; "" when unknown. */
const char *lxkns_process_cpu_cgroup(const struct lxkns_process *proc);
/* v1 freezer controller path, else the v2 path; "" when unknown. */
const char *lxkns_process_freezer_cgroup(const struct lxkns_process *proc);
/* Whether the process's cgroup is frozen (v1 freezer or v2 cgroup.events);
 * false when unknown or without freezer discovery. */
bool lxkns_process_frozen(const struct lxkns_process *proc);
/* The number of ranges of CPUs the process may run on (leaders only,
 * unless task affinity was asked; 0 when not discovered). */
size_t lxkns_process_affinity_count(const struct lxkns_process *proc);
/* The index-th CPU affinity range, from and to inclusive, ascending: true,
 * or false when index is out of range. ret_from and ret_to may be NULL. */
bool lxkns_process_affinity_at(const struct lxkns_process *proc, size_t index, unsigned *ret_from,
			       unsigned *ret_to);
/* The scheduling policy (SCHED_OTHER 0, SCHED_FIFO 1, SCHED_RR 2, ...). */
int lxkns_process_policy(const struct lxkns_process *proc);
/* The real-time priority (1..99 for SCHED_FIFO and SCHED_RR, else 0). */
int lxkns_process_priority(const struct lxkns_process *proc);
/* The nice value, -20..19. */
int lxkns_process_nice(const struct lxkns_process *proc);
/* The namespace of a type the process is attached to, NULL when it could
 * not be read, was not discovered, or type is invalid. Borrowed. */
const struct lxkns_namespace *lxkns_process_namespace(const struct lxkns_process *proc,
						      enum lxkns_ns_type type);
/* The parent process (NULL for PID 0 parents or when not in the table).
 * Borrowed. */
const struct lxkns_process *lxkns_process_parent(const struct lxkns_process *proc);
/* The number of child processes in the table. */
size_t lxkns_process_child_count(const struct lxkns_process *proc);
/* The index-th child process, sorted by PID, or NULL when index is out of
 * range. Borrowed. */
const struct lxkns_process *lxkns_process_child_at(const struct lxkns_process *proc, size_t index);
/* The number of PIDs in NSpid: (one per PID namespace level, 0 when not
 * read). */
size_t lxkns_process_nspid_count(const struct lxkns_process *proc);
/* The index-th PID from NSpid:, outermost (the discovery's PID namespace's
 * view) first, the process's own PID namespace last; 0 when index is out of
 * range. */
pid_t lxkns_process_nspid_at(const struct lxkns_process *proc, size_t index);
/* The number of tasks, including the main one (TID == PID); 0 when tasks
 * were not scanned. */
size_t lxkns_process_task_count(const struct lxkns_process *proc);
/* The index-th task, sorted by TID, or NULL when index is out of range.
 * Borrowed. */
const struct lxkns_task *lxkns_process_task_at(const struct lxkns_process *proc, size_t index);

/* The task's TID, in the PID namespace the discovery ran in. */
pid_t lxkns_task_tid(const struct lxkns_task *task);
/* The process the task belongs to (never NULL). Borrowed. */
const struct lxkns_process *lxkns_task_process(const struct lxkns_task *task);
/* The thread's comm, as the kernel gives it; "" when unknown. Borrowed. */
const char *lxkns_task_name(const struct lxkns_task *task);
/* The thread's start time in clock ticks since boot. */
uint64_t lxkns_task_starttime(const struct lxkns_task *task);
/* The thread's v1 cpu controller path, else its v2 path; "" when unknown.
 * Borrowed. */
const char *lxkns_task_cpu_cgroup(const struct lxkns_task *task);
/* The thread's v1 freezer controller path, else its v2 path; "" when
 * unknown. Borrowed. */
const char *lxkns_task_freezer_cgroup(const struct lxkns_task *task);
/* Whether the thread's cgroup is frozen; false when unknown. */
bool lxkns_task_frozen(const struct lxkns_task *task);
/* The number of ranges of CPUs the thread may run on (0 unless task
 * affinity was asked). */
size_t lxkns_task_affinity_count(const struct lxkns_task *task);
/* The index-th CPU affinity range of the thread, from and to inclusive:
 * true, or false when index is out of range. ret_from and ret_to may be NULL. */
bool lxkns_task_affinity_at(const struct lxkns_task *task, size_t index, unsigned *ret_from,
			    unsigned *ret_to);
/* The thread's scheduling policy (SCHED_OTHER 0, SCHED_FIFO 1, ...). */
int lxkns_task_policy(const struct lxkns_task *task);
/* The thread's real-time priority (1..99 for SCHED_FIFO/SCHED_RR, else 0). */
int lxkns_task_priority(const struct lxkns_task *task);
/* The thread's nice value, -20..19. */
int lxkns_task_nice(const struct lxkns_task *task);
/* The namespace of a type the thread is attached to, NULL when it could not
 * be read or type is invalid. Borrowed. */
const struct lxkns_namespace *lxkns_task_namespace(const struct lxkns_task *task,
						   enum lxkns_ns_type type);

#ifdef __cplusplus
}
#endif
#endif
