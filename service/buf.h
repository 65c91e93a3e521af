/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h: a growable byte buffer for response bodies (JSON documents, metrics,
 * error bodies), with a JSON string escaper that escapes like Go's
 * encoding/json, so user-controlled text (paths, query values) stays valid
 * and inert JSON.
 */
#ifndef LXKNS_SERVICE_BUF_H
#define LXKNS_SERVICE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
	/* Set by the first failed allocation; later appends are no-ops. */
	bool oom;
};

/* 0 or -ENOMEM (also remembered in b->oom). */
int buf_append(struct buf *b, const char *s, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a quoted JSON string. */
int buf_json_string(struct buf *b, const char *s);
/* A lxkns_json_sink appending to the struct buf given as userdata. */
int buf_sink(void *userdata, const char *data, size_t len);
/* Hands the data over (NUL-terminated; caller frees); the buffer is empty
 * afterwards. NULL after an allocation failure. */
char *buf_steal(struct buf *b, size_t *ret_len);
void buf_free(struct buf *b);

#endif
