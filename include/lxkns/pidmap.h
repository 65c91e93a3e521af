/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pidmap.h: PIDs across PID namespaces. Each process (and task) has a PID in
 * its own PID namespace and in every ancestor up to the one the discovery
 * ran in (NSpid in /proc/PID/status). Zipped with the PID namespace
 * hierarchy, this translates PIDs between PID namespaces. Without NSpid
 * (kernels < 4.1, WSL1) or without hierarchy, there is nothing to translate:
 * the functions return 0, never crash.
 */
#ifndef LXKNS_PIDMAP_H
#define LXKNS_PIDMAP_H

#include <stddef.h>
#include <sys/types.h>

#include <lxkns/model.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Translates pid, as seen in PID namespace from, into PID namespace to.
 * Returns the PID, or 0 when the process is unknown in from or invisible
 * in to (to is not from's ancestor or descendant along its chain). */
pid_t lxkns_result_translate_pid(const struct lxkns_result *result, pid_t pid,
				 const struct lxkns_namespace *from,
				 const struct lxkns_namespace *to);

/* The process (or the process of the task) with pid as seen in PID namespace
 * pidns, or NULL. */
const struct lxkns_process *lxkns_result_process_by_nspid(const struct lxkns_result *result,
							  pid_t pid,
							  const struct lxkns_namespace *pidns);

/* The number of a process's PIDs whose PID namespace is known: NSpid
 * levels, as far as its PID namespace's chain of parents reaches (0 without
 * NSpid or without the process's PID namespace). */
size_t lxkns_process_namespaced_pid_count(const struct lxkns_process *proc);
/* The index-th of a process's PIDs, from the outermost known PID namespace
 * (index 0) down to its own; *ret_pidns (may be NULL) receives that PID
 * namespace (borrowed). 0 when index is out of range (then *ret_pidns is
 * left alone). */
pid_t lxkns_process_namespaced_pid_at(const struct lxkns_process *proc, size_t index,
				      const struct lxkns_namespace **ret_pidns);

#ifdef __cplusplus
}
#endif
#endif
