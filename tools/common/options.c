/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "options.h"
#include "tool-common.h"

void tool_opts_init(struct tool_opts *o, void (*usage)(FILE *out))
{
	memset(o, 0, sizeof(*o));
	o->colour = TOOL_COLOUR_AUTO;
	o->theme = STYLE_THEME_DARK;
	o->treestyle = STYLE_TREE_LINE;
	o->procname = TOOL_PROC_NAME;
	o->task = true;
	o->usage = usage;
	o->groups = TOOL_OPTS_ALL;
}

/* tool_opts_usage() has no tool_opts: the groups of the one in use */
static unsigned usage_groups = TOOL_OPTS_ALL;
static bool usage_task_default = true;

void tool_opts_take(struct tool_opts *o, unsigned groups)
{
	o->groups = groups;
	usage_groups = groups;
	usage_task_default = o->task;
}

static int pick(const char *arg, const char *const *names, const int *values, int *ret)
{
	for (size_t i = 0; names[i]; i++)
		if (strcmp(arg, names[i]) == 0) {
			*ret = values[i];
			return 0;
		}
	return -1;
}

int tool_opts_handle(struct tool_opts *o, int c, const char *arg)
{
	int v;

	switch (c) {
	case TOOL_OPT_COLOUR: {
		static const char *const names[] = { "always", "on",  "auto", "never",
						     "none",   "off", NULL };
		static const int values[] = { TOOL_COLOUR_ALWAYS, TOOL_COLOUR_ALWAYS,
					      TOOL_COLOUR_AUTO,	  TOOL_COLOUR_NEVER,
					      TOOL_COLOUR_NEVER,  TOOL_COLOUR_NEVER };
		if (!arg)
			v = TOOL_COLOUR_ALWAYS;
		else if (pick(arg, names, values, &v) < 0)
			return 1 + tool_fail("invalid colour mode '%s' (always, auto, never)", arg);
		o->colour = (enum tool_colour_mode)v;
		return 0;
	}
	case TOOL_OPT_THEME: {
		static const char *const names[] = { "dark", "light", NULL };
		static const int values[] = { STYLE_THEME_DARK, STYLE_THEME_LIGHT };
		if (pick(arg, names, values, &v) < 0)
			return 1 + tool_fail("invalid theme '%s' (dark, light)", arg);
		o->theme = (enum style_theme)v;
		return 0;
	}
	case TOOL_OPT_TREESTYLE: {
		static const char *const names[] = { "line", "ascii", "plain", NULL };
		static const int values[] = { STYLE_TREE_LINE, STYLE_TREE_ASCII, STYLE_TREE_ASCII };
		if (pick(arg, names, values, &v) < 0)
			return 1 + tool_fail("invalid tree style '%s' (line, ascii)", arg);
		o->treestyle = (enum style_tree)v;
		return 0;
	}
	case TOOL_OPT_PROC: {
		static const char *const names[] = { "name", "basename", "exe", NULL };
		static const int values[] = { TOOL_PROC_NAME, TOOL_PROC_BASENAME, TOOL_PROC_EXE };
		if (!arg)
			v = TOOL_PROC_NAME;
		else if (pick(arg, names, values, &v) < 0)
			return 1 +
			       tool_fail("invalid process name style '%s' (name, basename, exe)",
					 arg);
		o->procname = (enum tool_procname)v;
		return 0;
	}
	case TOOL_OPT_ICON:
		o->icon = true;
		return 0;
	case TOOL_OPT_CGROUP: {
		static const char *const names[] = { "short", "full", "complete", NULL };
		static const int values[] = { 0, 1, 1 };
		if (pick(arg, names, values, &v) < 0)
			return 1 + tool_fail("invalid cgroup name style '%s' (short, full)", arg);
		o->cgroup_full = v;
		return 0;
	}
	case TOOL_OPT_ALL_LEADERS:
		o->all_leaders = true;
		return 0;
	case 'f':
		if (tool_parse_type_filter(arg, &o->filter) < 0)
			return 1 + tool_fail("invalid namespace type filter '%s'", arg);
		return 0;
	case TOOL_OPT_TASK: {
		static const char *const names[] = { "true", "on", "yes", "1", "false",
						     "off",  "no", "0",	  NULL };
		static const int values[] = { 1, 1, 1, 1, 0, 0, 0, 0 };
		if (!arg)
			v = 1;
		else if (pick(arg, names, values, &v) < 0)
			return 1 + tool_fail("invalid --task value '%s' (on, off)", arg);
		o->task = v;
		return 0;
	}
	case TOOL_OPT_NO_CONTAINERS:
		o->no_containers = true;
		return 0;
	case 'i':
		o->input = arg;
		return 0;
	case TOOL_OPT_PROCFS:
		o->procfs = arg;
		return 0;
	case TOOL_OPT_DIAGNOSTICS:
		o->diagnostics = true;
		return 0;
	case TOOL_OPT_TIMING:
		o->timing = true;
		return 0;
	case 'h':
		tool_help(o->usage);
		return 1;
	case 'V':
		tool_version();
		return 1;
	case '?':
		return 1 + tool_usage_hint();
	default:
		return -1;
	}
}

void tool_opts_finish(struct tool_opts *o)
{
	bool on = o->colour == TOOL_COLOUR_ALWAYS;

	if (o->colour == TOOL_COLOUR_AUTO) {
		const char *term = getenv("TERM");
		const char *nocolour = getenv("NO_COLOR");
		on = isatty(STDOUT_FILENO) && !(nocolour && *nocolour) &&
		     !(term && strcmp(term, "dumb") == 0);
	}
	style_setup(on, o->theme, o->treestyle);
	tool_usage_done();
}

void tool_opts_usage(FILE *out)
{
	static const struct {
		unsigned group;
		const char *text;
	} lines[] = {
		{ TOOL_OPTS_LOOK,
		  "      --color[=WHEN]     colourise: auto (on a terminal; the default), always\n"
		  "                         (also without WHEN), never\n"
		  "      --theme=THEME      colour theme: dark (default), light\n"
		  "      --treestyle=STYLE  tree lines: line (default), ascii\n" },
		{ TOOL_OPTS_LABELS,
		  "      --proc[=STYLE]     process names: name (comm; default), basename (of\n"
		  "                         argv[0]), exe (argv[0])\n"
		  "      --icon             show an icon before each namespace\n"
		  "      --cgroup=STYLE     control group names: short (64-hex IDs cut to 12;\n"
		  "                         default), full\n"
		  "      --all-leaders      name all leader processes, not only the most "
		  "senior\n" },
		{ TOOL_OPTS_FILTER,
		  "  -f, --filter TYPE[,TYPE]  only these namespace types (cgroup/c, ipc/i,\n"
		  "                         mnt/m, net/n, pid/p, time/t, user/U, uts/u)\n" },
		{ TOOL_OPTS_TASK, "      --task[=on|off]    discover threads too (default " },
		{ TOOL_OPTS_CONTAINERS,
		  "      --no-containers    do not ask container engines for their containers\n" },
		{ TOOL_OPTS_INPUT,
		  "  -i, --input FILE|-     use a saved discovery (dumpns JSON) instead of\n"
		  "                         discovering\n"
		  "      --diagnostics      print what the discovery could not see to stderr\n" },
	};

	fputs("Common options:\n", out);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (!(usage_groups & lines[i].group))
			continue;
		fputs(lines[i].text, out);
		if (lines[i].group == TOOL_OPTS_TASK)
			fputs(usage_task_default ? "on)\n" : "off)\n", out);
	}
	fputs("  -h, --help             this help\n"
	      "  -V, --version          version\n",
	      out);
}

bool tool_opts_shows(const struct tool_opts *o, enum lxkns_ns_type type)
{
	return !o->filter || (o->filter & LXKNS_NS_TYPE_BIT(type));
}

static bool timing, from_input;
static double t_start, t_loaded;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int tool_opts_load(const struct tool_opts *o, unsigned need, struct lxkns_result **ret)
{
	struct lxkns_discover_opts opts;

	lxkns_discover_opts_init(&opts);
	return tool_opts_load_with(o, need, &opts, ret);
}

int tool_opts_load_with(const struct tool_opts *o, unsigned need,
			const struct lxkns_discover_opts *base, struct lxkns_result **ret)
{
	struct lxkns_discover_opts opts = *base;
	int r;

	timing = o->timing;
	from_input = o->input != NULL;
	t_start = now_ms();
	if (o->input) {
		r = tool_read_input(o->input, ret);
	} else {
		/* user and mnt namespaces always: owners, owner names (read
		 * through a process of the initial mount namespace) and the
		 * references of bind mounts depend on them */
		need |= LXKNS_NS_TYPE_BIT(LXKNS_NS_USER) | LXKNS_NS_TYPE_BIT(LXKNS_NS_MNT);
		opts.type_mask = o->filter ? (o->filter | need) & LXKNS_NS_TYPE_ALL : 0;
		opts.from_tasks = o->task;
		opts.with_containers = opts.with_containers && !o->no_containers;
		opts.procfs_root = o->procfs;
		r = tool_discover(&opts, ret);
	}
	t_loaded = now_ms();
	if (r >= 0 && (!o->view_on_demand || o->diagnostics))
		tool_report_view(*ret, o->diagnostics, stderr);
	return r;
}

int tool_check_ns_arg(const char *arg, int want_type)
{
	int type;
	uint64_t ino;

	if (lxkns_nsid_parse(arg, &type, &ino) < 0) {
		tool_fail("invalid namespace '%s'", arg);
		return -EINVAL;
	}
	if (want_type >= 0 && type >= 0 && type != want_type) {
		tool_fail("not a %s namespace: '%s'", lxkns_ns_type_name(want_type), arg);
		return -EINVAL;
	}
	return 0;
}

const struct lxkns_namespace *tool_lookup_ns(const struct lxkns_result *result, const char *arg,
					     int want_type)
{
	const struct lxkns_namespace *ns;
	int type;
	uint64_t ino;

	if (tool_check_ns_arg(arg, want_type) < 0)
		return NULL;
	lxkns_nsid_parse(arg, &type, &ino);
	ns = lxkns_result_namespace_by_ino(result, type, ino);
	if (!ns) {
		tool_fail("unknown namespace '%s'", arg);
		return NULL;
	}
	if (want_type >= 0 && lxkns_namespace_type(ns) != (enum lxkns_ns_type)want_type) {
		tool_fail("not a %s namespace: '%s'", lxkns_ns_type_name(want_type), arg);
		return NULL;
	}
	return ns;
}

int tool_finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return tool_fail("cannot write the output: %s", strerror(errno ? errno : EIO));
	if (timing)
		fprintf(stderr, "%s: %s %.1f ms, output %.1f ms\n", tool_name(),
			from_input ? "reading" : "discovery", t_loaded - t_start,
			now_ms() - t_loaded);
	return 0;
}

const struct lxkns_process *tool_process_in(const struct lxkns_result *result,
					    const struct lxkns_namespace *pidns, pid_t pid)
{
	const struct lxkns_process *p = lxkns_result_process_by_nspid(result, pid, pidns);

	/* the process table is keyed by the PIDs of the initial PID namespace */
	if (!p && pidns == lxkns_result_initial_namespace(result, LXKNS_NS_PID))
		p = lxkns_result_process_by_pid(result, pid);
	return p;
}
