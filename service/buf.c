/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static int buf_reserve(struct buf *b, size_t more)
{
	size_t need, cap;
	char *n;

	if (b->oom)
		return -ENOMEM;
	if (more >= (size_t)-1 / 2 - b->len)
		goto oom;
	need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	n = realloc(b->data, cap);
	if (!n)
		goto oom;
	b->data = n;
	b->cap = cap;
	return 0;
oom:
	b->oom = true;
	return -ENOMEM;
}

int buf_append(struct buf *b, const char *s, size_t len)
{
	if (buf_reserve(b, len) < 0)
		return -ENOMEM;
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = 0;
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n) < 0)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int buf_json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	buf_append(b, "\"", 1);
	for (; *p; p++) {
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
		switch (*p) {
		case '"':
			buf_append(b, "\\\"", 2);
			continue;
		case '\\':
			buf_append(b, "\\\\", 2);
			continue;
		case '\n':
			buf_append(b, "\\n", 2);
			continue;
		case '\r':
			buf_append(b, "\\r", 2);
			continue;
		case '\t':
			buf_append(b, "\\t", 2);
			continue;
		}
		/* Control characters, and <, >, & as Go escapes them (HTML-safe). */
		if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xf];
			buf_append(b, esc, 6);
		} else if (*p >= 0x80) {
			/* Only ASCII here: error messages quote paths and query
			 * values, which may hold any bytes. */
			buf_append(b, "\\ufffd", 6);
		} else {
			buf_append(b, (const char *)p, 1);
		}
	}
	return buf_append(b, "\"", 1);
}

int buf_sink(void *userdata, const char *data, size_t len)
{
	return buf_append(userdata, data, len);
}

char *buf_steal(struct buf *b, size_t *ret_len)
{
	char *d = b->oom ? NULL : b->data;

	if (!d)
		d = b->oom ? NULL : calloc(1, 1);
	else
		b->data = NULL;
	if (ret_len)
		*ret_len = d ? b->len : 0;
	buf_free(b);
	return d;
}

void buf_free(struct buf *b)
{
	free(b->data);
	*b = (struct buf){ 0 };
}
