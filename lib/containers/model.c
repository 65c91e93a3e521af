/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.c: containers, engines and groups: construction helpers (labels,
 * arena-backed arrays) and the public accessors of containers.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "containers-internal.h"

int64_t ct_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ct_push(struct arena *a, void ***items, size_t *count, size_t *cap, void *item)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void **n = arena_alloc(a, ncap * sizeof(void *));
		if (!n)
			return -ENOMEM;
		if (*count)
			memcpy(n, *items, *count * sizeof(void *));
		*items = n;
		*cap = ncap;
	}
	(*items)[(*count)++] = item;
	return 0;
}

static struct ct_label *label_find(const struct ct_labels *l, const char *key, size_t klen)
{
	for (size_t i = 0; i < l->count; i++)
		if (strlen(l->items[i].key) == klen && memcmp(l->items[i].key, key, klen) == 0)
			return &l->items[i];
	return NULL;
}

int ct_label_setn(struct arena *a, struct ct_labels *l, const char *key, size_t klen,
		  const char *value, size_t vlen)
{
	struct ct_label *x = label_find(l, key, klen);
	const char *v = arena_strndup(a, value, vlen);

	if (!v)
		return -ENOMEM;
	if (x) {
		x->value = v;
		return 0;
	}
	if (l->count == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		struct ct_label *n = arena_alloc(a, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		if (l->count)
			memcpy(n, l->items, l->count * sizeof(*n));
		l->items = n;
		l->cap = ncap;
	}
	l->items[l->count].key = arena_strndup(a, key, klen);
	if (!l->items[l->count].key)
		return -ENOMEM;
	l->items[l->count++].value = v;
	return 0;
}

int ct_label_set(struct arena *a, struct ct_labels *l, const char *key, const char *value)
{
	return ct_label_setn(a, l, key, strlen(key), value, strlen(value));
}

const char *ct_label_get(const struct ct_labels *l, const char *key)
{
	const struct ct_label *x = label_find(l, key, strlen(key));
	return x ? x->value : NULL;
}

static int cmp_label(const void *a, const void *b)
{
	return strcmp(((const struct ct_label *)a)->key, ((const struct ct_label *)b)->key);
}

void ct_labels_sort(struct ct_labels *l)
{
	if (l->count > 1)
		qsort(l->items, l->count, sizeof(*l->items), cmp_label);
}

struct lxkns_container *ct_container_new(struct arena *a)
{
	struct lxkns_container *c = arena_alloc(a, sizeof(*c));
	if (c)
		c->id = c->name = c->type = c->flavor = c->pod = "";
	return c;
}

struct lxkns_container_engine *ct_engine_new(struct arena *a, const char *type)
{
	struct lxkns_container_engine *e = arena_alloc(a, sizeof(*e));
	if (e) {
		e->id = e->version = e->api = "";
		e->type = type;
	}
	return e;
}

int ct_engine_add(struct arena *a, struct lxkns_container_engine *e, struct lxkns_container *c)
{
	c->engine = e;
	if (!*c->type)
		c->type = e->type;
	if (!*c->flavor)
		c->flavor = c->type;
	return ct_push(a, (void ***)&e->containers, &e->container_count, &e->container_cap, c);
}

int ct_group_add(struct arena *a, struct lxkns_container_group *g, struct lxkns_container *c)
{
	int r = ct_push(a, (void ***)&g->containers, &g->container_count, &g->container_cap, c);
	if (r == 0)
		r = ct_push(a, (void ***)&c->groups, &c->group_count, &c->group_cap, g);
	return r;
}

/* ---- public accessors ---- */

size_t lxkns_result_container_count(const struct lxkns_result *r)
{
	return r ? r->container_count : 0;
}

const struct lxkns_container *lxkns_result_container_at(const struct lxkns_result *r, size_t i)
{
	return r && i < r->container_count ? r->containers[i] : NULL;
}

const struct lxkns_container *lxkns_result_container_by_pid(const struct lxkns_result *r, pid_t pid)
{
	size_t lo = 0, hi = r ? r->container_count : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		pid_t p = r->containers[mid]->pid;
		if (p == pid)
			return r->containers[mid];
		if (p < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t lxkns_result_engine_count(const struct lxkns_result *r)
{
	return r ? r->engine_count : 0;
}

const struct lxkns_container_engine *lxkns_result_engine_at(const struct lxkns_result *r, size_t i)
{
	return r && i < r->engine_count ? r->engines[i] : NULL;
}

size_t lxkns_result_group_count(const struct lxkns_result *r)
{
	return r ? r->group_count : 0;
}

const struct lxkns_container_group *lxkns_result_group_at(const struct lxkns_result *r, size_t i)
{
	return r && i < r->group_count ? r->groups[i] : NULL;
}

const struct lxkns_container *lxkns_process_container(const struct lxkns_process *p)
{
	return p ? p->container : NULL;
}

const char *lxkns_container_id(const struct lxkns_container *c)
{
	return c->id;
}

const char *lxkns_container_name(const struct lxkns_container *c)
{
	return c->name;
}

const char *lxkns_container_type(const struct lxkns_container *c)
{
	return c->type;
}

const char *lxkns_container_flavor(const struct lxkns_container *c)
{
	return c->flavor;
}

pid_t lxkns_container_pid(const struct lxkns_container *c)
{
	return c->pid;
}

bool lxkns_container_paused(const struct lxkns_container *c)
{
	return c->paused;
}

size_t lxkns_container_label_count(const struct lxkns_container *c)
{
	return c->labels.count;
}

const char *lxkns_container_label_key_at(const struct lxkns_container *c, size_t i)
{
	return i < c->labels.count ? c->labels.items[i].key : NULL;
}

const char *lxkns_container_label_value_at(const struct lxkns_container *c, size_t i)
{
	return i < c->labels.count ? c->labels.items[i].value : NULL;
}

const char *lxkns_container_label(const struct lxkns_container *c, const char *key)
{
	return key ? ct_label_get(&c->labels, key) : NULL;
}

const struct lxkns_container_engine *lxkns_container_engine(const struct lxkns_container *c)
{
	return c->engine;
}

size_t lxkns_container_group_count(const struct lxkns_container *c)
{
	return c->group_count;
}

const struct lxkns_container_group *lxkns_container_group_at(const struct lxkns_container *c,
							     size_t i)
{
	return i < c->group_count ? c->groups[i] : NULL;
}

const struct lxkns_process *lxkns_container_process(const struct lxkns_container *c)
{
	return c->process;
}

const char *lxkns_container_display_name(const struct lxkns_container *c, char *buf, size_t size)
{
	const char *prefix = ct_label_get(&c->labels, LXKNS_LABEL_PREFIX);
	if (!size)
		return buf;
	if (prefix && *prefix)
		snprintf(buf, size, "[%s]:%s", prefix, c->name);
	else
		snprintf(buf, size, "%s", c->name);
	return buf;
}

const char *lxkns_engine_id(const struct lxkns_container_engine *e)
{
	return e->id;
}

const char *lxkns_engine_type(const struct lxkns_container_engine *e)
{
	return e->type;
}

const char *lxkns_engine_version(const struct lxkns_container_engine *e)
{
	return e->version;
}

const char *lxkns_engine_api(const struct lxkns_container_engine *e)
{
	return e->api;
}

pid_t lxkns_engine_pid(const struct lxkns_container_engine *e)
{
	return e->pid;
}

size_t lxkns_engine_label_count(const struct lxkns_container_engine *e)
{
	return e->labels.count;
}

const char *lxkns_engine_label_key_at(const struct lxkns_container_engine *e, size_t i)
{
	return i < e->labels.count ? e->labels.items[i].key : NULL;
}

const char *lxkns_engine_label_value_at(const struct lxkns_container_engine *e, size_t i)
{
	return i < e->labels.count ? e->labels.items[i].value : NULL;
}

const char *lxkns_engine_label(const struct lxkns_container_engine *e, const char *key)
{
	return key ? ct_label_get(&e->labels, key) : NULL;
}

size_t lxkns_engine_container_count(const struct lxkns_container_engine *e)
{
	return e->container_count;
}

const struct lxkns_container *lxkns_engine_container_at(const struct lxkns_container_engine *e,
							size_t i)
{
	return i < e->container_count ? e->containers[i] : NULL;
}

const char *lxkns_group_name(const struct lxkns_container_group *g)
{
	return g->name;
}

const char *lxkns_group_type(const struct lxkns_container_group *g)
{
	return g->type;
}

const char *lxkns_group_flavor(const struct lxkns_container_group *g)
{
	return g->flavor;
}

size_t lxkns_group_label_count(const struct lxkns_container_group *g)
{
	return g->labels.count;
}

const char *lxkns_group_label_key_at(const struct lxkns_container_group *g, size_t i)
{
	return i < g->labels.count ? g->labels.items[i].key : NULL;
}

const char *lxkns_group_label_value_at(const struct lxkns_container_group *g, size_t i)
{
	return i < g->labels.count ? g->labels.items[i].value : NULL;
}

size_t lxkns_group_container_count(const struct lxkns_container_group *g)
{
	return g->container_count;
}

const struct lxkns_container *lxkns_group_container_at(const struct lxkns_container_group *g,
						       size_t i)
{
	return i < g->container_count ? g->containers[i] : NULL;
}

/* ---- deep copies (the watcher hands out snapshots) ---- */

static int copy_labels(struct arena *a, struct ct_labels *dst, const struct ct_labels *src)
{
	*dst = (struct ct_labels){ 0 };
	if (!src->count)
		return 0;
	dst->items = arena_alloc(a, src->count * sizeof(*dst->items));
	if (!dst->items)
		return -ENOMEM;
	for (size_t i = 0; i < src->count; i++) {
		dst->items[i].key = arena_strdup(a, src->items[i].key);
		dst->items[i].value = arena_strdup(a, src->items[i].value);
		if (!dst->items[i].key || !dst->items[i].value)
			return -ENOMEM;
	}
	dst->count = dst->cap = src->count;
	return 0;
}

struct lxkns_container_engine *ct_engine_copy(struct arena *a,
					      const struct lxkns_container_engine *e)
{
	struct lxkns_container_engine *n = ct_engine_new(a, NULL);
	if (!n)
		return NULL;
	n->id = arena_strdup(a, e->id);
	n->type = arena_strdup(a, e->type);
	n->version = arena_strdup(a, e->version);
	n->api = arena_strdup(a, e->api);
	n->pid = e->pid;
	n->rank = e->rank;
	if (!n->id || !n->type || !n->version || !n->api || copy_labels(a, &n->labels, &e->labels))
		return NULL;
	for (size_t i = 0; i < e->container_count; i++) {
		struct lxkns_container *d = ct_container_copy(a, e->containers[i]);
		if (!d || ct_engine_add(a, n, d))
			return NULL;
	}
	return n;
}

struct lxkns_container *ct_container_copy(struct arena *a, const struct lxkns_container *c)
{
	struct lxkns_container *d = ct_container_new(a);
	if (!d)
		return NULL;
	d->id = arena_strdup(a, c->id);
	d->name = arena_strdup(a, c->name);
	d->type = arena_strdup(a, c->type);
	d->flavor = arena_strdup(a, c->flavor);
	d->pod = arena_strdup(a, c->pod ? c->pod : "");
	d->pid = c->pid;
	d->paused = c->paused;
	d->starttime = c->starttime;
	if (!d->id || !d->name || !d->type || !d->flavor || !d->pod ||
	    copy_labels(a, &d->labels, &c->labels))
		return NULL;
	return d;
}
