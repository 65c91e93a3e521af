/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arena.h: a bump allocator. A discovery result owns a few arenas holding
 * all its nodes and strings, so freeing it is a handful of free() calls and
 * a half-built result on an error path leaks nothing.
 */
#ifndef LXKNS_COMMON_ARENA_H
#define LXKNS_COMMON_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used_total;
};

/* Zeroed, 16-byte aligned memory; NULL only on OOM. */
void *arena_alloc(struct arena *a, size_t size);
/* Like arena_alloc, without zeroing: for callers that fill it all. */
void *arena_alloc_raw(struct arena *a, size_t size);
/* Copies of strings and byte spans (NUL-terminated). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Moves every chunk of src into dst (src becomes empty). */
void arena_merge(struct arena *dst, struct arena *src);
void arena_free(struct arena *a);

#endif
