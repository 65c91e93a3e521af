/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nscaps: which capabilities a process has in a target namespace, by the
 * rules of user_namespaces(7):
 *
 *   1. in its own user namespace, a process has its effective capabilities;
 *   2. in a descendant user namespace it has them too, unless
 *   3. its effective UID owns the user namespace directly below its own on
 *      the way down: then it has all capabilities there and further down;
 *   4. anywhere else (ancestors, other branches) it has none.
 *
 * A non-user namespace counts as its owning user namespace. The output
 * shows the process's and the target's user namespace branches joined at
 * their common ancestor: ⛔ no capabilities, ⛛ the process's effective
 * capabilities, ✓ all capabilities.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>
#include <lxkns/lxkns.h>
#include <sys/capability.h>

#include "jsonout.h"
#include "labels.h"
#include "options.h"
#include "tool-common.h"
#include "tree.h"

enum verdict {
	VERDICT_NONE,
	VERDICT_EFFECTIVE,
	VERDICT_ALL,
};

static const char *const marks[] = { "⛔", "⛛", "✓" };
static const char *const verdict_names[] = { "none", "effective", "all" };
static const enum style_elem verdict_style[] = { STYLE_USER_NOCAPS, STYLE_USER_EFFCAPS,
						 STYLE_USER_FULLCAPS };

/* user namespaces nest at most 32 deep; anything longer is a malformed
 * saved discovery with a parent cycle */
#define MAX_CHAIN 64

static void usage(FILE *out)
{
	fputs("Usage: nscaps [OPTIONS] NAMESPACE\n"
	      "\n"
	      "Shows which capabilities a process has in the target NAMESPACE (given as\n"
	      "net:[INODE] or INODE), following the rules of user_namespaces(7).\n"
	      "\n"
	      "  -p, --pid PID          the process (default: nscaps itself)\n"
	      "  -n, --ns PIDNS         PID is as seen in PIDNS (pid:[INODE] or INODE)\n"
	      "      --brief            only the verdict, not the capability lists\n"
	      "      --proccaps[=on|off] list the process's effective capabilities (on)\n"
	      "      --euid UID         take this effective UID instead of reading it\n"
	      "      --capeff MASK      take these effective capabilities (hex, as in\n"
	      "                         /proc/PID/status) instead of reading them\n"
	      "                         (both are needed with --input)\n"
	      "  -J, --json             the tree as JSON: {\"namespaces\": [...]}, user\n"
	      "                         namespaces, process and target nested in \"children\"\n"
	      "\n",
	      out);
	tool_opts_usage(out);
}

/* Reads the effective UID and capabilities from PROCFS/PID/status. */
static int read_status(const char *procfs, pid_t pid, bool *have_euid, uid_t *euid, bool *have_caps,
		       uint64_t *caps)
{
	char path[PATH_MAX], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/status", procfs, (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;
		unsigned r, e;

		if (!*have_euid && sscanf(line, "Uid: %u %u", &r, &e) == 2) {
			*euid = (uid_t)e;
			*have_euid = true;
		} else if (!*have_caps && sscanf(line, "CapEff: %llx", &v) == 1) {
			*caps = (uint64_t)v;
			*have_caps = true;
		}
	}
	fclose(f);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The capability names of a mask, sorted, four to a line; in the JSON
 * form as "capabilities": [names]. */
static void add_caps(struct tree_node *node, uint64_t mask)
{
	struct buf *json = tree_json(node);

	char *names[64];
	size_t n = 0, width = 0;

	for (unsigned bit = 0; bit < 64; bit++) {
		if (!(mask & (UINT64_C(1) << bit)))
			continue;
		char *name = cap_to_name((cap_value_t)bit);
		names[n] = xstrdup(name ? name : "?");
		cap_free(name);
		if (strlen(names[n]) > width)
			width = strlen(names[n]);
		n++;
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	if (!n)
		tree_prop(node, xstrdup("(no effective capabilities)"));
	json_key(json, "capabilities");
	json_open(json, '[');
	for (size_t i = 0; i < n; i++)
		json_str(json, names[i]);
	json_close(json, ']');
	for (size_t i = 0; i < n; i += 4) {
		struct buf sb = BUF_INIT;
		for (size_t k = i; k < n && k < i + 4; k++) {
			if (k + 1 < n && k + 1 < i + 4)
				buf_printf(&sb, "%-*s ", (int)width, names[k]);
			else
				buf_puts(&sb, names[k]);
		}
		tree_prop(node, xbuf_take(&sb));
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
}

static uint64_t all_caps(void)
{
	int bits = cap_max_bits();

	if (bits < CAP_LAST_CAP + 1)
		bits = CAP_LAST_CAP + 1;
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/* The user namespaces from the top down to ns; returns the count. */
static size_t chain_of(const struct lxkns_namespace *ns, const struct lxkns_namespace **chain)
{
	const struct lxkns_namespace *up[MAX_CHAIN];
	size_t n = 0;

	for (; ns && n < MAX_CHAIN; ns = lxkns_namespace_parent(ns))
		up[n++] = ns;
	for (size_t i = 0; i < n; i++)
		chain[i] = up[n - 1 - i];
	return n;
}

struct subject {
	const struct lxkns_namespace *userns; /* the process's */
	uid_t euid;
	uint64_t caps;
	bool brief, proccaps;
};

static enum verdict verdict_in(const struct subject *s, const struct lxkns_namespace *userns)
{
	const struct lxkns_namespace *below = NULL;
	size_t steps = 0;
	uid_t owner;

	for (const struct lxkns_namespace *u = userns; u && steps < MAX_CHAIN;
	     below = u, u = lxkns_namespace_parent(u), steps++) {
		if (u != s->userns)
			continue;
		if (!below)
			return VERDICT_EFFECTIVE;
		return lxkns_namespace_owner_uid(below, &owner) && owner == s->euid
			       ? VERDICT_ALL
			       : VERDICT_EFFECTIVE;
	}
	return VERDICT_NONE;
}

static void add_target_props(struct tree_node *node, const struct subject *s, enum verdict v)
{
	json_key(tree_json(node), "target");
	json_bool(tree_json(node), true);
	switch (v) {
	case VERDICT_NONE:
		tree_prop(node, xstrdup("(no capabilities)"));
		json_key(tree_json(node), "capabilities");
		json_open(tree_json(node), '[');
		json_close(tree_json(node), ']');
		break;
	case VERDICT_EFFECTIVE:
		if (s->brief)
			tree_prop(node, xstrdup("(process effective capabilities)"));
		else
			add_caps(node, s->caps); /* "(no effective capabilities)" if none */
		break;
	case VERDICT_ALL:
		if (s->brief)
			tree_prop(node, xstrdup("(ALL capabilities)"));
		else
			add_caps(node, all_caps());
		break;
	}
}

static struct tree_node *add_userns(struct tree *t, struct tree_node *parent,
				    const struct subject *s, const struct lxkns_namespace *ns,
				    bool target)
{
	enum verdict v = verdict_in(s, ns);
	struct buf sb = BUF_INIT;
	struct tree_node *node;
	size_t len;

	buf_puts(&sb, marks[v]);
	buf_putc(&sb, ' ');
	if (target)
		buf_puts(&sb, "target ");
	label_nsid_styled(&sb, ns, verdict_style[v]);
	buf_putc(&sb, ' ');
	len = sb.len;
	label_nsref(&sb, ns);
	if (sb.len == len)
		buf_truncate(&sb, len - 1);
	node = tree_add(t, parent, xbuf_take(&sb));
	if (!node)
		return NULL;
	label_json_ns(tree_json(node), ns);
	json_key(tree_json(node), "verdict");
	json_str(tree_json(node), verdict_names[v]);
	if (target)
		add_target_props(node, s, v);
	return node;
}

static void add_process(struct tree *t, struct tree_node *parent, const struct subject *s,
			const struct lxkns_process *p)
{
	struct buf sb = BUF_INIT, name = BUF_INIT;
	struct tree_node *node;
	struct buf *json;

	label_procname(&name, p);
	buf_puts(&sb, "process ");
	style_quote(&sb, STYLE_PROCESS, xbuf_str(&name));
	buf_printf(&sb, " (%d)", (int)lxkns_process_pid(p));
	buf_free(&name);
	node = tree_add(t, parent, xbuf_take(&sb));
	if (!node)
		return;
	json = tree_json(node);
	json_key(json, "pid");
	json_i64(json, lxkns_process_pid(p));
	json_key(json, "name");
	label_procname(&name, p);
	json_str(json, xbuf_str(&name));
	buf_free(&name);
	if (s->proccaps)
		add_caps(node, s->caps); /* "(no effective capabilities)" if none */
}

static void add_target(struct tree *t, struct tree_node *parent, const struct subject *s,
		       const struct lxkns_namespace *target, enum verdict v)
{
	struct buf sb = BUF_INIT;
	struct tree_node *node;

	buf_puts(&sb, "target ");
	label_ns(&sb, target);
	node = tree_add(t, parent, xbuf_take(&sb));
	if (!node)
		return;
	label_json_ns(tree_json(node), target);
	json_key(tree_json(node), "verdict");
	json_str(tree_json(node), verdict_names[v]);
	add_target_props(node, s, v);
}

static void build(struct tree *t, const struct subject *s, const struct lxkns_process *proc,
		  const struct lxkns_namespace *target, const struct lxkns_namespace *tuserns)
{
	const struct lxkns_namespace *pchain[MAX_CHAIN], *tchain[MAX_CHAIN];
	size_t np = chain_of(s->userns, pchain), nt = chain_of(tuserns, tchain), k = 0;
	bool user_target = target == tuserns;
	enum verdict v = verdict_in(s, tuserns);
	struct tree_node *fork = NULL, *node;

	/* the shared part, from the top down to the last common namespace */
	while (k < np && k < nt && pchain[k] == tchain[k]) {
		fork = add_userns(t, fork, s, pchain[k], user_target && k + 1 == nt);
		if (!fork)
			return;
		k++;
	}
	/* the process's branch */
	node = fork;
	for (size_t i = k; i < np; i++)
		if (!(node = add_userns(t, node, s, pchain[i], false)))
			return;
	add_process(t, node, s, proc);
	/* the target's branch */
	node = fork;
	for (size_t i = k; i < nt; i++)
		if (!(node = add_userns(t, node, s, tchain[i], user_target && i + 1 == nt)))
			return;
	if (!user_target)
		add_target(t, node, s, target, v);
}

static int parse_bool(const char *arg, bool *ret)
{
	static const char *const yes[] = { "true", "on", "yes", "1" };
	static const char *const no[] = { "false", "off", "no", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!arg || strcmp(arg, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcmp(arg, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -1;
}

enum { OPT_BRIEF = 0x100, OPT_PROCCAPS, OPT_EUID, OPT_CAPEFF };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "ns", required_argument, NULL, 'n' },
		{ "brief", no_argument, NULL, OPT_BRIEF },
		{ "proccaps", optional_argument, NULL, OPT_PROCCAPS },
		{ "euid", required_argument, NULL, OPT_EUID },
		{ "capeff", required_argument, NULL, OPT_CAPEFF },
		{ "json", no_argument, NULL, 'J' },
		TOOL_COMMON_LONGOPTS,
		{ 0 },
	};
	struct tool_opts o;
	struct lxkns_result *result = NULL;
	struct tree t = TREE_INIT;
	struct subject s = { .proccaps = true };
	const char *nsarg = NULL, *pidarg = NULL, *targetarg, *procfs;
	const struct lxkns_process *proc;
	const struct lxkns_namespace *target, *tuserns;
	bool have_euid = false, have_caps = false, json = false;
	int c, r, pid = 0;

	tool_init("nscaps");
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
		case OPT_BRIEF:
			s.brief = true;
			break;
		case OPT_PROCCAPS:
			if (parse_bool(optarg, &s.proccaps) < 0)
				return tool_fail("invalid --proccaps value '%s' (on, off)", optarg);
			break;
		case OPT_EUID: {
			char *end;
			unsigned long v;
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || !*optarg || *end || *optarg == '-' || v > UINT32_MAX - 1)
				return tool_fail("invalid UID '%s'", optarg);
			s.euid = (uid_t)v;
			have_euid = true;
			break;
		}
		case OPT_CAPEFF: {
			char *end;
			unsigned long long v;
			errno = 0;
			v = strtoull(optarg, &end, 16);
			if (errno || !*optarg || *end || *optarg == '-')
				return tool_fail("invalid capability mask '%s'", optarg);
			s.caps = (uint64_t)v;
			have_caps = true;
			break;
		}
		default:
			r = tool_opts_handle(&o, c, optarg);
			if (r != 0)
				return r > 0 ? r - 1 : tool_usage_hint();
		}
	}
	if (optind >= argc)
		return tool_fail("missing the target NAMESPACE");
	targetarg = argv[optind++];
	if (optind < argc)
		return tool_fail("unexpected argument '%s'", argv[optind]);
	if (nsarg && !pidarg)
		return tool_fail("--ns needs --pid");
	if (tool_check_ns_arg(targetarg, -1) < 0 ||
	    (nsarg && tool_check_ns_arg(nsarg, LXKNS_NS_PID) < 0))
		return 1;
	if (o.input && !pidarg)
		return tool_fail("--input needs --pid");
	if (o.input && (!have_euid || !have_caps))
		return tool_fail("--input needs --euid and --capeff (a saved discovery has no "
				 "credentials)");
	procfs = o.procfs ? o.procfs : "/proc";
	if (!pidarg) {
		char path[PATH_MAX], link[32];
		ssize_t n;
		snprintf(path, sizeof(path), "%s/self", procfs);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			return tool_fail("cannot read %s: %s", path,
					 strerror(n < 0 ? errno : EINVAL));
		link[n] = '\0';
		if (tool_parse_int(link, 1, INT32_MAX, &pid) < 0)
			return tool_fail("cannot read %s: not a PID", path);
	}
	tool_opts_finish(&o);
	labels_setup(&o);

	if (tool_opts_load(&o, 0, &result) < 0)
		return 1;
	r = 1;
	if (nsarg) {
		const struct lxkns_namespace *ns = tool_lookup_ns(result, nsarg, LXKNS_NS_PID);
		if (!ns)
			goto out;
		proc = tool_process_in(result, ns, pid);
		if (!proc) {
			tool_fail("unknown process PID %d in pid:[%llu]%s", pid,
				  (unsigned long long)lxkns_namespace_id(ns).ino,
				  o.input ? " (a saved discovery has no PID map)" : "");
			goto out;
		}
	} else {
		proc = lxkns_result_process_by_pid(result, pid);
		if (!proc) {
			tool_fail("unknown process PID %d", pid);
			goto out;
		}
	}
	target = tool_lookup_ns(result, targetarg, -1);
	if (!target)
		goto out;
	s.userns = lxkns_process_namespace(proc, LXKNS_NS_USER);
	if (!s.userns) {
		tool_fail("cannot read the user namespace of process %d",
			  (int)lxkns_process_pid(proc));
		goto out;
	}
	tuserns = lxkns_namespace_type(target) == LXKNS_NS_USER ? target
								: lxkns_namespace_owner(target);
	if (!tuserns) {
		struct buf sb = BUF_INIT;
		style_setup(false, STYLE_THEME_DARK, STYLE_TREE_LINE);
		label_nsid(&sb, target);
		tool_fail("the owning user namespace of %s is unknown", xbuf_str(&sb));
		buf_free(&sb);
		goto out;
	}
	if (!have_euid || !have_caps) {
		int e = read_status(procfs, lxkns_process_pid(proc), &have_euid, &s.euid,
				    &have_caps, &s.caps);
		if (e < 0 || !have_euid || !have_caps) {
			tool_fail("cannot read the %s of process %d: %s",
				  !have_euid ? "effective UID" : "capabilities",
				  (int)lxkns_process_pid(proc),
				  e < 0 ? strerror(-e) : "not in its status");
			goto out;
		}
	}
	build(&t, &s, proc, target, tuserns);
	if (json)
		tree_render_json(&t, "namespaces", stdout);
	else
		tree_render(&t, stdout);
	r = tool_finish_output();
out:
	tree_free(&t);
	lxkns_result_unref(result);
	return r;
}
