/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options.c: the one table of boolean discovery options. A row names the
 * field of struct lxkns_discover_opts (by offset: get and set look at the
 * caller's opts->size, so an older caller's struct is never read or written
 * past its end), and everything said about it
 * elsewhere comes from here: the service's query parameter, dumpns's flag
 * and --help line, the key in the JSON "discovery-options" (written by
 * lib/json/marshal.c in Go's key order, json_rank, and read back by
 * unmarshal.c), the default (lxkns_discover_opts_init()), and the
 * service's cache key. Row order is dumpns --help's and the service's.
 * tests/unit/check-options.py compares the table with dumpns --help, the
 * man pages, README, the bash completion, the service and a dumpns document.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "discover-internal.h"
#include "options-internal.h"

#define FIELD(f) .offset = offsetof(struct lxkns_discover_opts, f)

static const struct option_row rows[] = {
	{ { "procs", "no-procs", "do not scan /proc/PID/ns of processes", "from-procs", true },
	  FIELD(from_procs),
	  .json_rank = 1 },
	{ { "tasks", "no-tasks", "do not scan threads (no loose threads)", "from-tasks", true },
	  FIELD(from_tasks),
	  .json_rank = 2 },
	{ { "fds", "no-fds", "do not scan fds for namespace references", "from-fds", true },
	  FIELD(from_fds),
	  .json_rank = 3 },
	{ { "sockets", "no-sockets", "do not look up the network namespaces of sockets",
	    "from-sockets", true },
	  FIELD(from_sockets),
	  .json_rank = OPTIONS_JSON_OURS },
	{ { "bindmounts", "no-bindmounts", "do not scan bind-mounted namespaces", "from-bindmounts",
	    true },
	  FIELD(from_bindmounts),
	  .json_rank = 4 },
	{ { "hierarchy", "no-hierarchy", "no user/PID hierarchy (no hidden parents)",
	    "with-hierarchy", true },
	  FIELD(with_hierarchy),
	  .json_rank = 5 },
	{ { "ownership", "no-ownership", "no owning user namespaces", "with-ownership", true },
	  FIELD(with_ownership),
	  .json_rank = 6 },
	{ { "usernames", "no-user-names", "no owner user names from /etc/passwd", NULL, true },
	  FIELD(with_user_names) },
	{ { "pidmap", "no-pidmap", "do not read NSpid from /proc/PID/status", NULL, true },
	  FIELD(with_nspids) },
	{ { "mounts", "no-mounts", "no mount tables (the \"mounts\" key stays empty)",
	    "with-mounts", true },
	  FIELD(with_mounts),
	  .json_rank = 8 },
	{ { "freezer", "no-freezer", "do not read the cgroup freezer state", "with-freezer", true },
	  FIELD(with_freezer),
	  .json_rank = 7 },
	{ { "affinity", "no-affinity", "no CPU affinity (and no online CPUs)",
	    "with-affinity-scheduling", true, .flag_also = "task-affinity" },
	  FIELD(with_affinity),
	  .json_rank = 10 },
	{ { "task-affinity", "task-affinity", "the CPU affinity of every task, not only of leaders",
	    "with-task-affinity-scheduling", false },
	  FIELD(with_task_affinity),
	  .json_rank = 11 },
	{ { "containers", "no-containers", "do not ask container engines for their containers",
	    NULL, true },
	  FIELD(with_containers) },
};
#undef FIELD

_Static_assert(sizeof(rows) / sizeof(rows[0]) <= LXKNS_DISCOVER_OPTION_MAX,
	       "raise LXKNS_DISCOVER_OPTION_MAX (include/lxkns/options.h)");

static const struct option_row *row_of(const struct lxkns_discover_option *option)
{
	/* pub is the first member: a pointer to it is one to its row */
	return (const struct option_row *)option;
}

const struct lxkns_discover_option *lxkns_discover_option_at(size_t i)
{
	return i < sizeof(rows) / sizeof(rows[0]) ? &rows[i].pub : NULL;
}

const struct lxkns_discover_option *lxkns_discover_option_by_query(const char *query)
{
	for (size_t i = 0; query && i < sizeof(rows) / sizeof(rows[0]); i++)
		if (strcmp(rows[i].pub.query, query) == 0)
			return &rows[i].pub;
	return NULL;
}

/* Whether the caller's opts (of opts->size bytes) has the option's field. */
static bool has_field(const struct lxkns_discover_option *option,
		      const struct lxkns_discover_opts *opts)
{
	return row_of(option)->offset + sizeof(bool) <= opts->size;
}

bool lxkns_discover_option_get(const struct lxkns_discover_option *option,
			       const struct lxkns_discover_opts *opts)
{
	if (!has_field(option, opts))
		return option->on_by_default;
	return *(const bool *)((const char *)opts + row_of(option)->offset);
}

int lxkns_discover_option_set(const struct lxkns_discover_option *option,
			      struct lxkns_discover_opts *opts, bool on)
{
	if (!has_field(option, opts))
		return -ERANGE;
	*(bool *)((char *)opts + row_of(option)->offset) = on;
	return 0;
}

const struct lxkns_discover_option *options_by_json_rank(unsigned rank)
{
	for (size_t i = 0; rank && i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].json_rank == rank)
			return &rows[i].pub;
	return NULL;
}
