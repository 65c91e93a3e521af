/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsfs.h: the relations of one namespace, given as an open fd or a path
 * (/proc/PID/ns/net, a bind mount of one, /proc/PID/fd/N): its type, its
 * owning user namespace, its parent, and a user namespace's owner UID
 * (the nsfs ioctls NS_GET_NSTYPE, NS_GET_USERNS, NS_GET_PARENT,
 * NS_GET_OWNER_UID; what linuxns_rel offers in Python). No discovery.
 *
 * Errors, for all of them (returned as -errno):
 *   ENOTTY   the fd or path is not a namespace (checked with fstatfs before
 *            any ioctl, so no other file ever receives one)
 *   EPERM    the owner or parent lies outside the caller's user namespace
 *            (or is the top of the hierarchy: the initial namespace)
 *   EINVAL   parent of a type without hierarchy (only user and pid have
 *            one); owner UID of a namespace that is not a user namespace;
 *            flags other than AT_EMPTY_PATH
 *   EBADF    not an open fd
 *   ENOENT, EACCES, ELOOP, ... from opening the path
 *   EOPNOTSUPP  the kernel reports a type this library does not know
 * The *_at() variants take openat()'s dirfd and path (AT_FDCWD for the
 * current directory); with AT_EMPTY_PATH and path "" (or NULL) they work on
 * dirfd itself. The fd variants accept O_PATH fds too. Returned fds are
 * O_CLOEXEC; the caller closes them.
 */
#ifndef LXKNS_NSFS_H
#define LXKNS_NSFS_H

#include <sys/types.h>

#include <lxkns/species.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The type of the namespace behind fd (NS_GET_NSTYPE): LXKNS_NS_MNT ...
 * LXKNS_NS_TIME (lxkns_ns_type_clone_flag() gives its CLONE_NEW* flag), or
 * -errno. */
int lxkns_nsfs_type(int fd);

/* The type of the namespace at dirfd/path (see the top of this file), or
 * -errno. */
int lxkns_nsfs_type_at(int dirfd, const char *path, int flags);

/* A new fd of the user namespace owning the namespace behind fd
 * (NS_GET_USERNS; a user namespace's owner is its parent), or -errno:
 * -EPERM when the owner is outside the caller's user namespace. */
int lxkns_nsfs_userns(int fd);

/* A new fd of the user namespace owning the namespace at dirfd/path, or
 * -errno (see lxkns_nsfs_userns()). */
int lxkns_nsfs_userns_at(int dirfd, const char *path, int flags);

/* A new fd of the parent of the user or PID namespace behind fd
 * (NS_GET_PARENT), or -errno: -EPERM at the top (the initial namespace) or
 * when the parent is outside the caller's scope, -EINVAL for the other
 * types. */
int lxkns_nsfs_parent(int fd);

/* A new fd of the parent of the user or PID namespace at dirfd/path, or
 * -errno (see lxkns_nsfs_parent()). */
int lxkns_nsfs_parent_at(int dirfd, const char *path, int flags);

/* The UID of the creator of the user namespace behind fd, in the caller's
 * user namespace (NS_GET_OWNER_UID; the overflow UID 65534 when unmapped),
 * in *ret_uid. Returns 0, or -errno: -EINVAL when it is not a user
 * namespace. */
int lxkns_nsfs_owner_uid(int fd, uid_t *ret_uid);

/* The owner UID of the user namespace at dirfd/path in *ret_uid: 0 or
 * -errno (see lxkns_nsfs_owner_uid()). */
int lxkns_nsfs_owner_uid_at(int dirfd, const char *path, int flags, uid_t *ret_uid);

#ifdef __cplusplus
}
#endif
#endif
