/* SPDX-License-Identifier: Apache-2.0 */
#include "buf.h"

int buf_json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	buf_append(b, "\"", 1);
	for (; *p; p++) {
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
		switch (*p) {
		case '"':
			buf_append(b, "\\\"", 2);
			continue;
		case '\\':
			buf_append(b, "\\\\", 2);
			continue;
		case '\n':
			buf_append(b, "\\n", 2);
			continue;
		case '\r':
			buf_append(b, "\\r", 2);
			continue;
		case '\t':
			buf_append(b, "\\t", 2);
			continue;
		}
		/* Control characters, and <, >, & as Go escapes them (HTML-safe). */
		if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xf];
			buf_append(b, esc, 6);
		} else if (*p >= 0x80) {
			/* Only ASCII here: error messages quote paths and query
			 * values, which may hold any bytes. */
			buf_append(b, "\\ufffd", 6);
		} else {
			buf_append(b, (const char *)p, 1);
		}
	}
	return buf_append(b, "\"", 1);
}

int buf_sink(void *userdata, const char *data, size_t len)
{
	return buf_append(userdata, data, len);
}
