/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse.h: pure parsers for the text the kernel gives in /proc. They take a
 * byte span (not necessarily NUL-terminated), never read outside it, never
 * allocate, and return 0 or -EBADMSG (-ENOENT for a missing optional line).
 * Each has a fuzz target in tests/fuzz/.
 */
#ifndef LXKNS_PROCFS_PARSE_H
#define LXKNS_PROCFS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct span {
	const char *p;
	size_t len;
};

/* /proc/PID/stat (also task stat). */
struct proc_stat {
	pid_t pid;
	struct span comm; /* between the first '(' and the last ')' */
	char state;
	pid_t ppid;
	int64_t nice;	      /* field 19 */
	uint64_t num_threads; /* field 20 */
	uint64_t starttime;   /* field 22 */
	uint64_t rt_priority; /* field 40, 0 when the kernel lacks it */
	uint64_t policy;      /* field 41, 0 when the kernel lacks it */
};
int parse_stat(const char *buf, size_t len, struct proc_stat *ret);

/* "NSpid:" of /proc/PID/status: up to max PIDs, outermost first.
 * -ENOENT when there is no NSpid line (kernel < 4.1, WSL1). */
int parse_status_nspid(const char *buf, size_t len, pid_t *pids, size_t max, size_t *ret_count);

/* /proc/PID/cgroup: the v1 "cpu" and "freezer" controller paths and the v2
 * ("0::") path; a span with p == NULL when absent. */
struct cgroup_paths {
	struct span cpu, freezer, unified;
};
int parse_cgroup(const char *buf, size_t len, struct cgroup_paths *ret);

/* One mountinfo line (without its newline). Octal escapes (\040, \011,
 * \012, \134) in root, mount point and source are decoded into decode_buf
 * (at least len bytes); the spans point into buf or decode_buf. */
struct mountinfo_entry {
	uint64_t mount_id, parent_id;
	unsigned major, minor;
	struct span root, mountpoint, options, optional, fstype, source, superoptions;
};
int parse_mountinfo_line(const char *line, size_t len, char *decode_buf,
			 struct mountinfo_entry *ret);

/* Decodes the kernel's octal escapes; returns the decoded length. */
size_t unescape_octal(const char *s, size_t len, char *out);

/* An nsfs link or mountinfo root "net:[4026531840]": the type (or -1 for a
 * name that is not a namespace type, e.g. "socket") and the inode. */
int parse_ns_link(const char *s, size_t len, int *ret_type, uint64_t *ret_ino);

/* One /etc/passwd line: name and UID. -EBADMSG for comments or garbage. */
int parse_passwd_line(const char *line, size_t len, struct span *ret_name, uid_t *ret_uid);

/* A CPU list as in /sys/devices/system/cpu/online ("0-3,8,10-11\n"):
 * up to max (from, to) pairs into ranges[2*i], ranges[2*i+1]. */
int parse_cpulist(const char *buf, size_t len, uint32_t *ranges, size_t max, size_t *ret_count);

#endif
