/* SPDX-License-Identifier: Apache-2.0 */
/*
 * species-internal.h: the facts of the namespace-type table (species.c) that
 * only the library needs; the public ones are in include/lxkns/species.h.
 */
#ifndef LXKNS_SPECIES_INTERNAL_H
#define LXKNS_SPECIES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "lxkns/species.h"

#ifndef HIDDEN
#define HIDDEN __attribute__((visibility("hidden")))
#endif

/* The type named by the len bytes at name ("net"), or -EINVAL. */
HIDDEN int species_from_name_n(const char *name, size_t len);

/* strlen(lxkns_ns_type_name(type)), 0 for an invalid type. */
HIDDEN size_t species_name_len(enum lxkns_ns_type type);

/* "ns/net": the entry below /proc/PID/ (or a task's directory); NULL for an
 * invalid type. */
HIDDEN const char *species_ns_entry(enum lxkns_ns_type type);

/* Whether NS_GET_PARENT applies: the type forms a tree (user, pid). */
HIDDEN bool species_hierarchical(enum lxkns_ns_type type);

/* The slot in struct lxkns_process's for_children[] of the type's
 * NAME_for_children entry (pid, time), or -1 when it has none. */
HIDDEN int species_children_slot(enum lxkns_ns_type type);

/* "pid_for_children" (below /proc/PID/ns/), NULL when the type has none. */
HIDDEN const char *species_children_name(enum lxkns_ns_type type);

/* "ns/pid_for_children" (below /proc/PID/), NULL when the type has none. */
HIDDEN const char *species_children_entry(enum lxkns_ns_type type);

/* The i-th type in the order of their CLONE_NEW* flags (smallest first), or
 * _LXKNS_NS_TYPE_INVALID past the last. */
HIDDEN enum lxkns_ns_type species_clone_order(int i);

#endif
