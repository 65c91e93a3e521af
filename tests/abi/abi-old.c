/* SPDX-License-Identifier: Apache-2.0 */
/*
 * abi-old.c: a program built against an older header (old-discover.h)
 * running against today's liblxkns.so.
 */
#include <errno.h>
#include <string.h>

#include "abi-report.h"
#include "old-discover.h"

void abi_old_run(const char *procfs_root, struct old_report *rep)
{
	struct {
		struct lxkns_discover_opts o;
		unsigned char canary[128];
	} w;
	const struct lxkns_discover_option *ct = lxkns_discover_option_by_query("containers");
	bool intact = true;

	memset(&w, 0xa5, sizeof(w));
	lxkns_discover_opts_init(&w.o);
	rep->struct_size = sizeof(w.o);
	rep->size_after_init = w.o.size;
	for (size_t i = 0; i < sizeof(w.canary); i++)
		intact &= w.canary[i] == 0xa5;
	rep->canary_after_init = intact;
	rep->default_procs = w.o.from_procs;

	rep->set_containers = lxkns_discover_option_set(ct, &w.o, false);
	intact = true;
	for (size_t i = 0; i < sizeof(w.canary); i++)
		intact &= w.canary[i] == 0xa5;
	rep->canary_after_set = intact;
	rep->get_containers = lxkns_discover_option_get(ct, &w.o);
	rep->set_fds = lxkns_discover_option_set(lxkns_discover_option_by_query("fds"), &w.o,
						 false);

	w.o.procfs_root = procfs_root;
	rep->result = NULL;
	rep->discover = lxkns_discover(&w.o, &rep->result);

	struct lxkns_result *r = NULL;
	w.o.size = 0;
	rep->discover_size0 = lxkns_discover(&w.o, &r);
	w.o.size = 4;
	rep->discover_size_small = lxkns_discover(&w.o, &r);
	if (r) /* never: both fail */
		rep->discover_size0 = 1;
}
