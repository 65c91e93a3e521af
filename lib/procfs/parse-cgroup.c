/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "parse.h"

/* Is ctrl one of the comma-separated controller names in list? */
static bool has_controller(const char *list, size_t len, const char *ctrl)
{
	size_t clen = strlen(ctrl);
	const char *p = list, *end = list + len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		if ((size_t)(e - p) == clen && memcmp(p, ctrl, clen) == 0)
			return true;
		p = e + 1;
	}
	return false;
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
		if ((size_t)(c1 - p) == 1 && p[0] == '0' && clen == 0)
			cg.unified = path;
		else if (has_controller(ctrls, clen, "cpu"))
			cg.cpu = path;
		else if (has_controller(ctrls, clen, "freezer"))
			cg.freezer = path;
		p = eol + 1;
	}
	*ret = cg;
	return 0;
}
