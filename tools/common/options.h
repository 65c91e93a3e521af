/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options.h: the flags all lxkns tree and table tools share (colour, theme,
 * tree style, process naming, icons, control group names, all leaders, type
 * filter, tasks, saved input), their parsing, and getting the result they
 * render: a live discovery or a saved one (-i FILE).
 */
#ifndef LXKNS_TOOL_OPTIONS_H
#define LXKNS_TOOL_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <lxkns/lxkns.h>

#include "style.h"

enum tool_colour_mode {
	TOOL_COLOUR_AUTO,
	TOOL_COLOUR_ALWAYS,
	TOOL_COLOUR_NEVER,
};

enum tool_procname {
	TOOL_PROC_NAME,	    /* comm */
	TOOL_PROC_BASENAME, /* basename of argv[0] */
	TOOL_PROC_EXE,	    /* argv[0] */
};

struct tool_opts {
	enum tool_colour_mode colour;
	enum style_theme theme;
	enum style_tree treestyle;
	enum tool_procname procname;
	bool icon;
	bool cgroup_full;
	bool all_leaders;
	unsigned filter; /* LXKNS_NS_TYPE_BIT()s; 0 = every type */
	bool task;
	bool no_containers; /* --no-containers: no container engine is asked */
	const char *input;
	const char *procfs; /* hidden --procfs DIR: another procfs root */
	bool diagnostics;
	/* the partial-view line only when the caller asks (nsrun: its output
	 * is the command's; it tells only when a lookup fails) */
	bool view_on_demand;
	bool timing;	 /* hidden --timing: discovery and output times to stderr */
	unsigned groups; /* enum tool_opts_group: the common options the tool takes */
	void (*usage)(FILE *out);
};

enum {
	TOOL_OPT_COLOUR = 0x200,
	TOOL_OPT_THEME,
	TOOL_OPT_TREESTYLE,
	TOOL_OPT_PROC,
	TOOL_OPT_ICON,
	TOOL_OPT_CGROUP,
	TOOL_OPT_ALL_LEADERS,
	TOOL_OPT_TASK,
	TOOL_OPT_PROCFS,
	TOOL_OPT_DIAGNOSTICS,
	TOOL_OPT_TIMING,
	TOOL_OPT_NO_CONTAINERS,
};

/*
 * The common options come in groups. The tree and table tools take them all
 * (TOOL_COMMON_LONGOPTS, TOOL_COMMON_SHORTOPTS); lsmnt and nsrun take the
 * groups that mean something for them, say so with tool_opts_take(), and
 * their --help lists only those.
 */
enum tool_opts_group {
	TOOL_OPTS_LOOK = 1 << 0,       /* --color, --theme, --treestyle */
	TOOL_OPTS_LABELS = 1 << 1,     /* --proc, --icon, --cgroup, --all-leaders */
	TOOL_OPTS_FILTER = 1 << 2,     /* -f, --filter */
	TOOL_OPTS_TASK = 1 << 3,       /* --task */
	TOOL_OPTS_CONTAINERS = 1 << 4, /* --no-containers */
	TOOL_OPTS_INPUT = 1 << 5,      /* -i, --input; --diagnostics; hidden --procfs, --timing */
	TOOL_OPTS_ALL = (1 << 6) - 1,  /* and always: -h, --help; -V, --version */
};

#define TOOL_LOOK_LONGOPTS                                                                         \
	{ "color", optional_argument, NULL, TOOL_OPT_COLOUR },                                     \
		{ "theme", required_argument, NULL, TOOL_OPT_THEME },                              \
	{                                                                                          \
		"treestyle", required_argument, NULL, TOOL_OPT_TREESTYLE                           \
	}
#define TOOL_LABELS_LONGOPTS                                                                       \
	{ "proc", optional_argument, NULL, TOOL_OPT_PROC },                                        \
		{ "icon", no_argument, NULL, TOOL_OPT_ICON },                                      \
		{ "cgroup", required_argument, NULL, TOOL_OPT_CGROUP },                            \
	{                                                                                          \
		"all-leaders", no_argument, NULL, TOOL_OPT_ALL_LEADERS                             \
	}
#define TOOL_FILTER_LONGOPTS                                                                       \
	{                                                                                          \
		"filter", required_argument, NULL, 'f'                                             \
	}
#define TOOL_TASK_LONGOPTS                                                                         \
	{                                                                                          \
		"task", optional_argument, NULL, TOOL_OPT_TASK                                     \
	}
#define TOOL_CONTAINERS_LONGOPTS                                                                   \
	{                                                                                          \
		"no-containers", no_argument, NULL, TOOL_OPT_NO_CONTAINERS                         \
	}
#define TOOL_INPUT_LONGOPTS                                                                        \
	{ "input", required_argument, NULL, 'i' },                                                 \
		{ "procfs", required_argument, NULL, TOOL_OPT_PROCFS },                            \
		{ "diagnostics", no_argument, NULL, TOOL_OPT_DIAGNOSTICS },                        \
	{                                                                                          \
		"timing", no_argument, NULL, TOOL_OPT_TIMING                                       \
	}
#define TOOL_BASE_LONGOPTS                                                                         \
	{ "help", no_argument, NULL, 'h' },                                                        \
	{                                                                                          \
		"version", no_argument, NULL, 'V'                                                  \
	}

/* Append to a tool's struct option array (before the { 0 } terminator)
 * and to its short option string. */
#define TOOL_COMMON_LONGOPTS                                                                       \
	TOOL_LOOK_LONGOPTS, TOOL_LABELS_LONGOPTS, TOOL_FILTER_LONGOPTS, TOOL_TASK_LONGOPTS,        \
		TOOL_CONTAINERS_LONGOPTS, TOOL_INPUT_LONGOPTS, TOOL_BASE_LONGOPTS
#define TOOL_COMMON_SHORTOPTS "f:i:hV"

void tool_opts_init(struct tool_opts *o, void (*usage)(FILE *out));
/* The tool takes only these groups of common options (enum tool_opts_group;
 * the default is TOOL_OPTS_ALL): tool_opts_usage() lists only them, and
 * the default of --task it shows is o->task's at this call. */
void tool_opts_take(struct tool_opts *o, unsigned groups);

/*
 * Handles a common option c (from getopt_long) with its argument.
 * Returns 0 when handled, -1 when c is not a common option, or an exit
 * code + 1 when the tool should end now: 1 after --help (with the man page
 * line) or --version (exit 0), 2 after a bad value or an unknown option
 * (the message and the "Try 'TOOL --help'" line are printed; exit 1).
 */
int tool_opts_handle(struct tool_opts *o, int c, const char *arg);

/* After parsing: decides on colour (auto: only on a terminal, not with
 * NO_COLOR or TERM=dumb) and sets the style up; ends the usage phase
 * (tool_usage_done()). */
void tool_opts_finish(struct tool_opts *o);

/* The common part of --help: the options of the groups the tool takes. */
void tool_opts_usage(FILE *out);

/* True when the type filter lets a type through. */
bool tool_opts_shows(const struct tool_opts *o, enum lxkns_ns_type type);

/* Reads the saved discovery (-i) or runs a discovery of the filtered types
 * plus those in need (a mask); prints the error. 0 or -errno. */
int tool_opts_load(const struct tool_opts *o, unsigned need, struct lxkns_result **ret);
/* The same, discovering with base (the tool's own choice of what to leave
 * out) instead of the defaults; the common options still apply on top. */
int tool_opts_load_with(const struct tool_opts *o, unsigned need,
			const struct lxkns_discover_opts *base, struct lxkns_result **ret);

/* A namespace named on the command line: "net:[4026531840]" or an inode
 * number. Checks the syntax (with want_type >= 0 also the type) and looks it
 * up; prints "invalid namespace 'ARG'" or "unknown namespace 'ARG'" and
 * returns NULL when that fails. */
const struct lxkns_namespace *tool_lookup_ns(const struct lxkns_result *result, const char *arg,
					     int want_type);
/* Only the syntax check of tool_lookup_ns (before discovering). */
int tool_check_ns_arg(const char *arg, int want_type);

/* The process whose PID in PID namespace pidns is pid (from the PID map;
 * in the initial PID namespace also without one, as in a saved discovery),
 * or NULL. */
const struct lxkns_process *tool_process_in(const struct lxkns_result *result,
					    const struct lxkns_namespace *pidns, pid_t pid);

/* Finishes the output: flushes stdout (with --timing, prints how long the
 * discovery and the output took); 0, or 1 after an error message. */
int tool_finish_output(void);

#endif
