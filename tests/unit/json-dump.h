/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json-dump.h: a result written into memory as its JSON document, for
 * tests that compare documents (round trips, wire format).
 */
#ifndef LXKNS_TEST_JSON_DUMP_H
#define LXKNS_TEST_JSON_DUMP_H

#include <stdbool.h>
#include <stdlib.h>

#include "bytebuf.h"

#include <lxkns/lxkns.h>

static inline int mem_sink(void *userdata, const char *buf, size_t len)
{
	return buf_append(userdata, buf, len);
}

/* The DiscoveryResult document of r, indented or compact, in .data (NULL
 * when writing failed); free(.data). */
static inline struct buf json_dump(const struct lxkns_result *r, bool compact)
{
	struct buf m = BUF_INIT;
	struct lxkns_json_style style = LXKNS_JSON_STYLE_DEFAULT;
	style.compact = compact;
	if (lxkns_result_write_json(r, &style, mem_sink, &m) < 0) {
		buf_free(&m);
	}
	return m;
}

#endif
