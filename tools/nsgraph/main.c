/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsgraph: the user and PID namespace hierarchies, the ownership of PID
 * namespaces and the namespaces each user namespace owns, as a Graphviz
 * graph: DOT text, or SVG/PNG rendered by `dot` when it is installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include <lxkns/lxkns.h>

#include "labels.h"
#include "options.h"
#include "tool-common.h"

extern char **environ;

static void usage(FILE *out)
{
	fputs("Usage: nsgraph [OPTIONS]\n"
	      "\n"
	      "Draws the user and PID namespace hierarchies, which user namespace owns\n"
	      "which PID namespace, and the other namespaces each user namespace owns,\n"
	      "as a Graphviz graph.\n"
	      "\n"
	      "  -T, --format FORMAT    dot (DOT text; default), svg or png (rendered by\n"
	      "                         Graphviz's dot, which must be installed)\n"
	      "  -o, --output FILE      write to FILE instead of stdout\n"
	      "\n",
	      out);
	tool_opts_usage(out);
	fputs("\nThe --filter types select the owned namespaces to draw; user and PID\n"
	      "namespaces are always drawn.\n",
	      out);
}

/* s as the inside of a DOT double-quoted string */
static void dot_escape(struct buf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(sb, '\\');
		if ((unsigned char)*s < 0x20)
			continue; /* labels carry no control bytes; be safe */
		buf_putc(sb, *s);
	}
}

/* The graph's result, for node IDs. */
static const struct lxkns_result *graph;

/* The DOT node ID of ns: "ns<inode>"; "ns<inode>_<type>" for a second type
 * of one inode (the kernel reused it during the scan), so that both stay
 * nodes of their own. Returns buf. */
static const char *node_id(const struct lxkns_namespace *ns, char *buf, size_t size)
{
	uint64_t ino = lxkns_namespace_id(ns).ino;
	if (lxkns_result_namespace_by_ino(graph, -1, ino) == ns)
		snprintf(buf, size, "ns%llu", (unsigned long long)ino);
	else
		snprintf(buf, size, "ns%llu_%s", (unsigned long long)ino,
			 lxkns_ns_type_name(lxkns_namespace_type(ns)));
	return buf;
}

static void node(FILE *out, const struct lxkns_namespace *ns)
{
	enum lxkns_ns_type type = lxkns_namespace_type(ns);
	struct buf label = BUF_INIT, line = BUF_INIT;
	/* the light theme's colours: graphs have a white background */
	const char *fill = style_theme_rgb(STYLE_THEME_LIGHT, (enum style_elem)type);

	label_nsid(&line, ns);
	dot_escape(&label, xbuf_str(&line));
	buf_truncate(&line, 0);
	label_nsref(&line, ns);
	if (line.len) {
		buf_puts(&label, "\\n");
		dot_escape(&label, xbuf_str(&line));
	}
	if (type == LXKNS_NS_USER) {
		buf_truncate(&line, 0);
		buf_puts(&line, "created by ");
		label_owner_uid(&line, ns);
		buf_puts(&label, "\\n");
		dot_escape(&label, xbuf_str(&line));
	}
	char id[48];
	fprintf(out, "\t\t%s [label=\"%s\", fillcolor=\"%s\"%s];\n", node_id(ns, id, sizeof(id)),
		xbuf_str(&label), fill ? fill : "#ffffff",
		type == LXKNS_NS_USER || type == LXKNS_NS_PID ? "" : ", shape=note");
	buf_free(&label);
	buf_free(&line);
}

static void write_dot(FILE *out, const struct lxkns_result *r, const struct tool_opts *o)
{
	static const struct {
		enum lxkns_ns_type type;
		const char *label;
	} clusters[] = {
		{ LXKNS_NS_USER, "user namespaces" },
		{ LXKNS_NS_PID, "PID namespaces" },
	};
	char a[48], b[48];

	graph = r;

	fputs("digraph namespaces {\n"
	      "\tgraph [rankdir=TB, fontname=\"sans-serif\"];\n"
	      "\tnode [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\"];\n"
	      "\tedge [fontname=\"sans-serif\", fontsize=10];\n",
	      out);
	for (size_t c = 0; c < sizeof(clusters) / sizeof(clusters[0]); c++) {
		size_t n = lxkns_result_namespace_count(r, clusters[c].type);
		fprintf(out, "\tsubgraph cluster_%s {\n\t\tlabel=\"%s\";\n",
			lxkns_ns_type_name(clusters[c].type), clusters[c].label);
		for (size_t i = 0; i < n; i++)
			node(out, lxkns_result_namespace_at(r, clusters[c].type, i));
		fputs("\t}\n", out);
	}
	/* the owned namespaces of the other types */
	for (size_t k = 0; k < _LXKNS_NS_TYPE_MAX; k++) {
		enum lxkns_ns_type type = labels_lexical_types[k];
		size_t n = lxkns_result_namespace_count(r, type);

		if (type == LXKNS_NS_USER || type == LXKNS_NS_PID || !tool_opts_shows(o, type))
			continue;
		fprintf(out, "\tsubgraph %s {\n", lxkns_ns_type_name(type));
		for (size_t i = 0; i < n; i++)
			node(out, lxkns_result_namespace_at(r, type, i));
		fputs("\t}\n", out);
	}
	/* hierarchy */
	for (size_t c = 0; c < sizeof(clusters) / sizeof(clusters[0]); c++) {
		size_t n = lxkns_result_namespace_count(r, clusters[c].type);
		for (size_t i = 0; i < n; i++) {
			const struct lxkns_namespace *ns =
				lxkns_result_namespace_at(r, clusters[c].type, i);
			for (size_t j = 0; j < lxkns_namespace_child_count(ns); j++)
				fprintf(out, "\t%s -> %s;\n", node_id(ns, a, sizeof(a)),
					node_id(lxkns_namespace_child_at(ns, j), b, sizeof(b)));
		}
	}
	/* ownership: user namespace -> what it owns */
	for (size_t k = 0; k < _LXKNS_NS_TYPE_MAX; k++) {
		enum lxkns_ns_type type = labels_lexical_types[k];
		size_t n = lxkns_result_namespace_count(r, type);

		if (type == LXKNS_NS_USER || (type != LXKNS_NS_PID && !tool_opts_shows(o, type)))
			continue;
		for (size_t i = 0; i < n; i++) {
			const struct lxkns_namespace *ns = lxkns_result_namespace_at(r, type, i);
			const struct lxkns_namespace *owner = lxkns_namespace_owner(ns);
			if (owner)
				fprintf(out, "\t%s -> %s [style=dashed, arrowhead=odot];\n",
					node_id(owner, a, sizeof(a)), node_id(ns, b, sizeof(b)));
		}
	}
	fputs("}\n", out);
}

/* Pipes the graph through `dot -TFORMAT` into outfd. */
static int render(const struct lxkns_result *r, const struct tool_opts *o, const char *format,
		  int outfd)
{
	posix_spawn_file_actions_t fa;
	char targ[16];
	char *argv[] = { "dot", targ, NULL };
	int pfd[2], status, e;
	pid_t pid;
	FILE *f;

	snprintf(targ, sizeof(targ), "-T%s", format);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return tool_fail("cannot create a pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[0], STDIN_FILENO);
	if (outfd != STDOUT_FILENO)
		posix_spawn_file_actions_adddup2(&fa, outfd, STDOUT_FILENO);
	e = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	if (e != 0) {
		close(pfd[1]);
		if (e == ENOENT)
			return tool_fail("cannot render %s: Graphviz's dot is not installed",
					 format);
		return tool_fail("cannot run dot: %s", strerror(e));
	}
	signal(SIGPIPE, SIG_IGN);
	f = fdopen(pfd[1], "w");
	if (f) {
		write_dot(f, r, o);
		if (fclose(f) != 0)
			e = errno;
	} else {
		e = errno;
		close(pfd[1]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return tool_fail("cannot wait for dot: %s", strerror(errno));
	if (WIFSIGNALED(status))
		return tool_fail("dot -T%s was killed by signal %d", format, WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return tool_fail("dot -T%s failed (exit status %d)", format, WEXITSTATUS(status));
	if (e)
		return tool_fail("cannot write to dot: %s", strerror(e));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'T' },
		{ "output", required_argument, NULL, 'o' },
		TOOL_COMMON_LONGOPTS,
		{ 0 },
	};
	struct tool_opts o;
	struct lxkns_result *result = NULL;
	const char *format = "dot", *output = NULL;
	int c, r, outfd = STDOUT_FILENO;

	tool_init("nsgraph");
	tool_opts_init(&o, usage);
	while ((c = getopt_long(argc, argv, "T:o:" TOOL_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'T':
			if (strcmp(optarg, "dot") && strcmp(optarg, "svg") && strcmp(optarg, "png"))
				return tool_fail("invalid format '%s' (dot, svg, png)", optarg);
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			r = tool_opts_handle(&o, c, optarg);
			if (r != 0)
				return r > 0 ? r - 1 : tool_usage_hint();
		}
	}
	if (optind < argc)
		return tool_fail("unexpected argument '%s'", argv[optind]);
	/* plain labels: the graph has colours of its own */
	o.colour = TOOL_COLOUR_NEVER;
	tool_opts_finish(&o);
	labels_setup(&o);

	if (tool_opts_load(&o, LXKNS_NS_TYPE_BIT(LXKNS_NS_PID), &result) < 0)
		return 1;
	if (output) {
		outfd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (outfd < 0) {
			r = tool_fail("cannot create '%s': %s", output, strerror(errno));
			lxkns_result_unref(result);
			return r;
		}
	}
	if (strcmp(format, "dot") == 0) {
		FILE *f = output ? fdopen(outfd, "w") : stdout;
		if (!f) {
			r = tool_fail("cannot write '%s': %s", output, strerror(errno));
			close(outfd);
		} else {
			write_dot(f, result, &o);
			if (output) {
				r = fclose(f) != 0 ? tool_fail("cannot write '%s': %s", output,
							       strerror(errno))
						   : 0;
			} else {
				r = tool_finish_output();
			}
		}
	} else {
		fflush(stdout);
		r = render(result, &o, format, outfd);
		if (output)
			close(outfd);
	}
	lxkns_result_unref(result);
	return r;
}
