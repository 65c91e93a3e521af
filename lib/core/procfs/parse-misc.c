/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "lxkns/species.h"
#include "parse.h"
#include "species-internal.h"
#include "strutil.h"

int parse_ns_link(const char *s, size_t len, int *ret_type, uint64_t *ret_ino)
{
	const char *name;
	size_t nlen;
	uint64_t ino;

	if (parse_bracket_ino(s, len, &name, &nlen, &ino) < 0 || ino == 0)
		return -EBADMSG;
	*ret_type = species_from_name_n(name, nlen);
	if (*ret_type < 0)
		*ret_type = -1;
	*ret_ino = ino;
	return 0;
}

int parse_passwd_line(const char *line, size_t len, struct span *ret_name, uid_t *ret_uid)
{
	/* name:password:UID:GID:gecos:home:shell */
	const char *end = line + len, *c1, *c2, *c3;
	uint64_t uid;

	if (len == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-')
		return -EBADMSG;
	c1 = memchr(line, ':', len);
	if (!c1 || c1 == line)
		return -EBADMSG;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (!c2)
		return -EBADMSG;
	c3 = memchr(c2 + 1, ':', (size_t)(end - c2 - 1));
	if (!c3)
		return -EBADMSG;
	if (safe_atou64_n(c2 + 1, (size_t)(c3 - c2 - 1), &uid) < 0 || uid > UINT32_MAX - 1)
		return -EBADMSG;
	ret_name->p = line;
	ret_name->len = (size_t)(c1 - line);
	*ret_uid = (uid_t)uid;
	return 0;
}

int parse_cpulist(const char *buf, size_t len, uint32_t *ranges, size_t max, size_t *ret_count)
{
	const char *p = buf, *end = buf + len;
	size_t n = 0;

	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		const char *dash = memchr(p, '-', (size_t)(e - p));
		uint64_t from, to;
		if (safe_atou64_n(p, (size_t)((dash ? dash : e) - p), &from) < 0)
			return -EBADMSG;
		to = from;
		if (dash && safe_atou64_n(dash + 1, (size_t)(e - dash - 1), &to) < 0)
			return -EBADMSG;
		if (from > to || to > UINT32_MAX || n == max)
			return -EBADMSG;
		ranges[2 * n] = (uint32_t)from;
		ranges[2 * n + 1] = (uint32_t)to;
		n++;
		p = e + 1;
	}
	*ret_count = n;
	return 0;
}
