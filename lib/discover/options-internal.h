/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options-internal.h: the rows of the discovery-option table (options.c)
 * beyond what include/lxkns/options.h shows: the field, and the place of
 * the option's key in the JSON "discovery-options" object.
 */
#ifndef LXKNS_OPTIONS_INTERNAL_H
#define LXKNS_OPTIONS_INTERNAL_H

#include "lxkns-internal.h"

struct option_row {
	struct lxkns_discover_option pub; /* first: options hand out &pub */
	size_t offset;			  /* of the bool in struct lxkns_discover_opts */
	unsigned json_rank;		  /* place of pub.json_key in the object, 0: none */
};

/*
 * The "discovery-options" object in Go lxkns' key order: rank 1, 2, ...
 * Options take the ranks their rows give; these are Go's keys that are no
 * options of ours, and where our own keys begin (old clients ignore them).
 */
enum {
	OPTIONS_JSON_SOCKET_PROCESSES = 9, /* "with-socket-processes": always false */
	OPTIONS_JSON_LABELS = 12,	   /* "labels": always {} */
	OPTIONS_JSON_TYPES = 13,	   /* "scanned-namespace-types" */
	OPTIONS_JSON_OURS = 14,		   /* ours from here on */
	OPTIONS_JSON_RANK_MAX = OPTIONS_JSON_OURS + LXKNS_DISCOVER_OPTION_MAX,
};

/* The option whose key has this rank, or NULL. */
HIDDEN const struct lxkns_discover_option *options_by_json_rank(unsigned rank);

#endif
