/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target for reading a discovery document: whatever is accepted must
 * write out again without error. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include <lxkns/lxkns.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int null_sink(void *userdata, const char *buf, size_t len)
{
	*(size_t *)userdata += len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lxkns_result *r = NULL;
	char err[512];
	if (lxkns_result_read_json((const char *)data, size, &r, err, sizeof(err)) == 0) {
		size_t n = 0;
		/* not assert(): it must hold in release builds too */
		if (lxkns_result_write_json(r, NULL, null_sink, &n) != 0 || n == 0)
			abort();
		lxkns_result_unref(r);
	}
	return 0;
}
