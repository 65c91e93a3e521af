/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strintern.h: one copy of each distinct string, in an arena. Mount tables
 * of container mount namespaces repeat the host's strings (fstype, options,
 * sources, paths) over and over: interned, each is stored once, and the
 * JSON writer recognises repeats by address.
 */
#ifndef LXKNS_COMMON_STRINTERN_H
#define LXKNS_COMMON_STRINTERN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct strintern_slot {
	const char *s; /* NUL-terminated copy in the arena; NULL = free */
	uint32_t len;
	uint32_t hash;
	void *value; /* the caller's, per string (strintern_get_slot) */
};

struct strintern {
	struct arena *arena; /* where the copies go (outlives the interner) */
	struct strintern_slot *slots;
	size_t count, cap; /* cap is 0 or a power of two */
};

void strintern_init(struct strintern *si, struct arena *arena);
/* The copy of s[0..len); NULL on OOM. */
const char *strintern_get(struct strintern *si, const char *s, size_t len);
/* strintern_get, also returning where the string's value is kept (NULL
 * until the caller stores one). The slot moves when a later call adds a
 * string: use it before that. */
const char *strintern_get_slot(struct strintern *si, const char *s, size_t len, void ***ret_value);
/* Frees the index; the copies stay in the arena. */
void strintern_free(struct strintern *si);

#endif
