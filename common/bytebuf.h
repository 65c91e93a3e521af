/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bytebuf.h: the one growable byte buffer of lxkns (library, service,
 * tools, tests). The data is malloc'ed and always NUL-terminated once
 * anything was added, so text can be used as a C string; binary data
 * (protobuf, HTTP bodies) may hold NULs and is measured by len.
 *
 * Allocation failure is sticky: the first failed allocation sets oom, every
 * later append is a no-op returning -ENOMEM, and buf_steal() returns NULL.
 * So a builder may append without checking each call and check b->oom (or
 * the result of buf_steal()) once at the end.
 *
 *	_cleanup_buf_ struct buf b = BUF_INIT;
 *	buf_puts(&b, "pid ");
 *	buf_printf(&b, "%d", pid);
 *	if (b.oom)
 *		return -ENOMEM;
 */
#ifndef LXKNS_COMMON_BYTEBUF_H
#define LXKNS_COMMON_BYTEBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data; /* NULL until the first append; then NUL-terminated */
	size_t len, cap;
	bool oom; /* set by the first failed allocation */
};

#define BUF_INIT                                                                                   \
	{                                                                                          \
		NULL, 0, 0, false                                                                  \
	}

/* Room for more bytes after len (plus the NUL); 0 or -ENOMEM. */
int buf_reserve(struct buf *b, size_t more);
/* 0 or -ENOMEM (also remembered in b->oom). */
int buf_append(struct buf *b, const void *s, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Shortens to len (no-op if already shorter); keeps the allocation. */
void buf_truncate(struct buf *b, size_t len);
/* The contents as a string ("" when empty); stays owned by the buffer. */
const char *buf_str(const struct buf *b);
/* Hands the data over (NUL-terminated, "" when empty; caller frees); the
 * buffer is empty afterwards. NULL after an allocation failure. */
char *buf_steal(struct buf *b, size_t *ret_len);
void buf_free(struct buf *b);

static inline void buf_freep(struct buf *b)
{
	buf_free(b);
}
#define _cleanup_buf_ __attribute__((cleanup(buf_freep)))

#endif
