/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "parse.h"

enum { CTRL_CPU = 1, CTRL_FREEZER = 2 };

/* Which of "cpu" and "freezer" the comma-separated controller list names,
 * in one pass. */
static unsigned controllers(const char *list, size_t len)
{
	const char *p = list, *end = list + len;
	unsigned found = 0;

	while (p < end) {
		const char *e = p;
		while (e < end && *e != ',')
			e++;
		size_t n = (size_t)(e - p);
		if (n == 3 && memcmp(p, "cpu", 3) == 0)
			found |= CTRL_CPU;
		else if (n == 7 && memcmp(p, "freezer", 7) == 0)
			found |= CTRL_FREEZER;
		p = e + 1;
	}
	return found;
}

int parse_cgroup(const char *buf, size_t len, struct cgroup_paths *ret)
{
	struct cgroup_paths cg = { 0 };
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol == p) {
			p = eol + 1;
			continue;
		}
		/* hierarchy-ID:controller-list:cgroup-path */
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		if (!c1 || !c2 || c1 == p)
			return -EBADMSG;
		struct span path = { c2 + 1, (size_t)(eol - c2 - 1) };
		const char *ctrls = c1 + 1;
		size_t clen = (size_t)(c2 - ctrls);
		if ((size_t)(c1 - p) == 1 && p[0] == '0' && clen == 0) {
			cg.unified = path;
		} else {
			unsigned found = controllers(ctrls, clen);
			if (found & CTRL_CPU)
				cg.cpu = path;
			if (found & CTRL_FREEZER)
				cg.freezer = path;
		}
		p = eol + 1;
	}
	*ret = cg;
	return 0;
}
