/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lspidns: the tree of PID namespaces; -u inserts the owning user namespace
 * wherever the owner changes along the PID hierarchy.
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
	fputs("Usage: lspidns [OPTIONS] [PIDNS]\n"
	      "\n"
	      "Shows the tree of PID namespaces (or the subtree of PIDNS, given as\n"
	      "pid:[INODE] or INODE) with their most senior processes.\n"
	      "\n"
	      "  -u, --user             also show the owning user namespaces, inserted\n"
	      "                         wherever the owner changes\n"
	      "  -J, --json             the tree as JSON: {\"namespaces\": [...]}, each\n"
	      "                         namespace an object with its \"children\"\n"
	      "\n",
	      out);
	tool_opts_usage(out);
}

static bool with_users;

static void add_pidns(struct tree *t, struct tree_node *parent, const struct lxkns_namespace *ns);

static void add_userns(struct tree *t, struct tree_node *parent,
		       const struct lxkns_namespace *userns,
		       const struct lxkns_namespace *const *pidns, size_t n)
{
	struct buf sb = BUF_INIT;
	struct tree_node *node;

	label_ns(&sb, userns);
	buf_puts(&sb, " created by ");
	label_owner_uid(&sb, userns);
	node = tree_add(t, parent, xbuf_take(&sb));
	if (node) {
		label_json_ns(tree_json(node), userns);
		label_json_owner(tree_json(node), userns);
	}
	for (size_t i = 0; node && i < n; i++)
		add_pidns(t, node, pidns[i]);
}

/* Adds the PID namespaces of list[0..n) under parent; with -u, those whose
 * owner differs from owner are grouped under a node of their owner (one per
 * owner, where its first PID namespace is). */
static void add_list(struct tree *t, struct tree_node *parent, const struct lxkns_namespace *owner,
		     const struct lxkns_namespace *const *list, size_t n)
{
	const struct lxkns_namespace **group = n ? xcalloc(n, sizeof(*group)) : NULL;
	bool *done = n ? xcalloc(n, sizeof(*done)) : NULL;

	for (size_t i = 0; i < n; i++) {
		const struct lxkns_namespace *o = lxkns_namespace_owner(list[i]);
		size_t k = 0;

		if (done[i])
			continue;
		if (!with_users || !o || o == owner) {
			add_pidns(t, parent, list[i]);
			continue;
		}
		for (size_t j = i; j < n; j++)
			if (!done[j] && lxkns_namespace_owner(list[j]) == o) {
				group[k++] = list[j];
				done[j] = true;
			}
		add_userns(t, parent, o, group, k);
	}
	free(done);
	free(group);
}

static void add_pidns(struct tree *t, struct tree_node *parent, const struct lxkns_namespace *ns)
{
	struct buf sb = BUF_INIT;
	struct tree_node *node;
	size_t n = lxkns_namespace_child_count(ns);
	const struct lxkns_namespace **kids;

	label_ns(&sb, ns);
	node = tree_add(t, parent, xbuf_take(&sb));
	if (node)
		label_json_ns(tree_json(node), ns);
	if (!node || !n)
		return;
	kids = xcalloc(n, sizeof(*kids));
	for (size_t i = 0; i < n; i++)
		kids[i] = lxkns_namespace_child_at(ns, i);
	add_list(t, node, lxkns_namespace_owner(ns), kids, n);
	free(kids);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", no_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'J' },
		TOOL_COMMON_LONGOPTS,
		{ 0 },
	};
	struct tool_opts o;
	struct lxkns_result *result = NULL;
	struct tree t = TREE_INIT;
	const char *nsarg = NULL;
	bool json = false;
	int c, r;

	tool_init("lspidns");
	tool_opts_init(&o, usage);
	while ((c = getopt_long(argc, argv, "uJ" TOOL_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			with_users = true;
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
	if (nsarg && tool_check_ns_arg(nsarg, LXKNS_NS_PID) < 0)
		return 1;
	tool_opts_finish(&o);
	labels_setup(&o);

	if (tool_opts_load(&o, LXKNS_NS_TYPE_BIT(LXKNS_NS_PID) | LXKNS_NS_TYPE_BIT(LXKNS_NS_USER),
			   &result) < 0)
		return 1;
	if (nsarg) {
		const struct lxkns_namespace *ns = tool_lookup_ns(result, nsarg, LXKNS_NS_PID);
		if (!ns) {
			lxkns_result_unref(result);
			return 1;
		}
		add_list(&t, NULL, NULL, &ns, 1);
	} else {
		size_t n = lxkns_result_root_count(result, LXKNS_NS_PID);
		const struct lxkns_namespace **roots = xcalloc(n, sizeof(*roots));
		for (size_t i = 0; i < n; i++)
			roots[i] = lxkns_result_root_at(result, LXKNS_NS_PID, i);
		add_list(&t, NULL, NULL, roots, n);
		free(roots);
	}
	if (json)
		tree_render_json(&t, "namespaces", stdout);
	else
		tree_render(&t, stdout);
	tree_free(&t);
	lxkns_result_unref(result);
	return tool_finish_output();
}
