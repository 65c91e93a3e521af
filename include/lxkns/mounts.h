/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mounts.h: the mount points of a mount namespace, from its mountinfo: the
 * mount tree (by mount ID), the path tree (one node per path that has
 * mounts, linked to the nearest ancestor path that has one), propagation
 * tags, and visibility: a mount hidden by an in-place overmount or by a
 * mount over a directory above it is marked hidden, with its subtree.
 */
#ifndef LXKNS_MOUNTS_H
#define LXKNS_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lxkns/model.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lxkns_mount_table;
struct lxkns_mount;
struct lxkns_mount_path;

/* The mount table of a mount namespace, or NULL when mounts were not
 * discovered (or the namespace could not be looked into). */
const struct lxkns_mount_table *lxkns_namespace_mounts(const struct lxkns_namespace *mntns);

/* Builds a stand-alone mount table from mountinfo text (for tools that read
 * a mountinfo file). 0 or -EBADMSG/-ENOMEM; free with lxkns_mount_table_free(). */
int lxkns_mount_table_parse(const char *mountinfo, size_t len, struct lxkns_mount_table **ret);
/* Frees a table from lxkns_mount_table_parse() and everything obtained from
 * it. NULL is fine; a table owned by a result (lxkns_namespace_mounts()) is
 * left alone (it goes with the result). */
void lxkns_mount_table_free(struct lxkns_mount_table *table);

/* The number of mounts in the table (0 for a NULL table). */
size_t lxkns_mount_table_count(const struct lxkns_mount_table *table);
/* The index-th mount, in mountinfo order, or NULL when index is out of
 * range. Borrowed from the table. */
const struct lxkns_mount *lxkns_mount_table_at(const struct lxkns_mount_table *table, size_t index);
/* The root of the mount tree (the mount whose parent is not in the table),
 * or NULL for an empty or NULL table. Borrowed. */
const struct lxkns_mount *lxkns_mount_table_root(const struct lxkns_mount_table *table);
/* The mount with a mount ID (mountinfo's first field), or NULL when the
 * table has none. Borrowed. */
const struct lxkns_mount *lxkns_mount_table_by_id(const struct lxkns_mount_table *table,
						  uint64_t mount_id);

/* The number of distinct mount points (paths that have mounts). */
size_t lxkns_mount_table_path_count(const struct lxkns_mount_table *table);
/* The index-th path that has mounts, sorted; index 0 is "/" when there is
 * one. NULL when index is out of range. Borrowed. */
const struct lxkns_mount_path *lxkns_mount_table_path_at(const struct lxkns_mount_table *table,
							 size_t index);

/* The mount ID (mountinfo field 1, unique within the mount namespace). */
uint64_t lxkns_mount_id(const struct lxkns_mount *m);
/* The parent's mount ID as mountinfo gives it (field 2); for the root mount
 * it names a mount outside the table, or the mount itself. */
uint64_t lxkns_mount_parent_id(const struct lxkns_mount *m);
/* The parent mount, or NULL when the parent is not in the table (the root).
 * Borrowed. */
const struct lxkns_mount *lxkns_mount_parent(const struct lxkns_mount *m);
/* The number of mounts whose parent this mount is. */
size_t lxkns_mount_child_count(const struct lxkns_mount *m);
/* The index-th child mount, in mountinfo order, or NULL when index is out
 * of range. Borrowed. */
const struct lxkns_mount *lxkns_mount_child_at(const struct lxkns_mount *m, size_t index);
/* The major number of the mounted file system's device (st_dev). */
unsigned lxkns_mount_major(const struct lxkns_mount *m);
/* The minor number of the mounted file system's device (st_dev). */
unsigned lxkns_mount_minor(const struct lxkns_mount *m);
/* The root of the mount within its file system ("/" for a whole file
 * system, a subdirectory for a bind mount). Octal escapes (\040 ...) are
 * decoded in root, mount point and source. Borrowed, never NULL. */
const char *lxkns_mount_root(const struct lxkns_mount *m);
/* The mount point, relative to the process's root (decoded). Borrowed. */
const char *lxkns_mount_point(const struct lxkns_mount *m);
/* The per-mount options (mountinfo field 6). Borrowed. */
const char *lxkns_mount_options(const struct lxkns_mount *m); /* "rw,relatime" */
/* The file system type, with its subtype ("fuse.sshfs"). Borrowed. */
const char *lxkns_mount_fstype(const struct lxkns_mount *m);
/* The file-system-specific source ("/dev/sda1", "tmpfs", "none"; decoded).
 * Borrowed. */
const char *lxkns_mount_source(const struct lxkns_mount *m);
/* The per-superblock options, e.g. "rw,size=1024k". Borrowed. */
const char *lxkns_mount_superoptions(const struct lxkns_mount *m);
/* Optional fields: the value of "shared", "master", "propagate_from",
 * "unbindable" ("" for flags), or NULL when absent. */
const char *lxkns_mount_tag(const struct lxkns_mount *m, const char *name);
/* The number of optional fields (propagation tags) of the mount. */
size_t lxkns_mount_tag_count(const struct lxkns_mount *m);
/* The index-th tag, in mountinfo order: returns its name and stores its
 * value ("" for flags) in *ret_value (may be NULL); NULL when index is out
 * of range. Borrowed. */
const char *lxkns_mount_tag_at(const struct lxkns_mount *m, size_t index, const char **ret_value);
/* Whether the mount is hidden: overmounted in place, below a sibling
 * mounted on a directory above its mount point, or on a hidden mount. */
bool lxkns_mount_hidden(const struct lxkns_mount *m);

/* The path (a mount point, decoded). Borrowed. */
const char *lxkns_mount_path_path(const struct lxkns_mount_path *p);
/* Unique per mount namespace, from 1; 0 for "no parent". */
unsigned lxkns_mount_path_id(const struct lxkns_mount_path *p);
/* The nearest ancestor path that has mounts, or NULL for the topmost one.
 * Borrowed. */
const struct lxkns_mount_path *lxkns_mount_path_parent(const struct lxkns_mount_path *p);
/* The number of mounts at this path (more than 1 when overmounted). */
size_t lxkns_mount_path_mount_count(const struct lxkns_mount_path *p);
/* The index-th mount at this path, bottom first (in mount tree order), or
 * NULL when index is out of range. Borrowed. */
const struct lxkns_mount *lxkns_mount_path_mount_at(const struct lxkns_mount_path *p, size_t index);

#ifdef __cplusplus
}
#endif
#endif
