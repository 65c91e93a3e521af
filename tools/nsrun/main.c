/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsrun: runs a command inside namespaces given by their IDs, also
 * namespaces without any process (bind-mounted, even inside a process-less
 * mount namespace, fd- or socket-held, hidden parents and owners), which
 * nsenter cannot reach.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lxkns/lxkns.h>

#include "options.h"
#include "tool-common.h"

static void usage(FILE *out)
{
	fputs("Usage: nsrun [OPTIONS] NAMESPACE... -- COMMAND [ARG...]\n"
	      "\n"
	      "Runs COMMAND inside the namespaces, given as TYPE:[ID] (net:[4026532301])\n"
	      "or as a bare inode number. Also namespaces without any process: bind-mounted\n"
	      "(even inside a mount namespace without processes), held by an fd or a\n"
	      "socket, or only the parent or owner of another.\n"
	      "\n"
	      "  -t, --target PID   also enter all namespaces of process PID (those not given)\n"
	      "  -v, --verbose      say which namespaces are entered, and how they are reached\n"
	      "\n",
	      out);
	tool_opts_usage(out);
	fputs("\nWith -i, the namespaces are those of the saved discovery, entered through\n"
	      "its references if these still lead to them. Options stop at the first\n"
	      "NAMESPACE.\n"
	      "\n"
	      "Exit status: that of COMMAND; 1 when nsrun itself fails (nothing ran);\n"
	      "126 when COMMAND cannot be executed, 127 when it is not found.\n",
	      out);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		TOOL_TASK_LONGOPTS,
		TOOL_INPUT_LONGOPTS,
		TOOL_BASE_LONGOPTS,
		{ 0 },
	};
	struct tool_opts o;
	const struct lxkns_namespace *nss[_LXKNS_NS_TYPE_MAX];
	size_t count = 0;
	bool verbose = false;
	int target = 0, c, r;

	tool_init("nsrun");
	tool_opts_init(&o, usage);
	tool_opts_take(&o, TOOL_OPTS_TASK | TOOL_OPTS_INPUT);
	while ((c = getopt_long(argc, argv, "+t:vi:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (tool_parse_int(optarg, 1, 1 << 30, &target) < 0)
				return tool_fail("invalid PID '%s'", optarg);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			r = tool_opts_handle(&o, c, optarg);
			if (r != 0)
				return r > 0 ? r - 1 : tool_usage_hint();
		}
	}
	int first_ns = optind, dashdash = -1;
	if (optind > 1 && strcmp(argv[optind - 1], "--") == 0)
		dashdash = optind - 1; /* getopt ate the "--": no namespaces before it */
	for (int i = optind; i < argc && dashdash < 0; i++)
		if (strcmp(argv[i], "--") == 0)
			dashdash = i;
	if (dashdash < first_ns)
		first_ns = dashdash;
	if (dashdash < 0 || dashdash + 1 >= argc)
		return tool_fail("no command given (NAMESPACE... -- COMMAND)");
	if (dashdash == first_ns && !target)
		return tool_fail("no namespace given");
	/* check the syntax before the (costly) discovery */
	for (int i = first_ns; i < dashdash; i++) {
		int type;
		uint64_t ino;
		if (lxkns_nsid_parse(argv[i], &type, &ino) < 0)
			return tool_fail("invalid namespace '%s'", argv[i]);
	}

	tool_opts_finish(&o);

	struct lxkns_result *res = NULL;
	struct lxkns_discover_opts opts;
	lxkns_discover_opts_init(&opts);
	opts.with_mounts = false;
	opts.with_freezer = false;
	opts.with_affinity = false;
	opts.with_user_names = false;
	opts.with_containers = false;
	o.view_on_demand = true;
	if (tool_opts_load_with(&o, 0, &opts, &res) < 0)
		return 1;
	for (int i = first_ns; i < dashdash; i++) {
		int type;
		uint64_t ino;
		lxkns_nsid_parse(argv[i], &type, &ino);
		const struct lxkns_namespace *ns = lxkns_result_namespace_by_ino(res, type, ino);
		if (!ns) {
			if (!o.diagnostics)
				tool_report_view(res, false, stderr);
			lxkns_result_unref(res);
			return tool_fail("unknown namespace '%s' (not found, or gone)", argv[i]);
		}
		for (size_t k = 0; k < count; k++)
			if (lxkns_namespace_type(nss[k]) == lxkns_namespace_type(ns)) {
				int e = tool_fail(
					"ambiguous: two %s namespaces given ('%s' and %s:[%llu])",
					lxkns_ns_type_name(lxkns_namespace_type(ns)), argv[i],
					lxkns_ns_type_name(lxkns_namespace_type(ns)),
					(unsigned long long)lxkns_namespace_id(nss[k]).ino);
				lxkns_result_unref(res);
				return e;
			}
		nss[count++] = ns;
	}
	if (target) {
		const struct lxkns_process *p = lxkns_result_process_by_pid(res, target);
		if (!p) {
			if (!o.diagnostics)
				tool_report_view(res, false, stderr);
			lxkns_result_unref(res);
			return tool_fail("no process %d (or it cannot be inspected)", target);
		}
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
			const struct lxkns_namespace *ns = lxkns_process_namespace(p, t);
			bool given = false;
			for (size_t k = 0; k < count; k++)
				given |= lxkns_namespace_type(nss[k]) == (enum lxkns_ns_type)t;
			/* the user namespace we are in already: entering it fails */
			const struct lxkns_process *self = lxkns_result_process_by_pid(res,
										       getpid());
			if (ns && !given && !(self && lxkns_process_namespace(self, t) == ns))
				nss[count++] = ns;
		}
	}
	if (verbose)
		for (size_t k = 0; k < count; k++) {
			fprintf(stderr, "nsrun: entering %s:[%llu] via",
				lxkns_ns_type_name(lxkns_namespace_type(nss[k])),
				(unsigned long long)lxkns_namespace_id(nss[k]).ino);
			if (!lxkns_namespace_ref_count(nss[k]))
				fputs(" a child or owned namespace (hidden)", stderr);
			for (size_t i = 0; i < lxkns_namespace_ref_count(nss[k]); i++)
				fprintf(stderr, "%s%s", i ? " » " : " ",
					lxkns_namespace_ref_at(nss[k], i));
			fputc('\n', stderr);
		}
	fflush(stdout);
	r = lxkns_namespaces_exec(res, nss, count, argv + dashdash + 1);
	if (r == -ESRCH) {
		lxkns_result_unref(res);
		return tool_fail("a namespace is gone (or cannot be reached any more)");
	}
	if (r == -ENOENT || r == -EACCES || r == -ENOEXEC) {
		tool_fail("cannot execute '%s': %s", argv[dashdash + 1], strerror(-r));
		lxkns_result_unref(res);
		return r == -ENOENT ? 127 : 126;
	}
	lxkns_result_unref(res);
	if (r < 0)
		return tool_fail("cannot enter the namespaces: %s", strerror(-r));
	return r;
}
