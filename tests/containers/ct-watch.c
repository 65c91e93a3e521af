/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ct-watch: a long-running discovery with a container watcher, driven over
 * stdin, for the tests and the benchmark: every line "discover" runs a
 * discovery (mount tables and affinity left out) through the watcher and
 * prints the document on one line; "quit" (or EOF) frees the watcher and
 * exits. Usage: ct-watch [TIMEOUT-MS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lxkns/containers.h>
#include <lxkns/lxkns.h>

int main(int argc, char **argv)
{
	struct lxkns_container_watcher *w = NULL;
	char line[256];

	if (lxkns_container_watcher_new(&w) < 0)
		return 1;
	while (fgets(line, sizeof(line), stdin)) {
		if (strncmp(line, "quit", 4) == 0)
			break;
		if (strncmp(line, "discover", 8) != 0) {
			printf("{}\n");
			fflush(stdout);
			continue;
		}
		struct lxkns_discover_opts o;
		struct lxkns_result *r = NULL;
		struct lxkns_json_style style = LXKNS_JSON_STYLE_DEFAULT;
		lxkns_discover_opts_init(&o);
		o.with_mounts = false;
		o.with_affinity = false;
		o.container_watcher = w;
		if (argc > 1)
			o.container_timeout_ms = (unsigned)strtoul(argv[1], NULL, 10);
		style.compact = true;
		if (lxkns_discover(&o, &r) < 0 ||
		    lxkns_result_write_json_file(r, &style, stdout) < 0)
			printf("{}\n");
		fflush(stdout);
		lxkns_result_unref(r);
	}
	lxkns_container_watcher_free(w);
	return 0;
}
