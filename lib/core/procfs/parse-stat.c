/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "parse.h"
#include "strutil.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The last ')' in buf: comm may itself contain ") (", but nothing after
 * the real end of comm does. */
static const char *last_paren(const char *buf, size_t len)
{
	return memrchr(buf, ')', len);
}

/* Bits set in a 16-bit mask (SWAR: x86-64's baseline has no popcnt, and
 * __builtin_popcount would call libgcc). */
static inline int popcount16(unsigned x)
{
	x = x - ((x >> 1) & 0x5555);
	x = (x & 0x3333) + ((x >> 2) & 0x3333);
	x = (x + (x >> 4)) & 0x0f0f;
	return (int)((x + (x >> 8)) & 0x1f);
}

/* Skips n spaces from p; returns the position of the n-th space (before
 * the field after it), or NULL when the line ends first. */
static const char *skip_spaces(const char *p, const char *end, int n)
{
#ifdef __SSE2__
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
		unsigned nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
		if (nl)
			sp &= (nl & -nl) - 1; /* only the spaces before the line's end */
		int c = popcount16(sp);
		if (c > n) {
			while (n--)
				sp &= sp - 1;
			return p + __builtin_ctz(sp);
		}
		if (nl)
			return NULL;
		n -= c;
		p += 16;
	}
#endif
	for (; p < end && *p != '\n'; p++)
		if (*p == ' ' && n-- == 0)
			return p;
	return NULL;
}

/* The fields parse_stat keeps: numbers, parsed while scanning. */
static bool wanted_number(int field)
{
	return field == 4 || field == 19 || field == 20 || field == 22 || field == 40 ||
	       field == 41;
}

int parse_stat(const char *buf, size_t len, struct proc_stat *ret)
{
	const char *open, *close, *p, *end = buf + len;
	struct proc_stat st = { 0 };
	int field, last = 2;
	int64_t sv;

	open = memchr(buf, '(', len);
	close = last_paren(buf, len);
	if (!open || !close || close < open || open == buf || open[-1] != ' ')
		return -EBADMSG;
	if (safe_atoi64_n(buf, (size_t)(open - 1 - buf), &sv) < 0 || sv <= 0 || sv > INT32_MAX)
		return -EBADMSG;
	st.pid = (pid_t)sv;
	st.comm.p = open + 1;
	st.comm.len = (size_t)(close - open - 1);

	/* fields from 3 (state) on, separated by single spaces */
	p = close + 1;
	for (field = 3; p < end && *p == ' ' && field <= 41; field++) {
		const char *f = ++p;
		if ((field >= 5 && field <= 17) || (field >= 23 && field <= 38)) {
			/* nothing wanted here: skip to the last of the run at once */
			int upto = field <= 17 ? 17 : 38;
			p = skip_spaces(p, end, upto - field);
			if (!p)
				return last >= 22 ? (*ret = st, 0) : -EBADMSG;
			field = upto;
			last = field;
			continue;
		}
		if (!wanted_number(field)) {
			/* state (3), and fields kept for nothing (18, 21, 39) */
			while (p < end && *p != ' ' && *p != '\n')
				p++;
			if (p == f || (field == 3 && p - f != 1))
				return -EBADMSG;
			if (field == 3)
				st.state = f[0];
			last = field;
			continue;
		}
		/* a decimal number, read as it is scanned */
		bool neg = p < end && *p == '-';
		uint64_t v = 0;
		p += neg;
		const char *digits = p;
		for (; p < end; p++) {
			unsigned d = (unsigned)(unsigned char)*p - '0';
			if (d > 9)
				break;
			v = v * 10 + d;
		}
		/* 19 digits cannot overflow; no stat number comes near */
		if (p == digits || p - digits > 19 || (p < end && *p != ' ' && *p != '\n') ||
		    (neg && field != 19))
			return -EBADMSG;
		switch (field) {
		case 4:
			if (v > INT32_MAX)
				return -EBADMSG;
			st.ppid = (pid_t)v;
			break;
		case 19:
			st.nice = neg ? -(int64_t)v : (int64_t)v;
			break;
		case 20:
			st.num_threads = v;
			break;
		case 22:
			st.starttime = v;
			break;
		case 40:
			st.rt_priority = v;
			break;
		default: /* 41 */
			st.policy = v;
			break;
		}
		last = field;
	}
	/* a stat cut short before the start time is broken */
	if (last < 22)
		return -EBADMSG;
	*ret = st;
	return 0;
}
