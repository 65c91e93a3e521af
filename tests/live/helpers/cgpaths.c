/* SPDX-License-Identifier: Apache-2.0 */
/* cgpaths PID...: runs a discovery (without containers) and prints, one line
 * per PID, the cgroup paths the library holds for it:
 *     PID cpu=<path> freezer=<path> v1=<0|1> v2=<path> frozen=<0|1>
 * The unified (v2) path of a hybrid host is in neither the JSON nor the
 * public API, so this helper reads the internal model (it links the
 * internal static library). "-" for no path, "?" for an unknown PID. */
#include <stdio.h>
#include <stdlib.h>

#include "lxkns-internal.h"

static const char *s(const char *p)
{
	return p ? p : "-";
}

int main(int argc, char **argv)
{
	struct lxkns_discover_opts opts;
	struct lxkns_result *r;

	lxkns_discover_opts_init(&opts);
	opts.with_containers = false;
	if (lxkns_discover(&opts, &r) < 0)
		return 3;
	for (int i = 1; i < argc; i++) {
		pid_t pid = (pid_t)strtol(argv[i], NULL, 10);
		const struct lxkns_process *p = lxkns_result_process_by_pid(r, pid);
		if (!p) {
			printf("%d ?\n", (int)pid);
			continue;
		}
		printf("%d cpu=%s freezer=%s v1=%d v2=%s frozen=%d\n", (int)pid, s(p->c.cpu_cgroup),
		       s(p->c.freezer_cgroup), p->c.freezer_v1, s(p->c.v2_cgroup), p->c.frozen);
	}
	lxkns_result_unref(r);
	return 0;
}
