/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>

#include <lxkns/lxkns.h>

#include "tap.h"

int main(void)
{
	int type;
	uint64_t ino;

	CHECK_INT(lxkns_nsid_parse("net:[4026531905]", &type, &ino), 0, "net:[...] parses");
	CHECK(type == LXKNS_NS_NET && ino == 4026531905ull, "type net, inode 4026531905");
	CHECK_INT(lxkns_nsid_parse("4026531837", &type, &ino), 0, "bare inode parses");
	CHECK_INT(type, _LXKNS_NS_TYPE_INVALID, "bare inode has no type");
	static const char *const bad[] = { "net:[abc]", "net:[]", "nope:[1]", "net:[1", "net[1]",
					   "", "0", "net:[0]", "12x", "user:[99999999999999999999]" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(lxkns_nsid_parse(bad[i], &type, &ino), -EINVAL, bad[i]);
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		CHECK_INT(lxkns_ns_type_from_name(lxkns_ns_type_name(t)), t, lxkns_ns_type_name(t));
		CHECK_INT(lxkns_ns_type_from_clone_flag(lxkns_ns_type_clone_flag(t)), t, "clone flag");
	}
	CHECK_STR(lxkns_ns_type_name(LXKNS_NS_TIME), "time", "time");
	CHECK_INT(lxkns_ns_type_clone_flag(LXKNS_NS_TIME), 0x80, "CLONE_NEWTIME");
	CHECK(lxkns_ns_type_name(_LXKNS_NS_TYPE_MAX) == NULL, "no name for _MAX");
	return tap_done();
}
