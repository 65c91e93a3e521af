/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json-dump.h: a result written into memory as its JSON document, for
 * tests that compare documents (round trips, wire format).
 */
#ifndef LXKNS_TEST_JSON_DUMP_H
#define LXKNS_TEST_JSON_DUMP_H

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <lxkns/lxkns.h>

struct membuf {
	char *p; /* NUL-terminated; NULL when writing failed */
	size_t len;
};

static inline int mem_sink(void *userdata, const char *buf, size_t len)
{
	struct membuf *m = userdata;
	char *n = realloc(m->p, m->len + len + 1);
	if (!n)
		return -ENOMEM;
	memcpy(n + m->len, buf, len);
	m->p = n;
	m->len += len;
	m->p[m->len] = 0;
	return 0;
}

/* The DiscoveryResult document of r, indented or compact; free(.p). */
static inline struct membuf json_dump(const struct lxkns_result *r, bool compact)
{
	struct membuf m = { 0 };
	struct lxkns_json_style style = LXKNS_JSON_STYLE_DEFAULT;
	style.compact = compact;
	if (lxkns_result_write_json(r, &style, mem_sink, &m) < 0) {
		free(m.p);
		m.p = NULL;
	}
	return m;
}

#endif
