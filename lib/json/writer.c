/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "strutil.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "writer.h"

void jw__flush(struct jw *w)
{
	w->flushes++;
	if (w->len && !w->err) {
		int r = w->sink(w->userdata, w->buf, w->len);
		if (r < 0)
			w->err = r;
	}
	w->len = 0;
}

void jw__put_slow(struct jw *w, const char *s, size_t n)
{
	if (w->err)
		return;
	while (n) {
		if (w->len == sizeof(w->buf))
			jw__flush(w);
		size_t k = sizeof(w->buf) - w->len;
		if (k > n)
			k = n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
}

void jw_init(struct jw *w, const struct lxkns_json_style *style, lxkns_json_sink sink,
	     void *userdata)
{
	memset(w, 0, offsetof(struct jw, buf));
	w->sink = sink;
	w->userdata = userdata;
	if (style)
		w->style = *style;
	else
		w->style = (struct lxkns_json_style)LXKNS_JSON_STYLE_DEFAULT;
	if (w->style.indent > 8)
		w->style.indent = 8;
}

void jw__newline_indent(struct jw *w)
{
	if (w->style.compact)
		return;
	static const char spaces[] =
		"                                                                ";
	static const char tabs[] =
		"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	size_t n = w->style.tab ? (size_t)w->depth : (size_t)w->depth * w->style.indent;
	jw__putc(w, '\n');
	while (n) {
		size_t k = n < 32 ? n : 32;
		jw__put(w, w->style.tab ? tabs : spaces, k);
		n -= k;
	}
}

static void open_(struct jw *w, char c)
{
	jw__before_value(w);
	jw__putc(w, c);
	if (w->depth + 1 >= JW_MAX_DEPTH) {
		w->err = -E2BIG;
		return;
	}
	w->depth++;
	w->has_items[w->depth] = false;
}

static void close_(struct jw *w, char c)
{
	if (w->depth <= 0) {
		w->err = -EINVAL;
		return;
	}
	bool had = w->has_items[w->depth];
	w->depth--;
	if (had)
		jw__newline_indent(w);
	jw__putc(w, c);
}

void jw_object_open(struct jw *w)
{
	open_(w, '{');
}

void jw_object_close(struct jw *w)
{
	close_(w, '}');
}

void jw_array_open(struct jw *w)
{
	open_(w, '[');
}

void jw_array_close(struct jw *w)
{
	close_(w, ']');
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Bytes that need a closer look: controls, '"', '\\', '<', '>', '&' and
 * everything non-ASCII (to validate UTF-8). */
static const unsigned char special[256] = {
	[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1,	  ['<'] = 1,
	['>'] = 1,	  ['&'] = 1, [0x80 ... 0xff] = 1,
};

/* str[0..n) as the body of a JSON string; with nul_sep, each NUL ends one
 * string of an array and starts the next (a compact string list in one
 * pass). */
static void put_escaped_body(struct jw *w, const char *str, size_t n, bool nul_sep)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;

	while (i < n) {
#ifdef __SSE2__
		/* 16 plain bytes at a time: a signed compare below 0x20 also
		 * catches every byte >= 0x80 (negative), which needs a closer look
		 * for UTF-8 anyway */
		while (i + 16 <= n) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
			__m128i bad = _mm_or_si128(
				_mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
					     _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
				_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
							  _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
					     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
							  _mm_cmpeq_epi8(v, _mm_set1_epi8('&')))));
			int mask = _mm_movemask_epi8(bad);
			if (mask) {
				i += (size_t)__builtin_ctz((unsigned)mask);
				break;
			}
			i += 16;
		}
		if (i >= n)
			break;
#endif
		/* the short tail (or a string without SSE2): plain bytes at once */
		while (i < n && !special[s[i]])
			i++;
		if (i >= n)
			break;
		unsigned char c = s[i];
		if (c >= 0x80) {
			size_t l = utf8_len(s + i, n - i);
			/* U+2028/U+2029 are escaped by Go for JavaScript's sake */
			bool ls = l == 3 && c == 0xe2 && s[i + 1] == 0x80 &&
				  (s[i + 2] == 0xa8 || s[i + 2] == 0xa9);
			if (l && !ls) {
				i += l;
				continue;
			}
			jw__put(w, str + start, i - start);
			if (ls)
				jw__put(w, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
			else
				jw__put(w, "\\ufffd", 6);
			i += l ? l : 1;
			start = i;
			continue;
		}
		jw__put(w, str + start, i - start);
		switch (c) {
		case '"':
			jw__put(w, "\\\"", 2);
			break;
		case '\\':
			jw__put(w, "\\\\", 2);
			break;
		case '\n':
			jw__put(w, "\\n", 2);
			break;
		case '\r':
			jw__put(w, "\\r", 2);
			break;
		case '\t':
			jw__put(w, "\\t", 2);
			break;
		case 0:
			if (nul_sep) {
				jw__put(w, "\",\"", 3);
				break;
			}
			/* fall through */
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			jw__put(w, u, 6);
		}
		}
		i++;
		start = i;
	}
	jw__put(w, str + start, n - start);
}

static void put_escaped(struct jw *w, const char *str, size_t n)
{
	jw__putc(w, '"');
	put_escaped_body(w, str, n, false);
	jw__putc(w, '"');
}

void jw_key(struct jw *w, const char *key)
{
	jw__before_value(w);
	put_escaped(w, key, strlen(key));
	jw__putc(w, ':');
	if (!w->style.compact)
		jw__putc(w, ' ');
	w->after_key = true;
}

void jw_key_plain(struct jw *w, const char *key, size_t len)
{
	jw__before_value(w);
	jw__putc(w, '"');
	jw__put(w, key, len);
	if (w->style.compact)
		jw__put(w, "\":", 2);
	else
		jw__put(w, "\": ", 3);
	w->after_key = true;
}

void jw_string_n(struct jw *w, const char *s, size_t len)
{
	jw__before_value(w);
	put_escaped(w, s ? s : "", s ? len : 0);
}

void jw_string_stable(struct jw *w, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (!s)
		s = "";
	jw__before_value(w);
	for (unsigned i = 0; i < JW_CACHE_SLOTS; i++) {
		struct jw_cached *c = &w->cache[i];
		if (c->src == s && c->srclen == len) {
			jw__put(w, c->out, c->outlen);
			return;
		}
	}
	size_t start = w->len;
	unsigned long f = w->flushes;
	put_escaped(w, s, len);
	if (f == w->flushes && w->len - start <= JW_CACHE_BYTES) {
		struct jw_cached *c = &w->cache[w->cache_next++ % JW_CACHE_SLOTS];
		c->src = s;
		c->srclen = len;
		c->outlen = w->len - start;
		memcpy(c->out, w->buf + start, c->outlen);
	}
}

size_t jw_mark(const struct jw *w, unsigned long *ret_flushes)
{
	*ret_flushes = w->flushes;
	return w->len;
}

bool jw_span(const struct jw *w, size_t mark, unsigned long flushes, const char **ret_p,
	     size_t *ret_len)
{
	if (flushes != w->flushes || w->err || mark > w->len)
		return false;
	*ret_p = w->buf + mark;
	*ret_len = w->len - mark;
	return true;
}

void jw_raw_item(struct jw *w, const char *p, size_t len)
{
	jw__put(w, p, len);
	if (w->depth > 0)
		w->has_items[w->depth] = true;
}

void jw_string_list(struct jw *w, const char *blob, size_t len, size_t count)
{
	if (!count || !len || !blob) {
		jw_array_open(w);
		jw_array_close(w);
		return;
	}
	/* (after the check: NULL + 0 is undefined) */
	const char *end = blob + len;
	if (w->style.compact) {
		/* ["a","b"]: the separators are what the NULs escape to */
		jw__before_value(w);
		jw__put(w, "[\"", 2);
		put_escaped_body(w, blob, len - (end[-1] == 0), true);
		jw__put(w, "\"]", 2);
		return;
	}
	jw_array_open(w);
	for (const char *s = blob; s < end;) {
		const char *z = memchr(s, 0, (size_t)(end - s));
		size_t l = z ? (size_t)(z - s) : (size_t)(end - s);
		jw_string_n(w, s, l);
		s += l + 1;
	}
	jw_array_close(w);
}

void jw_raw_value(struct jw *w, const char *p, size_t len)
{
	jw__before_value(w);
	jw__put(w, p, len);
}

void jw_string(struct jw *w, const char *s)
{
	jw_string_n(w, s, s ? strlen(s) : 0);
}

void jw_u64(struct jw *w, uint64_t v)
{
	jw__before_value(w);
	if (sizeof(w->buf) - w->len > 21) {
		/* straight into the buffer (fmt_u64's NUL fits, and is overwritten) */
		w->len += fmt_u64(w->buf + w->len, v);
		return;
	}
	char b[24];
	jw__put(w, b, fmt_u64(b, v));
}

void jw_number_text(struct jw *w, const char *digits, size_t len)
{
	jw__before_value(w);
	jw__put(w, digits, len);
}

void jw_i64(struct jw *w, int64_t v)
{
	jw__before_value(w);
	if (sizeof(w->buf) - w->len > 21) {
		w->len += fmt_i64(w->buf + w->len, v);
		return;
	}
	char b[24];
	jw__put(w, b, fmt_i64(b, v));
}

void jw_bool(struct jw *w, bool v)
{
	jw__before_value(w);
	jw__put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *w)
{
	jw__before_value(w);
	jw__put(w, "null", 4);
}

int jw_finish(struct jw *w)
{
	if (!w->err && w->depth != 0)
		w->err = -EINVAL;
	jw__putc(w, '\n');
	jw__flush(w);
	return w->err;
}
