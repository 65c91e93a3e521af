/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "strintern.h"

void strintern_init(struct strintern *si, struct arena *arena)
{
	*si = (struct strintern){ .arena = arena };
}

/* FNV-1a over 8-byte words, then a final mix: cheap for short strings. */
static uint32_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ len;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
	}
	if (i < len) {
		uint64_t w = 0;
		memcpy(&w, s + i, len - i);
		h = (h ^ w) * 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (uint32_t)h;
}

static int grow(struct strintern *si)
{
	size_t ncap = si->cap ? si->cap * 2 : 256;
	struct strintern_slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -1;
	for (size_t i = 0; i < si->cap; i++) {
		struct strintern_slot *o = &si->slots[i];
		if (!o->s)
			continue;
		size_t k = o->hash & (ncap - 1);
		while (ns[k].s)
			k = (k + 1) & (ncap - 1);
		ns[k] = *o;
	}
	free(si->slots);
	si->slots = ns;
	si->cap = ncap;
	return 0;
}

const char *strintern_get(struct strintern *si, const char *s, size_t len)
{
	void **unused;
	return strintern_get_slot(si, s, len, &unused);
}

const char *strintern_get_slot(struct strintern *si, const char *s, size_t len, void ***ret_value)
{
	if (len > UINT32_MAX)
		return NULL;
	if ((si->count + 1) * 4 > si->cap * 3 && grow(si) < 0)
		return NULL;
	uint32_t h = hash_bytes(s, len);
	size_t k = h & (si->cap - 1);
	for (; si->slots[k].s; k = (k + 1) & (si->cap - 1)) {
		struct strintern_slot *o = &si->slots[k];
		if (o->hash == h && o->len == len && memcmp(o->s, s, len) == 0) {
			*ret_value = &o->value;
			return o->s;
		}
	}
	char *copy = arena_strndup(si->arena, s, len);
	if (!copy)
		return NULL;
	si->slots[k] = (struct strintern_slot){ .s = copy, .len = (uint32_t)len, .hash = h };
	si->count++;
	*ret_value = &si->slots[k].value;
	return copy;
}

void strintern_free(struct strintern *si)
{
	free(si->slots);
	si->slots = NULL;
	si->count = si->cap = 0;
}
