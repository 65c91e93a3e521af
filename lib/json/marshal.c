/* SPDX-License-Identifier: Apache-2.0 */
/*
 * marshal.c: a result as Go lxkns' DiscoveryResult document (the body of
 * GET /api/namespaces): top-level keys in alphabetical order, namespaces
 * keyed by inode, processes keyed by PID, and within each object the key
 * order Go emits (see ../../ARCHITECTURE.md, "Wire format").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containers-internal.h"
#include "lxkns-internal.h"
#include "mounts/mounts-internal.h"
#include "options-internal.h"
#include "species-internal.h"
#include "strutil.h"
#include "writer.h"

static void write_key_u64(struct jw *w, uint64_t v)
{
	char b[24];
	jw_key_plain(w, b, fmt_u64(b, v));
}

static void write_options(struct jw *w, const struct lxkns_discover_opts *o)
{
	const struct lxkns_discover_option *opt;
	unsigned mask = o->type_mask ? o->type_mask : LXKNS_NS_TYPE_ALL;

	JW_KEY(w, "discovery-options");
	jw_object_open(w);
	/* Go's key order (the option table's json ranks); from
	 * OPTIONS_JSON_OURS on ours, beyond lxkns: old clients ignore them */
	for (unsigned rank = 1; rank <= OPTIONS_JSON_RANK_MAX; rank++) {
		switch (rank) {
		case OPTIONS_JSON_SOCKET_PROCESSES:
			JW_KEY(w, "with-socket-processes");
			jw_bool(w, false);
			continue;
		case OPTIONS_JSON_LABELS:
			JW_KEY(w, "labels");
			jw_object_open(w);
			jw_object_close(w);
			continue;
		case OPTIONS_JSON_TYPES:
			/* in CLONE_NEW* bit order */
			JW_KEY(w, "scanned-namespace-types");
			jw_array_open(w);
			for (int i = 0; i < _LXKNS_NS_TYPE_MAX; i++)
				if (mask & LXKNS_NS_TYPE_BIT(species_clone_order(i)))
					jw_string(w, lxkns_ns_type_name(species_clone_order(i)));
			jw_array_close(w);
			continue;
		default:
			break;
		}
		opt = options_by_json_rank(rank);
		if (opt) {
			jw_key_plain(w, opt->json_key, strlen(opt->json_key));
			jw_bool(w, lxkns_discover_option_get(opt, o));
		}
	}
	jw_object_close(w);
}

/* "held-by" (ours): how a namespace is held when its reference does not
 * tell: a detached mount (open_tree), only the kernel's list, or a bind
 * mount in a mount namespace that has no path. */
static void write_held(struct jw *w, const struct ns_held *h)
{
	if (h->kind == NS_HELD_NONE)
		return;
	JW_KEY(w, "held-by");
	jw_object_open(w);
	JW_KEY(w, "kind");
	switch (h->kind) {
	case NS_HELD_DETACHED:
		jw_string(w, "detached-mount");
		JW_KEY(w, "pid");
		jw_i64(w, h->pid);
		JW_KEY(w, "fd");
		jw_i64(w, h->fd);
		break;
	case NS_HELD_KERNEL:
		jw_string(w, "kernel-list");
		JW_KEY(w, "via");
		jw_string(w, h->what ? h->what : "");
		break;
	case NS_HELD_BIND:
		jw_string(w, "bind-mount");
		JW_KEY(w, "mount-namespace");
		jw_u64(w, h->mntns);
		JW_KEY(w, "path");
		jw_string(w, h->what ? h->what : "");
		break;
	case NS_HELD_NONE:
		break;
	}
	jw_object_close(w);
}

/* typed_key: "TYPE:[inode]" for a second namespace of one inode (the
 * kernel reused it during the scan; ARCHITECTURE.md, "Inode reuse") */
static void write_namespace(struct jw *w, const struct lxkns_namespace *ns, bool typed_key)
{
	if (typed_key) {
		char b[48];
		int n = snprintf(b, sizeof(b), "%s:[%s]", lxkns_ns_type_name(ns->type), ns->idstr);
		jw_key_plain(w, b, (size_t)n);
	} else {
		jw_key_plain(w, ns->idstr, ns->idlen);
	}
	jw_object_open(w);
	JW_KEY(w, "nsid");
	jw_u64(w, ns->id.ino);
	JW_KEY(w, "type");
	jw_string(w, lxkns_ns_type_name(ns->type));
	if (ns->owner) {
		JW_KEY(w, "owner");
		jw_u64(w, ns->owner->id.ino);
	}
	if (ns->ref_count) {
		JW_KEY(w, "reference");
		jw_array_open(w);
		for (size_t i = 0; i < ns->ref_count; i++)
			jw_string(w, ns->ref[i]);
		jw_array_close(w);
	}
	write_held(w, &ns->held);
	if (ns->leaders.count) {
		JW_KEY(w, "leaders");
		jw_array_open(w);
		for (size_t i = 0; i < ns->leaders.count; i++)
			jw_i64(w, ((struct lxkns_process *)ns->leaders.items[i])->pid);
		jw_array_close(w);
	}
	if (ns->loose_threads.count) {
		JW_KEY(w, "loose-threads");
		jw_array_open(w);
		for (size_t i = 0; i < ns->loose_threads.count; i++)
			jw_i64(w, ((struct lxkns_task *)ns->loose_threads.items[i])->tid);
		jw_array_close(w);
	}
	if (ns->parent) {
		JW_KEY(w, "parent");
		jw_u64(w, ns->parent->id.ino);
	}
	if (ns->ealdorman) {
		JW_KEY(w, "ealdorman");
		jw_i64(w, ns->ealdorman->pid);
	}
	if (ns->children.count) {
		JW_KEY(w, "children");
		jw_array_open(w);
		for (size_t i = 0; i < ns->children.count; i++)
			jw_u64(w, ((struct lxkns_namespace *)ns->children.items[i])->id.ino);
		jw_array_close(w);
	}
	if (ns->type == LXKNS_NS_USER) {
		JW_KEY(w, "user-id");
		jw_u64(w, ns->has_owner_uid ? ns->owner_uid : 0);
		JW_KEY(w, "user-name");
		jw_string(w, ns->user_name ? ns->user_name : "");
	}
	jw_object_close(w);
}

/* A CPU list as [[from, to], ...]. */
static void write_ranges(struct jw *w, const uint32_t *ranges, size_t count)
{
	jw_array_open(w);
	for (size_t i = 0; i < count; i++) {
		jw_array_open(w);
		jw_u64(w, ranges[2 * i]);
		jw_u64(w, ranges[2 * i + 1]);
		jw_array_close(w);
	}
	jw_array_close(w);
}

/* The keys processes and tasks share, from "name" to "nice". */
static void write_common(struct jw *w, const struct proc_common *c)
{
	JW_KEY(w, "name");
	jw_string_stable(w, c->name);
	JW_KEY(w, "starttime");
	jw_u64(w, c->starttime);
	JW_KEY(w, "cpucgroup");
	jw_string_stable(w, c->cpu_cgroup);
	JW_KEY(w, "fridgecgroup");
	jw_string_stable(w, c->freezer_cgroup);
	JW_KEY(w, "fridgefrozen");
	jw_bool(w, c->frozen);
	if (c->affinity_count) {
		JW_KEY(w, "affinity");
		write_ranges(w, c->affinity, c->affinity_count);
	}
	if (c->policy) {
		JW_KEY(w, "policy");
		jw_i64(w, c->policy);
	}
	if (c->priority) {
		JW_KEY(w, "priority");
		jw_i64(w, c->priority);
	}
	if (c->nice) {
		JW_KEY(w, "nice");
		jw_i64(w, c->nice);
	}
}

static void write_ns_refs(struct jw *w, struct lxkns_namespace *const ns[_LXKNS_NS_TYPE_MAX])
{
	JW_KEY(w, "namespaces");
	jw_object_open(w);
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (ns[t]) {
			jw_key_plain(w, lxkns_ns_type_name(t), species_name_len(t));
			jw_number_text(w, ns[t]->idstr, ns[t]->idlen);
		}
	jw_object_close(w);
}

/* The "namespaces" object of the last processes/tasks written, per depth:
 * most processes share all their namespaces with the one before, and a
 * main task always with its process. */
struct ns_fragment {
	const struct nsset *set;
	struct lxkns_namespace *ns[_LXKNS_NS_TYPE_MAX];
	int depth;
	size_t len;
	char buf[512];
};

static void write_ns_refs_cached(struct jw *w, const struct nsset *set, struct ns_fragment frag[2])
{
	static struct lxkns_namespace *const none[_LXKNS_NS_TYPE_MAX];
	struct lxkns_namespace *const *ns = set ? set->ns : none;
	struct ns_fragment *f = frag[0].depth == w->depth ? &frag[0] : &frag[1];
	const char *p;
	size_t len;
	unsigned long flushes;

	/* only as the first item of an object (no leading comma to vary) */
	if (w->has_items[w->depth] || w->after_key) {
		write_ns_refs(w, ns);
		return;
	}
	if (f->depth == w->depth && f->len &&
	    (f->set == set || memcmp(f->ns, ns, sizeof(f->ns)) == 0)) {
		jw_raw_item(w, f->buf, f->len);
		return;
	}
	int depth = w->depth;
	size_t mark = jw_mark(w, &flushes);
	write_ns_refs(w, ns);
	if (jw_span(w, mark, flushes, &p, &len) && len <= sizeof(f->buf)) {
		if (f->depth != depth && frag[0].depth != depth)
			f = frag[0].len <= frag[1].len ? &frag[0] : &frag[1];
		memcpy(f->ns, ns, sizeof(f->ns));
		f->set = set;
		memcpy(f->buf, p, len);
		f->len = len;
		f->depth = depth;
	}
}

/* The "cmdline" array last written: processes share command lines (and
 * then the same copy of it), so most are copied rather than escaped. */
struct cmdline_fragment {
	const char *blob;
	int depth;
	size_t len;
	char buf[1024];
};

static void write_cmdline_cached(struct jw *w, const struct lxkns_process *p,
				 struct cmdline_fragment *f)
{
	const char *span;
	size_t len;
	unsigned long flushes;

	if (p->cmdline && f->blob == p->cmdline && f->depth == w->depth) {
		jw_raw_value(w, f->buf, f->len);
		return;
	}
	/* (after a key: nothing goes before the value) */
	int depth = w->depth;
	size_t mark = jw_mark(w, &flushes);
	jw_string_list(w, p->cmdline, p->cmdline_len, p->cmdline_count);
	if (p->cmdline && jw_span(w, mark, flushes, &span, &len) && len <= sizeof(f->buf)) {
		memcpy(f->buf, span, len);
		f->len = len;
		f->blob = p->cmdline;
		f->depth = depth;
	}
}

static void write_process(struct jw *w, const struct lxkns_process *p, struct ns_fragment frag[2],
			  struct cmdline_fragment *cf)
{
	write_key_u64(w, (uint64_t)p->pid);
	jw_object_open(w);
	write_ns_refs_cached(w, p->c.nss, frag);
	JW_KEY(w, "cmdline");
	write_cmdline_cached(w, p, cf);
	JW_KEY(w, "tasks");
	jw_array_open(w);
	for (size_t i = 0; i < p->task_count; i++) {
		const struct lxkns_task *t = p->tasks[i];
		jw_object_open(w);
		write_ns_refs_cached(w, t->c.nss, frag);
		write_common(w, &t->c);
		JW_KEY(w, "tid");
		jw_i64(w, t->tid);
		jw_object_close(w);
	}
	jw_array_close(w);
	write_common(w, &p->c);
	JW_KEY(w, "pid");
	jw_i64(w, p->pid);
	JW_KEY(w, "ppid");
	jw_i64(w, p->ppid);
	if (p->uid_p1) {
		JW_KEY(w, "uid");
		jw_i64(w, (int64_t)p->uid_p1 - 1);
	}
	jw_object_close(w);
}

static void write_processes(struct jw *w, const struct lxkns_result *r)
{
	struct ns_fragment frag[2] = { { .len = 0 }, { .len = 0 } };
	struct cmdline_fragment cf = { .blob = NULL };

	jw_object_open(w);
	for (size_t i = 0; i < r->proc_count; i++)
		write_process(w, r->procs[i], frag, &cf);
	jw_object_close(w);
}

/* The part of a mount from "major" to "superoptions" as last written for
 * an equal mount. Mount namespaces of containers repeat the host's mounts
 * (only the IDs differ), and discovered tables have interned strings, so
 * equal mounts have equal pointers. */
#define MOUNT_FRAG_SLOTS 256
#define MOUNT_FRAG_MAX 1024

struct mount_fragment {
	const struct lxkns_mount *like;
	int depth;
	size_t len;
	char *buf;
};

static bool mount_alike(const struct lxkns_mount *a, const struct lxkns_mount *b)
{
	if (a->major != b->major || a->minor != b->minor || a->root != b->root ||
	    a->mountpoint != b->mountpoint || a->options != b->options || a->fstype != b->fstype ||
	    a->source != b->source || a->superoptions != b->superoptions ||
	    a->tag_count != b->tag_count)
		return false;
	for (size_t i = 0; i < a->tag_count; i++)
		if (a->tags[i].name != b->tags[i].name || a->tags[i].value != b->tags[i].value)
			return false;
	return true;
}

static size_t mount_slot(const struct lxkns_mount *m)
{
	uint64_t h = (uintptr_t)m->mountpoint * 0x9e3779b97f4a7c15ull;
	h ^= (uintptr_t)m->source * 0xc2b2ae3d27d4eb4full;
	h ^= (uintptr_t)m->options + m->minor;
	h ^= h >> 29;
	return (size_t)(h % MOUNT_FRAG_SLOTS);
}

static void write_mount_body(struct jw *w, const struct lxkns_mount *m)
{
	JW_KEY(w, "major");
	jw_u64(w, m->major);
	JW_KEY(w, "minor");
	jw_u64(w, m->minor);
	JW_KEY(w, "root");
	jw_string(w, m->root);
	JW_KEY(w, "mountpoint");
	jw_string(w, m->mountpoint);
	JW_KEY(w, "mountoptions");
	jw_array_open(w);
	/* every piece between commas, empty ones too, so that reading the
	 * array back (joined with commas) gives the same string: a trailing
	 * empty option was lost once (fuzz-json, round trip) */
	for (const char *o = m->options && *m->options ? m->options : NULL; o;) {
		const char *comma = strchr(o, ',');
		jw_string_n(w, o, comma ? (size_t)(comma - o) : strlen(o));
		o = comma ? comma + 1 : NULL;
	}
	jw_array_close(w);
	JW_KEY(w, "tags");
	jw_object_open(w);
	for (size_t i = 0; i < m->tag_count; i++) {
		jw_key(w, m->tags[i].name);
		jw_string(w, m->tags[i].value);
	}
	jw_object_close(w);
	JW_KEY(w, "fstype");
	jw_string(w, m->fstype);
	JW_KEY(w, "source");
	jw_string(w, m->source);
	JW_KEY(w, "superoptions");
	jw_string(w, m->superoptions);
}

static void write_mount(struct jw *w, const struct lxkns_mount *m, struct mount_fragment *cache)
{
	jw_object_open(w);
	JW_KEY(w, "mountid");
	jw_u64(w, m->id);
	JW_KEY(w, "parentid");
	jw_u64(w, m->parent_id);
	struct mount_fragment *f = cache ? &cache[mount_slot(m)] : NULL;
	if (f && f->like && f->depth == w->depth && mount_alike(f->like, m)) {
		jw_raw_item(w, f->buf, f->len);
	} else {
		unsigned long flushes;
		const char *span;
		size_t len, mark = jw_mark(w, &flushes);
		int depth = w->depth;
		write_mount_body(w, m);
		if (f && jw_span(w, mark, flushes, &span, &len) && len <= MOUNT_FRAG_MAX) {
			char *copy = realloc(f->buf, len ? len : 1);
			if (copy) {
				memcpy(copy, span, len);
				*f = (struct mount_fragment){
					.like = m, .depth = depth, .len = len, .buf = copy
				};
			}
		}
	}
	JW_KEY(w, "hidden");
	jw_bool(w, m->hidden);
	jw_object_close(w);
}

/* "mounts": { "<mntns>": { "<path>": { mounts, pathid, parentid } } } */
static void write_mounts(struct jw *w, const struct lxkns_result *r)
{
	JW_KEY(w, "mounts");
	jw_object_open(w);
	/* (without memory for it, every mount is written in full) */
	struct mount_fragment *cache = calloc(MOUNT_FRAG_SLOTS, sizeof(*cache));
	for (size_t i = 0; i < r->ns[LXKNS_NS_MNT].count; i++) {
		const struct lxkns_namespace *ns = r->ns[LXKNS_NS_MNT].items[i];
		const struct lxkns_mount_table *t = ns->mounts;
		if (!t)
			continue;
		jw_key_plain(w, ns->idstr, ns->idlen);
		jw_object_open(w);
		for (size_t k = 0; k < t->path_count; k++) {
			const struct lxkns_mount_path *p = t->paths[k];
			jw_key(w, p->path);
			jw_object_open(w);
			JW_KEY(w, "mounts");
			jw_array_open(w);
			for (size_t m = 0; m < p->count; m++)
				write_mount(w, p->mounts[m], cache);
			jw_array_close(w);
			JW_KEY(w, "pathid");
			jw_u64(w, p->id);
			JW_KEY(w, "parentid");
			jw_u64(w, p->parent ? p->parent->id : 0);
			jw_object_close(w);
		}
		jw_object_close(w);
	}
	jw_object_close(w);
	if (cache)
		for (size_t i = 0; i < MOUNT_FRAG_SLOTS; i++)
			free(cache[i].buf);
	free(cache);
}

/* ---- containers, engines, groups (see lib/containers/) ---- */

static void write_labels(struct jw *w, const struct ct_labels *l)
{
	JW_KEY(w, "labels");
	jw_object_open(w);
	for (size_t i = 0; i < l->count; i++) {
		jw_key(w, l->items[i].key);
		jw_string(w, l->items[i].value);
	}
	jw_object_close(w);
}

static void write_refs(struct jw *w, struct lxkns_container *const *cs, size_t n)
{
	JW_KEY(w, "containers");
	jw_array_open(w);
	for (size_t i = 0; i < n; i++)
		jw_i64(w, cs[i]->pid);
	jw_array_close(w);
}

/* "container-engines": {"<refid>": Engine}, "container-groups":
 * {"<refid>": Group}, "containers": {"<pid>": Container}, in the key order
 * of Go lxkns (inventory §3.2). */
static void write_containers(struct jw *w, const struct lxkns_result *r)
{
	JW_KEY(w, "container-engines");
	jw_object_open(w);
	for (size_t i = 0; i < r->engine_count; i++) {
		const struct lxkns_container_engine *e = r->engines[i];
		write_key_u64(w, e->refid);
		jw_object_open(w);
		write_refs(w, e->containers, e->container_count);
		JW_KEY(w, "id");
		jw_string(w, e->id);
		JW_KEY(w, "type");
		jw_string(w, e->type);
		JW_KEY(w, "version");
		jw_string(w, e->version);
		JW_KEY(w, "api");
		jw_string(w, e->api);
		JW_KEY(w, "pid");
		jw_i64(w, e->pid);
		write_labels(w, &e->labels);
		jw_object_close(w);
	}
	jw_object_close(w);
	JW_KEY(w, "container-groups");
	jw_object_open(w);
	for (size_t i = 0; i < r->group_count; i++) {
		const struct lxkns_container_group *g = r->groups[i];
		write_key_u64(w, g->refid);
		jw_object_open(w);
		write_refs(w, g->containers, g->container_count);
		JW_KEY(w, "name");
		jw_string(w, g->name);
		JW_KEY(w, "type");
		jw_string(w, g->type);
		JW_KEY(w, "flavor");
		jw_string(w, g->flavor);
		write_labels(w, &g->labels);
		jw_object_close(w);
	}
	jw_object_close(w);
	JW_KEY(w, "containers");
	jw_object_open(w);
	for (size_t i = 0; i < r->container_count; i++) {
		const struct lxkns_container *c = r->containers[i];
		write_key_u64(w, (uint64_t)c->pid);
		jw_object_open(w);
		JW_KEY(w, "engine");
		jw_u64(w, c->engine ? c->engine->refid : 0);
		JW_KEY(w, "groups");
		jw_array_open(w);
		for (size_t k = 0; k < c->group_count; k++)
			jw_u64(w, c->groups[k]->refid);
		jw_array_close(w);
		JW_KEY(w, "id");
		jw_string(w, c->id);
		JW_KEY(w, "name");
		jw_string(w, c->name);
		JW_KEY(w, "type");
		jw_string(w, c->type);
		JW_KEY(w, "flavor");
		jw_string(w, c->flavor);
		JW_KEY(w, "pid");
		jw_i64(w, c->pid);
		JW_KEY(w, "paused");
		jw_bool(w, c->paused);
		write_labels(w, &c->labels);
		jw_object_close(w);
	}
	jw_object_close(w);
}

/* Namespaces of all types, by inode, as one object. */
static void write_namespaces(struct jw *w, const struct lxkns_result *r)
{
	size_t idx[_LXKNS_NS_TYPE_MAX] = { 0 };
	const struct lxkns_namespace *prev = NULL;

	JW_KEY(w, "namespaces");
	jw_object_open(w);
	/* merge the per-type lists, each sorted by inode */
	for (;;) {
		const struct lxkns_namespace *best = NULL;
		int bt = -1;
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
			if (idx[t] >= r->ns[t].count)
				continue;
			const struct lxkns_namespace *ns = r->ns[t].items[idx[t]];
			if (!best || ns->id.ino < best->id.ino) {
				best = ns;
				bt = t;
			}
		}
		if (!best)
			break;
		idx[bt]++;
		/* the same inode as the one before: another type (lower types
		 * come first, so the plain key is the lowest type's) */
		write_namespace(w, best, prev && prev->id.ino == best->id.ino);
		prev = best;
	}
	jw_object_close(w);
}

/* Writes one document with body() on a writer of its own (the writer holds
 * a 16 KiB buffer: on the heap, as the service writes from many threads). */
static int write_document(const struct lxkns_result *r, const struct lxkns_json_style *style,
			  lxkns_json_sink sink, void *userdata,
			  void (*body)(struct jw *w, const struct lxkns_result *r))
{
	struct lxkns_json_style st = LXKNS_JSON_STYLE_DEFAULT;
	struct jw *w;
	int ret;

	/* the caller's style may be older or newer than ours */
	ret = style ? abi_copy_in(&st, sizeof(st), style, style->size) : 0;
	if (ret < 0)
		return ret;
	w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	jw_init(w, &st, sink, userdata);
	body(w, r);
	ret = jw_finish(w);
	free(w);
	return ret;
}

static void discovery_body(struct jw *w, const struct lxkns_result *r)
{
	jw_object_open(w);
	write_containers(w, r);
	JW_KEY(w, "cpus-online");
	write_ranges(w, r->cpus_online, r->cpus_online_count);
	write_options(w, &r->opts);
	write_mounts(w, r);
	write_namespaces(w, r);
	JW_KEY(w, "processes");
	write_processes(w, r);
	jw_object_close(w);
}

int lxkns_result_write_json(const struct lxkns_result *r, const struct lxkns_json_style *style,
			    lxkns_json_sink sink, void *userdata)
{
	return write_document(r, style, sink, userdata, discovery_body);
}

int lxkns_result_write_processes_json(const struct lxkns_result *r,
				      const struct lxkns_json_style *style, lxkns_json_sink sink,
				      void *userdata)
{
	return write_document(r, style, sink, userdata, write_processes);
}

/* One PID map entry: NSpid (outermost first) zipped with the PID namespace
 * chain from c's own namespace upwards, written leaf first. */
static void write_pidmap_entry(struct jw *w, const struct proc_common *c)
{
	const struct lxkns_namespace *ns = pc_ns(c, LXKNS_NS_PID);
	size_t i = c->nspid_count;

	if (!ns || !i)
		return;
	jw_array_open(w);
	for (; i > 0 && ns; i--, ns = ns->parent) {
		jw_object_open(w);
		JW_KEY(w, "pid");
		jw_i64(w, c->nspid[i - 1]);
		JW_KEY(w, "nsid");
		jw_number_text(w, ns->idstr, ns->idlen);
		jw_object_close(w);
	}
	jw_array_close(w);
}

static void pidmap_body(struct jw *w, const struct lxkns_result *r)
{
	jw_array_open(w);
	for (size_t i = 0; i < r->proc_count; i++) {
		const struct lxkns_process *p = r->procs[i];
		write_pidmap_entry(w, &p->c);
		for (size_t k = 0; k < p->task_count; k++)
			if (p->tasks[k]->tid != p->pid)
				write_pidmap_entry(w, &p->tasks[k]->c);
	}
	jw_array_close(w);
}

int lxkns_result_write_pidmap_json(const struct lxkns_result *r,
				   const struct lxkns_json_style *style, lxkns_json_sink sink,
				   void *userdata)
{
	return write_document(r, style, sink, userdata, pidmap_body);
}

static int file_sink(void *userdata, const char *buf, size_t len)
{
	return fwrite(buf, 1, len, userdata) == len ? 0 : -EIO;
}

int lxkns_result_write_json_file(const struct lxkns_result *r, const struct lxkns_json_style *style,
				 FILE *out)
{
	int ret = lxkns_result_write_json(r, style, file_sink, out);
	if (ret == 0 && fflush(out) != 0)
		ret = -errno;
	return ret;
}
