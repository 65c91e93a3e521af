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

struct lxkns_result *lxkns_result_ref(struct lxkns_result *result);
/* Drops a reference; frees on the last one. Accepts NULL, returns NULL. */
struct lxkns_result *lxkns_result_unref(struct lxkns_result *result);

/* The options the result was discovered with (or read back with). */
const struct lxkns_discover_opts *lxkns_result_options(const struct lxkns_result *result);

/* Namespaces of one type, sorted by inode number. */
size_t lxkns_result_namespace_count(const struct lxkns_result *result, enum lxkns_ns_type type);
const struct lxkns_namespace *lxkns_result_namespace_at(const struct lxkns_result *result,
							enum lxkns_ns_type type, size_t index);
/* Looks a namespace up by inode; type may be _LXKNS_NS_TYPE_INVALID for
 * "any type" (inodes are unique within nsfs). NULL when unknown. */
const struct lxkns_namespace *lxkns_result_namespace_by_ino(const struct lxkns_result *result,
							    int type, uint64_t ino);

/* The initial namespace of a type (the one of PID 1, else kthreadd), or
 * NULL when it could not be determined. */
const struct lxkns_namespace *lxkns_result_initial_namespace(const struct lxkns_result *result,
							     enum lxkns_ns_type type);

/* Roots of the user and PID hierarchies (namespaces without a parent);
 * several when privileges are missing. type is LXKNS_NS_USER or _PID. */
size_t lxkns_result_root_count(const struct lxkns_result *result, enum lxkns_ns_type type);
const struct lxkns_namespace *lxkns_result_root_at(const struct lxkns_result *result,
						   enum lxkns_ns_type type, size_t index);

/* Processes, sorted by PID. */
size_t lxkns_result_process_count(const struct lxkns_result *result);
const struct lxkns_process *lxkns_result_process_at(const struct lxkns_result *result,
						    size_t index);
const struct lxkns_process *lxkns_result_process_by_pid(const struct lxkns_result *result,
							pid_t pid);

/* The online CPUs as ranges: count, and the index-th (from, to). */
size_t lxkns_result_cpus_online_count(const struct lxkns_result *result);
bool lxkns_result_cpus_online_at(const struct lxkns_result *result, size_t index, unsigned *ret_from,
				 unsigned *ret_to);

/* ---- diagnostics ----------------------------------------------------- */

/* Something the discovery could not see, and why. */
struct lxkns_diagnostic {
	pid_t pid;	     /* the process concerned, 0 for none */
	int err;	     /* positive errno, 0 for a note */
	const char *what;    /* what was being read: "ns/net", "status", ... */
	const char *message; /* one line for people */
};

size_t lxkns_result_diagnostic_count(const struct lxkns_result *result);
const struct lxkns_diagnostic *lxkns_result_diagnostic_at(const struct lxkns_result *result,
							  size_t index);

/* ---- namespaces ------------------------------------------------------ */

struct lxkns_nsid lxkns_namespace_id(const struct lxkns_namespace *ns);
enum lxkns_ns_type lxkns_namespace_type(const struct lxkns_namespace *ns);

/* The reference: one path (/proc/PID/ns/T, /proc/PID/fd/N, /proc/TID/ns/T),
 * or a chain for bind mounts (element 0 in the initial context, each next
 * one inside the mount namespace named before it). 0 elements: hidden. */
size_t lxkns_namespace_ref_count(const struct lxkns_namespace *ns);
const char *lxkns_namespace_ref_at(const struct lxkns_namespace *ns, size_t index);
/* Only reachable as a parent or owner: no process, fd or mount of its own. */
bool lxkns_namespace_is_hidden(const struct lxkns_namespace *ns);

/* Topmost processes attached to the namespace, sorted by PID. */
size_t lxkns_namespace_leader_count(const struct lxkns_namespace *ns);
const struct lxkns_process *lxkns_namespace_leader_at(const struct lxkns_namespace *ns,
						      size_t index);
/* The most senior leader (earliest start, then lowest PID), or NULL. */
const struct lxkns_process *lxkns_namespace_ealdorman(const struct lxkns_namespace *ns);

/* Threads attached to this namespace while their process is not. */
size_t lxkns_namespace_loose_thread_count(const struct lxkns_namespace *ns);
const struct lxkns_task *lxkns_namespace_loose_thread_at(const struct lxkns_namespace *ns,
							 size_t index);

/* The owning user namespace; NULL for user namespaces (see parent). */
const struct lxkns_namespace *lxkns_namespace_owner(const struct lxkns_namespace *ns);
/* Hierarchy (user and pid only): parent or NULL, children by inode. */
const struct lxkns_namespace *lxkns_namespace_parent(const struct lxkns_namespace *ns);
size_t lxkns_namespace_child_count(const struct lxkns_namespace *ns);
const struct lxkns_namespace *lxkns_namespace_child_at(const struct lxkns_namespace *ns,
						       size_t index);

/* User namespaces only: the owner UID (0 and false when unknown), the
 * owner's user name ("" when unknown), and the owned non-user namespaces of
 * a type, by inode. */
bool lxkns_namespace_owner_uid(const struct lxkns_namespace *ns, uid_t *ret_uid);
const char *lxkns_namespace_user_name(const struct lxkns_namespace *ns);
size_t lxkns_namespace_owned_count(const struct lxkns_namespace *ns, enum lxkns_ns_type type);
const struct lxkns_namespace *lxkns_namespace_owned_at(const struct lxkns_namespace *ns,
						       enum lxkns_ns_type type, size_t index);

/* ---- processes and tasks --------------------------------------------- */

pid_t lxkns_process_pid(const struct lxkns_process *proc);
pid_t lxkns_process_ppid(const struct lxkns_process *proc);
/* comm, as the kernel gives it (may contain spaces, parentheses, newlines). */
const char *lxkns_process_name(const struct lxkns_process *proc);
size_t lxkns_process_cmdline_count(const struct lxkns_process *proc);
/* Argument index (O(index): walk the arguments in order where it matters). */
const char *lxkns_process_cmdline_at(const struct lxkns_process *proc, size_t index);
/* Start time in clock ticks since boot. */
uint64_t lxkns_process_starttime(const struct lxkns_process *proc);
/* v1 cpu controller path, else the v2 path; "" when unknown. */
const char *lxkns_process_cpu_cgroup(const struct lxkns_process *proc);
/* v1 freezer controller path, else the v2 path; "" when unknown. */
const char *lxkns_process_freezer_cgroup(const struct lxkns_process *proc);
bool lxkns_process_frozen(const struct lxkns_process *proc);
/* CPU affinity as ranges (leaders only, unless task affinity was asked). */
size_t lxkns_process_affinity_count(const struct lxkns_process *proc);
bool lxkns_process_affinity_at(const struct lxkns_process *proc, size_t index, unsigned *ret_from,
			       unsigned *ret_to);
int lxkns_process_policy(const struct lxkns_process *proc);
int lxkns_process_priority(const struct lxkns_process *proc);
int lxkns_process_nice(const struct lxkns_process *proc);
/* The namespace of a type, NULL when it could not be read. */
const struct lxkns_namespace *lxkns_process_namespace(const struct lxkns_process *proc,
						      enum lxkns_ns_type type);
/* The parent process (NULL for PID 0 parents or when not in the table). */
const struct lxkns_process *lxkns_process_parent(const struct lxkns_process *proc);
size_t lxkns_process_child_count(const struct lxkns_process *proc);
const struct lxkns_process *lxkns_process_child_at(const struct lxkns_process *proc, size_t index);
/* PIDs from NSpid:, outermost (this PID namespace's view) first. */
size_t lxkns_process_nspid_count(const struct lxkns_process *proc);
pid_t lxkns_process_nspid_at(const struct lxkns_process *proc, size_t index);
/* All tasks including the main one (TID == PID), by TID; only when tasks
 * were scanned. */
size_t lxkns_process_task_count(const struct lxkns_process *proc);
const struct lxkns_task *lxkns_process_task_at(const struct lxkns_process *proc, size_t index);

pid_t lxkns_task_tid(const struct lxkns_task *task);
const struct lxkns_process *lxkns_task_process(const struct lxkns_task *task);
const char *lxkns_task_name(const struct lxkns_task *task);
uint64_t lxkns_task_starttime(const struct lxkns_task *task);
const char *lxkns_task_cpu_cgroup(const struct lxkns_task *task);
const char *lxkns_task_freezer_cgroup(const struct lxkns_task *task);
bool lxkns_task_frozen(const struct lxkns_task *task);
size_t lxkns_task_affinity_count(const struct lxkns_task *task);
bool lxkns_task_affinity_at(const struct lxkns_task *task, size_t index, unsigned *ret_from,
			    unsigned *ret_to);
int lxkns_task_policy(const struct lxkns_task *task);
int lxkns_task_priority(const struct lxkns_task *task);
int lxkns_task_nice(const struct lxkns_task *task);
const struct lxkns_namespace *lxkns_task_namespace(const struct lxkns_task *task,
						   enum lxkns_ns_type type);

#ifdef __cplusplus
}
#endif
#endif
