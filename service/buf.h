/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h: what the service adds to the growable buffer (common/bytebuf.h)
 * for response bodies (JSON documents, metrics, error bodies): a JSON string
 * escaper that escapes like Go's encoding/json, so user-controlled text
 * (paths, query values) stays valid and inert JSON, and a JSON writer sink.
 */
#ifndef LXKNS_SERVICE_BUF_H
#define LXKNS_SERVICE_BUF_H

#include <stddef.h>

#include "bytebuf.h"

/* s as a quoted JSON string. */
int buf_json_string(struct buf *b, const char *s);
/* A lxkns_json_sink appending to the struct buf given as userdata. */
int buf_sink(void *userdata, const char *data, size_t len);

#endif
