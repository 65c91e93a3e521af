/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strutil.h: strict number parsing (no atoi/strtol pitfalls: the whole
 * string must be a number that fits) and small bounded string helpers.
 */
#ifndef LXKNS_COMMON_STRUTIL_H
#define LXKNS_COMMON_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses decimal digits s[0..len) completely; 0 or -EINVAL/-ERANGE. */
int safe_atou64_n(const char *s, size_t len, uint64_t *ret);
/* Same with an optional leading '-'. */
int safe_atoi64_n(const char *s, size_t len, int64_t *ret);
/* NUL-terminated variants. */
int safe_atou64(const char *s, uint64_t *ret);
int safe_atoi(const char *s, int *ret);

/* Parses "type:[ino]" as found in nsfs links and mountinfo; the type name
 * part (e.g. "net", "socket") is returned as a span. 0 or -EINVAL. */
int parse_bracket_ino(const char *s, size_t len, const char **ret_name, size_t *ret_namelen,
		      uint64_t *ret_ino);

/* Formats v in decimal into buf (at least 21 bytes), NUL-terminated;
 * returns the length. Much cheaper than snprintf on hot paths. */
size_t fmt_u64(char *buf, uint64_t v);
size_t fmt_i64(char *buf, int64_t v);

/* Builds short paths such as "1234/task/1235/ns/net" in buf[p..end)
 * without snprintf (about 1000 instructions a call, on paths built per
 * namespace). Each appends, writes the NUL and returns the new end, or
 * NULL when it would not fit; a NULL p passes through, so a chain needs
 * one check at its end. */
char *strcat_span(char *p, const char *end, const char *s);
char *strcat_u64(char *p, const char *end, uint64_t v);
#endif
