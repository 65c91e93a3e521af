/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <string.h>

#include "jsonout.h"

static void sep(struct buf *b)
{
	if (b->len && !strchr("{[:", b->data[b->len - 1]))
		buf_putc(b, ',');
}

void json_key(struct buf *b, const char *key)
{
	json_str(b, key);
	buf_putc(b, ':');
}

/* The length of the well-formed UTF-8 sequence at s (lead byte >= 0x80),
 * or 0 when it is not one (overlong, surrogate, beyond U+10FFFF, cut). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void json_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	sep(b);
	buf_putc(b, '"');
	while (*p) {
		size_t n;

		switch (*p) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				buf_printf(b, "\\u%04x", *p);
			} else if (*p < 0x80) {
				buf_putc(b, (char)*p);
			} else if ((n = utf8_len(p)) > 0) {
				buf_append(b, p, n);
				p += n;
				continue;
			} else {
				buf_puts(b, "\\ufffd");
			}
		}
		p++;
	}
	buf_putc(b, '"');
}

void json_u64(struct buf *b, uint64_t v)
{
	sep(b);
	buf_printf(b, "%" PRIu64, v);
}

void json_i64(struct buf *b, int64_t v)
{
	sep(b);
	buf_printf(b, "%" PRId64, v);
}

void json_bool(struct buf *b, bool v)
{
	sep(b);
	buf_puts(b, v ? "true" : "false");
}

void json_null(struct buf *b)
{
	sep(b);
	buf_puts(b, "null");
}

void json_open(struct buf *b, char c)
{
	sep(b);
	buf_putc(b, c);
}

void json_close(struct buf *b, char c)
{
	buf_putc(b, c);
}

void json_members(struct buf *b, const struct buf *members)
{
	if (!members->len)
		return;
	sep(b);
	buf_append(b, members->data, members->len);
}

static void newline(FILE *out, int depth)
{
	fputc('\n', out);
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

void json_print(FILE *out, const struct buf *doc)
{
	const char *s = xbuf_str(doc);
	bool in_str = false;
	int depth = 0;

	for (size_t i = 0; i < doc->len; i++) {
		char c = s[i];

		if (in_str) {
			fputc(c, out);
			if (c == '\\')
				fputc(s[++i], out);
			else if (c == '"')
				in_str = false;
			continue;
		}
		switch (c) {
		case '"':
			in_str = true;
			fputc(c, out);
			break;
		case '{':
		case '[':
			fputc(c, out);
			if (s[i + 1] == '}' || s[i + 1] == ']') {
				fputc(s[++i], out); /* {} and [] stay on one line */
				break;
			}
			newline(out, ++depth);
			break;
		case '}':
		case ']':
			newline(out, --depth);
			fputc(c, out);
			break;
		case ',':
			fputc(c, out);
			newline(out, depth);
			break;
		case ':':
			fputs(": ", out);
			break;
		default:
			fputc(c, out);
		}
	}
	fputc('\n', out);
}
