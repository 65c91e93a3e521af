/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xalloc.h: the allocation helpers of the tools (a CLI tool that runs out
 * of memory says so and exits 1, like util-linux's xalloc), and what the
 * tools add to the growable buffer (common/bytebuf.h): Go %q quoting, and
 * reading a buffer out that exits 1 if any append to it ran out of memory.
 */
#ifndef LXKNS_TOOL_XALLOC_H
#define LXKNS_TOOL_XALLOC_H

#include <stddef.h>

#include "bytebuf.h"

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* Grows an array of n elements of size to hold at least need elements. */
void xgrow(void **items, size_t *cap, size_t need, size_t size);

/* s as a Go %q string: in double quotes, with \" \\ \n \t ... and \xHH for
 * control bytes and invalid UTF-8, so a label always stays on one line and
 * never carries terminal escapes. */
void tool_quote(struct buf *sb, const char *s);
/* The contents ("" when empty); stays owned by the buffer. Exits 1 if an
 * append to it ran out of memory. */
const char *xbuf_str(const struct buf *sb);
/* Hands the contents over (malloc'ed, never NULL); the buffer is empty.
 * Exits 1 if an append to it ran out of memory. */
char *xbuf_take(struct buf *sb);

#endif
