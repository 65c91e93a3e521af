/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mounttable.c: mount tables: built from mountinfo text (or filled in by the
 * JSON reader), then linked into the mount tree and the path tree, and their
 * visibility computed. All nodes and strings live in an arena (the result's,
 * or the table's own for stand-alone tables).
 *
 * Visibility follows path resolution: the mount seen at a path is the top of
 * the stack of mounts there, reached through visible mounts only. A mount is
 * hidden when a child is mounted on its very mount point (in-place
 * overmount), when a sibling is mounted on a directory above its mount point
 * (after it, or it would be that sibling's child), or when the mount it sits
 * on cannot be reached. The overmounting child stays visible.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "mounts/mounts-internal.h"
#include "procfs/parse.h"
#include "strutil.h"

/* A copy of s: shared with equal ones when interning. */
static const char *dup_n(struct arena *a, struct strintern *si, const char *s, size_t len)
{
	return si ? strintern_get(si, s, len) : arena_strndup(a, s, len);
}

static const char *span_dup(struct arena *a, struct strintern *si, struct span s)
{
	return dup_n(a, si, s.p ? s.p : "", s.p ? s.len : 0);
}

static int parse_tags(struct arena *a, struct strintern *si, struct span opt, struct lxkns_mount *m)
{
	const char *p = opt.p, *end = opt.p + opt.len;
	size_t n = 0;

	for (const char *q = p; q < end; q++)
		if (*q == ' ')
			n++;
	if (opt.len)
		n++;
	if (!n)
		return 0;
	m->tags = arena_alloc(a, n * sizeof(*m->tags));
	if (!m->tags)
		return -ENOMEM;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *e = sp ? sp : end;
		if (e > p) {
			const char *colon = memchr(p, ':', (size_t)(e - p));
			struct mount_tag *t = &m->tags[m->tag_count];
			t->name = dup_n(a, si, p, colon ? (size_t)(colon - p) : (size_t)(e - p));
			t->value = colon ? dup_n(a, si, colon + 1, (size_t)(e - colon - 1))
					 : dup_n(a, si, "", 0);
			if (!t->name || !t->value)
				return -ENOMEM;
			m->tag_count++;
		}
		p = e + 1;
	}
	return 0;
}

/* From the third field on ("major:minor root mountpoint ..."), a mountinfo
 * line says everything but the mount's and its parent's IDs. */
static bool split_ids(const char *line, size_t len, struct span *ids, struct span *rest)
{
	const char *sp1 = memchr(line, ' ', len);
	const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line + len - sp1 - 1)) : NULL;
	if (!sp2)
		return false;
	ids[0] = (struct span){ line, (size_t)(sp1 - line) };
	ids[1] = (struct span){ sp1 + 1, (size_t)(sp2 - sp1 - 1) };
	*rest = (struct span){ sp2 + 1, (size_t)(line + len - sp2 - 1) };
	return true;
}

/* A line whose rest was seen before, in this table or an earlier one of the
 * same discovery: mount namespaces made by copying (unshare, container
 * runtimes, systemd's sandboxing) repeat the mounts of their origin under
 * new IDs. Such a mount takes over the parsed strings and tags of the first
 * one (kept in the interner's value slot of the rest); only the IDs are
 * parsed. Returns 1 when m was filled so, 0 when the line must be parsed,
 * or -ENOMEM. */
static int parse_known_line(struct strintern *si, const struct span ids[2], struct span rest,
			    struct lxkns_mount *m)
{
	void **slot;

	if (!strintern_get_slot(si, rest.p, rest.len, &slot))
		return -ENOMEM;
	const struct lxkns_mount *known = *slot;
	if (!known || safe_atou64_n(ids[0].p, ids[0].len, &m->id) < 0 ||
	    safe_atou64_n(ids[1].p, ids[1].len, &m->parent_id) < 0)
		return 0;
	m->major = known->major;
	m->minor = known->minor;
	m->root = known->root;
	m->mountpoint = known->mountpoint;
	m->options = known->options;
	m->fstype = known->fstype;
	m->source = known->source;
	m->superoptions = known->superoptions;
	m->tags = known->tags; /* shared: tags are not changed after parsing */
	m->tag_count = known->tag_count;
	return 1;
}

/* Makes m the mount that later lines with the same rest take over. (Looked
 * up again: parsing m interned strings, which may have moved the slot.) */
static int remember_line(struct strintern *si, struct span rest, const struct lxkns_mount *m)
{
	void **slot;

	if (!strintern_get_slot(si, rest.p, rest.len, &slot))
		return -ENOMEM;
	if (!*slot)
		*slot = (void *)m;
	return 0;
}

int mount_table_parse(struct arena *a, struct strintern *si, const char *text, size_t len,
		      size_t *ret_bad, struct lxkns_mount_table **ret)
{
	struct lxkns_mount_table *t;
	_cleanup_free_ char *decode = NULL;
	size_t lines = 0, maxlen = 0;
	const char *p, *end = text + len;

	for (p = text; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);
		if (l > maxlen)
			maxlen = l;
		lines++;
		p += l + 1;
	}
	t = arena_alloc(a, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->mounts = arena_alloc(a, (lines ? lines : 1) * sizeof(*t->mounts));
	decode = malloc(maxlen + 1);
	if (!t->mounts || !decode)
		return -ENOMEM;
	for (p = text; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);
		struct mountinfo_entry e;
		struct span ids[2], rest = { NULL, 0 };
		const char *line = p;
		p += l + 1;
		if (l == 0)
			continue;
		if (si && split_ids(line, l, ids, &rest)) {
			int r = parse_known_line(si, ids, rest, &t->mounts[t->count]);
			if (r < 0)
				return r;
			if (r > 0) {
				t->count++;
				continue;
			}
		}
		if (parse_mountinfo_line(line, l, decode, &e) < 0) {
			if (!ret_bad)
				return -EBADMSG;
			(*ret_bad)++;
			continue;
		}
		struct lxkns_mount *m = &t->mounts[t->count];
		m->id = e.mount_id;
		m->parent_id = e.parent_id;
		m->major = e.major;
		m->minor = e.minor;
		m->root = span_dup(a, si, e.root);
		m->mountpoint = span_dup(a, si, e.mountpoint);
		m->options = span_dup(a, si, e.options);
		m->fstype = span_dup(a, si, e.fstype);
		m->source = span_dup(a, si, e.source);
		m->superoptions = span_dup(a, si, e.superoptions);
		if (!m->root || !m->mountpoint || !m->options || !m->fstype || !m->source ||
		    !m->superoptions || parse_tags(a, si, e.optional, m) < 0)
			return -ENOMEM;
		if (rest.p && remember_line(si, rest, m) < 0)
			return -ENOMEM;
		t->count++;
	}
	int r = mount_table_link(a, t, true);
	if (r < 0) {
		mount_table_release(t);
		return r;
	}
	*ret = t;
	return 0;
}

/* Equal strings: interned ones are the same pointer. */
static inline bool same_str(const char *a, const char *b)
{
	return a == b || strcmp(a, b) == 0;
}

/* Among the children of one parent: is c below a sibling's mount point?
 * The mount points above c's are its path's ancestors in the path tree, so
 * only the mounts at those few paths are candidates. */
static bool covered_by_sibling(const struct lxkns_mount *parent, const struct lxkns_mount *c)
{
	for (const struct lxkns_mount_path *pp = c->path->parent; pp; pp = pp->parent) {
		if (same_str(pp->path, parent->mountpoint))
			continue; /* mounts on the parent's own mount point overmount it */
		for (size_t i = 0; i < pp->count; i++)
			if (pp->mounts[i]->parent == parent)
				return true;
	}
	return false;
}

static void visit(struct lxkns_mount *m, bool reachable, int depth)
{
	bool topped = false;

	for (size_t i = 0; i < m->child_count; i++)
		topped |= same_str(m->children[i]->mountpoint, m->mountpoint);
	m->hidden = !reachable || topped;
	if (depth > 512)
		return;
	for (size_t i = 0; i < m->child_count; i++) {
		struct lxkns_mount *c = m->children[i];
		if (same_str(c->mountpoint, m->mountpoint))
			visit(c, reachable, depth + 1);
		else
			visit(c, reachable && !topped && !covered_by_sibling(m, c), depth + 1);
	}
}

/* How many mounts at the same mount point lie below m in the mount tree. */
static size_t stack_depth(const struct lxkns_mount *m)
{
	size_t d = 0;
	for (const struct lxkns_mount *p = m->parent; p && d < 4096; p = p->parent, d++)
		if (!same_str(p->mountpoint, m->mountpoint))
			break;
	return d;
}

/* Mounts by mount point, then table order. */
static int cmp_mount_path(const void *a, const void *b)
{
	const struct lxkns_mount *x = *(void *const *)a, *y = *(void *const *)b;
	if (x->mountpoint != y->mountpoint) {
		int c = strcmp(x->mountpoint, y->mountpoint);
		if (c)
			return c;
	}
	return (x > y) - (x < y);
}

static int cmp_path_node(const void *a, const void *b)
{
	const struct lxkns_mount_path *x = *(void *const *)a, *y = *(void *const *)b;
	return strcmp(x->path, y->path);
}

/* The path tree: one node per distinct mount point, sorted by path; each
 * node's mounts bottom of the stack first, and its parent the nearest
 * ancestor directory that has mounts. */
static int link_paths(struct arena *a, struct lxkns_mount_table *t)
{
	_cleanup_free_ struct lxkns_mount **by_path = malloc((t->count ? t->count : 1) *
							     sizeof(*by_path));
	if (!by_path)
		return -ENOMEM;
	for (size_t i = 0; i < t->count; i++)
		by_path[i] = &t->mounts[i];
	qsort(by_path, t->count, sizeof(*by_path), cmp_mount_path);
	size_t n = 0;
	for (size_t i = 0; i < t->count; i++)
		if (i == 0 || !same_str(by_path[i - 1]->mountpoint, by_path[i]->mountpoint))
			n++;
	t->paths = arena_alloc(a, (n ? n : 1) * sizeof(*t->paths));
	struct lxkns_mount_path *nodes = arena_alloc(a, (n ? n : 1) * sizeof(*nodes));
	if (!t->paths || !nodes)
		return -ENOMEM;
	/* each run of equal mount points is one node; within it, table order */
	for (size_t i = 0, k = 0; i < t->count; k++) {
		size_t j = i + 1;
		while (j < t->count && same_str(by_path[j]->mountpoint, by_path[i]->mountpoint))
			j++;
		struct lxkns_mount_path *pn = &nodes[k];
		pn->path = by_path[i]->mountpoint;
		pn->id = (unsigned)k + 1;
		pn->count = j - i;
		pn->mounts = arena_alloc(a, pn->count * sizeof(void *));
		if (!pn->mounts)
			return -ENOMEM;
		memcpy(pn->mounts, by_path + i, pn->count * sizeof(void *));
		for (size_t m = i; m < j; m++)
			by_path[m]->path = pn;
		t->paths[k] = pn;
		i = j;
	}
	t->path_count = n;
	/* a stack at one path, bottom first: by how many mounts of the same
	 * path are below each (propagation may tuck a newer mount beneath an
	 * older one, so neither mountinfo order nor IDs tell) */
	for (size_t i = 0; i < n; i++) {
		struct lxkns_mount_path *pn = t->paths[i];
		for (size_t k = 1; k < pn->count; k++) {
			struct lxkns_mount *m = pn->mounts[k];
			size_t dk = stack_depth(m);
			size_t j = k;
			while (j > 0 && stack_depth(pn->mounts[j - 1]) > dk) {
				pn->mounts[j] = pn->mounts[j - 1];
				j--;
			}
			pn->mounts[j] = m;
		}
	}
	/* the parent path: the nearest ancestor directory that has mounts */
	char small[256] = "";
	for (size_t i = 0; i < n; i++) {
		struct lxkns_mount_path *pn = t->paths[i];
		size_t len = strlen(pn->path);
		_cleanup_free_ char *big = len < sizeof(small) ? NULL : malloc(len + 1);
		char *buf = big ? big : small;
		if (len >= sizeof(small) && !big)
			return -ENOMEM;
		memcpy(buf, pn->path, len + 1);
		while (!pn->parent && len > 1) {
			while (len > 1 && buf[len - 1] != '/')
				len--;
			if (len > 1)
				len--; /* drop the '/' too, except for the root */
			buf[len] = 0;
			struct lxkns_mount_path key = { .path = buf }, *kp = &key;
			struct lxkns_mount_path **hit = bsearch(&kp, t->paths, i, sizeof(*t->paths),
								cmp_path_node);
			if (hit && *hit != pn)
				pn->parent = *hit;
		}
	}
	return 0;
}

int mount_table_link(struct arena *a, struct lxkns_mount_table *t, bool compute_hidden)
{
	/* the mount tree */
	for (size_t i = 0; i < t->count; i++)
		if (u64map_put(&t->by_id, t->mounts[i].id + 1, &t->mounts[i]) < 0)
			return -ENOMEM;
	size_t *nchild = calloc(t->count + 1, sizeof(size_t));
	if (!nchild)
		return -ENOMEM;
	for (size_t i = 0; i < t->count; i++) {
		struct lxkns_mount *m = &t->mounts[i];
		m->parent = m->parent_id != m->id ? u64map_get(&t->by_id, m->parent_id + 1) : NULL;
		if (m->parent)
			nchild[m->parent - t->mounts]++;
		else if (!t->root)
			t->root = m;
	}
	for (size_t i = 0; i < t->count; i++) {
		t->mounts[i].children = nchild[i] ? arena_alloc(a, nchild[i] * sizeof(void *))
						  : NULL;
		if (nchild[i] && !t->mounts[i].children) {
			free(nchild);
			return -ENOMEM;
		}
	}
	free(nchild);
	for (size_t i = 0; i < t->count; i++) {
		struct lxkns_mount *m = &t->mounts[i];
		if (m->parent)
			m->parent->children[m->parent->child_count++] = m;
	}
	int r = link_paths(a, t);
	if (r < 0)
		return r;
	/* visibility needs the path tree (for the mount points above each) */
	if (compute_hidden)
		for (size_t i = 0; i < t->count; i++)
			if (!t->mounts[i].parent)
				visit(&t->mounts[i], true, 0);
	return 0;
}

void mount_table_release(struct lxkns_mount_table *t)
{
	if (t)
		u64map_free(&t->by_id);
}

int lxkns_mount_table_parse(const char *text, size_t len, struct lxkns_mount_table **ret)
{
	struct arena a = { 0 };
	struct lxkns_mount_table *t = NULL;
	int r;

	if (!text || !ret)
		return -EINVAL;
	r = mount_table_parse(&a, NULL, text, len, NULL, &t);
	if (r < 0) {
		arena_free(&a);
		return r;
	}
	/* the table owns its arena: move it into a block of its own */
	t->own_arena = malloc(sizeof(struct arena));
	if (!t->own_arena) {
		mount_table_release(t);
		arena_free(&a);
		return -ENOMEM;
	}
	*t->own_arena = a;
	*ret = t;
	return 0;
}

void lxkns_mount_table_free(struct lxkns_mount_table *t)
{
	if (!t || !t->own_arena)
		return;
	struct arena *a = t->own_arena;
	mount_table_release(t);
	arena_free(a); /* t itself lives in it */
	free(a);
}
