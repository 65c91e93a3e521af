/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "parse.h"
#include "strutil.h"

static inline bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

size_t unescape_octal(const char *s, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && is_octal(s[i + 1]) && is_octal(s[i + 2]) &&
		    is_octal(s[i + 3])) {
			unsigned v = (unsigned)(s[i + 1] - '0') * 64 +
				     (unsigned)(s[i + 2] - '0') * 8 + (unsigned)(s[i + 3] - '0');
			if (v <= 0xff) {
				out[o++] = (char)v;
				i += 3;
				continue;
			}
		}
		out[o++] = s[i];
	}
	return o;
}

/* Next space-separated field of [*p, end); NULL span at the end. */
static struct span next_field(const char **p, const char *end)
{
	struct span f = { NULL, 0 };
	const char *q = *p;

	while (q < end && *q == ' ')
		q++;
	if (q == end) {
		*p = q;
		return f;
	}
	f.p = q;
	while (q < end && *q != ' ')
		q++;
	f.len = (size_t)(q - f.p);
	*p = q;
	return f;
}

static struct span decode(struct span s, char **dbuf)
{
	struct span d;

	if (!memchr(s.p, '\\', s.len))
		return s;
	d.p = *dbuf;
	d.len = unescape_octal(s.p, s.len, *dbuf);
	*dbuf += d.len;
	return d;
}

int parse_mountinfo_line(const char *line, size_t len, char *decode_buf,
			 struct mountinfo_entry *ret)
{
	const char *p = line, *end = line + len;
	struct mountinfo_entry e = { 0 };
	struct span f[6];
	uint64_t v;

	/* 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue */
	for (int i = 0; i < 6; i++) {
		f[i] = next_field(&p, end);
		if (!f[i].p)
			return -EBADMSG;
	}
	if (safe_atou64_n(f[0].p, f[0].len, &e.mount_id) < 0 ||
	    safe_atou64_n(f[1].p, f[1].len, &e.parent_id) < 0)
		return -EBADMSG;
	const char *colon = memchr(f[2].p, ':', f[2].len);
	if (!colon)
		return -EBADMSG;
	if (safe_atou64_n(f[2].p, (size_t)(colon - f[2].p), &v) < 0 || v > UINT32_MAX)
		return -EBADMSG;
	e.major = (unsigned)v;
	if (safe_atou64_n(colon + 1, (size_t)(f[2].p + f[2].len - colon - 1), &v) < 0 ||
	    v > UINT32_MAX)
		return -EBADMSG;
	e.minor = (unsigned)v;
	e.root = decode(f[3], &decode_buf);
	e.mountpoint = decode(f[4], &decode_buf);
	e.options = f[5];

	/* optional fields up to the lone "-" separator */
	const char *opt_start = NULL, *opt_end = NULL;
	for (;;) {
		struct span o = next_field(&p, end);
		if (!o.p)
			return -EBADMSG;
		if (o.len == 1 && o.p[0] == '-')
			break;
		if (!opt_start)
			opt_start = o.p;
		opt_end = o.p + o.len;
	}
	if (opt_start) {
		e.optional.p = opt_start;
		e.optional.len = (size_t)(opt_end - opt_start);
	} else {
		e.optional.p = p;
		e.optional.len = 0;
	}
	/* after " - ": exactly one space between fstype, source and super
	 * options; the source may be empty ("- tmpfs  rw") */
	struct span rest[3];
	if (p < end && *p == ' ')
		p++;
	for (int i = 0; i < 3; i++) {
		const char *sp = i < 2 ? memchr(p, ' ', (size_t)(end - p)) : NULL;
		const char *e2 = sp ? sp : end;
		if (i < 2 && !sp)
			return -EBADMSG;
		rest[i].p = p;
		rest[i].len = (size_t)(e2 - p);
		p = sp ? sp + 1 : end;
	}
	if (rest[0].len == 0)
		return -EBADMSG;
	e.fstype = rest[0];
	e.source = decode(rest[1], &decode_buf);
	e.superoptions = rest[2];
	*ret = e;
	return 0;
}
