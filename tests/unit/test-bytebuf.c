/* SPDX-License-Identifier: Apache-2.0 */
/* The one growable buffer (common/bytebuf.h) and the strict parsers the
 * banned atoi() family gives way to (common/strutil.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "strutil.h"
#include "tap.h"

static void test_buf(void)
{
	_cleanup_buf_ struct buf b = BUF_INIT;
	size_t len = 99;

	CHECK(strcmp(buf_str(&b), "") == 0 && b.len == 0, "empty: \"\"");
	CHECK(buf_puts(&b, "pid ") == 0 && buf_printf(&b, "%d", 42) == 0 && buf_putc(&b, '!') == 0,
	      "appends");
	CHECK(b.len == 7 && strcmp(b.data, "pid 42!") == 0, "contents NUL-terminated");
	CHECK(buf_append(&b, "\0x", 2) == 0 && b.len == 9 && b.data[7] == 0 && b.data[8] == 'x' &&
		      b.data[9] == 0,
	      "binary data with NULs");
	buf_truncate(&b, 3);
	CHECK(b.len == 3 && strcmp(b.data, "pid") == 0, "truncate");
	buf_truncate(&b, 10);
	CHECK(b.len == 3, "truncate never grows");
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	CHECK(!b.oom && b.len == 10003 && b.cap > b.len && b.data[b.len] == 0, "grows");
	char *s = buf_steal(&b, &len);
	CHECK(s && len == 10003 && strncmp(s, "pidabc", 6) == 0 && !b.data && b.len == 0,
	      "steal hands over and empties");
	free(s);
	s = buf_steal(&b, &len);
	CHECK(s && len == 0 && *s == 0, "steal of an empty buffer: \"\"");
	free(s);
	CHECK(buf_reserve(&b, SIZE_MAX / 2) == -ENOMEM && b.oom, "impossible size: oom");
	CHECK(buf_puts(&b, "x") == -ENOMEM && b.len == 0, "oom is sticky");
	CHECK(buf_steal(&b, &len) == NULL && len == 0, "steal after oom: NULL");
	CHECK(!b.oom && buf_puts(&b, "again") == 0, "steal resets");
}

static void test_parsers(void)
{
	int64_t i;
	uint64_t u;
	int n;

	CHECK(safe_atoi64_n("14\r\n", 2, &i) == 0 && i == 14, "span parse stops at len");
	CHECK(safe_atoi64_n("14\r\n", 4, &i) == -EINVAL, "trailing bytes rejected");
	CHECK(safe_atou64_n("65535", 5, &u) == 0 && u == 65535, "port");
	CHECK(safe_atou64_n("", 0, &u) == -EINVAL, "empty rejected");
	CHECK(safe_atoi("-7", &n) == 0 && n == -7, "safe_atoi");
	CHECK(safe_atoi("7x", &n) == -EINVAL, "safe_atoi: garbage rejected");
}

int main(void)
{
	test_buf();
	test_parsers();
	return tap_done();
}
