/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Engines that misbehave, and a CRI engine we control: fake engines
 * (tests/containers/fake-engine.py) run under engine names (a symlink to
 * python3 called dockerd, containerd or crio makes that the process's comm),
 * so lxkns finds them in the process table like real ones.
 *
 *  - a dockerd that accepts and never answers, one that answers garbage, one
 *    that answers HTTP with a body that is not JSON, one that hangs up in the
 *    middle of its reply, and a containerd that answers gRPC with junk: the
 *    discovery completes within the timeout (plus slack), each one is
 *    skipped with a diagnostic naming it, and nothing of them is reported;
 *  - a CRI-O-like CRI server (crio) with pods and containers whose PIDs are
 *    real sleep processes: exact IDs, names, PIDs, labels (annotations,
 *    pod labels, odd characters), the pod group, the process links, and the
 *    JSON document read back byte for byte;
 *  - with_containers = false: no engine is contacted at all;
 *  - the watcher: the same results from synced state, the hung engines
 *    skipped within the timeout.
 * Usage: test-containers-faults DIR-OF-fake-engine.py
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lxkns/containers.h>
#include <lxkns/lxkns.h>

#include "json-dump.h"
#include "tap.h"

#define PYTHON "/usr/bin/python3"
#define TIMEOUT_MS 1000
#define SLACK_MS 2500

static char dir[64];
static const char *script;
static pid_t kids[16];
static size_t nkids;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cleanup(void)
{
	for (size_t i = 0; i < nkids; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	nkids = 0;
	if (dir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
		dir[0] = 0;
	}
}

/* Starts a fake engine named name; waits for its "ready". PID or -1. */
static pid_t spawn(const char *name, const char *mode, const char *sock, const char *config)
{
	char exe[128];
	int pfd[2];

	snprintf(exe, sizeof(exe), "%s/%s", dir, name);
	if (access(exe, X_OK) != 0 && symlink(PYTHON, exe) != 0)
		return -1;
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		execl(exe, name, script, mode, sock, config, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		return -1;
	}
	kids[nkids++] = pid;
	struct pollfd p = { .fd = pfd[0], .events = POLLIN };
	char buf[16] = "";
	size_t got = 0;
	while (got < 6 && poll(&p, 1, 15000) == 1) {
		ssize_t n = read(pfd[0], buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < 6 || strncmp(buf, "ready\n", 6) != 0)
		pid = -1;
	close(pfd[0]);
	return pid;
}

static pid_t sleeper(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sleep", "sleep", "600", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		kids[nkids++] = pid;
	return pid;
}

static bool diag_has(const struct lxkns_result *r, const char *needle, const char *needle2)
{
	for (size_t i = 0; i < lxkns_result_diagnostic_count(r); i++) {
		const char *m = lxkns_result_diagnostic_at(r, i)->message;
		if (strstr(m, needle) && (!needle2 || strstr(m, needle2)))
			return true;
	}
	return false;
}

static const struct lxkns_container_engine *engine_at_api(const struct lxkns_result *r,
							  const char *api)
{
	for (size_t i = 0; i < lxkns_result_engine_count(r); i++)
		if (strcmp(lxkns_engine_api(lxkns_result_engine_at(r, i)), api) == 0)
			return lxkns_result_engine_at(r, i);
	return NULL;
}

static int discover(bool containers, struct lxkns_container_watcher *w, struct lxkns_result **r,
		    int64_t *ms)
{
	struct lxkns_discover_opts o;
	lxkns_discover_opts_init(&o);
	o.with_containers = containers;
	o.container_timeout_ms = TIMEOUT_MS;
	o.container_watcher = w;
	o.with_mounts = false; /* faster, not what this is about */
	int64_t t0 = now_ms();
	int ret = lxkns_discover(&o, r);
	*ms = now_ms() - t0;
	return ret;
}

struct fakes {
	pid_t hung, garbage, badjson, vanish, grpcjunk, cri;
	pid_t sb_pid, app_pid, side_pid;
	char api[6][160];
};

static const char *const names[6] = {
	"hung", "garbage", "bad-json", "vanish", "grpc-garbage", "cri"
};

static void check_misbehaving(const struct lxkns_result *r, const struct fakes *f, int64_t ms,
			      const char *how)
{
	const pid_t pids[5] = { f->hung, f->garbage, f->badjson, f->vanish, f->grpcjunk };
	CHECK(ms < TIMEOUT_MS + SLACK_MS, "%s: the discovery took %lld ms (timeout %d ms)", how,
	      (long long)ms, TIMEOUT_MS);
	for (int i = 0; i < 5; i++) {
		char who[200];
		snprintf(who, sizeof(who), "(PID %d) at %s skipped", (int)pids[i], f->api[i]);
		CHECK(diag_has(r, who, NULL), "%s: the %s engine is skipped with a diagnostic", how,
		      names[i]);
		CHECK(engine_at_api(r, f->api[i]) == NULL,
		      "%s: nothing of the %s engine is reported", how, names[i]);
	}
	CHECK(diag_has(r, f->api[0], "no answer in time") || diag_has(r, f->api[0], "imed out"),
	      "%s: the hung engine timed out", how);
}

static void check_cri(const struct lxkns_result *r, const struct fakes *f, const char *how)
{
	const struct lxkns_container_engine *e = engine_at_api(r, f->api[5]);
	CHECK(e != NULL, "%s: the CRI engine is there", how);
	if (!e)
		return;
	CHECK_STR(lxkns_engine_type(e), "k8s.io/cri-api", "CRI engine type");
	CHECK_STR(lxkns_engine_version(e), "fake-cri 0.0.1 [API v1]", "CRI engine version");
	CHECK_STR(lxkns_engine_id(e), "", "CRI engine ID");
	CHECK_INT(lxkns_engine_pid(e), f->cri, "CRI engine PID");
	CHECK_INT(lxkns_engine_container_count(e), 2,
		  "CRI engine: the ready sandbox and running app");

	const struct lxkns_container *sb = lxkns_result_container_by_pid(r, f->sb_pid);
	const struct lxkns_container *app = lxkns_result_container_by_pid(r, f->app_pid);
	CHECK(sb && lxkns_container_engine(sb) == e, "%s: sandbox container", how);
	CHECK(app && lxkns_container_engine(app) == e, "%s: app container", how);
	CHECK(lxkns_result_container_by_pid(r, f->side_pid) == NULL,
	      "%s: containers of a sandbox that is not ready and exited ones are left out", how);
	if (!sb || !app)
		return;
	CHECK_STR(lxkns_container_id(sb), "sb-1", "sandbox ID");
	CHECK_STR(lxkns_container_name(sb), "web-pod", "sandbox name: the pod's");
	CHECK_STR(lxkns_container_type(sb), "k8s.io/cri-api", "sandbox type");
	CHECK_STR(lxkns_container_flavor(sb), "k8s.io/cri-api", "sandbox flavor");
	CHECK(!lxkns_container_paused(sb), "sandbox not paused (the CRI has no pausing)");
	CHECK_STR(lxkns_container_label(sb, "io.kubernetes.sandbox"), "", "sandbox label");
	CHECK_STR(lxkns_container_label(sb, "io.kubernetes.pod.uid"), "uid-42", "sandbox pod uid");
	CHECK_STR(lxkns_container_label(sb, "tier"), "front \"end\" <&>", "sandbox label, odd");
	CHECK_STR(lxkns_container_id(app), "ct-1", "app ID");
	CHECK_STR(lxkns_container_name(app), "app", "app name");
	CHECK_STR(lxkns_container_label(app, "io.kubernetes.container.name"), "app",
		  "app container name label");
	CHECK_STR(lxkns_container_label(app, "io.kubernetes.pod.name"), "web-pod", "app pod name");
	CHECK_STR(lxkns_container_label(app, "io.kubernetes.pod.namespace"), "shop",
		  "app pod namespace");
	CHECK_STR(lxkns_container_label(app, "annotation.k8s/note"),
		  "tab\there\nnewline \xe2\x9c\x93",
		  "app annotation with a prefix, odd characters intact");
	CHECK_STR(lxkns_container_label(app, "bad"), "\xff", "a label value that is not UTF-8");
	CHECK_STR(lxkns_container_label(app, LXKNS_LABEL_PREFIX), "", "app prefix label");
	CHECK(lxkns_container_group_count(app) == 1 && lxkns_container_group_count(sb) == 1 &&
		      lxkns_container_group_at(app, 0) == lxkns_container_group_at(sb, 0),
	      "%s: sandbox and app share one pod group", how);
	const struct lxkns_container_group *g = lxkns_container_group_at(app, 0);
	if (g) {
		CHECK_STR(lxkns_group_name(g), "shop/web-pod", "pod group name");
		CHECK_STR(lxkns_group_type(g), "io.kubernetes.pod", "pod group type");
		CHECK_STR(lxkns_group_flavor(g), "io.kubernetes.pod", "pod group flavor");
	}
	CHECK(lxkns_container_process(app) &&
		      lxkns_process_pid(lxkns_container_process(app)) == f->app_pid &&
		      lxkns_process_container(lxkns_container_process(app)) == app,
	      "%s: app <-> its process", how);
}

int main(int argc, char **argv)
{
	struct fakes f = { 0 };
	struct lxkns_result *r = NULL;
	int64_t ms;

	if (argc < 2)
		return 2;
	static char path[512];
	snprintf(path, sizeof(path), "%s/fake-engine.py", argv[1]);
	script = path;
	signal(SIGPIPE, SIG_IGN);
	if (access(PYTHON, X_OK) != 0 ||
	    system(PYTHON " -c 'import h2.connection' 2>/dev/null") != 0) {
		printf("1..0 # SKIP %s with the h2 module (python3-h2) is not installed\n", PYTHON);
		return 0;
	}
	/* unix socket paths are short: a short directory */
	snprintf(dir, sizeof(dir), "/tmp/lxkns-ctf.XXXXXX");
	if (!mkdtemp(dir)) {
		dir[0] = 0;
		printf("Bail out! cannot create a temporary directory\n");
		return 1;
	}
	atexit(cleanup);

	f.sb_pid = sleeper();
	f.app_pid = sleeper();
	f.side_pid = sleeper();
	char config[256], sock[6][128];
	snprintf(config, sizeof(config), "%s/cri.json", dir);
	FILE *cf = fopen(config, "w");
	if (!cf || f.sb_pid < 0 || f.app_pid < 0 || f.side_pid < 0) {
		printf("Bail out! cannot set up\n");
		return 1;
	}
	fprintf(cf,
		"{\"pods\": [{\"id\": \"sb-1\", \"name\": \"web-pod\", \"namespace\": \"shop\", "
		"\"uid\": \"uid-42\", \"pid\": %d, \"labels\": {\"tier\": \"front \\\"end\\\" "
		"<&>\"}},"
		" {\"id\": \"sb-2\", \"name\": \"gone\", \"namespace\": \"shop\", \"uid\": \"u2\", "
		"\"pid\": %d, \"ready\": false}],"
		" \"containers\": [{\"id\": \"ct-1\", \"pod\": \"sb-1\", \"name\": \"app\", "
		"\"pid\": %d,"
		" \"labels\": {\"bad\": \"\\udcff\"}, \"annotations\": {\"note\": "
		"\"tab\\there\\nnewline "
		"\\u2713\"}},"
		" {\"id\": \"ct-2\", \"pod\": \"sb-1\", \"name\": \"exited\", \"pid\": %d, "
		"\"state\": 2},"
		" {\"id\": \"ct-3\", \"pod\": \"sb-2\", \"name\": \"orphan\", \"pid\": %d}]}\n",
		(int)f.sb_pid, (int)f.side_pid, (int)f.app_pid, (int)f.side_pid, (int)f.side_pid);
	fclose(cf);

	static const char *const exes[6] = { "dockerd", "dockerd",    "dockerd",
					     "dockerd", "containerd", "crio" };
	static const char *const socks[6] = { "hung.sock",   "garbage.sock",	"badjson.sock",
					      "vanish.sock", "containerd.sock", "crio.sock" };
	pid_t *pids[6] = { &f.hung, &f.garbage, &f.badjson, &f.vanish, &f.grpcjunk, &f.cri };
	for (int i = 0; i < 6; i++) {
		snprintf(sock[i], sizeof(sock[i]), "%s/%s", dir, socks[i]);
		snprintf(f.api[i], sizeof(f.api[i]), "unix://%s", sock[i]);
		*pids[i] = spawn(exes[i], names[i], sock[i], i == 5 ? config : NULL);
		CHECK(*pids[i] > 0, "fake %s engine (%s) started", names[i], exes[i]);
		if (*pids[i] <= 0)
			return tap_done();
	}

	/* one-shot discoveries */
	CHECK(discover(true, NULL, &r, &ms) == 0, "discovery with misbehaving engines completes");
	if (r) {
		check_misbehaving(r, &f, ms, "one-shot");
		check_cri(r, &f, "one-shot");
		char *doc = json_dump(r, true).data, *again = NULL;
		struct lxkns_result *back = NULL;
		char err[512];
		CHECK(doc && strstr(doc, "\"tier\":\"front \\\"end\\\" \\u003c\\u0026\\u003e\""),
		      "JSON: the odd label escaped as Go does");
		CHECK(doc && strstr(doc, "\"bad\":\"\\ufffd\""),
		      "JSON: invalid UTF-8 becomes \\ufffd, as in Go");
		CHECK(doc && strstr(doc, "\"annotation.k8s/note\":\"tab\\there\\nnewline "
					 "\xe2\x9c\x93\""),
		      "JSON: tab, newline and non-ASCII in a label");
		CHECK(doc && lxkns_result_read_json(doc, strlen(doc), &back, err, sizeof(err)) == 0,
		      "JSON: reads back: %s", err[0] ? err : "ok");
		again = back ? json_dump(back, true).data : NULL;
		/* the one label that is not UTF-8 reads back as U+FFFD, which is
		 * then written as itself (as Go does); all else is the same */
		char *p = doc ? strstr(doc, "\\ufffd") : NULL;
		if (p)
			memcpy(p,
			       "\xef\xbf\xbd"
			       "   ",
			       6);
		if (p)
			memmove(p + 3, p + 6, strlen(p + 6) + 1);
		CHECK(doc && again && strcmp(doc, again) == 0,
		      "JSON: round trip byte for byte (but for U+FFFD)");
		free(doc);
		free(again);
		lxkns_result_unref(back);
		lxkns_result_unref(r);
		r = NULL;
	}

	CHECK(discover(false, NULL, &r, &ms) == 0, "discovery without containers");
	if (r) {
		CHECK(lxkns_result_engine_count(r) == 0 && lxkns_result_container_count(r) == 0,
		      "without containers: no engines, no containers");
		CHECK(!diag_has(r, "container engine", NULL),
		      "without containers: no engine contacted");
		CHECK(ms < TIMEOUT_MS,
		      "without containers: no waiting on the hung engine (%lld ms)", (long long)ms);
		lxkns_result_unref(r);
		r = NULL;
	}

	/* the watcher */
	struct lxkns_container_watcher *w = NULL;
	CHECK(lxkns_container_watcher_new(&w) == 0, "watcher created");
	for (int round = 0; w && round < 2; round++) {
		const char *how = round ? "watcher, synced" : "watcher, first";
		CHECK(discover(true, w, &r, &ms) == 0, "%s: discovery completes", how);
		if (!r)
			continue;
		check_misbehaving(r, &f, ms, how);
		check_cri(r, &f, how);
		if (round)
			CHECK(ms < TIMEOUT_MS,
			      "%s: a hung engine is waited for once only (%lld ms)", how,
			      (long long)ms);
		lxkns_result_unref(r);
		r = NULL;
	}
	lxkns_container_watcher_free(w);
	return tap_done();
}
