/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "tool-common.h"

static void oom(void)
{
	tool_fail("out of memory");
	exit(1);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *n = realloc(p, size ? size : 1);
	if (!n)
		oom();
	return n;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		oom();
	return d;
}

void xgrow(void **items, size_t *cap, size_t need, size_t size)
{
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 4;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			oom();
		ncap *= 2;
	}
	*items = xrealloc(*items, ncap * size);
	*cap = ncap;
}

/* Length of a valid UTF-8 sequence at s (at most avail bytes), 0 if none;
 * the code point goes to *cp. */
static size_t utf8_seq(const unsigned char *s, size_t avail, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

void tool_quote(struct buf *sb, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t len = strlen((const char *)s);

	buf_putc(sb, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n;

		switch (c) {
		case '"':
			buf_puts(sb, "\\\"");
			i++;
			continue;
		case '\\':
			buf_puts(sb, "\\\\");
			i++;
			continue;
		case '\a':
			buf_puts(sb, "\\a");
			i++;
			continue;
		case '\b':
			buf_puts(sb, "\\b");
			i++;
			continue;
		case '\f':
			buf_puts(sb, "\\f");
			i++;
			continue;
		case '\n':
			buf_puts(sb, "\\n");
			i++;
			continue;
		case '\r':
			buf_puts(sb, "\\r");
			i++;
			continue;
		case '\t':
			buf_puts(sb, "\\t");
			i++;
			continue;
		case '\v':
			buf_puts(sb, "\\v");
			i++;
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			buf_printf(sb, "\\x%02x", c);
			i++;
			continue;
		}
		n = utf8_seq(s + i, len - i, &cp);
		if (n == 0) {
			buf_printf(sb, "\\x%02x", c);
			i++;
		} else if ((cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
			   cp == 0xfeff) {
			buf_printf(sb, "\\u%04x", (unsigned)cp);
			i += n;
		} else {
			buf_append(sb, (const char *)s + i, n);
			i += n;
		}
	}
	buf_putc(sb, '"');
}

const char *xbuf_str(const struct buf *sb)
{
	if (sb->oom)
		oom();
	return buf_str(sb);
}

char *xbuf_take(struct buf *sb)
{
	char *s = buf_steal(sb, NULL);
	if (!s)
		oom();
	return s;
}
