/* SPDX-License-Identifier: Apache-2.0 */
/* mounts/accessors.c: the read-only public view of mount tables. */
#include <string.h>

#include "mounts/mounts-internal.h"

const struct lxkns_mount_table *lxkns_namespace_mounts(const struct lxkns_namespace *ns)
{
	return ns && ns->type == LXKNS_NS_MNT ? ns->mounts : NULL;
}

size_t lxkns_mount_table_count(const struct lxkns_mount_table *t)
{
	return t ? t->count : 0;
}

const struct lxkns_mount *lxkns_mount_table_at(const struct lxkns_mount_table *t, size_t i)
{
	return t && i < t->count ? &t->mounts[i] : NULL;
}

const struct lxkns_mount *lxkns_mount_table_root(const struct lxkns_mount_table *t)
{
	return t ? t->root : NULL;
}

const struct lxkns_mount *lxkns_mount_table_by_id(const struct lxkns_mount_table *t, uint64_t id)
{
	return t ? u64map_get(&t->by_id, id + 1) : NULL;
}

size_t lxkns_mount_table_path_count(const struct lxkns_mount_table *t)
{
	return t ? t->path_count : 0;
}

const struct lxkns_mount_path *lxkns_mount_table_path_at(const struct lxkns_mount_table *t,
							 size_t i)
{
	return t && i < t->path_count ? t->paths[i] : NULL;
}

uint64_t lxkns_mount_id(const struct lxkns_mount *m)
{
	return m->id;
}

uint64_t lxkns_mount_parent_id(const struct lxkns_mount *m)
{
	return m->parent_id;
}

const struct lxkns_mount *lxkns_mount_parent(const struct lxkns_mount *m)
{
	return m->parent;
}

size_t lxkns_mount_child_count(const struct lxkns_mount *m)
{
	return m->child_count;
}

const struct lxkns_mount *lxkns_mount_child_at(const struct lxkns_mount *m, size_t i)
{
	return i < m->child_count ? m->children[i] : NULL;
}

unsigned lxkns_mount_major(const struct lxkns_mount *m)
{
	return m->major;
}

unsigned lxkns_mount_minor(const struct lxkns_mount *m)
{
	return m->minor;
}

const char *lxkns_mount_root(const struct lxkns_mount *m)
{
	return m->root;
}

const char *lxkns_mount_point(const struct lxkns_mount *m)
{
	return m->mountpoint;
}

const char *lxkns_mount_options(const struct lxkns_mount *m)
{
	return m->options;
}

const char *lxkns_mount_fstype(const struct lxkns_mount *m)
{
	return m->fstype;
}

const char *lxkns_mount_source(const struct lxkns_mount *m)
{
	return m->source;
}

const char *lxkns_mount_superoptions(const struct lxkns_mount *m)
{
	return m->superoptions;
}

const char *lxkns_mount_tag(const struct lxkns_mount *m, const char *name)
{
	for (size_t i = 0; i < m->tag_count; i++)
		if (strcmp(m->tags[i].name, name) == 0)
			return m->tags[i].value;
	return NULL;
}

size_t lxkns_mount_tag_count(const struct lxkns_mount *m)
{
	return m->tag_count;
}

const char *lxkns_mount_tag_at(const struct lxkns_mount *m, size_t i, const char **ret_value)
{
	if (i >= m->tag_count)
		return NULL;
	if (ret_value)
		*ret_value = m->tags[i].value;
	return m->tags[i].name;
}

bool lxkns_mount_hidden(const struct lxkns_mount *m)
{
	return m->hidden;
}

const char *lxkns_mount_path_path(const struct lxkns_mount_path *p)
{
	return p->path;
}

unsigned lxkns_mount_path_id(const struct lxkns_mount_path *p)
{
	return p->id;
}

const struct lxkns_mount_path *lxkns_mount_path_parent(const struct lxkns_mount_path *p)
{
	return p->parent;
}

size_t lxkns_mount_path_mount_count(const struct lxkns_mount_path *p)
{
	return p->count;
}

const struct lxkns_mount *lxkns_mount_path_mount_at(const struct lxkns_mount_path *p, size_t i)
{
	return i < p->count ? p->mounts[i] : NULL;
}
