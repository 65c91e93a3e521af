/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lsmnt: the mount tree of any mount namespace, findmnt-like, with hidden
 * (overmounted) mounts and propagation shown. The mount namespace is given
 * as mnt:[ID] or an inode, by a process in it (-p PID), or by a path where it
 * is bind-mounted (-b PATH); process-less ones included. Default: our own.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libsmartcols/libsmartcols.h>
#include <lxkns/lxkns.h>

#include "options.h"
#include "tool-common.h"

enum col {
	COL_TARGET,
	COL_SOURCE,
	COL_FSTYPE,
	COL_OPTIONS,
	COL_PROPAGATION,
	COL_HIDDEN,
	COL_ID,
	COL_PARENT,
	COL_MAJMIN,
	COL_ROOT,
	COL_SUPEROPTIONS,
	_COL_MAX,
};

static const struct {
	const char *name;
	double width;
	int flags;
	const char *help;
	bool number;
} columns[_COL_MAX] = {
	[COL_TARGET] = { "TARGET", 0.3, SCOLS_FL_TREE, "mount point", false },
	[COL_SOURCE] = { "SOURCE", 0.2, SCOLS_FL_TRUNC, "mounted device or source", false },
	[COL_FSTYPE] = { "FSTYPE", 0.1, SCOLS_FL_TRUNC, "file system type", false },
	[COL_OPTIONS] = { "OPTIONS", 0.1, SCOLS_FL_TRUNC, "mount options", false },
	[COL_PROPAGATION] = { "PROPAGATION", 0.1, 0,
			      "shared:N, master:N, propagate_from:N, unbindable, or private",
			      false },
	[COL_HIDDEN] = { "HIDDEN", 0.05, 0, "hidden by an overmount", false },
	[COL_ID] = { "ID", 0.05, SCOLS_FL_RIGHT, "mount ID", true },
	[COL_PARENT] = { "PARENT", 0.05, SCOLS_FL_RIGHT, "parent mount ID", true },
	[COL_MAJMIN] = { "MAJ:MIN", 0.05, 0, "device numbers", false },
	[COL_ROOT] = { "ROOT", 0.1, SCOLS_FL_TRUNC, "root of the mount in its file system", false },
	[COL_SUPEROPTIONS] = { "SUPEROPTIONS", 0.1, SCOLS_FL_TRUNC, "super block options", false },
};

static const enum col default_cols[] = { COL_TARGET,	  COL_SOURCE, COL_FSTYPE,
					 COL_PROPAGATION, COL_HIDDEN, COL_OPTIONS };

static void usage(FILE *out)
{
	fputs("Usage: lsmnt [OPTIONS] [mnt:[ID] | ID]\n"
	      "\n"
	      "Shows the mount tree of a mount namespace, with hidden (overmounted) mounts\n"
	      "and propagation; also of mount namespaces without any process.\n"
	      "\n"
	      "  -p, --pid PID          the mount namespace of process PID\n"
	      "  -b, --bind PATH        the mount namespace bind-mounted at PATH\n"
	      "  -o, --output LIST      columns to show (see --list-columns); +LIST adds\n"
	      "      --list-columns     list the columns\n"
	      "  -l, --list             a list instead of a tree\n"
	      "  -J, --json             JSON output\n"
	      "  -r, --raw              raw output (a list)\n"
	      "  -n, --noheadings       no header line\n"
	      "      --visible          only visible mounts\n"
	      "\n",
	      out);
	tool_opts_usage(out);
	fputs("\nWith --color, mount points are coloured, hidden ones in red;\n"
	      "--treestyle=ascii draws the tree with ASCII characters.\n",
	      out);
}

static void propagation(const struct lxkns_mount *m, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = 0;
	for (size_t i = 0; i < lxkns_mount_tag_count(m); i++) {
		const char *value;
		const char *name = lxkns_mount_tag_at(m, i, &value);
		int w = snprintf(buf + n, size - n, "%s%s%s%s", n ? "," : "", name,
				 *value ? ":" : "", value);
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
	if (!n)
		snprintf(buf, size, "private");
}

static void cell(struct libscols_line *ln, size_t colidx, enum col c, const struct lxkns_mount *m,
		 bool json, bool colour)
{
	if (colour && c == COL_TARGET)
		scols_cell_set_color(scols_line_get_cell(ln, colidx),
				     style_sgr(lxkns_mount_hidden(m) ? STYLE_UNKNOWN : STYLE_PATH));
	char buf[512];
	const char *s = buf;

	switch (c) {
	case COL_TARGET:
		s = lxkns_mount_point(m);
		break;
	case COL_SOURCE:
		s = lxkns_mount_source(m);
		break;
	case COL_FSTYPE:
		s = lxkns_mount_fstype(m);
		break;
	case COL_OPTIONS:
		s = lxkns_mount_options(m);
		break;
	case COL_PROPAGATION:
		propagation(m, buf, sizeof(buf));
		break;
	case COL_HIDDEN:
		s = json		    ? (lxkns_mount_hidden(m) ? "1" : "0")
		    : lxkns_mount_hidden(m) ? "hidden"
					    : "";
		break;
	case COL_ID:
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)lxkns_mount_id(m));
		break;
	case COL_PARENT:
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)lxkns_mount_parent_id(m));
		break;
	case COL_MAJMIN:
		snprintf(buf, sizeof(buf), "%u:%u", lxkns_mount_major(m), lxkns_mount_minor(m));
		break;
	case COL_ROOT:
		s = lxkns_mount_root(m);
		break;
	case COL_SUPEROPTIONS:
		s = lxkns_mount_superoptions(m);
		break;
	default:
		s = "";
	}
	scols_line_set_data(ln, colidx, s);
}

struct render {
	struct libscols_table *tb;
	enum col cols[_COL_MAX];
	size_t ncols;
	bool tree, visible_only, json, colour;
};

static int add(struct render *rd, const struct lxkns_mount *m, struct libscols_line *parent,
	       int depth)
{
	if (rd->visible_only && lxkns_mount_hidden(m))
		return 0;
	struct libscols_line *ln = scols_table_new_line(rd->tb, rd->tree ? parent : NULL);
	if (!ln)
		return -ENOMEM;
	for (size_t i = 0; i < rd->ncols; i++)
		cell(ln, i, rd->cols[i], m, rd->json, rd->colour);
	if (depth > 256)
		return 0;
	for (size_t i = 0; i < lxkns_mount_child_count(m); i++) {
		int r = add(rd, lxkns_mount_child_at(m, i), ln, depth + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_columns(const char *list, struct render *rd)
{
	char *copy = strdup(list), *save = NULL;
	const char *p = list;
	if (!copy)
		return -ENOMEM;
	if (*p == '+') {
		p++;
		free(copy);
		copy = strdup(p);
		if (!copy)
			return -ENOMEM;
	} else {
		rd->ncols = 0;
	}
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t c;
		for (c = 0; c < _COL_MAX; c++)
			if (strcasecmp(tok, columns[c].name) == 0)
				break;
		if (c == _COL_MAX || rd->ncols == _COL_MAX) {
			tool_fail("unknown column '%s'", tok);
			free(copy);
			return -EINVAL;
		}
		rd->cols[rd->ncols++] = (enum col)c;
	}
	free(copy);
	return rd->ncols ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "list", no_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "visible", no_argument, NULL, 'v' },
		TOOL_LOOK_LONGOPTS,
		TOOL_TASK_LONGOPTS,
		TOOL_INPUT_LONGOPTS,
		TOOL_BASE_LONGOPTS,
		{ 0 },
	};
	struct render rd = { .tree = true };
	struct tool_opts o;
	struct lxkns_discover_opts base;
	const char *bind = NULL, *nsarg = NULL;
	bool json = false, raw = false, noheadings = false;
	int pid = 0, c, r;

	setlocale(LC_ALL, "");
	tool_init("lsmnt");
	tool_opts_init(&o, usage);
	o.task = false; /* mount namespaces of threads only: --task */
	tool_opts_take(&o, TOOL_OPTS_LOOK | TOOL_OPTS_TASK | TOOL_OPTS_INPUT);
	for (size_t i = 0; i < sizeof(default_cols) / sizeof(default_cols[0]); i++)
		rd.cols[rd.ncols++] = default_cols[i];
	while ((c = getopt_long(argc, argv, "p:b:o:lJrni:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tool_parse_int(optarg, 1, 1 << 30, &pid) < 0)
				return tool_fail("invalid PID '%s'", optarg);
			break;
		case 'b':
			bind = optarg;
			break;
		case 'o':
			if (parse_columns(optarg, &rd) < 0)
				return 1;
			break;
		case 'H':
			for (size_t i = 0; i < _COL_MAX; i++)
				printf("%-13s %s\n", columns[i].name, columns[i].help);
			return 0;
		case 'l':
			rd.tree = false;
			break;
		case 'J':
			json = true;
			break;
		case 'r':
			raw = true;
			break;
		case 'n':
			noheadings = true;
			break;
		case 'v':
			rd.visible_only = true;
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
	if (!!nsarg + !!pid + !!bind > 1)
		return tool_fail("give the mount namespace only once (ID, --pid or --bind)");
	if (json && raw)
		return tool_fail("--json and --raw exclude each other");
	/* as findmnt: raw output is a list, for scripts */
	if (raw)
		rd.tree = false;

	int type = _LXKNS_NS_TYPE_INVALID;
	uint64_t ino = 0;
	if (nsarg && (lxkns_nsid_parse(nsarg, &type, &ino) < 0 ||
		      (type != _LXKNS_NS_TYPE_INVALID && type != LXKNS_NS_MNT)))
		return tool_fail("invalid mount namespace '%s'", nsarg);
	if (bind && o.input)
		return tool_fail("--bind looks at this system, not at a saved discovery (--input)");
	tool_opts_finish(&o);
	rd.colour = style_colour() && !json && !raw;
	if (bind) {
		struct stat st;
		if (stat(bind, &st) < 0)
			return tool_fail("cannot stat '%s': %s", bind, strerror(errno));
		ino = st.st_ino;
	}
	if (pid && !o.input) {
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%d/ns/mnt", o.procfs ? o.procfs : "/proc", pid);
		if (stat(path, &st) < 0)
			return tool_fail("cannot find the mount namespace of PID %d: %s", pid,
					 strerror(errno));
		ino = st.st_ino;
	}

	struct lxkns_result *res = NULL;
	lxkns_discover_opts_init(&base);
	base.with_freezer = false;
	base.with_affinity = false;
	base.with_nspids = false;
	base.with_containers = false;
	if (tool_opts_load_with(&o, LXKNS_NS_TYPE_BIT(LXKNS_NS_MNT), &base, &res) < 0)
		return 1;
	const struct lxkns_namespace *ns = NULL;
	if (pid && o.input) {
		/* the process as the saved discovery has it */
		const struct lxkns_process *p = lxkns_result_process_by_pid(res, pid);
		ns = p ? lxkns_process_namespace(p, LXKNS_NS_MNT) : NULL;
	} else if (!ino) {
		/* our own (or, from a saved discovery, the initial one) */
		const struct lxkns_process *self = o.input ? NULL
							   : lxkns_result_process_by_pid(res,
											 getpid());
		ns = self ? lxkns_process_namespace(self, LXKNS_NS_MNT)
			  : lxkns_result_initial_namespace(res, LXKNS_NS_MNT);
	} else {
		ns = lxkns_result_namespace_by_ino(res, LXKNS_NS_MNT, ino);
	}
	if (!ns) {
		const char *what = nsarg ? nsarg : bind ? bind : "";
		lxkns_result_unref(res);
		if (pid)
			return tool_fail("no mount namespace found for PID %d", pid);
		return tool_fail("unknown mount namespace '%s'", what);
	}
	const struct lxkns_mount_table *t = lxkns_namespace_mounts(ns);
	if (!t) {
		int e = tool_fail("no mount table for mnt:[%llu] (it could not be looked into)",
				  (unsigned long long)lxkns_namespace_id(ns).ino);
		lxkns_result_unref(res);
		return e;
	}

	rd.tb = scols_new_table();
	if (!rd.tb) {
		lxkns_result_unref(res);
		return tool_fail("out of memory");
	}
	scols_table_set_name(rd.tb, "filesystems");
	scols_table_enable_json(rd.tb, json);
	rd.json = json;
	scols_table_enable_raw(rd.tb, raw);
	scols_table_enable_noheadings(rd.tb, noheadings);
	scols_table_enable_colors(rd.tb, rd.colour);
	scols_table_enable_ascii(rd.tb, o.treestyle == STYLE_TREE_ASCII);
	for (size_t i = 0; i < rd.ncols; i++) {
		const char *name = columns[rd.cols[i]].name;
		int flags = columns[rd.cols[i]].flags;
		if (!rd.tree)
			flags &= ~SCOLS_FL_TREE;
		struct libscols_column *cl = scols_table_new_column(rd.tb, name,
								    columns[rd.cols[i]].width,
								    flags);
		if (cl && columns[rd.cols[i]].number)
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
		if (cl && rd.cols[i] == COL_HIDDEN)
			scols_column_set_json_type(cl, SCOLS_JSON_BOOLEAN);
	}
	r = 0;
	for (size_t i = 0; i < lxkns_mount_table_count(t) && r == 0; i++) {
		const struct lxkns_mount *m = lxkns_mount_table_at(t, i);
		/* roots of the mount tree (normally one) */
		if (!lxkns_mount_parent(m))
			r = add(&rd, m, NULL, 0);
	}
	if (r == 0)
		scols_print_table(rd.tb);
	scols_unref_table(rd.tb);
	lxkns_result_unref(res);
	if (r < 0)
		return tool_fail("out of memory");
	return tool_finish_output();
}
