/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_CHUNK_SIZE (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

static void *alloc(struct arena *a, size_t size);

void *arena_alloc_raw(struct arena *a, size_t size)
{
	return alloc(a, size);
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = alloc(a, size);
	if (p)
		memset(p, 0, size);
	return p;
}

/* Uninitialised memory, for callers that fill it all. */
static void *alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t need = (size + 15) & ~(size_t)15;

	if (need < size)
		return NULL;
	if (!c || c->size - c->used < need) {
		size_t csize = need > ARENA_CHUNK_SIZE / 4 ? need : ARENA_CHUNK_SIZE;
		struct arena_chunk *n = malloc(sizeof(*n) + csize);
		if (!n)
			return NULL;
		n->size = csize;
		n->used = 0;
		if (c && csize != ARENA_CHUNK_SIZE) {
			/* big one-off block: keep filling the current chunk */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		c = n;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->used_total += need;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_merge(struct arena *dst, struct arena *src)
{
	struct arena_chunk *c = src->head;

	if (!c)
		return;
	while (c->next)
		c = c->next;
	/* keep dst's current chunk on top so it keeps filling */
	if (dst->head) {
		c->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		c->next = NULL;
		dst->head = src->head;
	}
	dst->used_total += src->used_total;
	src->head = NULL;
	src->used_total = 0;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->used_total = 0;
}
