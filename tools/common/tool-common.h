/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tool-common.h: what every lxkns command-line tool shares: error messages
 * prefixed with the tool name, strict option values, the namespace type
 * filter, and getting a result (live discovery or a saved document).
 */
#ifndef LXKNS_TOOL_COMMON_H
#define LXKNS_TOOL_COMMON_H

#include <getopt.h>
#include <stdio.h>

#include <lxkns/lxkns.h>

/* Names the tool (its messages, "Try 'TOOL --help'", its man page) and
 * starts the usage phase (see tool_fail()). */
void tool_init(const char *name);
const char *tool_name(void);
/*
 * Prints "<tool>: <message>" to stderr; returns 1 (the exit code). While the
 * command line is being checked (from tool_init() to tool_usage_done()), a
 * failure is a usage error and is followed, as in util-linux, by
 * "Try '<tool> --help' for more information.".
 */
int tool_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The command line is checked: tool_fail() is a plain error from now on.
 * tool_opts_finish() calls it. */
void tool_usage_done(void);
/* Prints "Try '<tool> --help' for more information." to stderr (once per
 * run, however often a failing path asks); returns 1. */
int tool_usage_hint(void);
/* --help: usage(stdout), then the pointer to the man page
 * ("For more details see <tool>(1)."). */
void tool_help(void (*usage)(FILE *out));
/* --version: "<tool> (lxkns) <version>". */
void tool_version(void);

/*
 * getopt_long() with the tool's name in its messages: glibc's getopt starts
 * "unrecognized option", "option requires an argument" and the like with
 * argv[0], which is a path when the tool is run by one; this sets argv[0]
 * to the tool's name first, so every usage error reads "<tool>: ...". The
 * tools call getopt_long() as usual: the macro below routes it here.
 */
int tool_getopt_long(int argc, char *const argv[], const char *shortopts,
		     const struct option *longopts, int *longindex);
#define getopt_long tool_getopt_long
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
/* With diagnostics, every diagnostic (tool_print_diagnostics); without, one
 * line when the view is partial for lack of privilege ("lsuns: 64 processes
 * could not be read (needs CAP_SYS_PTRACE); --diagnostics lists them"). */
void tool_report_view(const struct lxkns_result *result, bool diagnostics, FILE *out);

#endif
