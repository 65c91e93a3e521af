/* SPDX-License-Identifier: Apache-2.0 */
/*
 * abi-future.c: a program built against a newer header (future-discover.h:
 * one more field in each sized struct) running against today's liblxkns.so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi-report.h"
#include "future-discover.h"

void abi_future_run(const char *procfs_root, struct future_report *rep)
{
	struct lxkns_discover_opts o;
	struct lxkns_result *r = NULL;

	memset(&o, 0xa5, sizeof(o));
	lxkns_discover_opts_init_sized(&o, sizeof(o));
	rep->struct_size = sizeof(o);
	rep->size_after_init = o.size;
	rep->tail_zeroed = o.future_field == 0;

	o.procfs_root = procfs_root;
	rep->result = NULL;
	rep->discover_zero = lxkns_discover(&o, &rep->result);
	o.future_field = 1;
	rep->discover_nonzero = lxkns_discover(&o, &r);
	o.future_field = 0;
	o.size = 1 << 20;
	rep->discover_huge = lxkns_discover(&o, &r);
	if (r) /* never: both fail */
		rep->discover_nonzero = 1;

	struct lxkns_json_style st = { .size = sizeof(st), .indent = 0, .compact = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	rep->write_style_zero = rep->result && f ? lxkns_result_write_json_file(rep->result, &st, f)
						 : -ENOMEM;
	if (f)
		fclose(f);
	rep->written_zero = len;
	free(buf);
	st.future_field = 1;
	rep->write_style_nonzero = rep->result
					   ? lxkns_result_write_json_file(rep->result, &st, stdout)
					   : -ENOMEM;
	st.size = 0;
	rep->write_style_size0 = rep->result
					 ? lxkns_result_write_json_file(rep->result, &st, stdout)
					 : -ENOMEM;
}
