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

static void usage(FILE *out)
{
	fputs("Usage: dumpns [OPTIONS]\n"
	      "\n"
	      "Discovers all Linux namespaces and prints them as the JSON document of\n"
	      "Go lxkns' GET /api/namespaces.\n"
	      "\n"
	      "Output:\n"
	      "  -c, --compact          no whitespace\n"
	      "  -t, --tab              indent with tabs\n"
	      "  -i, --indent N         indent N spaces per level (0..8, default 2)\n"
	      "      --diagnostics      print what the discovery could not see to stderr\n"
	      "      --processes        print the process table (GET /api/processes) instead\n"
	      "      --pidmap           print the PID map (GET /api/pidmap) instead\n"
	      "\n"
	      "Discovery (default: everything):\n"
	      "  -f, --filter TYPE[,TYPE]  only these namespace types\n"
	      "                            (cgroup,ipc,mnt,net,pid,time,user,uts)\n"
	      "      --no-procs         do not scan /proc/PID/ns of processes\n"
	      "      --no-tasks         do not scan threads (no loose threads)\n"
	      "      --no-fds           do not scan fds for namespace references\n"
	      "      --no-sockets       do not look up the network namespaces of sockets\n"
	      "      --no-bindmounts    do not scan bind-mounted namespaces\n"
	      "      --no-hierarchy     no user/PID hierarchy (no hidden parents)\n"
	      "      --no-ownership     no owning user namespaces\n"
	      "      --no-user-names    no owner user names from /etc/passwd\n"
	      "      --no-pidmap        do not read NSpid from /proc/PID/status\n"
	      "      --no-mounts        no mount tables (the \"mounts\" key stays empty)\n"
	      "      --no-freezer       do not read the cgroup freezer state\n"
	      "      --no-affinity      no CPU affinity (and no online CPUs)\n"
	      "      --task-affinity    the CPU affinity of every task, not only of leaders\n"
	      "      --no-containers    do not ask container engines for their containers\n"
	      "      --container-timeout MS  skip an engine that takes longer (default 3000)\n"
	      "      --threads N        worker threads for the process scan (0: auto)\n"
	      "      --proc DIR         read DIR instead of /proc (a real procfs or a fixture)\n"
	      "      --input FILE|-     read a saved discovery instead of discovering\n"
	      "\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          version\n",
	      out);
}

enum {
	OPT_DIAG = 0x100,
	OPT_NO_PROCS,
	OPT_NO_TASKS,
	OPT_NO_FDS,
	OPT_NO_SOCKETS,
	OPT_NO_BINDMOUNTS,
	OPT_NO_HIERARCHY,
	OPT_NO_OWNERSHIP,
	OPT_NO_USER_NAMES,
	OPT_NO_PIDMAP,
	OPT_NO_MOUNTS,
	OPT_NO_FREEZER,
	OPT_NO_AFFINITY,
	OPT_TASK_AFFINITY,
	OPT_NO_CONTAINERS,
	OPT_CONTAINER_TIMEOUT,
	OPT_THREADS,
	OPT_PROC,
	OPT_INPUT,
	OPT_PROCESSES,
	OPT_PIDMAP,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "compact", no_argument, NULL, 'c' },
		{ "tab", no_argument, NULL, 't' },
		{ "indent", required_argument, NULL, 'i' },
		{ "filter", required_argument, NULL, 'f' },
		{ "diagnostics", no_argument, NULL, OPT_DIAG },
		{ "no-procs", no_argument, NULL, OPT_NO_PROCS },
		{ "no-tasks", no_argument, NULL, OPT_NO_TASKS },
		{ "no-fds", no_argument, NULL, OPT_NO_FDS },
		{ "no-sockets", no_argument, NULL, OPT_NO_SOCKETS },
		{ "no-bindmounts", no_argument, NULL, OPT_NO_BINDMOUNTS },
		{ "no-hierarchy", no_argument, NULL, OPT_NO_HIERARCHY },
		{ "no-ownership", no_argument, NULL, OPT_NO_OWNERSHIP },
		{ "no-user-names", no_argument, NULL, OPT_NO_USER_NAMES },
		{ "no-pidmap", no_argument, NULL, OPT_NO_PIDMAP },
		{ "no-mounts", no_argument, NULL, OPT_NO_MOUNTS },
		{ "no-freezer", no_argument, NULL, OPT_NO_FREEZER },
		{ "no-affinity", no_argument, NULL, OPT_NO_AFFINITY },
		{ "task-affinity", no_argument, NULL, OPT_TASK_AFFINITY },
		{ "no-containers", no_argument, NULL, OPT_NO_CONTAINERS },
		{ "container-timeout", required_argument, NULL, OPT_CONTAINER_TIMEOUT },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "proc", required_argument, NULL, OPT_PROC },
		{ "input", required_argument, NULL, OPT_INPUT },
		{ "processes", no_argument, NULL, OPT_PROCESSES },
		{ "pidmap", no_argument, NULL, OPT_PIDMAP },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	struct lxkns_json_style style = LXKNS_JSON_STYLE_DEFAULT;
	struct lxkns_discover_opts opts;
	struct lxkns_result *result = NULL;
	const char *input = NULL;
	bool diagnostics = false;
	enum { DOC_NAMESPACES, DOC_PROCESSES, DOC_PIDMAP } doc = DOC_NAMESPACES;
	int c, r, value;

	tool_init("dumpns");
	lxkns_discover_opts_init(&opts);
	while ((c = getopt_long(argc, argv, "cti:f:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			style.compact = true;
			break;
		case 't':
			style.tab = true;
			break;
		case 'i':
			if (tool_parse_int(optarg, 0, 8, &value) < 0)
				return tool_fail("invalid indent '%s' (0..8)", optarg);
			style.indent = (unsigned)value;
			break;
		case 'f':
			if (tool_parse_type_filter(optarg, &opts.type_mask) < 0)
				return tool_fail("invalid namespace type filter '%s'", optarg);
			break;
		case OPT_DIAG:
			diagnostics = true;
			break;
		case OPT_NO_PROCS:
			opts.from_procs = false;
			break;
		case OPT_NO_TASKS:
			opts.from_tasks = false;
			break;
		case OPT_NO_FDS:
			opts.from_fds = false;
			break;
		case OPT_NO_SOCKETS:
			opts.from_sockets = false;
			break;
		case OPT_NO_BINDMOUNTS:
			opts.from_bindmounts = false;
			break;
		case OPT_NO_HIERARCHY:
			opts.with_hierarchy = false;
			break;
		case OPT_NO_OWNERSHIP:
			opts.with_ownership = false;
			break;
		case OPT_NO_USER_NAMES:
			opts.with_user_names = false;
			break;
		case OPT_NO_PIDMAP:
			opts.with_nspids = false;
			break;
		case OPT_NO_MOUNTS:
			opts.with_mounts = false;
			break;
		case OPT_NO_FREEZER:
			opts.with_freezer = false;
			break;
		case OPT_NO_AFFINITY:
			opts.with_affinity = false;
			opts.with_task_affinity = false;
			break;
		case OPT_TASK_AFFINITY:
			opts.with_task_affinity = true;
			break;
		case OPT_NO_CONTAINERS:
			opts.with_containers = false;
			break;
		case OPT_CONTAINER_TIMEOUT:
			if (tool_parse_int(optarg, 1, 600000, &value) < 0)
				return tool_fail("invalid container timeout '%s' (1..600000 ms)", optarg);
			opts.container_timeout_ms = (unsigned)value;
			break;
		case OPT_THREADS:
			if (tool_parse_int(optarg, 0, 64, &value) < 0)
				return tool_fail("invalid thread count '%s' (0..64)", optarg);
			opts.threads = (unsigned)value;
			break;
		case OPT_PROC:
			opts.procfs_root = optarg;
			break;
		case OPT_INPUT:
			input = optarg;
			break;
		case OPT_PROCESSES:
			doc = DOC_PROCESSES;
			break;
		case OPT_PIDMAP:
			doc = DOC_PIDMAP;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("dumpns (lxkns) %s\n", LXKNS_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc)
		return tool_fail("unexpected argument '%s'", argv[optind]);

	if (input)
		r = tool_read_input(input, &result);
	else
		r = tool_discover(&opts, &result);
	if (r < 0)
		return 1;
	if (diagnostics)
		tool_print_diagnostics(result, stderr);
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
