/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pidtree: the process tree with a PID namespace node wherever the PID
 * namespace changes from parent to child, and each process's PIDs from the
 * outermost PID namespace down to its own, as in (5709/72). -p PID shows
 * only the branch down to one process.
 */
#include <getopt.h>
#include <stdint.h>
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
	fputs("Usage: pidtree [OPTIONS]\n"
	      "\n"
	      "Shows the process tree with the PID namespaces in between, and each\n"
	      "process's PIDs from the outermost PID namespace down to its own.\n"
	      "\n"
	      "  -p, --pid PID          only the branch down to process PID\n"
	      "  -n, --ns PIDNS         PID is as seen in PIDNS (pid:[INODE] or INODE)\n"
	      "  -J, --json             the tree as JSON: {\"namespaces\": [...]}, PID\n"
	      "                         namespaces and processes nested in \"children\"\n"
	      "\n",
	      out);
	tool_opts_usage(out);
}

static const struct lxkns_namespace *pidns_of(const struct lxkns_process *p)
{
	return lxkns_process_namespace(p, LXKNS_NS_PID);
}

static char *process_label(const struct lxkns_process *p)
{
	struct buf sb = BUF_INIT, name = BUF_INIT;
	size_t n = lxkns_process_namespaced_pid_count(p);
	const char *cg = lxkns_process_cpu_cgroup(p);

	label_procname(&name, p);
	if (!pidns_of(p)) {
		/* its PID namespace could not be read */
		label_unknown_ns(&sb, LXKNS_NS_PID);
		buf_putc(&sb, ' ');
		style_quote(&sb, STYLE_PROCESS, xbuf_str(&name));
		buf_printf(&sb, " (%d/", (int)lxkns_process_pid(p));
		style_puts(&sb, STYLE_UNKNOWN, "???");
		buf_putc(&sb, ')');
		buf_free(&name);
		return xbuf_take(&sb);
	}
	label_container(&sb, p); /* container "NAME", then no cgroup */
	if (lxkns_process_container(p))
		cg = NULL;
	style_quote(&sb, STYLE_PROCESS, xbuf_str(&name));
	buf_puts(&sb, " (");
	if (n > 1) {
		for (size_t i = 0; i < n; i++)
			buf_printf(&sb, "%s%d", i ? "/" : "",
				   (int)lxkns_process_namespaced_pid_at(p, i, NULL));
	} else {
		buf_printf(&sb, "%d", (int)lxkns_process_pid(p));
	}
	buf_putc(&sb, ')');
	if (cg && *cg) {
		buf_truncate(&name, 0);
		label_cgroup(&name, cg);
		buf_puts(&sb, " controlled by ");
		style_quote(&sb, STYLE_CGROUP, xbuf_str(&name));
	}
	buf_free(&name);
	return xbuf_take(&sb);
}

static char *pidns_label(const struct lxkns_namespace *ns)
{
	struct buf sb = BUF_INIT;
	const struct lxkns_namespace *owner = lxkns_namespace_owner(ns);

	label_nsid(&sb, ns);
	if (owner) {
		buf_puts(&sb, ", owned by ");
		label_owner_uid(&sb, owner);
	}
	return xbuf_take(&sb);
}

/* The JSON members of a process node: what process_label() shows. */
static void process_json(struct buf *b, const struct lxkns_process *p)
{
	const struct lxkns_namespace *ns = pidns_of(p);
	const struct lxkns_container *c = ns ? lxkns_process_container(p) : NULL;
	const char *cg = ns && !c ? lxkns_process_cpu_cgroup(p) : NULL;
	size_t n = lxkns_process_namespaced_pid_count(p);
	struct buf s = BUF_INIT;
	char name[512];

	json_key(b, "pid");
	json_i64(b, lxkns_process_pid(p));
	json_key(b, "name");
	label_procname(&s, p);
	json_str(b, xbuf_str(&s));
	json_key(b, "pidns");
	if (ns)
		json_u64(b, lxkns_namespace_id(ns).ino);
	else
		json_null(b);
	json_key(b, "pids");
	json_open(b, '[');
	if (!ns) {
		json_i64(b, lxkns_process_pid(p));
		json_null(b);
	} else if (n > 1) {
		for (size_t i = 0; i < n; i++)
			json_i64(b, lxkns_process_namespaced_pid_at(p, i, NULL));
	} else {
		json_i64(b, lxkns_process_pid(p));
	}
	json_close(b, ']');
	if (c) {
		json_key(b, "container");
		json_str(b, lxkns_container_display_name(c, name, sizeof(name)));
	} else if (cg && *cg) {
		buf_truncate(&s, 0);
		label_cgroup(&s, cg);
		json_key(b, "cgroup");
		json_str(b, xbuf_str(&s));
	}
	buf_free(&s);
}

/* A PID namespace node: what pidns_label() shows. */
static struct tree_node *add_pidns(struct tree *t, struct tree_node *parent,
				   const struct lxkns_namespace *ns)
{
	struct tree_node *node = tree_add(t, parent, pidns_label(ns));
	const struct lxkns_namespace *owner = lxkns_namespace_owner(ns);
	struct buf *b;

	if (!node)
		return NULL;
	b = tree_json(node);
	json_key(b, "nsid");
	json_u64(b, lxkns_namespace_id(ns).ino);
	json_key(b, "type");
	json_str(b, "pid");
	if (owner)
		label_json_owner(b, owner);
	return node;
}

static struct tree_node *add_process_node(struct tree *t, struct tree_node *parent,
					  const struct lxkns_process *p)
{
	struct tree_node *node = tree_add(t, parent, process_label(p));

	if (node)
		process_json(tree_json(node), p);
	return node;
}

static void add_process(struct tree *t, struct tree_node *parent, const struct lxkns_process *p);

/* Adds the children of p (or the given top-level processes when p is NULL)
 * under parent: in p's PID namespace directly, else below a node of their
 * PID namespace (one per namespace, where its first process is). */
static void add_children(struct tree *t, struct tree_node *parent, const struct lxkns_process *p,
			 const struct lxkns_process *const *list, size_t n)
{
	const struct lxkns_namespace *own = p ? pidns_of(p) : NULL;
	bool *done = n ? xcalloc(n, sizeof(*done)) : NULL;

	for (size_t i = 0; i < n; i++) {
		const struct lxkns_namespace *ns = pidns_of(list[i]);
		struct tree_node *nsnode;

		if (done[i])
			continue;
		if (p && (!ns || ns == own)) {
			add_process(t, parent, list[i]);
			continue;
		}
		if (p && !own) {
			/* our own PID namespace is unknown: a child in the
			 * namespace of an ancestor did not change namespaces */
			bool above = false;
			size_t steps = 0;
			for (const struct lxkns_process *a = lxkns_process_parent(p);
			     a && steps < TREE_MAX_DEPTH; a = lxkns_process_parent(a), steps++)
				if (pidns_of(a) == ns) {
					above = true;
					break;
				}
			if (above) {
				add_process(t, parent, list[i]);
				continue;
			}
		}
		if (!ns) {
			/* a top-level process of unknown PID namespace */
			add_process(t, parent, list[i]);
			continue;
		}
		nsnode = add_pidns(t, parent, ns);
		for (size_t j = i; j < n; j++)
			if (!done[j] && pidns_of(list[j]) == ns) {
				done[j] = true;
				if (nsnode)
					add_process(t, nsnode, list[j]);
			}
	}
	free(done);
}

static void add_process(struct tree *t, struct tree_node *parent, const struct lxkns_process *p)
{
	struct tree_node *node = add_process_node(t, parent, p);
	size_t n = lxkns_process_child_count(p);
	const struct lxkns_process **kids;

	if (!node || !n)
		return;
	kids = xcalloc(n, sizeof(*kids));
	for (size_t i = 0; i < n; i++)
		kids[i] = lxkns_process_child_at(p, i);
	add_children(t, node, p, kids, n);
	free(kids);
}

static void full_tree(struct tree *t, const struct lxkns_result *result)
{
	size_t n = lxkns_result_process_count(result), k = 0;
	const struct lxkns_process **tops = xcalloc(n, sizeof(*tops));

	for (size_t i = 0; i < n; i++) {
		const struct lxkns_process *p = lxkns_result_process_at(result, i);
		if (!lxkns_process_parent(p))
			tops[k++] = p;
	}
	add_children(t, NULL, NULL, tops, k);
	free(tops);
}

/* The branch from the top down to p: processes, and a PID namespace node
 * wherever the namespace changes. */
static void branch(struct tree *t, const struct lxkns_result *result, const struct lxkns_process *p)
{
	size_t max = lxkns_result_process_count(result), n = 0;
	const struct lxkns_process **chain = xcalloc(max, sizeof(*chain));
	struct tree_node *node = NULL;

	/* bounded: a malformed saved discovery may have a parent cycle */
	for (const struct lxkns_process *a = p; a && n < max; a = lxkns_process_parent(a))
		chain[n++] = a;
	for (size_t i = n; i-- > 0;) {
		const struct lxkns_process *a = chain[i];
		const struct lxkns_process *up = i + 1 < n ? chain[i + 1] : NULL;
		const struct lxkns_namespace *ns = pidns_of(a);

		if (ns && (!up || pidns_of(up) != ns)) {
			node = add_pidns(t, node, ns);
			if (!node)
				break;
		}
		node = add_process_node(t, node, a);
		if (!node)
			break;
	}
	free(chain);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "ns", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'J' },
		TOOL_COMMON_LONGOPTS,
		{ 0 },
	};
	struct tool_opts o;
	struct lxkns_result *result = NULL;
	struct tree t = TREE_INIT;
	const char *nsarg = NULL, *pidarg = NULL;
	bool json = false;
	int c, r, pid = 0;

	tool_init("pidtree");
	tool_opts_init(&o, usage);
	while ((c = getopt_long(argc, argv, "p:n:J" TOOL_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pidarg = optarg;
			if (tool_parse_int(optarg, 1, INT32_MAX, &pid) < 0)
				return tool_fail("invalid PID '%s'", optarg);
			break;
		case 'n':
			nsarg = optarg;
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
		return tool_fail("unexpected argument '%s'", argv[optind]);
	if (nsarg && !pidarg)
		return tool_fail("--ns needs --pid");
	if (nsarg && tool_check_ns_arg(nsarg, LXKNS_NS_PID) < 0)
		return 1;
	tool_opts_finish(&o);
	labels_setup(&o);

	if (tool_opts_load(&o, LXKNS_NS_TYPE_BIT(LXKNS_NS_PID) | LXKNS_NS_TYPE_BIT(LXKNS_NS_USER),
			   &result) < 0)
		return 1;
	if (pidarg) {
		const struct lxkns_process *p;

		if (nsarg) {
			const struct lxkns_namespace *ns = tool_lookup_ns(result, nsarg,
									  LXKNS_NS_PID);
			if (!ns) {
				lxkns_result_unref(result);
				return 1;
			}
			p = tool_process_in(result, ns, pid);
			if (!p) {
				tool_fail("unknown process PID %d in pid:[%llu]%s", pid,
					  (unsigned long long)lxkns_namespace_id(ns).ino,
					  o.input ? " (a saved discovery has no PID map)" : "");
				lxkns_result_unref(result);
				return 1;
			}
		} else {
			p = lxkns_result_process_by_pid(result, pid);
			if (!p) {
				tool_fail("unknown process PID %d", pid);
				lxkns_result_unref(result);
				return 1;
			}
		}
		branch(&t, result, p);
	} else {
		full_tree(&t, result);
	}
	if (json)
		tree_render_json(&t, "namespaces", stdout);
	else
		tree_render(&t, stdout);
	tree_free(&t);
	lxkns_result_unref(result);
	return tool_finish_output();
}
