/* SPDX-License-Identifier: Apache-2.0 */
/*
 * future-discover.h: a "future header" for tests/abi: today's struct
 * lxkns_discover_opts and struct lxkns_json_style each with one more field
 * at the end, as a program built against a newer release has them. Keep
 * the known part in step with include/lxkns/discover.h and json.h (the
 * test checks the sizes line up).
 */
#ifndef LXKNS_TEST_FUTURE_DISCOVER_H
#define LXKNS_TEST_FUTURE_DISCOVER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <lxkns/model.h>

struct lxkns_container_watcher;

struct lxkns_discover_opts {
	size_t size;
	unsigned type_mask;
	bool from_procs;
	bool from_tasks;
	bool from_fds;
	bool from_sockets;
	bool from_bindmounts;
	bool with_hierarchy;
	bool with_ownership;
	bool with_user_names;
	bool with_nspids;
	bool with_mounts;
	bool with_freezer;
	bool with_affinity;
	bool with_task_affinity;
	const char *procfs_root;
	unsigned threads;
	bool with_containers;
	unsigned container_timeout_ms;
	struct lxkns_container_watcher *container_watcher;
	uint64_t future_field; /* unknown to today's library */
};

struct lxkns_json_style {
	size_t size;
	unsigned indent;
	bool tab;
	bool compact;
	uint64_t future_field; /* unknown to today's library */
};

int lxkns_discover_opts_init_sized(struct lxkns_discover_opts *opts, size_t size);
int lxkns_discover(const struct lxkns_discover_opts *opts, struct lxkns_result **ret_result);
int lxkns_result_write_json_file(const struct lxkns_result *result,
				 const struct lxkns_json_style *style, FILE *out);

#endif
