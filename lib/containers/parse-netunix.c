/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-netunix.c: /proc/PID/net/unix, the unix sockets of a network
 * namespace:
 *   Num       RefCount Protocol Flags    Type St Inode Path
 *   0000...: 00000002 00000000 00010000 0001 01 20731 /run/docker.sock
 * A listening socket has __SO_ACCEPTCON (0x10000) in Flags; the path is
 * the rest of the line (it may contain spaces); abstract sockets ("@...")
 * and unnamed ones are of no use as API endpoints and skipped. Pure.
 */
#include <errno.h>
#include <string.h>

#include "containers-internal.h"

#define SO_ACCEPTCON 0x10000

static bool hex_field(const char **p, const char *end, uint64_t *ret)
{
	uint64_t v = 0;
	const char *s = *p;
	int n = 0;
	while (s < end && *s == ' ')
		s++;
	for (; s < end && n < 17; s++, n++) {
		char c = *s;
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
	}
	if (!n || n > 16)
		return false;
	*p = s;
	*ret = v;
	return true;
}

static bool dec_field(const char **p, const char *end, uint64_t *ret)
{
	uint64_t v = 0;
	const char *s = *p;
	int n = 0;
	while (s < end && *s == ' ')
		s++;
	for (; s < end && *s >= '0' && *s <= '9'; s++, n++) {
		if (n >= 19)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (!n)
		return false;
	*p = s;
	*ret = v;
	return true;
}

int ct_parse_net_unix(const char *buf, size_t len,
		      int (*fn)(void *userdata, uint64_t ino, const char *path, size_t plen),
		      void *userdata)
{
	const char *p = buf, *end = buf + len;
	bool header = true;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end, *s = p;
		uint64_t num, refcount, proto, flags, type, st, ino;
		p = eol ? eol + 1 : end;
		if (header) { /* "Num RefCount ..." */
			header = false;
			if (le - s >= 3 && memcmp(s, "Num", 3) == 0)
				continue;
		}
		if (!hex_field(&s, le, &num) || s >= le || *s++ != ':' ||
		    !hex_field(&s, le, &refcount) || !hex_field(&s, le, &proto) ||
		    !hex_field(&s, le, &flags) || !hex_field(&s, le, &type) ||
		    !hex_field(&s, le, &st) || !dec_field(&s, le, &ino))
			continue; /* a line we do not understand */
		if (s >= le || *s != ' ')
			continue; /* no path */
		s++;
		if (!(flags & SO_ACCEPTCON) || st != 1 || s >= le || *s != '/')
			continue;
		int r = fn(userdata, ino, s, (size_t)(le - s));
		if (r)
			return r;
	}
	return 0;
}
