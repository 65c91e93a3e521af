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

#include "lxkns/json.h"

#define JW_MAX_DEPTH 32

struct jw {
	lxkns_json_sink sink;
	void *userdata;
	struct lxkns_json_style style;
	int depth;
	bool has_items[JW_MAX_DEPTH];
	bool after_key;
	int err;
	size_t len;
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
#define JW_KEY(w, lit) jw_key_plain((w), "" lit, sizeof(lit) - 1)
void jw_string(struct jw *w, const char *s);
void jw_string_n(struct jw *w, const char *s, size_t len);
void jw_u64(struct jw *w, uint64_t v);
/* A number already formatted in decimal. */
void jw_number_text(struct jw *w, const char *digits, size_t len);
void jw_i64(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Writes the final newline and flushes; returns 0 or the sink's -errno. */
int jw_finish(struct jw *w);

#endif
