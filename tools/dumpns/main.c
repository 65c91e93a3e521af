/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dumpns: prints a discovery as the JSON document of Go lxkns'
 * GET /api/namespaces, from a live discovery or a saved document.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lxkns/lxkns.h>

#include "config.h"
#include "tool-common.h"

/* The type names for --filter's help, in alphabetical order: "cgroup,ipc,...". */
static void print_type_names(FILE *out)
{
	const char *prev = "";

	for (int n = 0; n < _LXKNS_NS_TYPE_MAX; n++) {
		const char *next = NULL;
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
			const char *name = lxkns_ns_type_name(t);
			if (strcmp(name, prev) > 0 && (!next || strcmp(name, next) < 0))
				next = name;
		}
		fprintf(out, "%s%s", n ? "," : "", next);
		prev = next;
	}
}

static void usage(FILE *out)
{
	const struct lxkns_discover_option *o;

	fputs("Usage: dumpns [OPTIONS]\n"
	      "\n"
	      "Discovers all Linux namespaces and prints them as the JSON document of\n"
	      "Go lxkns' GET /api/namespaces; or prints a saved discovery (-i) anew.\n"
	      "\n"
	      "Output:\n"
	      "  -c, --compact          no whitespace\n"
	      "  -t, --tab              indent with tabs\n"
	      "      --indent N         indent N spaces per level (0..8, default 2)\n"
	      "      --diagnostics      print what the discovery could not see to stderr\n"
	      "      --processes        print the process table (GET /api/processes) instead\n"
	      "      --pidmap           print the PID map (GET /api/pidmap) instead\n"
	      "\n"
	      "Discovery (default: everything):\n"
	      "  -f, --filter TYPE[,TYPE]  only these namespace types\n"
	      "                            (",
	      out);
	print_type_names(out);
	fputs(")\n", out);
	/* the switches: the option table (include/lxkns/options.h) */
	for (size_t i = 0; (o = lxkns_discover_option_at(i)); i++)
		fprintf(out, "      --%-17s%s\n", o->flag, o->help);
	fputs("      --container-timeout MS  skip an engine that takes longer (default 3000)\n"
	      "      --threads N        worker threads for the process scan (0: auto)\n"
	      "      --proc DIR, --procfs DIR  read DIR instead of /proc (a real procfs or\n"
	      "                         a fixture)\n"
	      "\n"
	      "Input:\n"
	      "  -i, --input FILE|-     read a saved discovery (dumpns JSON; -: stdin) instead\n"
	      "                         of discovering; the output options apply, the\n"
	      "                         discovery options do not\n"
	      "\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          version\n",
	      out);
}

enum {
	OPT_DIAG = 0x100,
	OPT_INDENT,
	OPT_CONTAINER_TIMEOUT,
	OPT_THREADS,
	OPT_PROC,
	OPT_PROCESSES,
	OPT_PIDMAP,
	OPT_SWITCH = 0x200, /* + the index in the option table */
};

/* getopt's table: ours, with the option table's flags in the middle. */
static const struct option *make_longopts(void)
{
	static const struct option head[] = {
		{ "compact", no_argument, NULL, 'c' },
		{ "tab", no_argument, NULL, 't' },
		{ "indent", required_argument, NULL, OPT_INDENT },
		{ "filter", required_argument, NULL, 'f' },
		{ "diagnostics", no_argument, NULL, OPT_DIAG },
	};
	static const struct option tail[] = {
		{ "container-timeout", required_argument, NULL, OPT_CONTAINER_TIMEOUT },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "proc", required_argument, NULL, OPT_PROC },
		{ "procfs", required_argument, NULL, OPT_PROC },
		{ "input", required_argument, NULL, 'i' },
		{ "processes", no_argument, NULL, OPT_PROCESSES },
		{ "pidmap", no_argument, NULL, OPT_PIDMAP },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	static struct option all[sizeof(head) / sizeof(head[0]) + LXKNS_DISCOVER_OPTION_MAX +
				 sizeof(tail) / sizeof(tail[0])];
	const size_t nhead = sizeof(head) / sizeof(head[0]);
	const struct lxkns_discover_option *o;
	size_t n = 0;

	memcpy(all, head, sizeof(head));
	for (; (o = lxkns_discover_option_at(n)); n++)
		all[nhead + n] = (struct option){ o->flag, no_argument, NULL, OPT_SWITCH + (int)n };
	memcpy(all + nhead + n, tail, sizeof(tail));
	return all;
}

/* A switch's flag sets the opposite of its default (and flag_also alike). */
static void apply_switch(struct lxkns_discover_opts *opts, const struct lxkns_discover_option *o)
{
	bool on = !o->on_by_default;

	lxkns_discover_option_set(o, opts, on);
	if (o->flag_also)
		lxkns_discover_option_set(lxkns_discover_option_by_query(o->flag_also), opts, on);
}

int main(int argc, char **argv)
{
	const struct option *longopts = make_longopts();
	const struct lxkns_discover_option *sw;
	struct lxkns_json_style style = LXKNS_JSON_STYLE_DEFAULT;
	struct lxkns_discover_opts opts;
	struct lxkns_result *result = NULL;
	const char *input = NULL, *discovery_opt = NULL;
	bool diagnostics = false;
	enum { DOC_NAMESPACES, DOC_PROCESSES, DOC_PIDMAP } doc = DOC_NAMESPACES;
	int c, r, value;

	tool_init("dumpns");
	lxkns_discover_opts_init(&opts);
	while ((c = getopt_long(argc, argv, "ci:tf:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			style.compact = true;
			break;
		case 't':
			style.tab = true;
			break;
		case OPT_INDENT:
			if (tool_parse_int(optarg, 0, 8, &value) < 0)
				return tool_fail("invalid indent '%s' (0..8)", optarg);
			style.indent = (unsigned)value;
			break;
		case 'f':
			if (tool_parse_type_filter(optarg, &opts.type_mask) < 0)
				return tool_fail("invalid namespace type filter '%s'", optarg);
			discovery_opt = "filter";
			break;
		case OPT_DIAG:
			diagnostics = true;
			break;
		case OPT_CONTAINER_TIMEOUT:
			if (tool_parse_int(optarg, 1, 600000, &value) < 0)
				return tool_fail("invalid container timeout '%s' (1..600000 ms)",
						 optarg);
			opts.container_timeout_ms = (unsigned)value;
			discovery_opt = "container-timeout";
			break;
		case OPT_THREADS:
			if (tool_parse_int(optarg, 0, 64, &value) < 0)
				return tool_fail("invalid thread count '%s' (0..64)", optarg);
			opts.threads = (unsigned)value;
			discovery_opt = "threads";
			break;
		case OPT_PROC:
			opts.procfs_root = optarg;
			discovery_opt = "proc";
			break;
		case 'i':
			input = optarg;
			break;
		case OPT_PROCESSES:
			doc = DOC_PROCESSES;
			break;
		case OPT_PIDMAP:
			doc = DOC_PIDMAP;
			break;
		case 'h':
			tool_help(usage);
			return 0;
		case 'V':
			tool_version();
			return 0;
		default:
			sw = c >= OPT_SWITCH ? lxkns_discover_option_at((size_t)(c - OPT_SWITCH))
					     : NULL;
			if (sw) {
				apply_switch(&opts, sw);
				discovery_opt = sw->flag;
				break;
			}
			return tool_usage_hint();
		}
	}
	if (optind < argc)
		return tool_fail("unexpected argument '%s'", argv[optind]);
	/* a saved discovery is printed as it was discovered */
	if (input && discovery_opt)
		return tool_fail("--%s applies to a discovery, not to a saved one (--input)",
				 discovery_opt);
	tool_usage_done();

	if (input)
		r = tool_read_input(input, &result);
	else
		r = tool_discover(&opts, &result);
	if (r < 0)
		return 1;
	tool_report_view(result, diagnostics, stderr);
	switch (doc) {
	case DOC_PROCESSES:
		r = lxkns_result_write_processes_json(result, &style, tool_file_sink, stdout);
		break;
	case DOC_PIDMAP:
		r = lxkns_result_write_pidmap_json(result, &style, tool_file_sink, stdout);
		break;
	default:
		r = lxkns_result_write_json(result, &style, tool_file_sink, stdout);
	}
	if (r == 0 && fflush(stdout) != 0)
		r = -errno;
	lxkns_result_unref(result);
	if (r < 0)
		return tool_fail("cannot write the output: %s", strerror(-r));
	return 0;
}
