/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target for reading a discovery document: whatever is accepted must
 * write out again without error, and what is written must be accepted and
 * written again byte for byte (the reader's validation and the writer
 * agree: no accepted document turns into a refused one). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lxkns/lxkns.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	char *p;
	size_t len, cap;
};

static int buf_sink(void *userdata, const char *buf, size_t len)
{
	struct sink *s = userdata;
	if (s->len + len > s->cap) {
		size_t ncap = (s->len + len) * 2;
		char *n = realloc(s->p, ncap);
		if (!n)
			return -1;
		s->p = n;
		s->cap = ncap;
	}
	memcpy(s->p + s->len, buf, len);
	s->len += len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lxkns_result *r = NULL, *back = NULL;
	struct sink a = { 0 }, b = { 0 };
	char err[512];
	if (lxkns_result_read_json((const char *)data, size, &r, err, sizeof(err)) != 0)
		return 0;
	/* not assert(): it must hold in release builds too */
	if (lxkns_result_write_json(r, NULL, buf_sink, &a) != 0 || a.len == 0)
		abort();
	if (lxkns_result_read_json(a.p, a.len, &back, err, sizeof(err)) != 0)
		abort();
	if (lxkns_result_write_json(back, NULL, buf_sink, &b) != 0 || b.len != a.len ||
	    memcmp(a.p, b.p, a.len) != 0)
		abort();
	lxkns_result_unref(back);
	lxkns_result_unref(r);
	free(a.p);
	free(b.p);
	return 0;
}
