/* churn: a bounded fork, exec and unshare load for tests/live/churn.sh.
 *
 *     churn RATE WORKERS THREADERS
 *
 * WORKERS processes share RATE forks per second (paced). Their children
 * take turns: two exit at once, one execs /bin/true, one unshares
 * namespaces of one or more types (net, uts, ipc, user, cgroup,
 * pid_for_children, time), lives a few milliseconds and exits,
 * so namespaces are created and freed all the time and the kernel reuses
 * their inodes across types. THREADERS processes run threads that each
 * unshare a uts, ipc or (one in eight) net namespace of their own (a loose
 * thread), live a moment and end. Every child is reaped by its worker; nothing outlives the
 * helper: on SIGTERM (or SIGINT) it kills its workers by PID, reaps them and
 * their orphaned children (it is their subreaper), and prints one line:
 *     forks=<n> unshares=<n> threads=<n> seconds=<s>
 * Workers and their children also die with their parent (PR_SET_PDEATHSIG),
 * should the helper be killed with SIGKILL. Prints "ready" once the workers run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct counters {
	atomic_ulong forks, unshares, threads;
};

static struct counters *cnt;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	double d = t - now();
	if (d <= 0)
		return;
	struct timespec ts = { .tv_sec = (time_t)d,
			       .tv_nsec = (long)((d - (double)(time_t)d) * 1e9) };
	nanosleep(&ts, NULL);
}

/* The flag sets children unshare, in turn (user alone works unprivileged too). */
static const int flag_sets[] = {
	CLONE_NEWUTS,
	CLONE_NEWUTS | CLONE_NEWIPC,
	CLONE_NEWUSER,
	CLONE_NEWCGROUP | CLONE_NEWTIME,
	CLONE_NEWPID,
	CLONE_NEWTIME,
	CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP,
};

static void child(unsigned long n)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	switch (n % 4) {
	case 0:
	case 1:
		_exit(0);
	case 2:
		execl("/bin/true", "true", (char *)NULL);
		_exit(0);
	default: {
		int flags = flag_sets[(n / 4) % (sizeof(flag_sets) / sizeof(flag_sets[0]))];
		if (unshare(flags) == 0)
			atomic_fetch_add(&cnt->unshares, 1);
		/* a moment in the new namespaces, for the scan to see them */
		usleep(2000 + (unsigned)(n % 7) * 1000);
		_exit(0);
	}
	}
}

/* Forks at its share of the rate without waiting for each child: at most
 * MAX_LIVE children at a time, reaped as they end. */
#define MAX_LIVE 8

static void worker(double rate)
{
	double next = now();
	unsigned long n = (unsigned long)getpid() * 7;
	int live = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		while (live > 0 && waitpid(-1, NULL, live >= MAX_LIVE ? 0 : WNOHANG) > 0)
			live--;
		pid_t pid = fork();
		if (pid == 0)
			child(n);
		if (pid > 0) {
			atomic_fetch_add(&cnt->forks, 1);
			live++;
		}
		n++;
		next += 1.0 / rate;
		if (next < now() - 1.0)
			next = now(); /* behind: do not burst to catch up */
		sleep_until(next);
	}
}

static void *thread_main(void *arg)
{
	/* net rarely: creating and freeing net namespaces is the kernel's
	 * most expensive namespace work, and the host is shared */
	static const int per_thread[] = { CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWIPC,
					  CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET };
	unsigned long n = (unsigned long)(uintptr_t)arg;
	if (unshare(per_thread[n % 8]) == 0)
		atomic_fetch_add(&cnt->unshares, 1);
	usleep(20000 + (unsigned)(n % 5) * 10000);
	return NULL;
}

/* Threads that hold namespaces of their own for 20 to 60 ms, 8 at a time.
 * The threaders start 300 ms apart, so that many processes lie between
 * them in PID order (the scan's order): an inode one threader's thread
 * held when the scan read it is often another type's in the next one's
 * when the scan gets there. */
static void threader(int index)
{
	unsigned long n = (unsigned long)index * 1000003;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		pthread_t t[8];
		int made = 0;
		for (int i = 0; i < 8; i++, n++)
			if (pthread_create(&t[i], NULL, thread_main, (void *)(uintptr_t)n) == 0)
				made++;
			else
				break;
		for (int i = 0; i < made; i++)
			pthread_join(t[i], NULL);
		atomic_fetch_add(&cnt->threads, (unsigned long)made);
		usleep(1000);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: churn RATE WORKERS THREADERS\n");
		return 2;
	}
	char *e1, *e2, *e3;
	double rate = strtod(argv[1], &e1);
	long workers = strtol(argv[2], &e2, 10), threaders = strtol(argv[3], &e3, 10);
	if (*e1 || *e2 || *e3 || !(rate > 0 && rate < 1e6) || workers < 1 || workers > 64 ||
	    threaders < 0 || threaders > 64) {
		fprintf(stderr, "churn: bad arguments\n");
		return 2;
	}
	cnt = mmap(NULL, sizeof(*cnt), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cnt == MAP_FAILED) {
		perror("churn: mmap");
		return 1;
	}
	/* the children of a killed worker come to us: reaped below; and we end
	 * (cleanly) with the test script, should it be killed */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	pid_t pids[128];
	int n = 0;
	double start = now();
	for (int i = 0; i < workers + threaders; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("churn: fork");
			break;
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			if (i < workers)
				worker(rate / workers);
			else
				threader((int)(i - workers));
			_exit(0);
		}
		pids[n++] = pid;
		if (i >= workers)
			usleep(300000);
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	/* orphaned children of the workers (they die with their worker) */
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	printf("forks=%lu unshares=%lu threads=%lu seconds=%.1f\n", atomic_load(&cnt->forks),
	       atomic_load(&cnt->unshares), atomic_load(&cnt->threads), now() - start);
	return n == (int)(workers + threaders) ? 0 : 1;
}
