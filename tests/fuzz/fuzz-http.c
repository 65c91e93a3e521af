/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target for the service's check of a request target (control bytes,
 * raw or %-escaped): reads only the len bytes it is given, and agrees with a
 * plain restatement of the rule. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool control(int c)
{
	return c < 0x20 || c == 0x7f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool want = false;

	for (size_t i = 0; i < size && !want; i++) {
		want = control(data[i]);
		if (data[i] == '%' && i + 2 < size && hex(data[i + 1]) >= 0 &&
		    hex(data[i + 2]) >= 0)
			want = control(hex(data[i + 1]) * 16 + hex(data[i + 2]));
	}
	/* not assert(): it must hold in release builds too */
	if (http_target_has_control((const char *)data, size) != want)
		abort();
	return 0;
}
