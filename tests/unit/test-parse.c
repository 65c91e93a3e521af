/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the pure /proc parsers, including broken input. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lxkns/lxkns.h"
#include "mounts/mounts-internal.h"
#include "procfs/parse.h"
#include "strintern.h"
#include "strutil.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1

static void test_stat(void)
{
	struct proc_stat st;
	/* comm with ") (", a space and a newline; fields 40/41 present */
	static const char good[] = "4242 (a) (b\nc) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 "
				   "20 -5 3 0 123456 1000 10 184467 1 1 0 0 0 0 0 0 0 0 0 0 17 1 "
				   "7 2 0 0 0\n";
	CHECK_INT(parse_stat(S(good), &st), 0, "stat with odd comm parses");
	CHECK_INT(st.pid, 4242, "pid");
	CHECK(st.comm.len == 7 && memcmp(st.comm.p, "a) (b\nc", 7) == 0, "comm is 'a) (b\\nc'");
	CHECK_INT(st.state, 'S', "state");
	CHECK_INT(st.ppid, 17, "ppid");
	CHECK_INT(st.nice, -5, "nice");
	CHECK_INT(st.num_threads, 3, "num_threads");
	CHECK_INT(st.starttime, 123456, "starttime");
	CHECK_INT(st.rt_priority, 7, "rt_priority");
	CHECK_INT(st.policy, 2, "policy");

	CHECK_INT(parse_stat(S("105 (trunc) S 1 1 1\n"), &st), -EBADMSG, "truncated stat");
	CHECK_INT(parse_stat(S("(x) S 1"), &st), -EBADMSG, "no pid");
	CHECK_INT(parse_stat(S("12 x) S 1"), &st), -EBADMSG, "no '('");
	CHECK_INT(parse_stat(S("12 (x S 1"), &st), -EBADMSG, "no ')'");
	CHECK_INT(parse_stat(S(""), &st), -EBADMSG, "empty");
	CHECK_INT(parse_stat(S("12 (x) S -3 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"), &st),
		  -EBADMSG, "negative ppid");
	/* an old kernel without fields 40/41: still fine */
	CHECK_INT(parse_stat(S("7 (k) S 2 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 99\n"), &st), 0,
		  "stat cut after the start time");
	CHECK_INT(st.starttime, 99, "starttime of short stat");
	CHECK_INT(st.policy, 0, "policy of short stat");

	/* a real 52-field line (long numbers, so the run-skipping goes
	 * through 16-byte blocks that hold several spaces) */
	static const char real[] =
		"31337 (kworker/u4:2-events_unbound) R 2 0 0 0 -1 69238880 0 0 0 0 3 191 0 0 20 "
		"0 1 0 4823 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 1 0 0 0 "
		"0 0 0 0 0 0 0 0 0\n";
	CHECK_INT(parse_stat(S(real), &st), 0, "real stat parses");
	CHECK_INT(st.ppid, 2, "real ppid");
	CHECK_INT(st.starttime, 4823, "real starttime");
	CHECK_INT(st.num_threads, 1, "real num_threads");
	CHECK_INT(st.policy, 0, "real policy");
	/* SCHED_FIFO 99, nice field 0, long addresses in the skipped run */
	static const char rt[] =
		"9 (migration/0) S 2 0 0 0 -1 69238848 0 0 0 0 0 12 0 0 -100 0 1 0 3 0 0 "
		"18446744073709551615 94823749823 94823749999 140736993184256 0 0 0 0 0 0 1 0 0 "
		"17 0 99 1 0 0 0 0 0 0 0 0 0\n";
	CHECK_INT(parse_stat(S(rt), &st), 0, "rt stat parses");
	CHECK_INT(st.rt_priority, 99, "rt_priority 99");
	CHECK_INT(st.policy, 1, "policy FIFO");
	/* the line ends inside the skipped run after the start time */
	CHECK_INT(parse_stat(S("7 (k) S 2 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 99 123456789 "
			       "4096 184467440737 1\n"),
			     &st),
		  0, "stat ending inside fields 23..38");
	CHECK_INT(st.starttime, 99, "starttime before the cut");
	CHECK_INT(parse_stat(S("12 (x) S 1x 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"), &st),
		  -EBADMSG, "garbage in ppid");
	CHECK_INT(parse_stat(S("12 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -2 0 5\n"), &st), -EBADMSG,
		  "negative thread count");
	CHECK_INT(parse_stat(S("12 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 "
			       "123456789012345678901\n"),
			     &st),
		  -EBADMSG, "start time too long");
	CHECK_INT(parse_stat(S("12 (x) SS 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 5\n"), &st), -EBADMSG,
		  "two-letter state");
}

static void test_status(void)
{
	pid_t pids[4];
	size_t n = 0;
	CHECK_INT(parse_status_nspid(S("Name:\tx\nNSpid:\t28908\t3\t2\t1\nNSpgid:\t1\n"), pids, 4,
				     &n),
		  0, "NSpid parses");
	CHECK(n == 4 && pids[0] == 28908 && pids[3] == 1, "NSpid is 28908 3 2 1");
	CHECK_INT(parse_status_nspid(S("Name:\tx\nPid:\t5\n"), pids, 4, &n), -ENOENT,
		  "missing NSpid");
	CHECK_INT(parse_status_nspid(S("NSpid:\t1 2 3 4 5\n"), pids, 4, &n), -EBADMSG,
		  "too deep NSpid");
	CHECK_INT(parse_status_nspid(S("NSpid:\tx\n"), pids, 4, &n), -EBADMSG, "garbage NSpid");
	CHECK_INT(parse_status_nspid(S("NSpid:\n"), pids, 4, &n), -EBADMSG, "empty NSpid");
}

static void test_cgroup(void)
{
	struct cgroup_paths cg;
	static const char hybrid[] = "9:name=systemd:/\n6:freezer:/frz/x\n4:memory:/m\n"
				     "1:cpu,cpuacct:/cpu/x\n0::/unified/x\n";
	CHECK_INT(parse_cgroup(S(hybrid), &cg), 0, "hybrid cgroup parses");
	CHECK(cg.cpu.len == 6 && memcmp(cg.cpu.p, "/cpu/x", 6) == 0, "v1 cpu path");
	CHECK(cg.freezer.len == 6 && memcmp(cg.freezer.p, "/frz/x", 6) == 0, "v1 freezer path");
	CHECK(cg.unified.len == 10 && memcmp(cg.unified.p, "/unified/x", 10) == 0, "v2 path");
	CHECK_INT(parse_cgroup(S("0::/init.scope\n"), &cg), 0, "pure v2 parses");
	CHECK(cg.cpu.p == NULL && cg.freezer.p == NULL && cg.unified.len == 11, "only v2");
	CHECK_INT(parse_cgroup(S("garbage\n"), &cg), -EBADMSG, "garbage cgroup");
	/* "cpuset" is not "cpu" */
	CHECK_INT(parse_cgroup(S("3:cpuset:/s\n"), &cg), 0, "cpuset parses");
	CHECK(cg.cpu.p == NULL, "cpuset is not cpu");
}

static void test_mountinfo(void)
{
	struct mountinfo_entry e;
	static const char line[] =
		"601 25 0:33 /a\\134b /mnt/with\\040space\\011tab rw,nosuid "
		"shared:5 master:2 propagate_from:1 - tmpfs my\\040src rw,size=4k";
	char buf[sizeof(line)];
	CHECK_INT(parse_mountinfo_line(S(line), buf, &e), 0, "mountinfo line parses");
	CHECK_INT(e.mount_id, 601, "mount id");
	CHECK_INT(e.parent_id, 25, "parent id");
	CHECK(e.major == 0 && e.minor == 33, "major:minor 0:33");
	CHECK(e.root.len == 4 && memcmp(e.root.p, "/a\\b", 4) == 0, "root decoded");
	CHECK(e.mountpoint.len == 19 && memcmp(e.mountpoint.p, "/mnt/with space\ttab", 19) == 0,
	      "mount point decoded");
	CHECK(e.optional.len == 34 &&
		      memcmp(e.optional.p, "shared:5 master:2 propagate_from:1", 34) == 0,
	      "optional fields");
	CHECK(e.fstype.len == 5 && memcmp(e.fstype.p, "tmpfs", 5) == 0, "fstype");
	CHECK(e.source.len == 6 && memcmp(e.source.p, "my src", 6) == 0, "source decoded");
	CHECK(e.superoptions.len == 10, "super options");
	CHECK_INT(parse_mountinfo_line(S("1 2 0:4 net:[4026532050] /run/netns/x rw - nsfs nsfs rw"),
				       buf, &e),
		  0, "nsfs line parses");
	CHECK(e.optional.len == 0, "no optional fields");
	/* an empty source: the kernel writes two spaces */
	CHECK_INT(parse_mountinfo_line(S("1 2 0:4 / /x rw - tmpfs  rw,size=1k"), buf, &e), 0,
		  "empty source parses");
	CHECK(e.source.len == 0 && e.superoptions.len == 10 && e.fstype.len == 5,
	      "empty source, super options rw,size=1k");
	CHECK_INT(parse_mountinfo_line(S("1 2 0:4 / /x rw - tmpfs"), buf, &e), -EBADMSG,
		  "no source and no super options");
	CHECK_INT(parse_mountinfo_line(S("1 2 0:4 / /x rw shared:1"), buf, &e), -EBADMSG,
		  "no separator");
	CHECK_INT(parse_mountinfo_line(S("x 2 0:4 / /x rw - a b c"), buf, &e), -EBADMSG,
		  "bad mount id");
	CHECK_INT(parse_mountinfo_line(S("1 2 04 / /x rw - a b c"), buf, &e), -EBADMSG,
		  "bad major:minor");
	CHECK_INT(parse_mountinfo_line(S(""), buf, &e), -EBADMSG, "empty line");
	char out[8];
	CHECK_INT(unescape_octal(S("\\04"), out), 3, "a cut escape stays as is");
}

static void test_links(void)
{
	int type;
	uint64_t ino;
	CHECK_INT(parse_ns_link(S("net:[4026531840]"), &type, &ino), 0, "net link");
	CHECK(type == 6 && ino == 4026531840ull, "net:[4026531840]");
	CHECK_INT(parse_ns_link(S("socket:[12345]"), &type, &ino), 0, "socket link");
	CHECK_INT(type, -1, "socket is no namespace type");
	CHECK_INT(parse_ns_link(S("net:[]"), &type, &ino), -EBADMSG, "empty inode");
	CHECK_INT(parse_ns_link(S("net:[12x]"), &type, &ino), -EBADMSG, "garbage inode");
	CHECK_INT(parse_ns_link(S("net:[99999999999999999999]"), &type, &ino), -EBADMSG,
		  "overflow");
	CHECK_INT(parse_ns_link(S("garbage"), &type, &ino), -EBADMSG, "garbage");
	CHECK_INT(parse_ns_link(S("/dev/null"), &type, &ino), -EBADMSG, "a path");

	struct span name;
	uid_t uid;
	CHECK_INT(parse_passwd_line(S("alice:x:1000:1000:A:/home/a:/bin/sh"), &name, &uid), 0,
		  "passwd line");
	CHECK(name.len == 5 && uid == 1000, "alice is 1000");
	CHECK_INT(parse_passwd_line(S("# comment"), &name, &uid), -EBADMSG, "comment");
	CHECK_INT(parse_passwd_line(S("bob:x:abc:1"), &name, &uid), -EBADMSG, "bad uid");
}

/* The number formatter against snprintf at every digit-count boundary,
 * and the path builders' bounds. */
static void test_format(void)
{
	char got[32], want[32];
	int bad = 0;
	uint64_t p = 1;

	for (int k = 0; k < 20; k++, p *= 10) {
		uint64_t vals[] = { p - 1, p, p + 1, p * 9 / 10 + p / 2, p ? p * 2 - 1 : 0 };
		for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			size_t n = fmt_u64(got, vals[i]);
			snprintf(want, sizeof(want), "%" PRIu64, vals[i]);
			if (strcmp(got, want) != 0 || n != strlen(want)) {
				if (!bad++)
					printf("# fmt_u64 wrote \"%s\" for %s\n", got, want);
			}
		}
	}
	CHECK_INT(bad, 0, "fmt_u64 matches snprintf at every power of ten");
	CHECK_INT(fmt_u64(got, UINT64_MAX), 20, "UINT64_MAX has 20 digits");
	CHECK_STR(got, "18446744073709551615", "UINT64_MAX");
	CHECK_INT(fmt_u64(got, 0), 1, "0 has 1 digit");
	CHECK_STR(got, "0", "0");
	CHECK_INT(fmt_i64(got, INT64_MIN), 20, "INT64_MIN length");
	CHECK_STR(got, "-9223372036854775808", "INT64_MIN");

	uint64_t v = 0;
	CHECK(safe_atou64("18446744073709551615", &v) == 0 && v == UINT64_MAX,
	      "safe_atou64: UINT64_MAX");
	CHECK_INT(safe_atou64("18446744073709551616", &v), -ERANGE, "safe_atou64: one more");
	CHECK_INT(safe_atou64("123456789012345678901", &v), -ERANGE, "safe_atou64: 21 digits");
	CHECK(safe_atou64("0042", &v) == 0 && v == 42, "safe_atou64: leading zeros");
	CHECK_INT(safe_atou64("", &v), -EINVAL, "safe_atou64: empty");
	CHECK_INT(safe_atou64("12a", &v), -EINVAL, "safe_atou64: trailing garbage");
	CHECK_INT(safe_atou64("-1", &v), -EINVAL, "safe_atou64: sign");
	CHECK_INT(safe_atou64("184467440737095516150x", &v), -ERANGE,
		  "safe_atou64: overflow comes before the garbage");

	char path[16], *end = path + sizeof(path);
	char *q = strcat_u64(path, end, 4242);
	q = strcat_span(q, end, "/ns/");
	q = strcat_span(q, end, "net");
	CHECK(q && q - path == 11, "path built, 11 bytes");
	CHECK_STR(path, "4242/ns/net", "the path");
	q = strcat_span(path, end, "/proc/");
	q = strcat_u64(q, end, 4242);
	q = strcat_span(q, end, "/ns/");
	CHECK(q && q - path == 14, "15 of 16 bytes used");
	q = strcat_span(q, end, "net");
	CHECK(q == NULL, "a path that does not fit gives NULL");
	q = strcat_span(path, end, "123456789012345");
	CHECK(q && q - path == 15, "exactly full (with the NUL) fits");
	CHECK(strcat_u64(q, end, 1) == NULL, "one more byte does not");
}

/* A mount table that copies another (new IDs, other order, one mount of
 * its own), parsed in the same discovery: the copied lines take over the
 * first table's strings, and IDs, tree and visibility are the copy's own. */
static void test_mount_copies(void)
{
	struct arena a = { 0 };
	struct strintern si;
	struct lxkns_mount_table *host = NULL, *copy = NULL;
	static const char host_text[] = "20 1 8:1 / / rw - ext4 /dev/root rw\n"
					"21 20 0:5 / /proc rw shared:3 - proc proc rw\n"
					"22 20 0:6 / /mnt rw - tmpfs a rw\n"
					"23 22 0:7 / /mnt rw - tmpfs b rw\n";
	static const char copy_text[] = "120 101 8:1 / / rw - ext4 /dev/root rw\n"
					"122 120 0:6 / /mnt rw - tmpfs a rw\n"
					"121 120 0:5 / /proc rw shared:3 - proc proc rw\n"
					"123 122 0:7 / /mnt rw - tmpfs b rw\n"
					"124 120 0:8 / /mnt/x rw - tmpfs c rw\n";

	strintern_init(&si, &a);
	CHECK_INT(mount_table_parse(&a, &si, S(host_text), NULL, &host), 0, "host table parses");
	CHECK_INT(mount_table_parse(&a, &si, S(copy_text), NULL, &copy), 0, "copy parses");
	if (!host || !copy) {
		arena_free(&a);
		return;
	}
	CHECK_INT(lxkns_mount_table_count(copy), 5, "copy has 5 mounts");
	const struct lxkns_mount *h21 = lxkns_mount_table_by_id(host, 21);
	const struct lxkns_mount *c121 = lxkns_mount_table_by_id(copy, 121);
	CHECK(h21 && c121, "mount 21 and its copy 121");
	if (h21 && c121) {
		CHECK_INT(lxkns_mount_parent_id(c121), 120, "the copy's parent ID");
		CHECK(lxkns_mount_point(c121) == lxkns_mount_point(h21), "mount point shared");
		CHECK_STR(lxkns_mount_point(c121), "/proc", "mount point");
		CHECK_STR(lxkns_mount_tag(c121, "shared"), "3", "tags taken over");
		CHECK_STR(lxkns_mount_fstype(c121), "proc", "fstype");
		CHECK_INT(lxkns_mount_id(lxkns_mount_parent(c121)), 120,
			  "linked to its own parent");
	}
	const struct lxkns_mount *c122 = lxkns_mount_table_by_id(copy, 122);
	const struct lxkns_mount *c123 = lxkns_mount_table_by_id(copy, 123);
	const struct lxkns_mount *c124 = lxkns_mount_table_by_id(copy, 124);
	CHECK(c122 && lxkns_mount_hidden(c122), "122 is overmounted by 123");
	CHECK(c123 && !lxkns_mount_hidden(c123), "123 is visible");
	CHECK(c124 && lxkns_mount_hidden(c124), "124 (/mnt/x) is below the later /mnt");
	CHECK_STR(c124 ? lxkns_mount_source(c124) : NULL, "c", "the copy's own mount");
	CHECK(!lxkns_mount_hidden(lxkns_mount_table_by_id(host, 23)), "host 23 visible");
	CHECK(lxkns_mount_hidden(lxkns_mount_table_by_id(host, 22)), "host 22 hidden");
	CHECK_INT(lxkns_mount_table_path_count(copy), 4, "4 paths in the copy");
	mount_table_release(host);
	mount_table_release(copy);
	strintern_free(&si);
	arena_free(&a);
}

int main(void)
{
	test_format();
	test_mount_copies();
	test_stat();
	test_status();
	test_cgroup();
	test_mountinfo();
	test_links();
	return tap_done();
}
