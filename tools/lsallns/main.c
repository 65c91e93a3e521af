/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lsallns: a table of all namespaces, sorted by inode, printed through
 * libsmartcols like lsns (columns, JSON, raw, no headings).
 */
#include <getopt.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols/libsmartcols.h>
#include <lxkns/lxkns.h>

#include "labels.h"
#include "options.h"
#include "tool-common.h"
#include "u64map.h"

enum col {
	COL_NAMESPACE,
	COL_TYPE,
	COL_CONTAINER,
	COL_PID,
	COL_PROCESS,
	COL_COMMENT,
	COL_NPROCS,
	COL_OWNER,
	COL_PARENT,
	COL_UID,
	COL_USER,
	COL_REFERENCE,
	COL_LEADERS,
	_COL_MAX,
};

static const struct colinfo {
	const char *name;   /* for -o, and the JSON key (lower case) */
	const char *header; /* the table heading */
	double whint;
	int flags;
	int json_type;
	const char *help;
} infos[_COL_MAX] = {
	[COL_NAMESPACE] = { "NAMESPACE", "NAMESPACE", 10, 0, SCOLS_JSON_NUMBER,
			    "namespace identifier (inode number)" },
	[COL_TYPE] = { "TYPE", "TYPE", 5, 0, SCOLS_JSON_STRING, "namespace type" },
	[COL_CONTAINER] = { "CONTAINER", "CONTAINER", 0.1, 0, SCOLS_JSON_STRING,
			    "container of the process" },
	[COL_PID] = { "PID", "PID", 5, 0, SCOLS_JSON_NUMBER,
		      "most senior process (or loose thread) in the namespace" },
	[COL_PROCESS] = { "PROCESS", "PROCESS/[TASK]", 0.2, 0, SCOLS_JSON_STRING,
			  "its name ([name] for a thread)" },
	[COL_COMMENT] = { "COMMENT", "COMMENT", 0.3, 0, SCOLS_JSON_STRING,
			  "cgroup:CGROUP of the process, bound:REF without a process, ??? when "
			  "hidden" },
	[COL_NPROCS] = { "NPROCS", "NPROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			 "number of processes in the namespace" },
	[COL_OWNER] = { "OWNER", "OWNER", 10, 0, SCOLS_JSON_NUMBER, "owning user namespace" },
	[COL_PARENT] = { "PARENT", "PARENT", 10, 0, SCOLS_JSON_NUMBER,
			 "parent namespace (user and pid)" },
	[COL_UID] = { "UID", "UID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		      "UID of the owner (of the owning user namespace)" },
	[COL_USER] = { "USER", "USER", 0.1, 0, SCOLS_JSON_STRING, "user name of that owner" },
	[COL_REFERENCE] = { "REFERENCE", "REFERENCE", 0.3, 0, SCOLS_JSON_STRING,
			    "where the namespace is referenced (chain joined by »)" },
	[COL_LEADERS] = { "LEADERS", "LEADERS", 0.1, 0, SCOLS_JSON_STRING,
			  "PIDs of all leader processes" },
};

static const enum col default_cols[] = {
	COL_NAMESPACE, COL_TYPE, COL_CONTAINER, COL_PID, COL_PROCESS, COL_COMMENT,
};

static void usage(FILE *out)
{
	fputs("Usage: lsallns [OPTIONS]\n"
	      "\n"
	      "Lists all namespaces, sorted by their identifier.\n"
	      "\n"
	      "  -o, --output LIST      columns to print (+LIST adds to the default)\n"
	      "  -J, --json             JSON output\n"
	      "  -r, --raw              raw output\n"
	      "  -n, --noheadings       no column headings\n"
	      "  -t, --type TYPE[,TYPE] only these namespace types (same as --filter)\n"
	      "  -H, --list-columns     list the columns and exit\n"
	      "\n",
	      out);
	tool_opts_usage(out);
	fputs("\nColumns:\n", out);
	for (size_t i = 0; i < _COL_MAX; i++)
		fprintf(out, " %11s  %s\n", infos[i].name, infos[i].help);
}

struct cols {
	enum col list[64];
	size_t n;
};

static int parse_columns(const char *arg, struct cols *cols)
{
	char *copy, *save = NULL;

	if (*arg == '+')
		arg++;
	else
		cols->n = 0;
	copy = strdup(arg);
	if (!copy)
		return tool_fail("out of memory");
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < _COL_MAX; i++)
			if (strcasecmp(tok, infos[i].name) == 0)
				break;
		if (i == _COL_MAX) {
			tool_fail("unknown column '%s'", tok);
			free(copy);
			return 1;
		}
		if (cols->n == sizeof(cols->list) / sizeof(cols->list[0])) {
			tool_fail("too many columns");
			free(copy);
			return 1;
		}
		cols->list[cols->n++] = (enum col)i;
	}
	free(copy);
	if (cols->n == 0)
		return tool_fail("no columns in '%s'", arg);
	return 0;
}

static int cmp_ns(const void *a, const void *b)
{
	uint64_t x = lxkns_namespace_id(*(const struct lxkns_namespace *const *)a).ino;
	uint64_t y = lxkns_namespace_id(*(const struct lxkns_namespace *const *)b).ino;
	return (x > y) - (x < y);
}

/* The loose thread that started first (then the lowest TID). */
static const struct lxkns_task *first_loose_thread(const struct lxkns_namespace *ns)
{
	const struct lxkns_task *best = NULL;

	for (size_t i = 0; i < lxkns_namespace_loose_thread_count(ns); i++) {
		const struct lxkns_task *t = lxkns_namespace_loose_thread_at(ns, i);
		if (!best || lxkns_task_starttime(t) < lxkns_task_starttime(best))
			best = t;
	}
	return best;
}

static void set(struct libscols_line *ln, size_t cell, struct buf *sb)
{
	if (sb->len)
		scols_line_refer_data(ln, cell, xbuf_take(sb));
}

static void fill(struct libscols_line *ln, const struct cols *cols,
		 const struct lxkns_namespace *ns, const struct u64map *nprocs, bool colour)
{
	const struct lxkns_process *ealdorman = lxkns_namespace_ealdorman(ns);
	const struct lxkns_task *loose = ealdorman ? NULL : first_loose_thread(ns);
	enum lxkns_ns_type type = lxkns_namespace_type(ns);
	const struct lxkns_namespace *userns = type == LXKNS_NS_USER ? ns
								     : lxkns_namespace_owner(ns);
	struct buf sb = BUF_INIT;

	for (size_t i = 0; i < cols->n; i++) {
		const struct lxkns_namespace *rel;
		uid_t uid;

		switch (cols->list[i]) {
		case COL_NAMESPACE:
			buf_printf(&sb, "%llu", (unsigned long long)lxkns_namespace_id(ns).ino);
			break;
		case COL_TYPE:
			buf_puts(&sb, lxkns_ns_type_name(type));
			break;
		case COL_CONTAINER:
			if (ealdorman && lxkns_process_container(ealdorman)) {
				char name[512];
				buf_puts(&sb, lxkns_container_display_name(lxkns_process_container(
										   ealdorman),
									   name, sizeof(name)));
			}
			break;
		case COL_PID:
			if (ealdorman)
				buf_printf(&sb, "%d", (int)lxkns_process_pid(ealdorman));
			else if (loose)
				buf_printf(&sb, "%d", (int)lxkns_task_tid(loose));
			break;
		case COL_PROCESS:
			if (ealdorman) {
				label_procname(&sb, ealdorman);
			} else if (loose) {
				buf_putc(&sb, '[');
				buf_puts(&sb, lxkns_task_name(loose));
				buf_putc(&sb, ']');
			}
			break;
		case COL_COMMENT:
			if (ealdorman || loose) {
				buf_puts(&sb, "cgroup:");
				label_cgroup(&sb, ealdorman ? lxkns_process_cpu_cgroup(ealdorman)
							    : lxkns_task_cpu_cgroup(loose));
			} else if (lxkns_namespace_ref_count(ns)) {
				buf_puts(&sb, "bound:");
				label_ref(&sb, ns);
			} else {
				buf_puts(&sb, "???");
			}
			break;
		case COL_NPROCS:
			buf_printf(&sb, "%zu",
				   (size_t)(uintptr_t)u64map_get(nprocs,
								 lxkns_namespace_id(ns).ino));
			break;
		case COL_OWNER:
			rel = lxkns_namespace_owner(ns);
			if (rel)
				buf_printf(&sb, "%llu",
					   (unsigned long long)lxkns_namespace_id(rel).ino);
			break;
		case COL_PARENT:
			rel = lxkns_namespace_parent(ns);
			if (rel)
				buf_printf(&sb, "%llu",
					   (unsigned long long)lxkns_namespace_id(rel).ino);
			break;
		case COL_UID:
			if (userns && lxkns_namespace_owner_uid(userns, &uid))
				buf_printf(&sb, "%u", (unsigned)uid);
			break;
		case COL_USER:
			if (userns)
				buf_puts(&sb, lxkns_namespace_user_name(userns));
			break;
		case COL_REFERENCE:
			label_ref(&sb, ns);
			break;
		case COL_LEADERS:
			for (size_t k = 0; k < lxkns_namespace_leader_count(ns); k++)
				buf_printf(&sb, "%s%d", k ? "," : "",
					   (int)lxkns_process_pid(
						   lxkns_namespace_leader_at(ns, k)));
			break;
		default:
			break;
		}
		if (colour && (cols->list[i] == COL_NAMESPACE || cols->list[i] == COL_TYPE))
			scols_cell_set_color(scols_line_get_cell(ln, i),
					     style_sgr((enum style_elem)type));
		set(ln, i, &sb);
	}
	buf_free(&sb);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "type", required_argument, NULL, 't' },
		{ "list-columns", no_argument, NULL, 'H' },
		TOOL_COMMON_LONGOPTS,
		{ 0 },
	};
	struct tool_opts o;
	struct lxkns_result *result = NULL;
	struct cols cols;
	bool json = false, raw = false, noheadings = false, list_columns = false, colour;
	struct u64map nprocs = { 0 };
	const struct lxkns_namespace **rows = NULL;
	size_t nrows = 0, caprows = 0;
	struct libscols_table *tb;
	int c, r;

	tool_init("lsallns");
	tool_opts_init(&o, usage);
	cols.n = sizeof(default_cols) / sizeof(default_cols[0]);
	memcpy(cols.list, default_cols, sizeof(default_cols));
	while ((c = getopt_long(argc, argv, "o:JrnHt:" TOOL_COMMON_SHORTOPTS, longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'o':
			if (parse_columns(optarg, &cols))
				return 1;
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
		case 'H':
			list_columns = true;
			break;
		case 't':
			c = 'f';
			/* fall through */
		default:
			r = tool_opts_handle(&o, c, optarg);
			if (r != 0)
				return r > 0 ? r - 1 : tool_usage_hint();
		}
	}
	if (optind < argc)
		return tool_fail("unexpected argument '%s'", argv[optind]);
	if (json && raw)
		return tool_fail("--json and --raw exclude each other");
	setlocale(LC_ALL, "");
	tool_opts_finish(&o);
	labels_setup(&o);
	colour = style_colour() && !json && !raw;

	if (list_columns) {
		for (size_t i = 0; i < _COL_MAX; i++)
			printf("%s\t%s\n", infos[i].name, infos[i].help);
		return tool_finish_output();
	}
	if (tool_opts_load(&o, 0, &result) < 0)
		return 1;

	/* processes per namespace, for NPROCS */
	for (size_t i = 0; i < lxkns_result_process_count(result); i++) {
		const struct lxkns_process *p = lxkns_result_process_at(result, i);
		for (int type = 0; type < _LXKNS_NS_TYPE_MAX; type++) {
			const struct lxkns_namespace *ns = lxkns_process_namespace(p, type);
			uint64_t ino = ns ? lxkns_namespace_id(ns).ino : 0;
			if (ino &&
			    u64map_put(&nprocs, ino,
				       (void *)((uintptr_t)u64map_get(&nprocs, ino) + 1)) < 0) {
				lxkns_result_unref(result);
				u64map_free(&nprocs);
				return tool_fail("out of memory");
			}
		}
	}
	for (int type = 0; type < _LXKNS_NS_TYPE_MAX; type++) {
		size_t n = lxkns_result_namespace_count(result, type);
		if (!tool_opts_shows(&o, type))
			continue;
		xgrow((void **)&rows, &caprows, nrows + n, sizeof(*rows));
		for (size_t i = 0; i < n; i++)
			rows[nrows++] = lxkns_result_namespace_at(result, type, i);
	}
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), cmp_ns);

	tb = scols_new_table();
	if (!tb) {
		free(rows);
		u64map_free(&nprocs);
		lxkns_result_unref(result);
		return tool_fail("out of memory");
	}
	scols_table_set_name(tb, "namespaces");
	scols_table_enable_json(tb, json);
	scols_table_enable_raw(tb, raw);
	scols_table_enable_noheadings(tb, noheadings);
	scols_table_enable_colors(tb, colour);
	for (size_t i = 0; i < cols.n; i++) {
		const struct colinfo *ci = &infos[cols.list[i]];
		char key[32];
		size_t k;

		/* JSON keys are the lower-case column names */
		for (k = 0; json && ci->name[k] && k + 1 < sizeof(key); k++)
			key[k] = (char)(ci->name[k] | 0x20);
		key[json ? k : 0] = '\0';
		struct libscols_column *cl = scols_table_new_column(tb, json ? key : ci->header,
								    ci->whint, ci->flags);
		if (!cl) {
			r = tool_fail("out of memory");
			goto out;
		}
		if (json)
			scols_column_set_json_type(cl, ci->json_type);
	}
	for (size_t i = 0; i < nrows; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln) {
			r = tool_fail("out of memory");
			goto out;
		}
		fill(ln, &cols, rows[i], &nprocs, colour);
	}
	scols_print_table(tb);
	r = tool_finish_output();
out:
	scols_unref_table(tb);
	free(rows);
	u64map_free(&nprocs);
	lxkns_result_unref(result);
	return r;
}
