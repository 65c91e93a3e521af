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
		int c = popcount16(sp);
		if (c <= n && !nl) {
			n -= c;
			p += 16;
			continue;
		}
		break;
	}
#endif
	for (; p < end && *p != '\n'; p++)
		if (*p == ' ' && n-- == 0)
			return p;
	return NULL;
}

int parse_stat(const char *buf, size_t len, struct proc_stat *ret)
{
	const char *open, *close, *p, *end = buf + len;
	struct proc_stat st = { 0 };
	int field, last = 2;
	uint64_t v;
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
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		size_t flen = (size_t)(p - f);
		if (flen == 0)
			return -EBADMSG;
		switch (field) {
		case 3:
			if (flen != 1)
				return -EBADMSG;
			st.state = f[0];
			break;
		case 4:
			if (safe_atoi64_n(f, flen, &sv) < 0 || sv < 0 || sv > INT32_MAX)
				return -EBADMSG;
			st.ppid = (pid_t)sv;
			break;
		case 19:
			if (safe_atoi64_n(f, flen, &sv) < 0)
				return -EBADMSG;
			st.nice = sv;
			break;
		case 20:
		case 22:
		case 40:
		case 41:
			if (safe_atou64_n(f, flen, &v) < 0)
				return -EBADMSG;
			if (field == 20)
				st.num_threads = v;
			else if (field == 22)
				st.starttime = v;
			else if (field == 40)
				st.rt_priority = v;
			else
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
