/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbuf.h: a growable string buffer for building output lines, plus the
 * allocation helpers of the tools (a CLI tool that runs out of memory says
 * so and exits 1, like util-linux's xalloc).
 */
#ifndef LXKNS_TOOL_SBUF_H
#define LXKNS_TOOL_SBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct sbuf {
	char *buf; /* always NUL-terminated once anything was added */
	size_t len, cap;
};

#define SBUF_INIT { NULL, 0, 0 }

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* Grows an array of n elements of size to hold at least need elements. */
void xgrow(void **items, size_t *cap, size_t need, size_t size);

void sbuf_putn(struct sbuf *sb, const char *s, size_t n);
void sbuf_puts(struct sbuf *sb, const char *s);
void sbuf_putc(struct sbuf *sb, char c);
void sbuf_printf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* s as a Go %q string: in double quotes, with \" \\ \n \t ... and \xHH for
 * control bytes and invalid UTF-8, so a label always stays on one line and
 * never carries terminal escapes. */
void sbuf_quote(struct sbuf *sb, const char *s);
void sbuf_truncate(struct sbuf *sb, size_t len);
/* The contents ("" when empty); stays owned by the buffer. */
const char *sbuf_str(const struct sbuf *sb);
/* Hands the contents over (malloc'ed, never NULL); the buffer is empty. */
char *sbuf_take(struct sbuf *sb);
void sbuf_free(struct sbuf *sb);

#endif
