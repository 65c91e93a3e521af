/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "parse.h"
#include "strutil.h"

/* The last ')' in buf: comm may itself contain ") (", but nothing after
 * the real end of comm does. */
static const char *last_paren(const char *buf, size_t len)
{
	return memrchr(buf, ')', len);
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
		if (field >= 5 && field <= 17) {
			/* nothing wanted in fields 5..17: skip them at once */
			int skip = 17 - field;
			while (p < end && *p != '\n' && (*p != ' ' || skip-- > 0))
				p++;
			field = 17;
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
