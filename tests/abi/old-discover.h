/* SPDX-License-Identifier: Apache-2.0 */
/*
 * old-discover.h: an "old header" for tests/abi: struct lxkns_discover_opts
 * as a release before today's might have had it, a prefix of today's that
 * ends after procfs_root (no threads, with_containers, container_timeout_ms,
 * container_watcher), and the prototypes such a program calls. Frozen: do
 * not update it when discover.h grows; that is the point.
 */
#ifndef LXKNS_TEST_OLD_DISCOVER_H
#define LXKNS_TEST_OLD_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include <lxkns/model.h>

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
};

struct lxkns_discover_option;

int lxkns_discover_opts_init_sized(struct lxkns_discover_opts *opts, size_t size);
static inline void lxkns_discover_opts_init(struct lxkns_discover_opts *opts)
{
	(void)lxkns_discover_opts_init_sized(opts, sizeof(*opts));
}
int lxkns_discover(const struct lxkns_discover_opts *opts, struct lxkns_result **ret_result);
const struct lxkns_discover_option *lxkns_discover_option_by_query(const char *query);
bool lxkns_discover_option_get(const struct lxkns_discover_option *option,
			       const struct lxkns_discover_opts *opts);
int lxkns_discover_option_set(const struct lxkns_discover_option *option,
			      struct lxkns_discover_opts *opts, bool on);

#endif
