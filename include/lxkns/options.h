/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options.h: the one table of boolean discovery options (the fields of
 * struct lxkns_discover_opts that switch a source or an extra on or off).
 * Per option: its query parameter in the service, its dumpns flag and help
 * line, its key in the JSON document's "discovery-options", its default,
 * and get/set on a struct lxkns_discover_opts. Tools and the service
 * iterate the table instead of spelling the options again.
 *
 * Not in the table (each user handles them itself): the namespace types
 * (type_mask: dumpns -f, the service's types=, "scanned-namespace-types"),
 * threads, procfs_root, container_timeout_ms and container_watcher.
 */
#ifndef LXKNS_OPTIONS_H
#define LXKNS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include <lxkns/discover.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The table never holds more options than this (for fixed-size bit sets,
 * such as the service's cache key). */
#define LXKNS_DISCOVER_OPTION_MAX 32

struct lxkns_discover_option {
	/* The service's query parameter: "procs". */
	const char *query;
	/* dumpns's long option: "no-procs"; it sets the option to the
	 * opposite of its default. */
	const char *flag;
	/* The text after the flag in dumpns --help. */
	const char *help;
	/* The key in the JSON "discovery-options" object ("from-procs"), NULL
	 * when the document does not carry the option. */
	const char *json_key;
	/* What lxkns_discover_opts_init() sets. */
	bool on_by_default;
	/* The query name of another option that the dumpns flag sets the same
	 * way ("--no-affinity" clears "task-affinity" too), or NULL. */
	const char *flag_also;
};

/* The i-th option (0, 1, ...), in the order of dumpns --help and of the
 * service's accepted parameters; NULL past the last. */
const struct lxkns_discover_option *lxkns_discover_option_at(size_t i);

/* The option with this query parameter ("procs"), or NULL. */
const struct lxkns_discover_option *lxkns_discover_option_by_query(const char *query);

/* The option's value in opts; its default (on_by_default) when opts is
 * older than the option (opts->size ends before its field). */
bool lxkns_discover_option_get(const struct lxkns_discover_option *option,
			       const struct lxkns_discover_opts *opts);

/* Sets the option in opts (only this one field; see flag_also). Returns 0,
 * or -ERANGE (opts untouched) when opts is older than the option: its
 * opts->size ends before the option's field. */
int lxkns_discover_option_set(const struct lxkns_discover_option *option,
			      struct lxkns_discover_opts *opts, bool on);

#ifdef __cplusplus
}
#endif
#endif
