/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lsuns: the tree of user namespaces, each with its most senior process and
 * its owner; -d adds the namespaces each user namespace owns.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <lxkns/lxkns.h>

#include "jsonout.h"
#include "labels.h"
#include "options.h"
#include "tool-common.h"
#include "tree.h"

static void usage(FILE *out)
{
	fputs("Usage: lsuns [OPTIONS] [USERNS]\n"
	      "\n"
	      "Shows the tree of user namespaces (or the subtree of USERNS, given as\n"
	      "user:[INODE] or INODE) with their most senior processes and the users\n"
	      "who created them.\n"
	      "\n"
	      "  -d, --details          also show the namespaces each user namespace owns\n"
	      "  -J, --json             the tree as JSON: {\"namespaces\": [...]}, each user\n"
	      "                         namespace an object with its \"children\"\n"
	      "\n",
	      out);
	tool_opts_usage(out);
}

static void add_userns(struct tree *t, struct tree_node *parent, const struct lxkns_namespace *ns,
		       const struct tool_opts *o, bool details)
{
	struct buf sb = BUF_INIT;
	struct tree_node *node;
	struct buf *json;

	label_ns(&sb, ns);
	buf_puts(&sb, " created by ");
	label_owner_uid(&sb, ns);
	node = tree_add(t, parent, xbuf_take(&sb));
	if (!node)
		return;
	json = tree_json(node);
	label_json_ns(json, ns);
	label_json_owner(json, ns);
	if (details) {
		json_key(json, "owned");
		json_open(json, '[');
	}
	for (size_t k = 0; details && k < _LXKNS_NS_TYPE_MAX; k++) {
		enum lxkns_ns_type type = labels_lexical_types[k];
		size_t n = lxkns_namespace_owned_count(ns, type);

		if (type == LXKNS_NS_USER || !tool_opts_shows(o, type))
			continue;
		for (size_t i = 0; i < n; i++) {
			label_ns(&sb, lxkns_namespace_owned_at(ns, type, i));
			tree_prop(node, xbuf_take(&sb));
			json_open(json, '{');
			label_json_ns(json, lxkns_namespace_owned_at(ns, type, i));
			json_close(json, '}');
		}
	}
	if (details)
		json_close(json, ']');
	for (size_t i = 0; i < lxkns_namespace_child_count(ns); i++)
		add_userns(t, node, lxkns_namespace_child_at(ns, i), o, details);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "details", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'J' },
		TOOL_COMMON_LONGOPTS,
		{ 0 },
	};
	struct tool_opts o;
	struct lxkns_result *result = NULL;
	struct tree t = TREE_INIT;
	const char *nsarg = NULL;
	bool details = false, json = false;
	int c, r;

	tool_init("lsuns");
	tool_opts_init(&o, usage);
	while ((c = getopt_long(argc, argv, "dJ" TOOL_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			details = true;
			break;
		case 'J':
			json = true;
			break;
		default:
			r = tool_opts_handle(&o, c, optarg);
			if (r != 0)
				return r > 0 ? r - 1 : tool_usage_hint();
		}
	}
	if (optind < argc)
		nsarg = argv[optind++];
	if (optind < argc)
		return tool_fail("unexpected argument '%s'", argv[optind]);
	if (nsarg && tool_check_ns_arg(nsarg, LXKNS_NS_USER) < 0)
		return 1;
	tool_opts_finish(&o);
	labels_setup(&o);

	if (tool_opts_load(&o, LXKNS_NS_TYPE_BIT(LXKNS_NS_USER), &result) < 0)
		return 1;
	if (nsarg) {
		const struct lxkns_namespace *ns = tool_lookup_ns(result, nsarg, LXKNS_NS_USER);
		if (!ns) {
			lxkns_result_unref(result);
			return 1;
		}
		add_userns(&t, NULL, ns, &o, details);
	} else {
		for (size_t i = 0; i < lxkns_result_root_count(result, LXKNS_NS_USER); i++)
			add_userns(&t, NULL, lxkns_result_root_at(result, LXKNS_NS_USER, i), &o,
				   details);
	}
	if (json)
		tree_render_json(&t, "namespaces", stdout);
	else
		tree_render(&t, stdout);
	tree_free(&t);
	lxkns_result_unref(result);
	return tool_finish_output();
}
