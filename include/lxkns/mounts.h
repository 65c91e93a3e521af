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
void lxkns_mount_table_free(struct lxkns_mount_table *table);

/* Mounts in mountinfo order. */
size_t lxkns_mount_table_count(const struct lxkns_mount_table *table);
const struct lxkns_mount *lxkns_mount_table_at(const struct lxkns_mount_table *table, size_t index);
/* The root of the mount tree (the mount whose parent is not in the table). */
const struct lxkns_mount *lxkns_mount_table_root(const struct lxkns_mount_table *table);
const struct lxkns_mount *lxkns_mount_table_by_id(const struct lxkns_mount_table *table,
						  uint64_t mount_id);

/* Paths that have mounts, sorted; index 0 is "/" when there is one. */
size_t lxkns_mount_table_path_count(const struct lxkns_mount_table *table);
const struct lxkns_mount_path *lxkns_mount_table_path_at(const struct lxkns_mount_table *table,
							 size_t index);

uint64_t lxkns_mount_id(const struct lxkns_mount *m);
uint64_t lxkns_mount_parent_id(const struct lxkns_mount *m);
const struct lxkns_mount *lxkns_mount_parent(const struct lxkns_mount *m);
size_t lxkns_mount_child_count(const struct lxkns_mount *m);
const struct lxkns_mount *lxkns_mount_child_at(const struct lxkns_mount *m, size_t index);
unsigned lxkns_mount_major(const struct lxkns_mount *m);
unsigned lxkns_mount_minor(const struct lxkns_mount *m);
/* Octal escapes (\040 ...) are decoded in root, mount point and source. */
const char *lxkns_mount_root(const struct lxkns_mount *m);
const char *lxkns_mount_point(const struct lxkns_mount *m);
const char *lxkns_mount_options(const struct lxkns_mount *m); /* "rw,relatime" */
const char *lxkns_mount_fstype(const struct lxkns_mount *m);
const char *lxkns_mount_source(const struct lxkns_mount *m);
const char *lxkns_mount_superoptions(const struct lxkns_mount *m);
/* Optional fields: the value of "shared", "master", "propagate_from",
 * "unbindable" ("" for flags), or NULL when absent. */
const char *lxkns_mount_tag(const struct lxkns_mount *m, const char *name);
size_t lxkns_mount_tag_count(const struct lxkns_mount *m);
/* The i-th tag as name and value. */
const char *lxkns_mount_tag_at(const struct lxkns_mount *m, size_t index, const char **ret_value);
bool lxkns_mount_hidden(const struct lxkns_mount *m);

const char *lxkns_mount_path_path(const struct lxkns_mount_path *p);
/* Unique per mount namespace, from 1; 0 for "no parent". */
unsigned lxkns_mount_path_id(const struct lxkns_mount_path *p);
const struct lxkns_mount_path *lxkns_mount_path_parent(const struct lxkns_mount_path *p);
/* The mounts at this path, bottom first (in mount tree order). */
size_t lxkns_mount_path_mount_count(const struct lxkns_mount_path *p);
const struct lxkns_mount *lxkns_mount_path_mount_at(const struct lxkns_mount_path *p,
						    size_t index);

#ifdef __cplusplus
}
#endif
#endif
