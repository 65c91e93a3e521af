/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "parse.h"
#include "strutil.h"

int parse_status_nspid(const char *buf, size_t len, pid_t *pids, size_t max, size_t *ret_count)
{
	static const char key[] = "NSpid:";
	const char *p = buf, *end = buf + len;

	/* jump to the line (status has some 60 lines; NSpid is near the top,
	 * after a few others that start with 'N') */
	if (len < sizeof(key) - 1 || memcmp(buf, key, sizeof(key) - 1) != 0) {
		const char *hit = NULL;
		for (const char *q = buf + 1; q < end; q++) {
			q = memchr(q, 'N', (size_t)(end - q));
			if (!q)
				break;
			if (q[-1] == '\n' && (size_t)(end - q) >= sizeof(key) - 1 &&
			    memcmp(q, key, sizeof(key) - 1) == 0) {
				hit = q;
				break;
			}
		}
		if (!hit)
			return -ENOENT;
		p = hit;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) >= sizeof(key) - 1 && memcmp(p, key, sizeof(key) - 1) == 0) {
			size_t n = 0;
			const char *q = p + sizeof(key) - 1;
			while (q < eol) {
				while (q < eol && (*q == ' ' || *q == '\t'))
					q++;
				if (q == eol)
					break;
				const char *f = q;
				while (q < eol && *q != ' ' && *q != '\t')
					q++;
				int64_t v;
				if (safe_atoi64_n(f, (size_t)(q - f), &v) < 0 || v <= 0 ||
				    v > INT32_MAX)
					return -EBADMSG;
				if (n == max)
					return -EBADMSG;
				pids[n++] = (pid_t)v;
			}
			if (n == 0)
				return -EBADMSG;
			*ret_count = n;
			return 0;
		}
		p = eol + 1;
	}
	return -ENOENT;
}
