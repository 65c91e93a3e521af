/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tap.h: a minimal TAP producer for unit tests (meson's protocol: 'tap').
 * CHECK* report one test point each and continue; the exit code says
 * whether any failed.
 */
#ifndef LXKNS_TAP_H
#define LXKNS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* One line of description: newlines in values would break TAP. */
__attribute__((format(printf, 1, 2))) static inline void tap_print(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	puts(buf);
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		tap_n++;                                                                           \
		if (cond) {                                                                        \
			printf("ok %d - ", tap_n);                                                 \
		} else {                                                                           \
			tap_failed++;                                                              \
			printf("not ok %d - %s:%d: ", tap_n, __FILE__, __LINE__);                  \
		}                                                                                  \
		tap_print(__VA_ARGS__);                                                            \
	} while (0)

#define CHECK_INT(got, want, what)                                                                 \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		CHECK(g_ == w_, "%s: got %lld, want %lld", what, g_, w_);                          \
	} while (0)

#define CHECK_STR(got, want, what)                                                                 \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		CHECK(g_ &&w_ &&strcmp(g_, w_) == 0, "%s: got \"%s\", want \"%s\"", what,          \
		      g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                     \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
