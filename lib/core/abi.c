/* SPDX-License-Identifier: Apache-2.0 */
/*
 * abi.c: reading a caller-allocated public struct that carries its own size
 * (struct lxkns_discover_opts, struct lxkns_json_style), the way the kernel
 * reads openat2's and clone3's arguments: what the caller's struct has is
 * copied over the library's defaults, the library's fields the caller's
 * header did not have keep their defaults, and a caller's struct that is
 * larger than the library's is accepted only when the part the library
 * does not know is all zero.
 */
#include <errno.h>
#include <string.h>

#include "lxkns-internal.h"

int abi_copy_in(void *dst, size_t dst_size, const void *src, size_t src_size)
{
	if (src_size < sizeof(size_t))
		return -EINVAL;
	if (src_size > ABI_STRUCT_SIZE_MAX)
		return -E2BIG;
	if (src_size > dst_size) {
		const unsigned char *tail = (const unsigned char *)src + dst_size;
		for (size_t i = 0; i < src_size - dst_size; i++)
			if (tail[i])
				return -E2BIG;
		src_size = dst_size;
	}
	memcpy(dst, src, src_size);
	/* the copy is the library's own, complete struct */
	*(size_t *)dst = dst_size;
	return 0;
}
