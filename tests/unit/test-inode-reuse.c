/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inode reuse (tests/fixtures/proc/reuse, made by make-fixtures.py): the
 * kernel gave the inode of a freed net namespace to a new user namespace
 * while the scan ran, so one discovery sees 4026532173 as a net namespace
 * (process 300) and as a user namespace (process 301, which also owns
 * uts:[4026532180]). The discovery succeeds, keeps both with their own
 * relations, and says so in a diagnostic; the JSON document keeps both
 * (the second under "net:[4026532173]") and reads back byte for byte; a
 * document listing one (type, inode) twice is refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lxkns/lxkns.h>

#include "json-dump.h"
#include "tap.h"

#define SHARED 4026532173ull
#define INIT_USER 4026531837ull

static uint64_t ino_of(const struct lxkns_namespace *n)
{
	return n ? lxkns_namespace_id(n).ino : 0;
}

static const char *diag_message(const struct lxkns_result *r, const char *what)
{
	for (size_t i = 0; i < lxkns_result_diagnostic_count(r); i++) {
		const struct lxkns_diagnostic *d = lxkns_result_diagnostic_at(r, i);
		if (strcmp(d->what, what) == 0)
			return d->message;
	}
	return NULL;
}

static void check_model(const struct lxkns_result *r, const char *how)
{
	const struct lxkns_namespace *net = lxkns_result_namespace_by_ino(r, LXKNS_NS_NET, SHARED);
	const struct lxkns_namespace *user = lxkns_result_namespace_by_ino(r, LXKNS_NS_USER,
									   SHARED);
	const struct lxkns_namespace *uts = lxkns_result_namespace_by_ino(r, LXKNS_NS_UTS,
									  4026532180);
	const struct lxkns_process *p300 = lxkns_result_process_by_pid(r, 300);
	const struct lxkns_process *p301 = lxkns_result_process_by_pid(r, 301);

	CHECK(net && lxkns_namespace_type(net) == LXKNS_NS_NET, "%s: net:[%llu] is there", how,
	      SHARED);
	CHECK(user && lxkns_namespace_type(user) == LXKNS_NS_USER, "%s: user:[%llu] is there", how,
	      SHARED);
	CHECK(net != user, "%s: two objects", how);
	CHECK_INT(lxkns_result_namespace_count(r, LXKNS_NS_NET), 2, "net namespaces");
	CHECK_INT(lxkns_result_namespace_count(r, LXKNS_NS_USER), 2, "user namespaces");
	/* "any type": the lower type in enum order (user before net) */
	CHECK(lxkns_result_namespace_by_ino(r, -1, SHARED) == user, "%s: any type: the user one",
	      how);
	CHECK_INT(ino_of(lxkns_namespace_owner(net)), INIT_USER, "net's owner: the initial user");
	CHECK_INT(ino_of(lxkns_namespace_parent(user)), INIT_USER, "user's parent: the initial");
	/* the uts namespace's owner is the user namespace of that inode, not the net */
	CHECK(uts && lxkns_namespace_owner(uts) == user, "%s: uts owned by user:[%llu]", how,
	      SHARED);
	CHECK(p300 && lxkns_process_namespace(p300, LXKNS_NS_NET) == net, "%s: 300 in net:[%llu]",
	      how, SHARED);
	CHECK(p301 && lxkns_process_namespace(p301, LXKNS_NS_USER) == user,
	      "%s: 301 in user:[%llu]", how, SHARED);
	CHECK(p300 && lxkns_process_namespace(p300, LXKNS_NS_USER) != user,
	      "%s: 300 not in user:[%llu]", how, SHARED);
	CHECK_STR(net && lxkns_namespace_ref_count(net) ? lxkns_namespace_ref_at(net, 0) : NULL,
		  "/proc/300/ns/net", "net's reference");
	CHECK_STR(user && lxkns_namespace_ref_count(user) ? lxkns_namespace_ref_at(user, 0) : NULL,
		  "/proc/301/ns/user", "user's reference");
}

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

	if (argc < 2) {
		fprintf(stderr, "usage: %s FIXTURE-PROC-ROOT\n", argv[0]);
		return 2;
	}
	lxkns_discover_opts_init(&opts);
	opts.procfs_root = argv[1];
	CHECK_INT(lxkns_discover(&opts, &r), 0, "discovery with a reused inode succeeds");
	if (!r)
		return tap_done();
	check_model(r, "discovered");
	CHECK_STR(diag_message(r, "inode reuse"),
		  "user:[4026532173] and net:[4026532173] share an inode: one was replaced "
		  "during the scan",
		  "the diagnostic names both");

	/* the document: both, the second type under a typed key */
	struct buf a = json_dump(r, true);
	CHECK(a.data && strstr(a.data, "\"4026532173\":{\"nsid\":4026532173,\"type\":\"user\""),
	      "user:[%llu] under the plain key", SHARED);
	CHECK(a.data &&
		      strstr(a.data, "\"net:[4026532173]\":{\"nsid\":4026532173,\"type\":\"net\""),
	      "net:[%llu] under \"net:[%llu]\"", SHARED, SHARED);
	CHECK(a.data && strstr(a.data, "\"300\":{\"namespaces\":{") &&
		      strstr(a.data, "\"net\":4026532173"),
	      "process 300 refers to it by type and inode");
	CHECK_INT(a.data ? lxkns_result_read_json(a.data, a.len, &back, err, sizeof(err)) : -1, 0,
		  "the document reads back");
	if (back) {
		check_model(back, "read back");
		struct buf b = json_dump(back, true);
		CHECK(b.data && b.len == a.len && memcmp(a.data, b.data, a.len) == 0,
		      "written again byte for byte");
		free(b.data);
		lxkns_result_unref(back);
	}
	free(a.data);
	lxkns_result_unref(r);

	/* one (type, inode) twice, and a typed key of the wrong type: refused */
	CHECK_INT(read_doc("{\"namespaces\": {\"7\": {\"nsid\": 7, \"type\": \"net\"}, "
			   "\"net:[7]\": {\"nsid\": 7, \"type\": \"net\"}}, \"processes\": {}}",
			   err, sizeof(err)),
		  -EBADMSG, "a namespace listed twice is refused");
	CHECK_STR(err, "namespace net:[7]: net:[7] is listed twice", "and the message says so");
	CHECK_INT(read_doc("{\"namespaces\": {\"user:[7]\": {\"nsid\": 7, \"type\": \"net\"}}, "
			   "\"processes\": {}}",
			   err, sizeof(err)),
		  -EBADMSG, "a typed key of another type is refused");
	CHECK_INT(read_doc("{\"namespaces\": {\"7\": {\"nsid\": 7, \"type\": \"net\"}, "
			   "\"user:[7]\": {\"nsid\": 7, \"type\": \"user\"}}, \"processes\": {}}",
			   err, sizeof(err)),
		  0, "two types of one inode are fine");
	return tap_done();
}
