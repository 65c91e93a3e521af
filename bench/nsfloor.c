/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsfloor - the "floor" for namespace discovery: only the syscalls needed to
 * gather the same information as a discovery tool, with no output
 * formatting.  It is the yardstick the benchmark compares against.
 *
 *   nsfloor [-l ns|tasks|fds|stat|proc|full] [-r REPS] [-P] [-q] [-p PROCDIR]
 *
 * Levels are cumulative:
 *   ns     for every process in /proc: fstatat() of ns/{cgroup,ipc,mnt,net,
 *          pid,time,user,uts}, relative to a dirfd of /proc/PID/ns
 *   tasks  + the same for every non-leader task (/proc/PID/task/TID/ns)
 *   fds    + readlinkat() of every fd; nsfs ("net:[...]") and socket:[...]
 *          links are classified
 *   stat   + read /proc/PID/stat
 *   proc   + read status, cmdline and cgroup
 *   full   + pid_for_children and time_for_children; per UNIQUE namespace:
 *          open, NS_GET_USERNS + fstat (owner), NS_GET_PARENT walk for pid
 *          and user namespaces (finds process-less ancestors),
 *          NS_GET_OWNER_UID for user namespaces; per unique socket:
 *          pidfd_open + pidfd_getfd + SIOCGSKNS + fstat; per unique mount
 *          namespace that has a process: read /proc/PID/mountinfo, open +
 *          fstat every nsfs mount via /proc/PID/root/MOUNTPOINT.
 * Dedup uses open-addressing hash sets keyed by inode number.
 *
 * -P prints the sorted set of distinct namespaces found ("type ino" per
 * line; -PP adds how each was found first: process, task, children, fd,
 * socket, mount, owner, parent) on stdout and the counter line on stderr; without -P the counter
 * line goes to stdout.  -r repeats the whole scan in-process and reports
 * min/median/max.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>

/* the kernel interfaces Debian 12's headers may lack: liblxkns's own list */
#include "ops/kernel-compat.h"

enum level { L_NS, L_TASKS, L_FDS, L_STAT, L_PROC, L_FULL };
static const char *const level_names[] = { "ns", "tasks", "fds", "stat", "proc", "full" };

/* the 8 ns/ entries, in directory order */
enum { T_CGROUP, T_IPC, T_MNT, T_NET, T_PID, T_TIME, T_USER, T_UTS, T_NUM };
static const char *const tnames[T_NUM] = { "cgroup", "ipc",  "mnt",  "net",
					   "pid",    "time", "user", "uts" };

/* how a namespace was found first (printed by -PP) */
enum { V_PROC, V_TASK, V_CHILDREN, V_FD, V_SOCKET, V_MOUNT, V_OWNER, V_PARENT };
static const char *const via_names[] = { "process", "task",  "children", "fd",
					 "socket",  "mount", "owner",	 "parent" };
#define TV(type, via) ((unsigned char)((type) | ((via) << 4)))

static enum level level = L_FULL;
static int procfd = -1;
static const char *procdir = "/proc";

/* counters of one scan */
static struct counters {
	unsigned long procs, tasks, fds, sockets, nsfds, mntns, nsmounts;
	unsigned long syscalls, errors;
} cnt;

/* ------------------------------------------------------------------ */
/* open-addressing hash set of 64-bit keys (0 = empty) with a byte value */

struct set {
	uint64_t *keys;
	unsigned char *vals;
	size_t cap, n;
};

static inline size_t slot(uint64_t k, size_t cap)
{
	return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

static void set_clear(struct set *s)
{
	if (s->cap)
		memset(s->keys, 0, s->cap * sizeof(*s->keys));
	s->n = 0;
}

static void set_grow(struct set *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 1024;
	uint64_t *nk = calloc(ncap, sizeof(*nk));
	unsigned char *nv = calloc(ncap, 1);

	if (!nk || !nv) {
		fprintf(stderr, "nsfloor: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < s->cap; i++) {
		size_t j;

		if (!s->keys[i])
			continue;
		for (j = slot(s->keys[i], ncap); nk[j]; j = (j + 1) & (ncap - 1))
			;
		nk[j] = s->keys[i];
		nv[j] = s->vals[i];
	}
	free(s->keys);
	free(s->vals);
	s->keys = nk;
	s->vals = nv;
	s->cap = ncap;
}

/* insert; true if the key was new */
static bool set_add(struct set *s, uint64_t k, unsigned char v)
{
	size_t i;

	if ((s->n + 1) * 10 > s->cap * 7)
		set_grow(s);
	for (i = slot(k, s->cap); s->keys[i]; i = (i + 1) & (s->cap - 1))
		if (s->keys[i] == k)
			return false;
	s->keys[i] = k;
	s->vals[i] = v;
	s->n++;
	return true;
}

static struct set nsset, sockset, mntset;

/* ------------------------------------------------------------------ */
/* counted syscalls */

#define SC(expr) (cnt.syscalls++, (expr))

static void xclose(int fd)
{
	if (fd >= 0)
		SC(close(fd));
}

static ssize_t xgetdents(int fd, char *buf, size_t size)
{
	return SC(syscall(SYS_getdents64, fd, buf, size));
}

/* procfs directories fill the buffer as far as entries fit: a chunk that
 * leaves room for another (maximum size) entry was the last one, so the
 * final getdents64() returning 0 can be skipped */
#define DENTS_LAST(n, size) ((size_t)(n) + 512 <= (size))

struct dirent64 {
	uint64_t d_ino; /* cppcheck-suppress unusedStructMember ; kernel layout */
	int64_t d_off;	/* cppcheck-suppress unusedStructMember ; kernel layout */
	unsigned short d_reclen;
	unsigned char d_type; /* cppcheck-suppress unusedStructMember ; kernel layout */
	char d_name[];
};

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Read a procfs file relative to dirfd into rbuf.  Single-record files
 * (stat, status, cgroup) and cmdline come whole in one read(); multi-record
 * seq files (mountinfo) come in page-sized chunks, so "all" reads to EOF. */
static char rbuf[1 << 16];

static ssize_t read_at(int dirfd, const char *name, bool all)
{
	int fd = SC(openat(dirfd, name, O_RDONLY | O_CLOEXEC));
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	do {
		n = SC(read(fd, rbuf + total, sizeof(rbuf) - 1 - (size_t)total));
		if (n > 0)
			total += n;
	} while (all && n > 0 && (size_t)total < sizeof(rbuf) - 1);
	xclose(fd);
	rbuf[total] = 0;
	return total;
}

/* ------------------------------------------------------------------ */
/* namespaces */

/* Record a namespace; at full level explore it through its fd (which is
 * consumed).  fd may be -1 below full level. */
static void ns_explore(int fd, int type);

static void ns_found_fd(int fd, int type, int via)
{
	struct stat st;

	if (SC(fstat(fd, &st)) < 0) {
		xclose(fd);
		return;
	}
	if (set_add(&nsset, st.st_ino, TV(type, via)))
		ns_explore(fd, type);
	else
		xclose(fd);
}

static void ns_explore(int fd, int type)
{
	int rel;

	if (type != T_USER) {
		rel = SC(ioctl(fd, NS_GET_USERNS));
		if (rel >= 0)
			ns_found_fd(rel, T_USER, V_OWNER);
	} else {
		uid_t uid;

		SC(ioctl(fd, NS_GET_OWNER_UID, &uid));
	}
	if (type == T_USER || type == T_PID) {
		/* the walk stops at the first ancestor already known: its own
		 * ancestors were explored when it was found */
		rel = SC(ioctl(fd, NS_GET_PARENT));
		if (rel >= 0)
			ns_found_fd(rel, type, V_PARENT);
	}
	xclose(fd);
}

/* fstatat one ns/ entry; at full level open and explore it when new;
 * returns the inode (0 on error) */
static uint64_t ns_entry(int nsfd, const char *name, int type, int via)
{
	struct stat st;

	if (SC(fstatat(nsfd, name, &st, 0)) < 0) {
		cnt.errors++;
		return 0;
	}
	if (!set_add(&nsset, st.st_ino, TV(type, via)))
		return st.st_ino;
	if (level == L_FULL) {
		int fd = SC(openat(nsfd, name, O_RDONLY | O_CLOEXEC));

		if (fd >= 0)
			ns_explore(fd, type);
	}
	return st.st_ino;
}

/* the ns/ entries of a process or task; returns the mnt inode */
static uint64_t scan_nsdir(int nsfd, bool children, int via)
{
	uint64_t mnt = 0;

	for (int t = 0; t < T_NUM; t++) {
		uint64_t ino = ns_entry(nsfd, tnames[t], t, via);

		if (t == T_MNT)
			mnt = ino;
	}
	if (children) {
		ns_entry(nsfd, "pid_for_children", T_PID, V_CHILDREN);
		ns_entry(nsfd, "time_for_children", T_TIME, V_CHILDREN);
	}
	return mnt;
}

/* "net:[4026531840]" -> type and inode; false if not an nsfs link */
static bool parse_nslink(const char *s, int *type, uint64_t *ino)
{
	const char *b = strchr(s, ':');

	if (!b || b[1] != '[')
		return false;
	for (int t = 0; t < T_NUM; t++) {
		size_t len = strlen(tnames[t]);

		if ((size_t)(b - s) == len && !memcmp(s, tnames[t], len)) {
			*type = t;
			*ino = strtoull(b + 2, NULL, 10);
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* per process */

static void scan_tasks(int pdfd, const char *pid)
{
	static char buf[1 << 15];
	int tfd = SC(openat(pdfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ssize_t n;

	if (tfd < 0)
		return;
	while ((n = xgetdents(tfd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			char path[64];
			int nsfd;

			off += d->d_reclen;
			if (!is_number(d->d_name))
				continue;
			cnt.tasks++;
			if (!strcmp(d->d_name, pid))
				continue;
			snprintf(path, sizeof(path), "%s/ns", d->d_name);
			nsfd = SC(openat(tfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
			if (nsfd < 0)
				continue;
			scan_nsdir(nsfd, false, V_TASK);
			xclose(nsfd);
		}
		if (DENTS_LAST(n, sizeof(buf)))
			break;
	}
	xclose(tfd);
}

static void scan_fds(int pdfd, const char *pid)
{
	static char buf[1 << 15];
	char link[256];
	int fdfd = SC(openat(pdfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	int pidfd = -1;
	ssize_t n;

	if (fdfd < 0)
		return;
	while ((n = xgetdents(fdfd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			ssize_t len;
			uint64_t ino;
			int type;

			off += d->d_reclen;
			if (!is_number(d->d_name))
				continue;
			cnt.fds++;
			len = SC(readlinkat(fdfd, d->d_name, link, sizeof(link) - 1));
			if (len <= 0)
				continue;
			link[len] = 0;
			if (!strncmp(link, "socket:[", 8)) {
				int sfd, nsfd;

				ino = strtoull(link + 8, NULL, 10);
				if (!set_add(&sockset, ino, 0) || level != L_FULL)
					continue;
				cnt.sockets++;
				if (pidfd < 0)
					pidfd = SC((int)syscall(SYS_pidfd_open,
								(int)strtol(pid, NULL, 10), 0));
				if (pidfd < 0)
					continue;
				sfd = SC((int)syscall(SYS_pidfd_getfd, pidfd,
						      (int)strtol(d->d_name, NULL, 10), 0));
				if (sfd < 0)
					continue;
				nsfd = SC(ioctl(sfd, SIOCGSKNS));
				xclose(sfd);
				if (nsfd >= 0)
					ns_found_fd(nsfd, T_NET, V_SOCKET);
			} else if (parse_nslink(link, &type, &ino)) {
				cnt.nsfds++;
				if (!set_add(&nsset, ino, TV(type, V_FD)) || level != L_FULL)
					continue;
				int fd = SC(openat(fdfd, d->d_name, O_RDONLY | O_CLOEXEC));
				if (fd >= 0)
					ns_explore(fd, type);
			}
		}
		if (DENTS_LAST(n, sizeof(buf)))
			break;
	}
	xclose(pidfd);
	xclose(fdfd);
}

static void unescape(char *s)
{
	char *p = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*p++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 3;
		} else {
			*p++ = *s;
		}
	}
	*p = 0;
}

/* the nsfs mounts of this process's mount namespace */
static void scan_mounts(int pdfd, const char *pid)
{
	char *line, *next, path[4200];

	cnt.mntns++;
	if (read_at(pdfd, "mountinfo", true) <= 0)
		return;
	for (line = rbuf; line && *line; line = next) {
		char *f[6], *sep, *s = line;
		int i, type, fd;
		uint64_t ino;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		/* fstype follows " - " */
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "nsfs ", 5) != 0)
			continue;
		/* fields: id parent maj:min root mountpoint */
		for (i = 0; i < 5 && s; i++) {
			f[i] = s;
			s = strchr(s, ' ');
			if (s)
				*s++ = 0;
		}
		if (i < 5 || !parse_nslink(f[3], &type, &ino))
			continue;
		cnt.nsmounts++;
		unescape(f[4]);
		snprintf(path, sizeof(path), "%s/root%s", pid, f[4]);
		fd = SC(openat(procfd, path, O_RDONLY | O_CLOEXEC));
		if (fd >= 0)
			ns_found_fd(fd, type, V_MOUNT);
	}
}

static void scan_process(const char *pid)
{
	int pdfd, nsfd;

	cnt.procs++;
	if (level == L_NS) {
		char path[64];

		snprintf(path, sizeof(path), "%s/ns", pid);
		nsfd = SC(openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
		if (nsfd < 0)
			return;
		scan_nsdir(nsfd, false, V_PROC);
		xclose(nsfd);
		return;
	}
	pdfd = SC(openat(procfd, pid, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (pdfd < 0)
		return;
	nsfd = SC(openat(pdfd, "ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (nsfd >= 0) {
		uint64_t mnt = scan_nsdir(nsfd, level == L_FULL, V_PROC);

		xclose(nsfd);
		/* first process seen in a mount namespace: look into it */
		if (level == L_FULL && mnt && set_add(&mntset, mnt, 0))
			scan_mounts(pdfd, pid);
	}
	scan_tasks(pdfd, pid);
	if (level >= L_FDS)
		scan_fds(pdfd, pid);
	if (level >= L_STAT)
		read_at(pdfd, "stat", false);
	if (level >= L_PROC) {
		read_at(pdfd, "status", false);
		read_at(pdfd, "cmdline", false);
		read_at(pdfd, "cgroup", false);
	}
	xclose(pdfd);
}

static void scan(void)
{
	static char buf[1 << 15];
	ssize_t n;

	memset(&cnt, 0, sizeof(cnt));
	set_clear(&nsset);
	set_clear(&sockset);
	set_clear(&mntset);
	procfd = SC(open(procdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (procfd < 0) {
		fprintf(stderr, "nsfloor: open %s: %s\n", procdir, strerror(errno));
		exit(1);
	}
	while ((n = xgetdents(procfd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			off += d->d_reclen;
			if (is_number(d->d_name))
				scan_process(d->d_name);
		}
		if (DENTS_LAST(n, sizeof(buf)))
			break;
	}
	xclose(procfd);
	procfd = -1;
}

/* ------------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static int cmp_double(const void *a, const void *b)
{
	const double *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* sorted by type name, then inode */
static int cmp_typed(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	int c = strcmp(tnames[x[1] & 15], tnames[y[1] & 15]);

	return c ? c : cmp_u64(a, b);
}

static void print_set(bool verbose_print)
{
	uint64_t(*v)[2] = calloc(nsset.n ? nsset.n : 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		exit(1);
	for (size_t i = 0; i < nsset.cap; i++) {
		if (!nsset.keys[i])
			continue;
		v[n][0] = nsset.keys[i];
		v[n][1] = nsset.vals[i];
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_typed);
	for (size_t i = 0; i < n; i++) {
		printf("%s %llu", tnames[v[i][1] & 15], (unsigned long long)v[i][0]);
		if (verbose_print)
			printf(" %s", via_names[v[i][1] >> 4]);
		putchar('\n');
	}
	free(v);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: nsfloor [-l ns|tasks|fds|stat|proc|full] [-r REPS] [-P[P]] [-q]\n"
		   "               [-p PROCDIR]\n"
		   "  -l  level (cumulative; default full)\n"
		   "  -r  repeat the scan REPS times in-process (min/median/max)\n"
		   "  -P  print the distinct namespaces found, \"type ino\" per line, sorted;\n"
		   "      -PP adds how each was found first\n"
		   "  -q  no counter line\n"
		   "  -p  procfs to scan (default /proc)\n");
}

int main(int argc, char **argv)
{
	int c, reps = 1;
	bool print = false, print_via = false, quiet = false;
	double *times;

	while ((c = getopt(argc, argv, "l:r:Pqp:h")) != -1) {
		switch (c) {
		case 'l': {
			int i;

			for (i = 0; i <= L_FULL; i++)
				if (!strcmp(optarg, level_names[i]))
					break;
			if (i > L_FULL) {
				usage(stderr);
				return 2;
			}
			level = (enum level)i;
			break;
		}
		case 'r':
			reps = (int)strtol(optarg, NULL, 10);
			if (reps < 1 || reps > 10000) {
				usage(stderr);
				return 2;
			}
			break;
		case 'P':
			print_via = print;
			print = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'p':
			procdir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	times = calloc((size_t)reps, sizeof(*times));
	if (!times)
		return 1;
	for (int r = 0; r < reps; r++) {
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		scan();
		clock_gettime(CLOCK_MONOTONIC, &b);
		times[r] = (double)(b.tv_sec - a.tv_sec) * 1e6 +
			   (double)(b.tv_nsec - a.tv_nsec) / 1e3;
	}
	if (print)
		print_set(print_via);
	if (!quiet) {
		double med;

		qsort(times, (size_t)reps, sizeof(*times), cmp_double);
		med = reps % 2 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
		FILE *out = print ? stderr : stdout;
		fprintf(out,
			"level=%s procs=%lu tasks=%lu fds=%lu nsfds=%lu "
			"sockets=%lu mntns=%lu nsmounts=%lu namespaces=%zu "
			"syscalls=%lu errors=%lu us_min=%.0f us_med=%.0f "
			"us_max=%.0f reps=%d\n",
			level_names[level], cnt.procs, level >= L_TASKS ? cnt.tasks : 0, cnt.fds,
			cnt.nsfds, cnt.sockets, cnt.mntns, cnt.nsmounts, nsset.n, cnt.syscalls,
			cnt.errors, times[0], med, times[reps - 1], reps);
	}
	free(times);
	return 0;
}
