/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-abi.c: programs built against other versions of the public headers
 * keep working with today's library (linked as liblxkns.so, as they are):
 * an old, shorter struct lxkns_discover_opts gets the defaults for the
 * fields it lacks and is never read or written past its end; a newer,
 * longer one is accepted when its unknown tail is zero and refused with
 * -E2BIG otherwise; size 0 (never initialised) is -EINVAL. Same for
 * struct lxkns_json_style. Usage: test-abi FIXTURE-PROCFS-ROOT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <lxkns/lxkns.h>

#include "../unit/tap.h"
#include "abi-report.h"

static size_t json_len(const struct lxkns_result *r)
{
	struct lxkns_json_style st = LXKNS_JSON_STYLE_DEFAULT;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	st.indent = 0;
	st.compact = true;
	if (!f || lxkns_result_write_json_file(r, &st, f) < 0)
		len = 0;
	if (f)
		fclose(f);
	free(buf);
	return len;
}

int main(int argc, char **argv)
{
	struct old_report old = { 0 };
	struct future_report fut = { 0 };
	struct lxkns_discover_opts o;
	struct lxkns_result *now = NULL, *now_fds = NULL;

	if (argc != 2) {
		fprintf(stderr, "usage: test-abi FIXTURE-PROCFS-ROOT\n");
		return 2;
	}
	const struct lxkns_discover_option *ct = lxkns_discover_option_by_query("containers");

	/* today's header, for comparison */
	lxkns_discover_opts_init(&o);
	o.procfs_root = argv[1];
	CHECK(lxkns_discover(&o, &now) == 0, "today's header: discovery runs");
	o.from_fds = false;
	CHECK(lxkns_discover(&o, &now_fds) == 0, "today's header without fds: discovery runs");

	/* an old program */
	abi_old_run(argv[1], &old);
	CHECK(old.struct_size < sizeof(o),
	      "the old struct (%zu bytes) is shorter than today's (%zu)", old.struct_size,
	      sizeof(o));
	CHECK(old.size_after_init == old.struct_size, "old init records the old size (%zu)",
	      old.size_after_init);
	CHECK(old.canary_after_init, "old init writes nothing past the old struct");
	CHECK(old.default_procs, "old init sets the defaults it has room for (from_procs)");
	CHECK(old.set_containers == -ERANGE, "setting an option the old struct lacks: -ERANGE (%d)",
	      old.set_containers);
	CHECK(old.canary_after_set, "... and nothing is written past the old struct");
	CHECK(old.get_containers, "getting an option the old struct lacks: its default (on)");
	CHECK(old.set_fds == 0, "setting an option the old struct has: 0 (%d)", old.set_fds);
	CHECK(old.discover == 0 && old.result, "an old struct discovers (%d)", old.discover);
	CHECK(old.discover_size0 == -EINVAL, "size 0: -EINVAL (%d)", old.discover_size0);
	CHECK(old.discover_size_small == -EINVAL, "size 4: -EINVAL (%d)", old.discover_size_small);
	if (old.result) {
		const struct lxkns_discover_opts *ro = lxkns_result_options(old.result);
		CHECK(ro->size == sizeof(*ro), "the result's options are complete (%zu)", ro->size);
		CHECK(ro->with_containers && lxkns_discover_option_get(ct, ro),
		      "with_containers, missing from the old struct, has its default (on)");
		CHECK(ro->threads == 0 && ro->container_timeout_ms == 0 && !ro->container_watcher,
		      "threads, container_timeout_ms, container_watcher: their defaults (0)");
		CHECK(!ro->from_fds && ro->from_procs && ro->with_task_affinity == false,
		      "the old struct's own fields are honoured (from_fds off)");
		CHECK(json_len(old.result) == json_len(now_fds) && json_len(now_fds) > 0,
		      "the old struct's discovery equals today's with the same options (%zu bytes)",
		      json_len(now_fds));
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
			CHECK(lxkns_result_namespace_count(old.result, t) ==
				      lxkns_result_namespace_count(now_fds, t),
			      "%s: %zu namespaces, as today's", lxkns_ns_type_name(t),
			      lxkns_result_namespace_count(old.result, t));
	}

	/* a program built against a newer release */
	abi_future_run(argv[1], &fut);
	CHECK(fut.struct_size == sizeof(o) + 8, "the future struct is today's plus 8 bytes (%zu)",
	      fut.struct_size);
	CHECK(fut.size_after_init == fut.struct_size, "init records the future size");
	CHECK(fut.tail_zeroed, "init zeroes the field the library does not know");
	CHECK(fut.discover_zero == 0 && fut.result,
	      "a future struct with a zero tail discovers (%d)", fut.discover_zero);
	CHECK(fut.discover_nonzero == -E2BIG, "... with a non-zero tail: -E2BIG (%d)",
	      fut.discover_nonzero);
	CHECK(fut.discover_huge == -E2BIG, "... with size 1 MiB: -E2BIG (%d)", fut.discover_huge);
	CHECK(fut.write_style_zero == 0, "a future JSON style with a zero tail writes (%d)",
	      fut.write_style_zero);
	CHECK(fut.written_zero == json_len(now) && fut.written_zero > 0,
	      "... the same document as today's header (%zu bytes)", fut.written_zero);
	CHECK(fut.write_style_nonzero == -E2BIG,
	      "a future JSON style with a non-zero tail: -E2BIG (%d)", fut.write_style_nonzero);
	CHECK(fut.write_style_size0 == -EINVAL, "a JSON style with size 0: -EINVAL (%d)",
	      fut.write_style_size0);
	if (fut.result)
		CHECK(lxkns_result_options(fut.result)->size == sizeof(o),
		      "the result's options have the library's size");

	/* today's init, larger and smaller sizes through the sized call */
	CHECK(lxkns_discover_opts_init_sized(&o, 4) == -EINVAL, "init_sized(4): -EINVAL");
	CHECK(lxkns_discover_opts_init_sized(NULL, sizeof(o)) == -EINVAL,
	      "init_sized(NULL): -EINVAL");

	lxkns_result_unref(old.result);
	lxkns_result_unref(fut.result);
	lxkns_result_unref(now);
	lxkns_result_unref(now_fds);
	return tap_done();
}
