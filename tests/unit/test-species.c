/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include <lxkns/lxkns.h>

#include "species-internal.h"
#include "tap.h"

int main(void)
{
	int type;
	uint64_t ino;

	CHECK_INT(lxkns_nsid_parse("net:[4026531905]", &type, &ino), 0, "net:[...] parses");
	CHECK(type == LXKNS_NS_NET && ino == 4026531905ull, "type net, inode 4026531905");
	CHECK_INT(lxkns_nsid_parse("4026531837", &type, &ino), 0, "bare inode parses");
	CHECK_INT(type, _LXKNS_NS_TYPE_INVALID, "bare inode has no type");
	static const char *const bad[] = {
		"net:[abc]", "net:[]", "nope:[1]", "net:[1", "net[1]",
		"",	     "0",      "net:[0]",  "12x",    "user:[99999999999999999999]"
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(lxkns_nsid_parse(bad[i], &type, &ino), -EINVAL, bad[i]);
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		CHECK_INT(lxkns_ns_type_from_name(lxkns_ns_type_name(t)), t, lxkns_ns_type_name(t));
		CHECK_INT(lxkns_ns_type_from_clone_flag(lxkns_ns_type_clone_flag(t)), t,
			  "clone flag");
	}
	CHECK_STR(lxkns_ns_type_name(LXKNS_NS_TIME), "time", "time");
	CHECK_INT(lxkns_ns_type_clone_flag(LXKNS_NS_TIME), 0x80, "CLONE_NEWTIME");
	CHECK(lxkns_ns_type_name(_LXKNS_NS_TYPE_MAX) == NULL, "no name for _MAX");

	/* Go lxkns' filter letters */
	static const char letters[] = "mcuiUpnt"; /* in enum order */
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		CHECK_INT(lxkns_ns_type_letter(t), letters[t], lxkns_ns_type_name(t));
		CHECK_INT(lxkns_ns_type_from_letter(letters[t]), t, "from letter");
	}
	CHECK_INT(lxkns_ns_type_letter(_LXKNS_NS_TYPE_MAX), 0, "no letter for _MAX");
	CHECK_INT(lxkns_ns_type_from_letter('x'), -EINVAL, "unknown letter");
	CHECK_INT(lxkns_ns_type_from_letter(0), -EINVAL, "NUL is no letter");

	/* the library's own facts */
	CHECK_STR(species_ns_entry(LXKNS_NS_CGROUP), "ns/cgroup", "ns entry");
	CHECK_INT(species_name_len(LXKNS_NS_CGROUP), 6, "name length");
	CHECK_INT(species_from_name_n("netx", 3), LXKNS_NS_NET, "name span");
	CHECK_INT(species_from_name_n("ne", 2), -EINVAL, "a prefix is no name");
	CHECK(species_hierarchical(LXKNS_NS_USER) && species_hierarchical(LXKNS_NS_PID) &&
		      !species_hierarchical(LXKNS_NS_NET),
	      "user and pid are hierarchical");
	CHECK_INT(species_children_slot(LXKNS_NS_PID), 0, "pid_for_children slot");
	CHECK_INT(species_children_slot(LXKNS_NS_TIME), 1, "time_for_children slot");
	CHECK_INT(species_children_slot(LXKNS_NS_NET), -1, "no net_for_children");
	CHECK_STR(species_children_entry(LXKNS_NS_TIME), "ns/time_for_children", "entry");
	CHECK_STR(species_children_name(LXKNS_NS_PID), "pid_for_children", "name");
	static const enum lxkns_ns_type clone_order[] = {
		LXKNS_NS_TIME, LXKNS_NS_MNT,  LXKNS_NS_CGROUP, LXKNS_NS_UTS,
		LXKNS_NS_IPC,  LXKNS_NS_USER, LXKNS_NS_PID,    LXKNS_NS_NET,
	};
	for (int i = 0; i < _LXKNS_NS_TYPE_MAX; i++)
		CHECK_INT(species_clone_order(i), clone_order[i], "CLONE bit order");
	CHECK_INT(species_clone_order(_LXKNS_NS_TYPE_MAX), _LXKNS_NS_TYPE_INVALID, "past the end");

	/* the option table */
	const struct lxkns_discover_option *o = lxkns_discover_option_by_query("fds");
	struct lxkns_discover_opts opts;
	lxkns_discover_opts_init(&opts);
	CHECK(o && !strcmp(o->flag, "no-fds") && !strcmp(o->json_key, "from-fds") &&
		      lxkns_discover_option_get(o, &opts),
	      "fds: flag, JSON key, on by default");
	lxkns_discover_option_set(o, &opts, false);
	CHECK(!opts.from_fds && opts.from_procs && opts.from_sockets, "set touches one field");
	CHECK(lxkns_discover_option_by_query("types") == NULL, "types is no switch");
	CHECK(lxkns_discover_option_at(LXKNS_DISCOVER_OPTION_MAX) == NULL, "at most _MAX rows");
	return tap_done();
}
