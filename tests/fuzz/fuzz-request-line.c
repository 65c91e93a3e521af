/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target for the accept gate's verdict on the start of a request
 * (gate_classify): reads only the len bytes it is given (an exact-size
 * copy), never waits once the client is done (EOF), and never changes its
 * mind when more bytes come: a verdict on a prefix holds for the whole. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;
	const char *why_more = NULL, *why_eof = NULL, *why_half = NULL;
	enum gate_verdict more, eof, half;

	if (size > GATE_PEEK_MAX)
		size = GATE_PEEK_MAX;
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	more = gate_classify(buf, size, false, &why_more);
	eof = gate_classify(buf, size, true, &why_eof);
	half = gate_classify(buf, size / 2, false, &why_half);
	free(buf);
	/* not assert(): it must hold in release builds too */
	if (eof == GATE_WAIT)
		abort();
	if (more != GATE_WAIT && (more != eof || (more == GATE_BAD && strcmp(why_more, why_eof))))
		abort();
	if (half != GATE_WAIT && half != more)
		abort();
	if ((more == GATE_BAD && !why_more) || (eof == GATE_BAD && !why_eof))
		abort();
	return 0;
}
