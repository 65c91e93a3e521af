/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mounts-internal.h: the layout of mount tables (see include/lxkns/mounts.h)
 * and their construction, shared by discovery and the JSON reader.
 */
#ifndef LXKNS_MOUNTS_INTERNAL_H
#define LXKNS_MOUNTS_INTERNAL_H

#include "lxkns-internal.h"
#include "strintern.h"
#include "lxkns/mounts.h"

struct mount_tag {
	const char *name, *value;
};

struct lxkns_mount {
	uint64_t id, parent_id;
	unsigned major, minor;
	const char *root, *mountpoint, *options, *fstype, *source, *superoptions;
	struct mount_tag *tags;
	size_t tag_count;
	bool hidden;
	struct lxkns_mount *parent;
	struct lxkns_mount **children;
	size_t child_count;
	struct lxkns_mount_path *path;
};

struct lxkns_mount_path {
	const char *path;
	unsigned id;
	struct lxkns_mount_path *parent;
	struct lxkns_mount **mounts;
	size_t count;
};

struct lxkns_mount_table {
	struct lxkns_mount *mounts;
	size_t count;
	struct lxkns_mount *root;
	struct lxkns_mount_path **paths; /* sorted by path */
	size_t path_count;
	struct u64map by_id;	 /* mount ID + 1 -> mount */
	struct arena *own_arena; /* stand-alone tables only */
};

/* Parses mountinfo text into a new table allocated from a; its strings are
 * interned in si when given (si's arena must be a). Malformed lines are
 * skipped and counted in *ret_bad, or rejected when ret_bad is NULL. */
HIDDEN int mount_table_parse(struct arena *a, struct strintern *si, const char *text, size_t len,
			     size_t *ret_bad, struct lxkns_mount_table **ret);
/* Links t->mounts[0..count) into the trees; computes hidden unless the
 * flags came with the data (JSON). */
HIDDEN int mount_table_link(struct arena *a, struct lxkns_mount_table *t, bool compute_hidden);
/* Frees what is not in the arena. */
HIDDEN void mount_table_release(struct lxkns_mount_table *t);

#endif
