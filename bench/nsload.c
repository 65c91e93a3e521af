/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsload - a bounded, deterministic namespace load generator for benchmarks.
 *
 *   nsload run [options] -- CMD [ARG...]
 *   nsload stop [-D BASE]          kill leftovers of crashed runs (PID+starttime)
 *
 * "run" builds the load inside a private PID + mount namespace that has its
 * own /proc, runs CMD in that sandbox (so CMD sees exactly the load), waits
 * for CMD and tears everything down again.  See bench/README.md.
 *
 * Process tree inside the sandbox (PIDs as seen in the sandbox):
 *
 *   1 nsl-mgr (this program; PID 1 and reaper of the sandbox)
 *   +- nsl-shim  per container: unshare() of all -k types (user first, so the
 *   |  |         others are owned by the container's user namespace)
 *   |  `- nsl-init  PID 1 of the container's PID (and time) namespace
 *   |     `- nsl-sleep ... the container's share of the sleepers
 *   +- nsl-chain level 1 (user+pid ns 1) `- level 2 ... `- level D
 *   |            the leaf does H more unshare(CLONE_NEWUSER)s
 *   +- nsl-fdkeep   holds F process-less namespaces by open fds
 *   +- nsl-skkeep   holds S process-less net namespaces by sockets
 *   `- CMD
 *
 * Every load process reports "HOSTPID SANDBOXPID STARTTIME ROLE" through a
 * pipe to the manager, which appends it to STATEDIR/pids.  Teardown kills
 * only recorded PIDs whose start time still matches, reaps everything,
 * unmounts only what is mounted below STATEDIR/mnt, and the run directory
 * is removed afterwards.  Since the manager is PID 1 of the sandbox, the
 * kernel kills every remaining load process when it exits, and the manager
 * dies with its parent (PR_SET_PDEATHSIG), so nothing can outlive a run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* bounds */
#define MAX_PROCS 32000
#define MAX_NS 4000
#define MAX_NETNS 2000
#define MAX_EXTRA 2000 /* each of -b, -F, -S */
#define MAX_THREADS 64
#define MAX_XFDS 64
#define MAX_DEPTH 24
#define MAX_USERNS_DEPTH 30 /* kernel limit is 32 levels */
#define MAX_MNT_RETRIES 64

/* fixed high fd numbers for the infrastructure, so that load processes can
 * drop everything below FD_REC and get deterministic fd tables */
#define FD_REC 900	/* write end of the record pipe */
#define FD_HOSTPROC 901 /* O_PATH fd of the host's /proc */
#define FD_SAVED 902	/* 902..904: CMD's stdin/stdout/stderr */
#define FD_LIFE 905	/* read end of the "parent alive" pipe (manager only) */

enum { T_USER, T_PID, T_NET, T_MNT, T_UTS, T_IPC, T_CGROUP, T_TIME, T_NUM };

static const struct {
	const char *name;
	int flag;
} nst[T_NUM] = {
	[T_USER] = { "user", CLONE_NEWUSER },	    [T_PID] = { "pid", CLONE_NEWPID },
	[T_NET] = { "net", CLONE_NEWNET },	    [T_MNT] = { "mnt", CLONE_NEWNS },
	[T_UTS] = { "uts", CLONE_NEWUTS },	    [T_IPC] = { "ipc", CLONE_NEWIPC },
	[T_CGROUP] = { "cgroup", CLONE_NEWCGROUP }, [T_TIME] = { "time", CLONE_NEWTIME },
};

/* types of the process-less namespaces of -b and -F, cycling */
static const int extra_cycle[8] = { T_NET, T_UTS, T_IPC, T_USER, T_MNT, T_CGROUP, T_PID, T_TIME };

static struct opts {
	long procs, threads, every, nns, binds, fdns, sockns, depth, hidden;
	long mntctr, xfds, timeout;
	int kflags, nk;
	bool quiet;
	const char *base;
} o = {
	.procs = 200,
	.threads = 4,
	.every = 10,
	.nns = 0,
	.binds = 4,
	.fdns = 4,
	.sockns = 2,
	.depth = 3,
	.hidden = 1,
	.mntctr = -1,
	.xfds = 4,
	.timeout = 300,
	.base = "/run/nsload",
};

/* derived layout */
static long n_ctr, n_sleepers, n_threaded, n_infra, n_tasks, n_ns;

static char rundir[240]; /* BASE/run.PID */
static char mntdir[248]; /* RUNDIR/mnt: tmpfs, only in the sandbox */
static char cnsdir[256]; /* MNTDIR/cns: tmpfs inside -m containers */
static int errfd = 2;
static int mnt_cpu = -1, ncpus = 1; /* see make_binds() */
static volatile sig_atomic_t got_signal;

__attribute__((format(printf, 1, 2))) static void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dprintf(errfd, "nsload: ");
	vdprintf(errfd, fmt, ap);
	dprintf(errfd, "\n");
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static ssize_t write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -1;
	r = write_all(fd, s, strlen(s)) < 0 ? -1 : 0;
	close(fd);
	return r;
}

/* read a small file relative to dirfd into buf (NUL-terminated) */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1) {
		ssize_t n = read(fd, buf + total, size - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = 0;
	return total;
}

/* start time (field 22 of PID/stat, clock ticks since boot); 0 if gone */
static unsigned long long starttime(int dirfd, const char *pid)
{
	char path[64], buf[1024], *p;
	int field;

	snprintf(path, sizeof(path), "%s/stat", pid);
	if (read_small(dirfd, path, buf, sizeof(buf)) <= 0)
		return 0;
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	p++;
	/* after ") " comes field 3 (state); starttime is field 22 */
	for (field = 3; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

/* ------------------------------------------------------------------ */
/* code run by load processes                                          */

/* Report this process to the manager.  Uses only plain syscalls and
 * snprintf, since chain processes are made with a raw clone(2). */
static void record(const char *role)
{
	char hp[32] = "0", sp[32] = "0", line[192];
	ssize_t n;
	int len;

	n = readlinkat(FD_HOSTPROC, "self", hp, sizeof(hp) - 1);
	hp[n > 0 ? n : 0] = 0;
	n = readlink("/proc/self", sp, sizeof(sp) - 1);
	sp[n > 0 ? n : 0] = 0;
	len = snprintf(line, sizeof(line), "%s %s %llu %s\n", hp[0] ? hp : "0", sp[0] ? sp : "0",
		       starttime(AT_FDCWD, "/proc/self"), role);
	if (len > 0)
		write_all(FD_REC, line, (size_t)len);
}

__attribute__((noreturn)) static void child_fail(const char *what)
{
	char line[192];
	int len = snprintf(line, sizeof(line), "0 0 0 !%s: %s\n", what, strerror(errno));

	if (len > 0)
		write_all(FD_REC, line, (size_t)len);
	_exit(1);
}

static void drop_low_fds(void)
{
	close_range(3, FD_REC - 1, 0);
}

static void drop_infra_fds(void)
{
	close_range(FD_REC, ~0U, 0);
}

/* reap children forever (for inits, shims and chain levels) */
__attribute__((noreturn)) static void reap_forever(void)
{
	for (;;) {
		if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
			pause();
	}
}

__attribute__((noreturn)) static void pause_forever(void)
{
	for (;;)
		pause();
}

/* map root of a fresh user namespace to our (root) uid, like unshare -r */
static int write_maps(void)
{
	if (write_file("/proc/self/setgroups", "deny") < 0 ||
	    write_file("/proc/self/gid_map", "0 0 1") < 0 ||
	    write_file("/proc/self/uid_map", "0 0 1") < 0)
		return -1;
	return 0;
}

static pid_t clone_raw(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static void *thread_main(void *arg)
{
	(void)arg;
	pause_forever();
}

__attribute__((noreturn)) static void sleeper(long idx)
{
	pthread_attr_t attr;
	long j;

	prctl(PR_SET_NAME, "nsl-sleep");
	drop_low_fds();
	for (j = 0; j < o.xfds; j++) {
		int fd = (j % 2 == 0) ? open("/dev/null", O_RDONLY) : eventfd(0, 0);
		if (fd < 0)
			child_fail("sleeper: extra fd");
	}
	if (o.threads > 0 && idx % o.every == 0) {
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 64 * 1024);
		for (j = 0; j < o.threads; j++) {
			pthread_t t;

			if (pthread_create(&t, &attr, thread_main, NULL) != 0)
				child_fail("sleeper: pthread_create");
		}
		pthread_attr_destroy(&attr);
	}
	record("sleep");
	drop_infra_fds();
	pause_forever();
}

/* fork sleepers [first, first+count) from the calling process */
static void fork_sleepers(long first, long count)
{
	for (long i = 0; i < count; i++) {
		pid_t p = fork();

		if (p == 0)
			sleeper(first + i);
		if (p < 0)
			child_fail("fork sleeper");
	}
}

__attribute__((noreturn)) static void container_init(long first, long count)
{
	prctl(PR_SET_NAME, "nsl-init");
	fork_sleepers(first, count);
	record("init");
	drop_infra_fds();
	reap_forever();
}

__attribute__((noreturn)) static void shim(long c, long first, long count)
{
	pid_t p;

	prctl(PR_SET_NAME, "nsl-shim");
	drop_low_fds();
	if (unshare(o.kflags) < 0)
		child_fail("shim: unshare");
	if ((o.kflags & CLONE_NEWUSER) && write_maps() < 0)
		child_fail("shim: uid/gid map");
	if (c < o.mntctr) {
		/* a process-less netns bind-mounted only inside our mount ns */
		char file[PATH_MAX];
		int orig, fd;

		if (mount("nsload-cns", cnsdir, "tmpfs", MS_NOSUID | MS_NODEV,
			  "mode=0755,size=64k") < 0)
			child_fail("shim: mount tmpfs");
		snprintf(file, sizeof(file), "%s/net", cnsdir);
		fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0)
			child_fail("shim: create bind target");
		close(fd);
		orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (orig < 0 || unshare(CLONE_NEWNET) < 0)
			child_fail("shim: new hidden netns");
		if (mount("/proc/self/ns/net", file, NULL, MS_BIND, NULL) < 0)
			child_fail("shim: bind hidden netns");
		if (setns(orig, CLONE_NEWNET) < 0)
			child_fail("shim: setns back");
		close(orig);
	}
	p = fork();
	if (p == 0)
		container_init(first, count);
	if (p < 0)
		child_fail("shim: fork init");
	record("shim");
	drop_infra_fds();
	reap_forever();
}

/* Chain level k (1..D): in user ns k and PID ns k (PID 1 there).  Made with
 * a raw clone(2), so only plain syscalls here (glibc's cached TID is stale). */
__attribute__((noreturn)) static void chain_level(long k)
{
	prctl(PR_SET_NAME, "nsl-chain");
	drop_low_fds();
	if (write_maps() < 0)
		child_fail("chain: uid/gid map");
	if (k < o.depth) {
		pid_t p = clone_raw(CLONE_NEWUSER | CLONE_NEWPID);

		if (p == 0)
			chain_level(k + 1);
		if (p < 0)
			child_fail("chain: clone");
	} else {
		/* the leaf moves H user namespaces further down; the ones it
		 * passes are process-less, reachable only via NS_GET_PARENT
		 * (the level-D one also as owner of PID ns D) */
		for (long h = 0; h < o.hidden; h++) {
			if (unshare(CLONE_NEWUSER) < 0)
				child_fail("chain: unshare user");
			if (write_maps() < 0)
				child_fail("chain: uid/gid map (hidden)");
		}
	}
	record("chain");
	drop_infra_fds();
	reap_forever();
}

/* A short-lived helper that unshares one namespace type (and for pid, forks
 * an init so that the PID namespace can be referenced); the caller then
 * binds or opens helper_path() and calls helper_stop(). */
struct helper {
	pid_t pid, inner;
	int ctl; /* closing it tells the helper to exit */
	int type;
};

/* close every fd below FD_REC except a and b */
static void close_low_except(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	close_range(3, (unsigned)lo - 1, 0);
	close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)hi + 1, FD_REC - 1, 0);
}

static int helper_start(int t, int cpu, struct helper *h)
{
	int rdy[2], ctl[2], res[2] = { 0, 0 };
	pid_t p;

	if (pipe2(rdy, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(ctl, O_CLOEXEC) < 0) {
		close(rdy[0]);
		close(rdy[1]);
		return -1;
	}
	p = fork();
	if (p == 0) {
		char b;
		ssize_t r;
		pid_t inner = 0;

		prctl(PR_SET_NAME, "nsl-helper");
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* drop inherited fds, in particular the ctl pipes of other
		 * helpers that are still alive (else they never see EOF) */
		close_low_except(rdy[1], ctl[0]);
		if (cpu >= 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
		}
		if (unshare(nst[t].flag) < 0) {
			res[0] = errno;
		} else if (t == T_PID) {
			inner = fork();
			if (inner == 0) {
				do
					r = read(ctl[0], &b, 1);
				while (r < 0 && errno == EINTR);
				_exit(0);
			}
			if (inner < 0)
				res[0] = errno;
		}
		res[1] = inner;
		write_all(rdy[1], res, sizeof(res));
		close(rdy[1]);
		do
			r = read(ctl[0], &b, 1);
		while (r < 0 && errno == EINTR);
		if (inner > 0)
			waitpid(inner, NULL, 0);
		_exit(0);
	}
	close(rdy[1]);
	close(ctl[0]);
	if (p < 0) {
		close(rdy[0]);
		close(ctl[1]);
		return -1;
	}
	if (read(rdy[0], res, sizeof(res)) != (ssize_t)sizeof(res))
		res[0] = EIO;
	close(rdy[0]);
	h->pid = p;
	h->inner = res[1];
	h->ctl = ctl[1];
	h->type = t;
	if (res[0]) {
		close(h->ctl);
		waitpid(p, NULL, 0);
		errno = res[0];
		return -1;
	}
	return 0;
}

static void helper_path(const struct helper *h, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/%d/ns/%s", h->type == T_PID ? (int)h->inner : (int)h->pid,
		 h->type == T_TIME ? "time_for_children" : nst[h->type].name);
}

static void helper_stop(struct helper *h)
{
	close(h->ctl);
	for (int i = 0; i < 2000; i++) {
		if (waitpid(h->pid, NULL, WNOHANG) != 0)
			return;
		sleep_ms(1);
	}
	/* should not happen: make sure anyway */
	if (h->inner > 0)
		kill(h->inner, SIGKILL);
	kill(h->pid, SIGKILL);
	while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
		;
}

__attribute__((noreturn)) static void fd_keeper(void)
{
	char path[64];

	prctl(PR_SET_NAME, "nsl-fdkeep");
	drop_low_fds();
	for (long i = 0; i < o.fdns; i++) {
		struct helper h;

		if (helper_start(extra_cycle[i % 8], -1, &h) < 0)
			child_fail("fdkeep: helper");
		helper_path(&h, path, sizeof(path));
		if (open(path, O_RDONLY) < 0) /* kept open on purpose */
			child_fail("fdkeep: open ns");
		helper_stop(&h);
	}
	record("fdkeep");
	drop_infra_fds();
	pause_forever();
}

__attribute__((noreturn)) static void sock_keeper(void)
{
	int orig;

	prctl(PR_SET_NAME, "nsl-skkeep");
	drop_low_fds();
	orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		child_fail("skkeep: open netns");
	for (long i = 0; i < o.sockns; i++) {
		if (unshare(CLONE_NEWNET) < 0)
			child_fail("skkeep: unshare net");
		if (socket(AF_UNIX, SOCK_DGRAM, 0) < 0) /* kept open */
			child_fail("skkeep: socket");
		if (setns(orig, CLONE_NEWNET) < 0)
			child_fail("skkeep: setns back");
	}
	close(orig);
	record("skkeep");
	drop_infra_fds();
	pause_forever();
}

/* ------------------------------------------------------------------ */
/* the manager (PID 1 of the sandbox)                                   */

struct rec {
	pid_t sbpid;
	unsigned long long start;
};

static struct rec *recs;
static long nrecs, nearly; /* all records; shim and fdkeep records */
static int pidsfd = -1;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: interrupt waits */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* parse one record line; returns 1 ok, 0 ignored, -1 failure record */
static int take_record(char *line)
{
	long hp, sp;
	unsigned long long st;
	char role[64];

	if (pidsfd >= 0) {
		dprintf(pidsfd, "%s\n", line);
	}
	if (sscanf(line, "%ld %ld %llu %63s", &hp, &sp, &st, role) != 4)
		return 0;
	if (role[0] == '!') {
		msg("load process failed: %s", strchr(line, '!') + 1);
		return -1;
	}
	if (!strcmp(role, "shim") || !strcmp(role, "fdkeep"))
		nearly++;
	if (nrecs < o.procs) {
		recs[nrecs].sbpid = (pid_t)sp;
		recs[nrecs].start = st;
		nrecs++;
	}
	return 1;
}

/* read records until *counter reaches target */
static int wait_records(int rd, const long *counter, long target)
{
	static char buf[65536];
	static size_t have;
	double deadline = now() + (double)o.timeout;

	while (*counter < target) {
		struct pollfd pfd = { .fd = rd, .events = POLLIN };
		int r, st;
		pid_t dead;

		if (got_signal) {
			msg("interrupted during setup");
			return -1;
		}
		if (now() > deadline) {
			msg("timeout: only %ld of %ld processes reported", nrecs, o.procs);
			return -1;
		}
		/* a load process that dies during setup is a failure */
		dead = waitpid(-1, &st, WNOHANG);
		if (dead > 0) {
			msg("load process %d died during setup (status 0x%x)", (int)dead, st);
			/* drain the pipe for a failure message first */
		}
		r = poll(&pfd, 1, 200);
		if (r > 0) {
			ssize_t n = read(rd, buf + have, sizeof(buf) - 1 - have);
			char *s, *nl;

			if (n <= 0)
				continue;
			have += (size_t)n;
			buf[have] = 0;
			s = buf;
			while ((nl = strchr(s, '\n'))) {
				*nl = 0;
				if (take_record(s) < 0)
					return -1;
				s = nl + 1;
			}
			have = strlen(s);
			memmove(buf, s, have);
		}
		if (dead > 0)
			return -1;
	}
	return 0;
}

static int make_file(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* -b: process-less namespaces bind-mounted below MNTDIR */
static int make_binds(void)
{
	char file[PATH_MAX], src[64];
	int tries_total = 0;

	for (long i = 0; i < o.binds; i++) {
		int t = extra_cycle[i % 8];
		struct helper failed[MAX_MNT_RETRIES];
		int nfailed = 0, ok = 0;

		snprintf(file, sizeof(file), "%s/b%04ld-%s", mntdir, i, nst[t].name);
		if (make_file(file) < 0) {
			msg("create %s: %s", file, strerror(errno));
			return -1;
		}
		while (!ok) {
			struct helper h;
			/* new mount namespace IDs come from per-CPU batches:
			 * make the namespace on the CPU where the sandbox's
			 * was made (then its ID is larger), and rotate CPUs
			 * on retries */
			int cpu = t == T_MNT && mnt_cpu >= 0 ? (mnt_cpu + nfailed) % ncpus : -1;

			if (helper_start(t, cpu, &h) < 0) {
				msg("helper for %s: %s", nst[t].name, strerror(errno));
				break;
			}
			helper_path(&h, src, sizeof(src));
			if (mount(src, file, NULL, MS_BIND, NULL) == 0) {
				ok = 1;
				helper_stop(&h);
				break;
			}
			/* mount namespace IDs are not monotonic: the loop
			 * check gives EINVAL now and then; retry with a fresh
			 * namespace while keeping the failed one alive */
			if (errno == EINVAL && t == T_MNT && nfailed < MAX_MNT_RETRIES) {
				failed[nfailed++] = h;
				tries_total++;
				continue;
			}
			msg("bind %s -> %s: %s", src, file, strerror(errno));
			helper_stop(&h);
			break;
		}
		for (int k = 0; k < nfailed; k++)
			helper_stop(&failed[k]);
		if (!ok)
			return -1;
	}
	if (tries_total && !o.quiet)
		msg("mnt bind mounts needed %d extra tries", tries_total);
	return 0;
}

/* mount points below MNTDIR (incl. itself), deepest/latest last */
static int umount_ours(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, **mps = NULL;
	size_t cap = 0, len = strlen(mntdir);
	int n = 0, nmax = 0, fails = 0;

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char mp[PATH_MAX], *p = mp;
		const char *s;

		/* field 5 is the mount point (octal escapes) */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		for (s = mp; *s; s++) {
			if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
			    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
				*p++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) |
					      (s[3] - '0'));
				s += 3;
			} else {
				*p++ = *s;
			}
		}
		*p = 0;
		if (strncmp(mp, mntdir, len) != 0 || (mp[len] != 0 && mp[len] != '/'))
			continue;
		if (n == nmax) {
			char **nm;

			nmax = nmax ? nmax * 2 : 64;
			nm = realloc(mps, (size_t)nmax * sizeof(*mps));
			if (!nm)
				break;
			mps = nm;
		}
		mps[n++] = strdup(mp);
	}
	free(line);
	fclose(f);
	for (int i = n - 1; i >= 0; i--) {
		if (mps[i] && umount2(mps[i], MNT_DETACH) < 0) {
			msg("umount %s: %s", mps[i], strerror(errno));
			fails++;
		}
		free(mps[i]);
	}
	free(mps);
	return fails ? -1 : 0;
}

/* numbers of the processes in our /proc other than ourselves */
static long other_pids(pid_t *buf, long max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 1)
			continue;
		if (buf && n < max)
			buf[n] = (pid_t)pid;
		n++;
	}
	closedir(d);
	return n;
}

/* reap until no child is left; false on timeout */
static bool reap_all(double seconds)
{
	double deadline = now() + seconds;

	for (;;) {
		pid_t r = waitpid(-1, NULL, WNOHANG);

		if (r > 0)
			continue;
		if (r < 0 && errno == ECHILD)
			return true;
		if (now() > deadline)
			return false;
		sleep_ms(5);
	}
}

static int teardown(void)
{
	char path[64];
	long killed = 0, left;
	double t0 = now();
	int rc = 0;

	for (long i = nrecs - 1; i >= 0; i--) {
		if (recs[i].sbpid <= 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%d", (int)recs[i].sbpid);
		if (starttime(AT_FDCWD, path) != recs[i].start)
			continue;
		if (kill(recs[i].sbpid, SIGKILL) == 0)
			killed++;
	}
	/* whatever else is left in our PID namespace was started by CMD (a
	 * daemonized child) or by us: it is all ours, so it goes too */
	for (int round = 0; round < 3; round++) {
		left = other_pids(NULL, 0);
		if (left <= 0)
			break;
		pid_t *pids = calloc((size_t)left, sizeof(*pids));

		if (!pids)
			break;
		left = other_pids(pids, left);
		for (long i = 0; i < left; i++)
			kill(pids[i], SIGKILL);
		free(pids);
	}
	if (!reap_all(60)) {
		msg("teardown: children still not reaped after 60 s");
		rc = -1;
	}
	/* poll until our /proc shows nobody but us */
	for (int i = 0; i < 3000 && other_pids(NULL, 0) > 0; i++) {
		reap_all(0);
		sleep_ms(10);
	}
	left = other_pids(NULL, 0);
	if (left > 0) {
		msg("teardown: %ld processes still present", left);
		rc = -1;
	}
	if (umount_ours() < 0)
		rc = -1;
	if (!o.quiet)
		msg("down: %ld recorded processes (%ld killed directly, the "
		    "rest with their PID namespace) gone in %.2f s",
		    nrecs - 1, killed, now() - t0);
	return rc;
}

static void export_env(void)
{
	char v[32];

	setenv("NSLOAD_DIR", rundir, 1);
	snprintf(v, sizeof(v), "%ld", o.procs);
	setenv("NSLOAD_PROCS", v, 1);
	snprintf(v, sizeof(v), "%ld", n_tasks);
	setenv("NSLOAD_TASKS", v, 1);
	snprintf(v, sizeof(v), "%ld", n_ns);
	setenv("NSLOAD_NS", v, 1);
}

static void write_summary(double setup)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/summary", rundir);
	f = fopen(path, "we");
	if (!f)
		return;
	fprintf(f,
		"procs %ld\ntasks %ld\nnamespaces %ld\ncontainers %ld\n"
		"sleepers %ld\nthreaded_sleepers %ld\nsetup_seconds %.3f\n",
		o.procs, n_tasks, n_ns, n_ctr, n_sleepers, n_threaded, setup);
	fclose(f);
}

static int run_cmd(char **cmd)
{
	pid_t c, r;
	int st = 0, sent = 0;
	double term_at = 0;

	c = fork();
	if (c < 0) {
		msg("fork CMD: %s", strerror(errno));
		return 125;
	}
	if (c == 0) {
		for (int i = 0; i < 3; i++)
			dup2(FD_SAVED + i, i);
		close_range(3, ~0U, 0);
		signal(SIGPIPE, SIG_DFL);
		execvp(cmd[0], cmd);
		dprintf(2, "nsload: exec %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	for (;;) {
		r = waitpid(-1, &st, 0);
		if (r == c)
			break;
		if (r < 0 && errno == ECHILD)
			return 125;
		if (r < 0 && errno == EINTR && got_signal) {
			if (!sent) {
				kill(c, SIGTERM);
				sent = 1;
				term_at = now();
			} else if (now() - term_at > 5) {
				kill(c, SIGKILL);
			}
			got_signal = 0;
		}
		/* other reaped children: orphans reparented to us */
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Namespaces the host holds by bind mounts are visible in the sandbox too
 * (its mount table is a copy of the host's): count the distinct ones that
 * are not among our own, so that NSLOAD_NS stays right.  Their owners and
 * parents are not followed; on a host without such mounts this is 0. */
static long inherited_nsfs(void)
{
	static const char *const own[] = { "cgroup", "ipc",  "mnt",  "net",
					   "pid",    "time", "user", "uts" };
	unsigned long long seen[256];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	int nseen = 0;
	long n = 0;

	if (!f)
		return 0;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		char path[64];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", own[i]);
		if (stat(path, &st) == 0)
			seen[nseen++] = (unsigned long long)st.st_ino;
	}
	while (getline(&line, &cap, f) > 0) {
		char root[256], *b;
		unsigned long long ino;
		bool dup = false;

		if (!strstr(line, " - nsfs ") || sscanf(line, "%*s %*s %*s %255s", root) != 1 ||
		    !(b = strstr(root, ":[")))
			continue;
		ino = strtoull(b + 2, NULL, 10);
		for (int i = 0; i < nseen; i++)
			dup = dup || seen[i] == ino;
		if (dup)
			continue;
		if (nseen < (int)(sizeof(seen) / sizeof(seen[0])))
			seen[nseen++] = ino;
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static int manager(char **cmd)
{
	int recp[2], rc;
	char path[PATH_MAX], b;
	double t0 = now();
	pid_t p;
	long next_sleeper = 0;

	prctl(PR_SET_NAME, "nsl-mgr");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the parent may have died before PR_SET_PDEATHSIG took effect */
	if (fcntl(FD_LIFE, F_SETFL, O_NONBLOCK) == 0 && read(FD_LIFE, &b, 1) == 0)
		_exit(1);
	install_signals();
	for (int i = 0; i < 3; i++)
		if (dup3(i, FD_SAVED + i, O_CLOEXEC) < 0)
			return 125;
	errfd = FD_SAVED + 2;
	{
		int nul = open("/dev/null", O_RDWR);

		if (nul < 0)
			return 125;
		for (int i = 0; i < 3; i++)
			dup2(nul, i);
		if (nul > 2)
			close(nul);
	}
	recs = calloc((size_t)o.procs, sizeof(*recs));
	if (!recs)
		return 125;

	{
		/* make the sandbox's mount namespace on a known CPU */
		cpu_set_t all, one;

		ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
		if (ncpus < 1)
			ncpus = 1;
		if (sched_getaffinity(0, sizeof(all), &all) == 0)
			mnt_cpu = sched_getcpu();
		if (mnt_cpu >= 0 && mnt_cpu < CPU_SETSIZE) {
			CPU_ZERO(&one);
			CPU_SET(mnt_cpu, &one);
			if (sched_setaffinity(0, sizeof(one), &one) < 0)
				mnt_cpu = -1;
		} else {
			mnt_cpu = -1;
		}
		rc = unshare(CLONE_NEWNS);
		if (mnt_cpu >= 0)
			sched_setaffinity(0, sizeof(all), &all);
	}
	if (rc < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		msg("private mount namespace: %s", strerror(errno));
		return 125;
	}
	{
		int hp = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (hp < 0 || dup3(hp, FD_HOSTPROC, O_CLOEXEC) < 0) {
			msg("open /proc: %s", strerror(errno));
			return 125;
		}
		close(hp);
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		msg("mount /proc: %s", strerror(errno));
		return 125;
	}
	if (mount("nsload", mntdir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") < 0 ||
	    mkdir(cnsdir, 0755) < 0) {
		msg("tmpfs on %s: %s", mntdir, strerror(errno));
		umount_ours();
		return 125;
	}
	{
		long inh = inherited_nsfs();

		if (inh > 0) {
			n_ns += inh;
			msg("warning: the host holds %ld namespaces by bind mounts; "
			    "the sandbox sees them too (counted in NSLOAD_NS)",
			    inh);
		}
	}
	snprintf(path, sizeof(path), "%s/pids", rundir);
	pidsfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (pidsfd < 0 || pipe2(recp, O_CLOEXEC) < 0 || dup3(recp[1], FD_REC, O_CLOEXEC) < 0) {
		msg("state files: %s", strerror(errno));
		umount_ours();
		return 125;
	}
	close(recp[1]);

	record("mgr");
	rc = 0;
	/* containers */
	for (long c = 0; c < n_ctr && rc == 0; c++) {
		long count = n_sleepers / n_ctr + (c < n_sleepers % n_ctr);

		p = fork();
		if (p == 0)
			shim(c, next_sleeper, count);
		if (p < 0)
			rc = -1;
		next_sleeper += count;
	}
	/* the user+PID chain */
	if (rc == 0 && o.depth > 0) {
		p = clone_raw(CLONE_NEWUSER | CLONE_NEWPID);
		if (p == 0)
			chain_level(1);
		if (p < 0)
			rc = -1;
	}
	if (rc == 0 && o.fdns > 0) {
		p = fork();
		if (p == 0)
			fd_keeper();
		if (p < 0)
			rc = -1;
	}
	if (rc == 0 && o.sockns > 0) {
		p = fork();
		if (p == 0)
			sock_keeper();
		if (p < 0)
			rc = -1;
	}
	/* without containers the sleepers live in the sandbox itself */
	if (rc == 0 && n_ctr == 0) {
		for (long i = 0; i < n_sleepers && rc == 0; i++) {
			p = fork();
			if (p == 0)
				sleeper(i);
			if (p < 0)
				rc = -1;
		}
	}
	if (rc < 0)
		msg("fork: %s", strerror(errno));
	/* Mount namespaces copy the sandbox's mount table: let the shims and
	 * the fd keeper's helpers make theirs before the bind mounts exist,
	 * so that the structure does not depend on timing. */
	if (rc == 0)
		rc = wait_records(recp[0], &nearly, n_ctr + (o.fdns > 0 ? 1 : 0));
	if (rc == 0)
		rc = make_binds();
	if (rc == 0)
		rc = wait_records(recp[0], &nrecs, o.procs);
	close(recp[0]);
	if (rc == 0) {
		/* transient helpers are gone; reap stray orphans if any */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		write_summary(now() - t0);
		export_env();
		if (!o.quiet)
			msg("up: %ld processes, %ld tasks, %ld namespaces in "
			    "%.2f s (state %s)",
			    o.procs, n_tasks, n_ns, now() - t0, rundir);
		rc = run_cmd(cmd);
	} else {
		rc = 125;
	}
	close(FD_REC);
	if (teardown() < 0 && rc == 0)
		rc = 125;
	close(pidsfd);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the outer process                                                    */

static pid_t mgr_pid;

static void forward_signal(int sig)
{
	got_signal = sig;
	if (mgr_pid > 0)
		kill(mgr_pid, SIGTERM);
}

/* kill recorded host PIDs (still matching start time) of a run dir;
 * returns how many were still alive */
static long kill_recorded(const char *dir, bool really)
{
	char path[PATH_MAX], line[256];
	FILE *f;
	long alive = 0;

	snprintf(path, sizeof(path), "%s/pids", dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		long hp, sp;
		unsigned long long st;
		char hps[32];

		if (sscanf(line, "%ld %ld %llu", &hp, &sp, &st) != 3 || hp <= 1)
			continue;
		snprintf(hps, sizeof(hps), "/proc/%ld", hp);
		if (starttime(AT_FDCWD, hps) != st)
			continue;
		alive++;
		if (really)
			kill((pid_t)hp, SIGKILL);
	}
	fclose(f);
	return alive;
}

static void remove_rundir(const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/pids", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/summary", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mnt", dir);
	rmdir(path); /* fails (and stays) if anything is mounted there */
	if (rmdir(dir) < 0 && errno != ENOENT)
		msg("could not remove %s: %s", dir, strerror(errno));
}

static int verify_gone(const char *dir)
{
	long alive = 0;

	/* our manager was PID 1 of the sandbox, so the kernel has killed and
	 * reaped everything when waitpid() returned; check anyway */
	for (int i = 0; i < 1000; i++) {
		alive = kill_recorded(dir, i > 0 && i % 100 == 0);
		if (!alive)
			return 0;
		sleep_ms(10);
	}
	msg("%ld recorded processes still alive", alive);
	return -1;
}

static long count_host_tasks(void)
{
	char buf[256];
	long a, b;

	if (read_small(AT_FDCWD, "/proc/loadavg", buf, sizeof(buf)) <= 0)
		return -1;
	if (sscanf(buf, "%*s %*s %*s %ld/%ld", &a, &b) != 2)
		return -1;
	return b;
}

static long read_long_file(const char *path)
{
	char buf[64];

	if (read_small(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

static int parse_types(const char *s)
{
	char *dup = strdup(s), *save = NULL, *tok;
	int flags = 0, n = 0;

	if (!dup)
		return -1;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int t;

		for (t = 0; t < T_NUM; t++)
			if (!strcmp(tok, nst[t].name))
				break;
		if (t == T_NUM || (flags & nst[t].flag)) {
			free(dup);
			return -1;
		}
		flags |= nst[t].flag;
		n++;
	}
	free(dup);
	o.kflags = flags;
	o.nk = n;
	return n > 0 ? 0 : -1;
}

static long count_type(long total, int t)
{
	long n = 0;

	for (long i = 0; i < total; i++)
		n += extra_cycle[i % 8] == t;
	return n;
}

static int check_layout(void)
{
	long netns, pid_max, used, threads_max;

	if (o.procs < 1 || o.procs > MAX_PROCS) {
		msg("-p must be 1..%d", MAX_PROCS);
		return -1;
	}
	if (o.nns < 0 || o.nns > MAX_NS) {
		msg("-n must be 0..%d", MAX_NS);
		return -1;
	}
	if (o.threads < 0 || o.threads > MAX_THREADS || o.every < 1) {
		msg("-t must be 0..%d and -e >= 1", MAX_THREADS);
		return -1;
	}
	if (o.xfds < 0 || o.xfds > MAX_XFDS) {
		msg("-o must be 0..%d", MAX_XFDS);
		return -1;
	}
	if (o.binds < 0 || o.binds > MAX_EXTRA || o.fdns < 0 || o.fdns > MAX_EXTRA ||
	    o.sockns < 0 || o.sockns > MAX_EXTRA) {
		msg("-b, -F and -S must be 0..%d", MAX_EXTRA);
		return -1;
	}
	if (o.depth < 0 || o.depth > MAX_DEPTH || o.hidden < 0 ||
	    o.depth + o.hidden > MAX_USERNS_DEPTH || (o.hidden > 0 && o.depth == 0)) {
		msg("-d must be 0..%d, -d + -H <= %d, -H needs -d >= 1", MAX_DEPTH,
		    MAX_USERNS_DEPTH);
		return -1;
	}
	if (o.timeout < 1 || o.timeout > 3600) {
		msg("-T must be 1..3600");
		return -1;
	}
	n_ctr = (o.nns + o.nk - 1) / o.nk;
	if (o.mntctr == -1) /* default: 2, as far as there are containers */
		o.mntctr = (o.kflags & CLONE_NEWNS) ? (n_ctr < 2 ? n_ctr : 2) : 0;
	if (o.mntctr < 0 || o.mntctr > n_ctr || (o.mntctr > 0 && !(o.kflags & CLONE_NEWNS))) {
		msg("-m must be 0..number of containers (%ld) and needs mnt "
		    "in -k",
		    n_ctr);
		return -1;
	}
	n_infra = 1 + 2 * n_ctr + o.depth + (o.fdns > 0) + (o.sockns > 0);
	if (n_infra > o.procs) {
		msg("-p %ld is too small: the infrastructure alone needs %ld "
		    "processes",
		    o.procs, n_infra);
		return -1;
	}
	n_sleepers = o.procs - n_infra;
	n_threaded = o.threads > 0 ? (n_sleepers + o.every - 1) / o.every : 0;
	n_tasks = o.procs + n_threaded * o.threads;
	/* sandbox: own pid + mnt, host's user net uts ipc cgroup time = 8
	 * (the host's PID namespace is not visible from inside: NS_GET_PARENT
	 * only returns ancestors within the caller's active PID namespace) */
	n_ns = 8 + n_ctr * o.nk + 2 * o.depth + o.hidden + o.binds + o.fdns + o.sockns + o.mntctr;
	netns = ((o.kflags & CLONE_NEWNET) ? n_ctr : 0) + count_type(o.binds, T_NET) +
		count_type(o.fdns, T_NET) + o.sockns + o.mntctr;
	if (netns > MAX_NETNS) {
		msg("too many network namespaces (%ld > %d)", netns, MAX_NETNS);
		return -1;
	}
	pid_max = read_long_file("/proc/sys/kernel/pid_max");
	threads_max = read_long_file("/proc/sys/kernel/threads-max");
	used = count_host_tasks();
	if (pid_max > 0 && used >= 0 && n_tasks + used + 2000 > pid_max) {
		msg("%ld tasks do not fit: pid_max %ld, %ld tasks exist, 2000 "
		    "kept free",
		    n_tasks, pid_max, used);
		return -1;
	}
	if (threads_max > 0 && used >= 0 && n_tasks + used + 2000 > threads_max) {
		msg("%ld tasks do not fit into threads-max %ld", n_tasks, threads_max);
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nsload run [options] -- CMD [ARG...]\n"
		"       nsload stop [-D BASE]\n"
		"\n"
		"run: build the load in a private PID + mount namespace with its own /proc,\n"
		"run CMD there, then tear everything down.  Options (defaults):\n"
		"  -p P   total load processes incl. infrastructure (200; <= %d)\n"
		"  -t T   extra threads of every E-th sleeper (4; <= %d)\n"
		"  -e E   (10)\n"
		"  -n N   namespaces in ceil(N/len(L)) containers (0; <= %d)\n"
		"  -k L   namespace types per container (user,pid,net,mnt,uts,ipc,cgroup,time)\n"
		"  -b B   process-less namespaces bind-mounted below the state dir (4)\n"
		"  -F F   process-less namespaces held by fds of a keeper (4)\n"
		"  -S S   process-less net namespaces held by sockets (2)\n"
		"  -d D   nested user+pid namespaces, one process per level (3; <= %d)\n"
		"  -H H   process-less user namespaces below the chain's leaf (1)\n"
		"  -m M   containers with a process-less netns bind-mounted inside\n"
		"         (2, or fewer if there are fewer containers)\n"
		"  -o O   extra open fds per sleeper (4; <= %d)\n"
		"  -T S   setup timeout in seconds (300)\n"
		"  -D DIR state base directory (/run/nsload)\n"
		"  -q     quiet\n"
		"types of -b and -F cycle net,uts,ipc,user,mnt,cgroup,pid,time.\n"
		"CMD gets NSLOAD_DIR, NSLOAD_PROCS, NSLOAD_TASKS and NSLOAD_NS (expected\n"
		"distinct namespaces) in its environment.\n",
		MAX_PROCS, MAX_THREADS, MAX_NS, MAX_DEPTH, MAX_XFDS);
}

static bool parse_long(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return !errno && *s && !*end;
}

static int cmd_stop(void)
{
	DIR *d = opendir(o.base);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return errno == ENOENT ? 0 : 1;
	while ((e = readdir(d))) {
		char dir[PATH_MAX], comm[64], path[64];
		long opid;

		if (strncmp(e->d_name, "run.", 4) != 0 || !parse_long(e->d_name + 4, &opid))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", o.base, e->d_name);
		snprintf(path, sizeof(path), "/proc/%ld/comm", opid);
		if (read_small(AT_FDCWD, path, comm, sizeof(comm)) > 0 &&
		    !strncmp(comm, "nsload", 6)) {
			msg("%s: run still active (pid %ld), skipped", dir, opid);
			continue;
		}
		kill_recorded(dir, true);
		if (verify_gone(dir) < 0)
			rc = 1;
		remove_rundir(dir);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int c, st, life[2], rc;
	struct sigaction sa;
	struct rlimit rl;
	pid_t outer = getpid();
	long v;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	parse_types("user,pid,net,mnt,uts,ipc,cgroup,time");
	optind = 2;
	while ((c = getopt(argc, argv, "+p:t:e:n:k:b:F:S:d:H:m:o:T:D:qh")) != -1) {
		long *dst = NULL;

		switch (c) {
		case 'p':
			dst = &o.procs;
			break;
		case 't':
			dst = &o.threads;
			break;
		case 'e':
			dst = &o.every;
			break;
		case 'n':
			dst = &o.nns;
			break;
		case 'b':
			dst = &o.binds;
			break;
		case 'F':
			dst = &o.fdns;
			break;
		case 'S':
			dst = &o.sockns;
			break;
		case 'd':
			dst = &o.depth;
			break;
		case 'H':
			dst = &o.hidden;
			break;
		case 'm':
			dst = &o.mntctr;
			break;
		case 'o':
			dst = &o.xfds;
			break;
		case 'T':
			dst = &o.timeout;
			break;
		case 'k':
			if (parse_types(optarg) < 0) {
				msg("bad -k list: %s", optarg);
				return 2;
			}
			break;
		case 'D':
			o.base = optarg;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
		if (dst) {
			if (!parse_long(optarg, &v)) {
				msg("-%c: not a number: %s", c, optarg);
				return 2;
			}
			*dst = v;
		}
	}
	if (o.base[0] != '/' || strlen(o.base) > 200) {
		msg("-D needs an absolute path (<= 200 chars)");
		return 2;
	}
	if (geteuid() != 0) {
		msg("must run as root");
		return 2;
	}
	if (!strcmp(argv[1], "stop"))
		return cmd_stop();
	if (strcmp(argv[1], "run") != 0) {
		usage(stderr);
		return 2;
	}
	if (optind >= argc) {
		msg("run: missing CMD (use: nsload run [options] -- CMD...)");
		return 2;
	}
	if (check_layout() < 0)
		return 2;
	/* the infrastructure fds live at 900..905 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1024) {
		rl.rlim_cur = rl.rlim_max < 1024 ? rl.rlim_max : 1024;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	if (mkdir(o.base, 0700) < 0 && errno != EEXIST) {
		msg("mkdir %s: %s", o.base, strerror(errno));
		return 1;
	}
	snprintf(rundir, sizeof(rundir), "%s/run.%d", o.base, (int)outer);
	snprintf(mntdir, sizeof(mntdir), "%s/mnt", rundir);
	snprintf(cnsdir, sizeof(cnsdir), "%s/cns", mntdir);
	if (mkdir(rundir, 0700) < 0 || mkdir(mntdir, 0700) < 0) {
		msg("mkdir %s: %s", rundir, strerror(errno));
		return 1;
	}
	if (pipe2(life, O_CLOEXEC) < 0 || dup3(life[0], FD_LIFE, O_CLOEXEC) < 0) {
		msg("pipe: %s", strerror(errno));
		remove_rundir(rundir);
		return 1;
	}
	close(life[0]);
	if (unshare(CLONE_NEWPID) < 0) {
		msg("unshare(CLONE_NEWPID): %s", strerror(errno));
		remove_rundir(rundir);
		return 1;
	}
	fflush(NULL);
	mgr_pid = fork();
	if (mgr_pid == 0) {
		close(life[1]);
		_exit(manager(argv + optind));
	}
	close(FD_LIFE);
	if (mgr_pid < 0) {
		msg("fork: %s", strerror(errno));
		remove_rundir(rundir);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	while (waitpid(mgr_pid, &st, 0) < 0) {
		if (errno != EINTR) {
			st = 0xff00;
			break;
		}
	}
	mgr_pid = 0;
	close(life[1]);
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 125;
	if (verify_gone(rundir) < 0)
		rc = rc ? rc : 125;
	remove_rundir(rundir);
	return rc;
}
