/* SPDX-License-Identifier: Apache-2.0 */
/*
 * writer.h: a streaming JSON writer: nesting state, commas and indentation
 * handled here, output buffered in 16 KiB and pushed to a sink. Strings are
 * escaped the way Go's encoding/json does (so our bytes match Go lxkns'),
 * invalid UTF-8 becomes U+FFFD.
 */
#ifndef LXKNS_JSON_WRITER_H
#define LXKNS_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lxkns/json.h"

#define JW_MAX_DEPTH 32
#define JW_CACHE_SLOTS 4
#define JW_CACHE_BYTES 160

/* Recently written strings (by address) and their escaped output: a
 * process and its main task share name and cgroup strings, so each is
 * escaped once. Only for strings that stay put while writing. */
struct jw_cached {
	const char *src;
	size_t srclen, outlen;
	char out[JW_CACHE_BYTES];
};

struct jw {
	lxkns_json_sink sink;
	void *userdata;
	struct lxkns_json_style style;
	int depth;
	bool has_items[JW_MAX_DEPTH];
	bool after_key;
	int err;
	unsigned long flushes; /* to tell whether output is still in buf */
	unsigned cache_next;
	struct jw_cached cache[JW_CACHE_SLOTS];
	size_t len;
	/* Not the common struct buf (common/bytebuf.h) on purpose: a fixed
	 * buffer flushed to the sink when full, so the hot path (every key and
	 * value of every document) never reallocates nor checks for OOM. */
	char buf[16384];
};

void jw_init(struct jw *w, const struct lxkns_json_style *style, lxkns_json_sink sink,
	     void *userdata);
void jw_object_open(struct jw *w);
void jw_object_close(struct jw *w);
void jw_array_open(struct jw *w);
void jw_array_close(struct jw *w);
void jw_key(struct jw *w, const char *key);
/* A key known to need no escaping (a literal or digits): no scan. */
void jw_key_plain(struct jw *w, const char *key, size_t len);
/* A literal key, quoted and with its colon at compile time: inlined, so
 * the copy has a constant size (a few moves, no memcpy call). */
#define JW_KEY(w, lit) jw_key_quoted((w), "\"" lit "\":", sizeof(lit) + 2)
void jw_string(struct jw *w, const char *s);
void jw_string_n(struct jw *w, const char *s, size_t len);
/* An array of the count strings in blob[0..len), each ended by a NUL (the
 * last one's may be missing). */
void jw_string_list(struct jw *w, const char *blob, size_t len, size_t count);
/* jw_string() for strings that do not move or change while writing (the
 * result's): repeated ones are copied from a small cache, not escaped. */
void jw_string_stable(struct jw *w, const char *s);
/* Where the next output byte goes, and whether [mark, now) is still in the
 * buffer (for callers that reuse a fragment they just wrote). */
size_t jw_mark(const struct jw *w, unsigned long *ret_flushes);
bool jw_span(const struct jw *w, size_t mark, unsigned long flushes, const char **ret_p,
	     size_t *ret_len);
/* Writes a fragment captured with jw_span as the next item of the current
 * object or array (it must have been written at this depth). */
void jw_raw_item(struct jw *w, const char *p, size_t len);
/* A value captured with jw_span (written at this depth), with the comma and
 * line break it needs here. */
void jw_raw_value(struct jw *w, const char *p, size_t len);
void jw_u64(struct jw *w, uint64_t v);
/* A number already formatted in decimal. */
void jw_number_text(struct jw *w, const char *digits, size_t len);
void jw_i64(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Writes the final newline and flushes; returns 0 or the sink's -errno. */
int jw_finish(struct jw *w);

/* The hot part of the writer, inline: copying into the buffer, and the
 * comma and line break before a value. (jw__ names: internal to writer.) */
void jw__put_slow(struct jw *w, const char *s, size_t n);
void jw__flush(struct jw *w);
void jw__newline_indent(struct jw *w);

static inline void jw__put(struct jw *w, const char *s, size_t n)
{
	if (n <= sizeof(w->buf) - w->len) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	} else {
		jw__put_slow(w, s, n);
	}
}

static inline void jw__putc(struct jw *w, char c)
{
	if (w->len == sizeof(w->buf))
		jw__flush(w);
	w->buf[w->len++] = c;
}

/* Before any value: the comma and line break, unless it follows a key. */
static inline __attribute__((always_inline)) void jw__before_value(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (w->has_items[w->depth])
			jw__putc(w, ',');
		w->has_items[w->depth] = true;
		if (!w->style.compact)
			jw__newline_indent(w);
	}
}

static inline __attribute__((always_inline)) void jw_key_quoted(struct jw *w,
								const char *quoted_colon,
								size_t len)
{
	jw__before_value(w);
	jw__put(w, quoted_colon, len);
	if (!w->style.compact)
		jw__putc(w, ' ');
	w->after_key = true;
}

#endif
