/* SPDX-License-Identifier: Apache-2.0 */
/*
 * species.h: the vocabulary of Linux-kernel namespaces: the 8 types, their
 * names and CLONE_NEW* flags, and namespace identifiers (nsfs dev + inode),
 * including the textual "net:[4026531840]" form users type and tools print.
 */
#ifndef LXKNS_SPECIES_H
#define LXKNS_SPECIES_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Namespace types, in the order Go lxkns uses for a process's "namespaces"
 * object (mnt, cgroup, uts, ipc, user, pid, net, time).
 */
enum lxkns_ns_type {
	LXKNS_NS_MNT,
	LXKNS_NS_CGROUP,
	LXKNS_NS_UTS,
	LXKNS_NS_IPC,
	LXKNS_NS_USER,
	LXKNS_NS_PID,
	LXKNS_NS_NET,
	LXKNS_NS_TIME,
	_LXKNS_NS_TYPE_MAX,
	_LXKNS_NS_TYPE_INVALID = -1,
};

/* A bit mask of namespace types: bit (1u << type). 0 means "all types". */
#define LXKNS_NS_TYPE_BIT(t) (1u << (unsigned)(t))
#define LXKNS_NS_TYPE_ALL ((1u << _LXKNS_NS_TYPE_MAX) - 1u)

/* A namespace identity: the device and inode number of its nsfs inode. */
struct lxkns_nsid {
	uint64_t dev;
	uint64_t ino;
};

/* "mnt", "cgroup", ...; NULL for an invalid type. */
const char *lxkns_ns_type_name(enum lxkns_ns_type type);

/* Parses a type name ("net"); returns the type or -EINVAL. */
int lxkns_ns_type_from_name(const char *name);

/* The CLONE_NEW* flag of a type, 0 for an invalid one. */
unsigned long lxkns_ns_type_clone_flag(enum lxkns_ns_type type);

/* The type of a single CLONE_NEW* flag, or -EINVAL. */
int lxkns_ns_type_from_clone_flag(unsigned long flag);

/* Go lxkns' filter letter of a type ('m', 'c', 'u', 'i', 'U', 'p', 'n',
 * 't'), as accepted by the tools' --filter and the service's types=; 0 for an
 * invalid type. */
char lxkns_ns_type_letter(enum lxkns_ns_type type);

/* The type of a filter letter ('U'), or -EINVAL. */
int lxkns_ns_type_from_letter(char letter);

/*
 * Parses a namespace given by a user: "net:[4026531840]" (type and inode) or
 * a bare inode number "4026531840" (then *ret_type is _LXKNS_NS_TYPE_INVALID).
 * Returns 0 or -EINVAL for anything else (trailing garbage, overflow, an
 * unknown type, inode 0).
 */
int lxkns_nsid_parse(const char *text, int *ret_type, uint64_t *ret_ino);

#ifdef __cplusplus
}
#endif
#endif
