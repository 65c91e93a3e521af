/* SPDX-License-Identifier: Apache-2.0 */
/*
 * abi-report.h: what the translation units built against the old and the
 * future header (abi-old.c, abi-future.c) saw, for test-abi.c (built
 * against today's headers) to check. Mentions no struct of the API.
 */
#ifndef LXKNS_TEST_ABI_REPORT_H
#define LXKNS_TEST_ABI_REPORT_H

#include <stdbool.h>
#include <stddef.h>

struct lxkns_result;

struct old_report {
	size_t struct_size;	/* sizeof the old struct */
	size_t size_after_init; /* opts.size after init */
	bool canary_after_init; /* the bytes after the struct untouched */
	bool default_procs;	/* from_procs after init */
	int set_containers;	/* option_set("containers") on the old struct */
	bool canary_after_set;	/* ... and the bytes after it untouched */
	bool get_containers;	/* option_get("containers") on the old struct */
	int set_fds;		/* option_set("fds", false) */
	int discover;		/* lxkns_discover() with the old struct */
	struct lxkns_result *result;
	int discover_size0;	 /* ... with size 0 */
	int discover_size_small; /* ... with size 4 (less than the size field) */
};

struct future_report {
	size_t struct_size;
	size_t size_after_init;
	bool tail_zeroed;  /* init zeroed the unknown field */
	int discover_zero; /* unknown field 0 */
	struct lxkns_result *result;
	int discover_nonzero;	 /* unknown field 1 */
	int discover_huge;	 /* size 1 MiB */
	int write_style_zero;	 /* JSON style with unknown field 0 */
	int write_style_nonzero; /* ... 1 */
	int write_style_size0;	 /* style with size 0 */
	size_t written_zero;	 /* bytes written with the zero-tail style */
};

void abi_old_run(const char *procfs_root, struct old_report *rep);
void abi_future_run(const char *procfs_root, struct future_report *rep);

#endif
