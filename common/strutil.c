/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "strutil.h"

int safe_atou64_n(const char *s, size_t len, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i = 0;

	if (!s || len == 0)
		return -EINVAL;
	/* up to 19 digits cannot overflow: no check per digit */
	for (; i < len && i < 19; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return -EINVAL;
		v = v * 10 + d;
	}
	for (; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int safe_atoi64_n(const char *s, size_t len, int64_t *ret)
{
	bool neg = false;
	uint64_t v;
	int r;

	if (!s || len == 0)
		return -EINVAL;
	if (s[0] == '-') {
		neg = true;
		s++;
		len--;
	}
	r = safe_atou64_n(s, len, &v);
	if (r < 0)
		return r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*ret = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > INT64_MAX)
			return -ERANGE;
		*ret = (int64_t)v;
	}
	return 0;
}

int safe_atou64(const char *s, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i = 0;

	if (!s)
		return -EINVAL;
	/* one pass, no strlen first: it parses every /proc entry name */
	for (; s[i]; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9)
			return -EINVAL;
		if (i >= 19 && v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (i == 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

int safe_atoi(const char *s, int *ret)
{
	int64_t v;
	int r;

	if (!s)
		return -EINVAL;
	r = safe_atoi64_n(s, strlen(s), &v);
	if (r < 0)
		return r;
	if (v < INT32_MIN || v > INT32_MAX)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

int parse_bracket_ino(const char *s, size_t len, const char **ret_name, size_t *ret_namelen,
		      uint64_t *ret_ino)
{
	const char *colon, *end = s + len;
	uint64_t ino;

	colon = memchr(s, ':', len);
	if (!colon || colon == s)
		return -EINVAL;
	/* at least ":[d]" */
	if (end - colon < 4 || colon[1] != '[' || end[-1] != ']')
		return -EINVAL;
	if (safe_atou64_n(colon + 2, (size_t)(end - 1 - (colon + 2)), &ino) < 0)
		return -EINVAL;
	*ret_name = s;
	*ret_namelen = (size_t)(colon - s);
	*ret_ino = ino;
	return 0;
}

size_t fmt_u64(char *buf, uint64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	static const uint64_t pow10[20] = { 1ull,
					    10ull,
					    100ull,
					    1000ull,
					    10000ull,
					    100000ull,
					    1000000ull,
					    10000000ull,
					    100000000ull,
					    1000000000ull,
					    10000000000ull,
					    100000000000ull,
					    1000000000000ull,
					    10000000000000ull,
					    100000000000000ull,
					    1000000000000000ull,
					    10000000000000000ull,
					    100000000000000000ull,
					    1000000000000000000ull,
					    10000000000000000000ull };
	/* the digit count from the bit length (1233/4096 ~ log10(2)), so the
	 * digits go straight to their place, two at a time from the end */
	unsigned t = ((64u - (unsigned)__builtin_clzll(v | 1)) * 1233u) >> 12;
	size_t n = t + 1 - ((v | 1) < pow10[t]); /* 0 has one digit */
	char *q = buf + n;

	*q = 0;
	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;
		v /= 100;
		*--q = pairs[d + 1];
		*--q = pairs[d];
	}
	if (v >= 10) {
		*--q = pairs[v * 2 + 1];
		*--q = pairs[v * 2];
	} else {
		*--q = (char)('0' + v);
	}
	return n;
}

size_t fmt_i64(char *buf, int64_t v)
{
	if (v >= 0)
		return fmt_u64(buf, (uint64_t)v);
	buf[0] = '-';
	return 1 + fmt_u64(buf + 1, v == INT64_MIN ? (uint64_t)INT64_MAX + 1 : (uint64_t)-v);
}

char *strcat_span(char *p, const char *end, const char *s)
{
	if (!p)
		return NULL;
	size_t n = strlen(s);
	if (n >= (size_t)(end - p))
		return NULL;
	memcpy(p, s, n + 1);
	return p + n;
}

char *strcat_u64(char *p, const char *end, uint64_t v)
{
	char b[24];
	size_t n;

	if (!p)
		return NULL;
	n = fmt_u64(b, v);
	if (n >= (size_t)(end - p))
		return NULL;
	memcpy(p, b, n + 1);
	return p + n;
}
