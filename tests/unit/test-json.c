/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JSON writer and reader: the round trip (write, read back, write again
 * gives the same bytes), Go-compatible escaping, and rejection of documents
 * that are not discoveries or are broken, without leaks or crashes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lxkns/lxkns.h>

#include "json-dump.h"
#include "tap.h"

static int read_doc(const char *doc, char *err, size_t errsize)
{
	struct lxkns_result *r = NULL;
	int ret = lxkns_result_read_json(doc, strlen(doc), &r, err, errsize);
	lxkns_result_unref(r);
	return ret;
}

int main(int argc, char **argv)
{
	struct lxkns_discover_opts opts;
	struct lxkns_result *r = NULL, *back = NULL;
	char err[512];

	if (argc < 2)
		return 2;
	lxkns_discover_opts_init(&opts);
	opts.procfs_root = argv[1];
	CHECK_INT(lxkns_discover(&opts, &r), 0, "fixture discovery");
	if (!r)
		return tap_done();

	struct buf a = json_dump(r, false);
	CHECK(a.data != NULL, "written");
	CHECK(a.data && strstr(a.data, "\"name\": \"x) (y\\nz\"") != NULL, "comm newline escaped");
	CHECK(a.data && strncmp(a.data, "{\n  \"container-engines\": {},\n", 29) == 0,
	      "top-level starts with container-engines, 2-space indent");
	CHECK_INT(lxkns_result_read_json(a.data, a.len, &back, err, sizeof(err)), 0, "read back");
	if (back) {
		struct buf b = json_dump(back, false);
		CHECK(b.data && a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
		      "round trip is byte-identical");
		const struct lxkns_namespace *n = lxkns_result_namespace_by_ino(back, -1,
										4026532000);
		CHECK(n && lxkns_namespace_is_hidden(n) &&
			      lxkns_namespace_id(lxkns_namespace_parent(n)).ino == 4026531837,
		      "hidden user ns and its parent survive");
		CHECK_INT(lxkns_namespace_leader_count(
				  lxkns_result_namespace_by_ino(back, -1, 4026531837)),
			  2, "leaders survive");
		CHECK_INT(lxkns_process_pid(lxkns_namespace_ealdorman(
				  lxkns_result_namespace_by_ino(back, -1, 4026531837))),
			  1, "ealdorman recomputed");
		free(b.data);
		lxkns_result_unref(back);
	}
	struct buf c = json_dump(r, true);
	CHECK(c.data && strstr(c.data, "{\"container-engines\":{},\"container-groups\":{},") ==
				c.data,
	      "compact output");
	free(c.data);
	free(a.data);
	lxkns_result_unref(r);

	/* broken documents: an error, a message, no crash */
	static const char *const bad[] = {
		"",
		"{",
		"[]",
		"{\"namespaces\": {}}",
		"{\"namespaces\": {}, \"processes\": []}",
		"{\"namespaces\": {\"1\": {\"nsid\": 2, \"type\": \"net\"}}, \"processes\": {}}",
		"{\"namespaces\": {\"1\": {\"nsid\": 1, \"type\": \"nope\"}}, \"processes\": {}}",
		"{\"namespaces\": {\"1\": {\"nsid\": -1, \"type\": \"net\"}}, \"processes\": {}}",
		"{\"namespaces\": {}, \"processes\": {\"1\": {\"pid\": 2, \"ppid\": 0}}}",
		"{\"namespaces\": {}, \"processes\": {\"1\": {\"pid\": 1, \"ppid\": 0, "
		"\"namespaces\": {\"net\": \"x\"}}}}",
		"{\"namespaces\": {}, \"processes\": {\"1\": {\"pid\": 1, \"ppid\": 0, "
		"\"cmdline\": "
		"[1]}}}",
		"{\"namespaces\": {\"5\": {\"nsid\": 5, \"type\": \"net\"}}, \"processes\": "
		"{\"1\": "
		"{\"pid\": 1, \"ppid\": 0, \"namespaces\": {\"user\": 5}}}}",
		"{\"namespaces\": {}, \"processes\": {}, \"discovery-options\": {\"from-procs\": "
		"1}}",
		"{\"namespaces\": {}, \"processes\": {}, \"processes\": {}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = read_doc(bad[i], err, sizeof(err));
		CHECK(ret == -EBADMSG && err[0], "bad document %zu rejected: %s", i,
		      err[0] ? err : "(no message)");
	}
	/* an old-style string reference and a minimal document are fine */
	CHECK_INT(read_doc("{\"namespaces\": {\"7\": {\"nsid\": 7, \"type\": \"net\", "
			   "\"reference\": \"/proc/1/ns/net\"}}, \"processes\": {}}",
			   err, sizeof(err)),
		  0, "string reference accepted");
	return tap_done();
}
