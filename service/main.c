/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lxkns: the namespace discovery service. Serves the REST API of Go lxkns
 * (GET /api/namespaces, /api/processes, /api/pidmap, with per-request
 * discovery options as query parameters), the embedded web UI, /healthz and
 * /metrics; coalesces concurrent discoveries, optionally caches the latest
 * one, keeps only the capabilities discovery needs, and shuts down
 * gracefully on SIGTERM/SIGINT. Takes listening sockets passed by systemd
 * (socket activation).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifdef LXKNS_SERVICE_CONTAINERS
#include <lxkns/containers.h>
#endif

#include "caps.h"
#include "coalesce.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "routes.h"

#define DEFAULT_HTTP "127.0.0.1:5010"

static void usage(FILE *out)
{
	fputs("Usage: lxkns [OPTIONS]\n"
	      "\n"
	      "Serves Linux-kernel namespace discoveries: the REST API of Go lxkns\n"
	      "(GET /api/namespaces, /api/processes, /api/pidmap; discovery options as\n"
	      "query parameters, see the README), a web UI on /, GET /healthz and\n"
	      "GET /metrics (Prometheus).\n"
	      "\n"
	      "Listening:\n"
	      "      --http ADDR            listen on ADDR: HOST:PORT, [IPv6]:PORT, or :PORT for\n"
	      "                             every interface (default " DEFAULT_HTTP ", loopback\n"
	      "                             only; port 0 picks a free port)\n"
	      "      --unix PATH            listen on a unix socket (only there, unless --http\n"
	      "                             is given too)\n"
	      "      --max-connections N    at most N open connections per listener (default\n"
	      "                             1024); at the limit a new connection closes the\n"
	      "                             oldest idle one\n"
	      "      --max-per-address N    at most N idle connections per client address\n"
	      "                             (default 32, 0: no limit); more close its oldest\n"
	      "      --first-byte-timeout DUR\n"
	      "                             close a new TCP connection that has sent nothing\n"
	      "                             DUR after connecting (default 2s, 0: never)\n"
	      "      --header-timeout DUR   close a connection that has not sent complete request\n"
	      "                             headers DUR after connecting or after its previous\n"
	      "                             answer (default 10s)\n"
	      "      --request-timeout DUR  close a connection whose answer is not sent DUR after\n"
	      "                             its request headers (default 60s)\n"
	      "      --shutdown DUR         on SIGTERM/SIGINT, let open requests finish for up to\n"
	      "                             DUR (default 15s); a second signal cuts it short\n"
	      "\n"
	      "Discovery:\n"
	      "  -i, --input FILE|-         serve a saved discovery (dumpns JSON; -: stdin)\n"
	      "                             instead of discovering: every request gets it\n"
	      "                             as it is, whatever its query parameters\n"
	      "      --cache DUR            answer from the latest discovery while it is younger\n"
	      "                             than DUR (default 0: every request discovers, but\n"
	      "                             concurrent requests share one discovery); clients\n"
	      "                             may ask for fresher ones with Cache-Control\n"
#ifdef LXKNS_SERVICE_CONTAINERS
	      "      --no-containers        do not discover containers (no engine is asked;\n"
	      "                             ?containers=on is refused)\n"
#else
	      "      --no-containers        accepted for Go lxkns compatibility; this version\n"
	      "                             does not discover containers yet, so it changes "
	      "nothing\n"
#endif
	      "\n"
	      "  -l, --log-level LEVEL      error, warn, info (default) or debug (every request)\n"
	      "  -h, --help                 this help\n"
	      "  -V, --version              version\n"
	      "\n"
	      "DUR: a number with a unit: 500ms, 10s, 2m, 1h (no unit: seconds).\n"
	      "Listening sockets passed by systemd (socket activation: LISTEN_PID, LISTEN_FDS)\n"
	      "are served instead of the default " DEFAULT_HTTP ", or besides --http/--unix.\n"
	      "Run as root, or as any user with the file capabilities\n"
	      "cap_sys_ptrace,cap_sys_admin,cap_sys_chroot,cap_dac_read_search,cap_dac_override,\n"
	      "cap_net_admin+ep, or with those as ambient capabilities (systemd);\n"
	      "all other capabilities are dropped at start.\n",
	      out);
}

/* While the command line is checked, a failure is a usage error: as in
 * util-linux, a "Try 'lxkns --help'" line follows the message. */
static bool in_usage = true;

static int usage_hint(void)
{
	fputs("Try 'lxkns --help' for more information.\n", stderr);
	return 1;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("lxkns: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (in_usage)
		usage_hint();
	return 1;
}

/* "500ms", "10s", "2m", "1h", "1.5s", "30" (seconds) into milliseconds. */
static int parse_duration_ms(const char *s, uint64_t *ret)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = { { "ms", 1 }, { "s", 1e3 }, { "m", 60e3 }, { "h", 3600e3 }, { "", 1e3 } };
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0) {
			double ms = v * units[i].ms;
			if (ms > 365.0 * 24 * 3600e3)
				return -ERANGE;
			*ret = (uint64_t)(ms + 0.5);
			return 0;
		}
	return -EINVAL;
}

static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *ret)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

/*
 * Every connection is a file descriptor: raises the soft limit on them to
 * the hard one where the connection limits need more, and lowers the
 * connection limit (with a warning) where the hard limit is too low.
 * Discoveries need some of their own (FD_RESERVE).
 */
#define FD_RESERVE 256
static void fit_fd_limit(struct http_config *hc)
{
	struct rlimit rl;
	unsigned listeners = (hc->http_addr ? 1 : 0) + (hc->unix_path ? 1 : 0) + hc->npassed;
	rlim_t want = (rlim_t)hc->max_connections * listeners + FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur >= want || !listeners)
		return;
	unsigned fit = rl.rlim_cur > FD_RESERVE + listeners
			       ? (unsigned)((rl.rlim_cur - FD_RESERVE) / listeners)
			       : 1;
	slog_warn("at most %u connections per listener: the file descriptor limit is %llu", fit,
		  (unsigned long long)rl.rlim_cur);
	hc->max_connections = fit;
}

static void park(struct waiter *w)
{
	http_park(w->userdata);
}

static void wake(struct waiter *w)
{
	struct request *req = w->userdata;
	MHD_resume_connection(req->conn);
}

enum {
	OPT_HTTP = 0x100,
	OPT_UNIX,
	OPT_MAX_CONNECTIONS,
	OPT_MAX_PER_ADDRESS,
	OPT_FIRST_BYTE_TIMEOUT,
	OPT_HEADER_TIMEOUT,
	OPT_REQUEST_TIMEOUT,
	OPT_SHUTDOWN,
	OPT_CACHE,
	OPT_NO_CONTAINERS,
	/* hidden: test and benchmark aids */
	OPT_PROCFS,
	OPT_SLOW_DISCOVERY,
	OPT_HTTP_THREADS,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "http", required_argument, NULL, OPT_HTTP },
		{ "unix", required_argument, NULL, OPT_UNIX },
		{ "max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS },
		{ "max-per-address", required_argument, NULL, OPT_MAX_PER_ADDRESS },
		{ "first-byte-timeout", required_argument, NULL, OPT_FIRST_BYTE_TIMEOUT },
		{ "header-timeout", required_argument, NULL, OPT_HEADER_TIMEOUT },
		{ "request-timeout", required_argument, NULL, OPT_REQUEST_TIMEOUT },
		{ "shutdown", required_argument, NULL, OPT_SHUTDOWN },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "no-containers", no_argument, NULL, OPT_NO_CONTAINERS },
		{ "log-level", required_argument, NULL, 'l' },
		{ "input", required_argument, NULL, 'i' },
		{ "procfs", required_argument, NULL, OPT_PROCFS },
		{ "slow-discovery", required_argument, NULL, OPT_SLOW_DISCOVERY },
		{ "http-threads", required_argument, NULL, OPT_HTTP_THREADS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	struct http_config hc = {
		.max_connections = 1024,
		.max_per_address = 32,
		.first_byte_timeout_ms = 2000,
		.header_timeout_ms = 10000,
		.request_timeout_ms = 60000,
		.threads = 2,
		.handle = routes_handle,
	};
	struct coalescer_config cc = {
		.workers = 2,
		.max_flights = 16,
		.park = park,
		.wake = wake,
	};
	uint64_t shutdown_ms = 15000, ms;
	const char *http_addr = NULL, *input = NULL;
	bool http_given = false;
	struct coalescer *coal = NULL;
	struct http_server *server = NULL;
	char urls[4096], kept[256], missing[256], err[256];
	int passed[HTTP_MAX_PASSED];
	sigset_t sigs;
	int c, r, level;

	/* getopt's messages start with argv[0]: the name, not a path */
	argv[0] = (char *)"lxkns";
	while ((c = getopt_long(argc, argv, "l:i:hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_HTTP:
			http_addr = optarg;
			http_given = true;
			break;
		case OPT_UNIX:
			if (!*optarg)
				return fail("--unix needs a path");
			hc.unix_path = optarg;
			break;
		case OPT_MAX_CONNECTIONS:
			if (parse_uint(optarg, 1, 100000, &hc.max_connections) < 0)
				return fail("invalid connection limit '%s' (1..100000)", optarg);
			break;
		case OPT_MAX_PER_ADDRESS:
			if (parse_uint(optarg, 0, 100000, &hc.max_per_address) < 0)
				return fail("invalid per-address limit '%s' (0..100000)", optarg);
			break;
		case OPT_FIRST_BYTE_TIMEOUT:
		case OPT_HEADER_TIMEOUT:
		case OPT_REQUEST_TIMEOUT:
		case OPT_SHUTDOWN:
		case OPT_CACHE:
			if (parse_duration_ms(optarg, &ms) < 0 ||
			    (c != OPT_CACHE && ms > UINT32_MAX))
				return fail("invalid duration '%s' (e.g. 500ms, 10s, 2m)", optarg);
			if (c == OPT_FIRST_BYTE_TIMEOUT)
				hc.first_byte_timeout_ms = (unsigned)ms;
			else if (c == OPT_HEADER_TIMEOUT)
				hc.header_timeout_ms = (unsigned)ms;
			else if (c == OPT_REQUEST_TIMEOUT)
				hc.request_timeout_ms = (unsigned)ms;
			else if (c == OPT_SHUTDOWN)
				shutdown_ms = ms;
			else
				cc.cache_ttl_ms = ms;
			break;
		case OPT_NO_CONTAINERS:
			cc.no_containers = true;
			routes_no_containers = true;
			break;
		case 'l':
			level = slog_level_from_name(optarg);
			if (level < 0)
				return fail("invalid log level '%s' (error, warn, info, debug)",
					    optarg);
			slog_set_level(level);
			break;
		case 'i':
			input = optarg;
			break;
		case OPT_PROCFS:
			cc.procfs_root = optarg;
			break;
		case OPT_SLOW_DISCOVERY:
			if (parse_uint(optarg, 0, 60000, &cc.slow_ms) < 0)
				return fail("invalid delay '%s' (0..60000 ms)", optarg);
			break;
		case OPT_HTTP_THREADS:
			if (parse_uint(optarg, 1, 64, &hc.threads) < 0)
				return fail("invalid thread count '%s' (1..64)", optarg);
			break;
		case 'h':
			usage(stdout);
			fputs("\nFor more details see lxkns(8).\n", stdout);
			return 0;
		case 'V':
			printf("lxkns %s\n", LXKNS_VERSION);
			return 0;
		default:
			return usage_hint();
		}
	}
	if (optind < argc)
		return fail("unexpected argument '%s'", argv[optind]);
	in_usage = false;
	if (input) {
		FILE *f = strcmp(input, "-") == 0 ? stdin : fopen(input, "re");
		if (!f)
			return fail("cannot open '%s': %s", input, strerror(errno));
		r = lxkns_result_read_json_file(f, &cc.input, err, sizeof(err));
		if (f != stdin)
			fclose(f);
		if (r < 0)
			return fail("cannot read a discovery from '%s': %s",
				    f == stdin ? "stdin" : input, err[0] ? err : strerror(-r));
	}
	/* Socket activation: the passed sockets take the place of the
	 * default listener. */
	r = http_passed_sockets(passed, HTTP_MAX_PASSED, err, sizeof(err));
	if (r < 0)
		return fail("%s", err);
	hc.passed_fds = passed;
	hc.npassed = (unsigned)r;
	if (!http_given && !hc.unix_path && !hc.npassed)
		http_addr = DEFAULT_HTTP;
	if (http_given && !*http_addr) {
		if (!hc.unix_path && !hc.npassed)
			return fail("--http \"\" needs --unix");
		http_addr = NULL;
	}
	hc.http_addr = http_addr;
	fit_fd_limit(&hc);

	/* Signals are taken by the main thread alone (sigtimedwait): block
	 * them before any thread starts. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	r = caps_trim(kept, sizeof(kept), missing, sizeof(missing));
	if (r < 0)
		return fail("cannot drop capabilities: %s", strerror(-r));
	slog_info("lxkns %s, euid %u, capabilities kept: %s", LXKNS_VERSION, (unsigned)geteuid(),
		  kept[0] ? kept : "none");
	if (missing[0] && !cc.procfs_root)
		slog_warn("capabilities missing: %s (discovery sees less)", missing);

#ifdef LXKNS_SERVICE_CONTAINERS
	/* Engines are watched in the background (their event streams), so a
	 * discovery need not ask every engine afresh. Not on a fixture tree:
	 * there is nothing to watch. */
	struct lxkns_container_watcher *watcher = NULL;
	if (!cc.no_containers && !cc.procfs_root && !cc.input) {
		r = lxkns_container_watcher_new(&watcher);
		if (r < 0)
			slog_warn("cannot watch container engines (%s): asking them at each "
				  "discovery",
				  strerror(-r));
		cc.container_watcher = watcher;
	}
#endif
	r = coalescer_new(&cc, &coal);
	if (r < 0)
		return fail("cannot start discovery workers: %s", strerror(-r));
	r = http_server_start(&hc, coal, &server, urls, sizeof(urls));
	if (r < 0) {
		coalescer_free(coal);
#ifdef LXKNS_SERVICE_CONTAINERS
		lxkns_container_watcher_free(watcher);
#endif
		return 1;
	}
	for (const char *u = urls; *u; u += strlen(u) + 1)
		printf("lxkns serving on %s\n", u);
	fflush(stdout);

	/* Serve until SIGINT/SIGTERM/SIGQUIT. */
	siginfo_t si;
	while (sigwaitinfo(&sigs, &si) < 0)
		;
	slog_info("%s: shutting down (grace period %.1fs)", strsignal(si.si_signo),
		  (double)shutdown_ms / 1e3);
	http_server_begin_shutdown(server);

	struct timespec start, now, tick = { 0, 50 * 1000000L };
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		unsigned open = http_connections(server);
		if (!open)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((uint64_t)((now.tv_sec - start.tv_sec) * 1000 +
			       (now.tv_nsec - start.tv_nsec) / 1000000) >= shutdown_ms) {
			slog_warn("grace period over: closing %u connection(s)", open);
			break;
		}
		if (sigtimedwait(&sigs, NULL, &tick) >= 0) {
			slog_warn("second signal: closing %u connection(s)", open);
			break;
		}
	}
	/* Discoveries in flight finish (they cannot be cancelled) and answer
	 * their requests; new ones are refused. */
	coalescer_close(coal);
	coalescer_drain(coal);
	http_server_stop(server);
	coalescer_free(coal);
#ifdef LXKNS_SERVICE_CONTAINERS
	lxkns_container_watcher_free(watcher);
#endif
	lxkns_result_unref(cc.input);
	slog_info("stopped");
	return 0;
}
