/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tool-common.h: what every lxkns command-line tool shares: error messages
 * prefixed with the tool name, strict option values, the namespace type
 * filter, and getting a result (live discovery or a saved document).
 */
#ifndef LXKNS_TOOL_COMMON_H
#define LXKNS_TOOL_COMMON_H

#include <stdio.h>

#include <lxkns/lxkns.h>

void tool_init(const char *name);
const char *tool_name(void);
/* Prints "<tool>: <message>" to stderr; returns 1 (the exit code). */
int tool_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A decimal integer in [min, max]; 0 or -EINVAL. */
int tool_parse_int(const char *s, int min, int max, int *ret);
/* "net,user" or Go lxkns' letters "n,U"; ORs into *mask. 0 or -EINVAL. */
int tool_parse_type_filter(const char *s, unsigned *mask);
/* Reads a saved discovery from path ("-": stdin); prints the error. */
int tool_read_input(const char *path, struct lxkns_result **ret);
/* Runs a discovery; prints the error. */
int tool_discover(const struct lxkns_discover_opts *opts, struct lxkns_result **ret);
/* A lxkns_json_sink writing to the FILE * given as userdata. */
int tool_file_sink(void *userdata, const char *buf, size_t len);
void tool_print_diagnostics(const struct lxkns_result *result, FILE *out);

#endif
