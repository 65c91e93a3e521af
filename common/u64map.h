/* SPDX-License-Identifier: Apache-2.0 */
/*
 * u64map.h: an open-addressing hash map from 64-bit keys to pointers, for
 * O(1) dedup of namespaces (by inode), processes (by PID) and sockets.
 * Key 0 is reserved (no namespace, PID or socket has inode/ID 0).
 */
#ifndef LXKNS_COMMON_U64MAP_H
#define LXKNS_COMMON_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint64_t *keys;
	void **values;
	size_t count, cap; /* cap is 0 or a power of two */
};

void *u64map_get(const struct u64map *m, uint64_t key);
/* Inserts or replaces; 0 or -ENOMEM (-EINVAL for key 0). */
int u64map_put(struct u64map *m, uint64_t key, void *value);
void u64map_free(struct u64map *m);

#endif
