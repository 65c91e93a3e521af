/* SPDX-License-Identifier: Apache-2.0 */
/*
 * benchrun - a tiny interleaved timing runner for the benchmark.
 *
 *   benchrun [-r RUNS] [-w WARMUP] [-T SECONDS] NAME=COMMAND-LINE...
 *
 * Runs every command (split on blanks, no shell, stdin/stdout/stderr on
 * /dev/null) WARMUP + RUNS times in rounds: each round runs every command
 * once, starting with a different one each round, so that background noise
 * drifting over time hits all commands alike.  Wall time is measured with
 * CLOCK_MONOTONIC around fork+exec+wait4, max RSS, user and system time come
 * from wait4()'s rusage of the child.  Prints one tab-separated line per
 * command:
 *
 *   NAME RUNS MEDIAN_MS MIN_MS MAX_MS MEAN_MS RSS_KIB USER_MS SYS_MS FAILED
 *
 * (RSS, user and system time are medians; FAILED counts runs that did not
 * exit 0 or ran into the per-run timeout -T, default 600 s.)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#define MAX_CMDS 32
#define MAX_ARGS 64
#define MAX_RUNS 1000

struct cmd {
	char *name;
	char *argv[MAX_ARGS + 1];
	double wall[MAX_RUNS], rss[MAX_RUNS], user[MAX_RUNS], sys[MAX_RUNS];
	int n, failed;
};

static struct cmd cmds[MAX_CMDS];
static int ncmds;
static long timeout_s = 600;
static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static double tv_ms(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	const double *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static double median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* run c once; record the measurement unless warmup */
static void run_once(struct cmd *c, int record)
{
	struct timespec a, b;
	struct rusage ru;
	pid_t pid, r;
	int st = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid < 0) {
		c->failed++;
		return;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
			if (nul > 2)
				close(nul);
		}
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	/* blocking wait; SIGALRM (no SA_RESTART) ends a run that hangs */
	timed_out = 0;
	alarm((unsigned)timeout_s);
	for (;;) {
		r = wait4(pid, &st, 0, &ru);
		if (r == pid)
			break;
		if (r < 0 && errno == EINTR && timed_out) {
			kill(pid, SIGKILL);
			wait4(pid, &st, 0, &ru);
			alarm(0);
			c->failed++;
			return;
		}
		if (r < 0 && errno != EINTR) {
			alarm(0);
			c->failed++;
			return;
		}
	}
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		c->failed++;
		return;
	}
	if (!record || c->n >= MAX_RUNS)
		return;
	c->wall[c->n] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	c->rss[c->n] = (double)ru.ru_maxrss;
	c->user[c->n] = tv_ms(ru.ru_utime);
	c->sys[c->n] = tv_ms(ru.ru_stime);
	c->n++;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: benchrun [-r RUNS] [-w WARMUP] [-T SECONDS] "
		   "NAME=COMMAND-LINE...\n");
}

int main(int argc, char **argv)
{
	int opt, runs = 10, warmup = 2;
	struct sigaction sa;

	while ((opt = getopt(argc, argv, "r:w:T:h")) != -1) {
		switch (opt) {
		case 'r':
			runs = (int)strtol(optarg, NULL, 10);
			break;
		case 'w':
			warmup = (int)strtol(optarg, NULL, 10);
			break;
		case 'T':
			timeout_s = strtol(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS || warmup < 0 || warmup > MAX_RUNS || timeout_s < 1 ||
	    optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		struct cmd *c;
		char *eq = strchr(argv[i], '='), *save = NULL, *tok;
		int n = 0;

		if (!eq || ncmds == MAX_CMDS) {
			usage(stderr);
			return 2;
		}
		c = &cmds[ncmds++];
		*eq = 0;
		c->name = argv[i];
		for (tok = strtok_r(eq + 1, " \t", &save); tok && n < MAX_ARGS;
		     tok = strtok_r(NULL, " \t", &save))
			c->argv[n++] = tok;
		if (!n) {
			usage(stderr);
			return 2;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	for (int round = 0; round < warmup + runs; round++)
		for (int k = 0; k < ncmds; k++)
			run_once(&cmds[(round + k) % ncmds], round >= warmup);
	for (int i = 0; i < ncmds; i++) {
		struct cmd *c = &cmds[i];
		double sum = 0, lo = 0, hi = 0, med;

		for (int k = 0; k < c->n; k++) {
			sum += c->wall[k];
			if (!k || c->wall[k] < lo)
				lo = c->wall[k];
			if (!k || c->wall[k] > hi)
				hi = c->wall[k];
		}
		med = median(c->wall, c->n);
		printf("%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.0f\t%.1f\t%.1f\t%d\n", c->name, c->n, med,
		       lo, hi, c->n ? sum / c->n : 0, median(c->rss, c->n), median(c->user, c->n),
		       median(c->sys, c->n), c->failed);
	}
	return 0;
}
