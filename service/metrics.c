/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef LXKNS_SERVICE_CONTAINERS
#include <lxkns/containers.h>
#endif

#include "config.h"
#include "log.h"
#include "metrics.h"

static const char *const handler_names[_MH_MAX] = {
	[MH_NAMESPACES] = "namespaces",
	[MH_PROCESSES] = "processes",
	[MH_PIDMAP] = "pidmap",
	[MH_HEALTHZ] = "healthz",
	[MH_METRICS] = "metrics",
	[MH_OPENAPI] = "openapi",
	[MH_UI] = "ui",
	[MH_OTHER] = "other",
};

/* Status codes the service answers with; anything else counts as "other". */
static const unsigned codes[] = { 200, 304, 400, 404, 405, 413, 414, 431, 500, 503 };
#define N_CODES (sizeof(codes) / sizeof(codes[0]))

/* Upper bounds in seconds: a fixture discovery takes well below a
 * millisecond, a big host a second or more. */
static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
				  0.25,	 0.5,	 1,	2.5,  5,     10 };
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

static atomic_uint_fast64_t requests[_MH_MAX][N_CODES + 1];
static atomic_uint_fast64_t disc_count, disc_failed, disc_bucket[N_BUCKETS];
static atomic_uint_fast64_t disc_sum_us, coalesced, cache_hits, rejected_busy;
static atomic_uint_fast64_t reaped_headers, reaped_requests, reaped_first_byte;
static atomic_uint_fast64_t evicted_address, evicted_limit;
static atomic_int flights;

void discovery_stats_from(struct discovery_stats *st, const struct lxkns_result *r)
{
	const struct lxkns_discover_opts *o = lxkns_result_options(r);

	*st = (struct discovery_stats){ 0 };
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		st->namespaces[t] = lxkns_result_namespace_count(r, t);
	st->processes = lxkns_result_process_count(r);
	st->threads_scanned = o && o->from_tasks;
	if (lxkns_result_partial_view(r, st->partial, sizeof(st->partial)) < 0)
		st->partial[0] = 0;
	for (size_t i = 0; st->threads_scanned && i < st->processes; i++)
		st->threads += lxkns_process_task_count(lxkns_result_process_at(r, i));
	st->diagnostics = lxkns_result_diagnostic_count(r);
	for (size_t i = 0; i < st->diagnostics; i++) {
		const struct lxkns_diagnostic *dg = lxkns_result_diagnostic_at(r, i);
		if (!dg || (dg->err != EPERM && dg->err != EACCES))
			continue;
		const char *what = dg->what ? dg->what : "";
		size_t j = 0;
		while (j < st->limited_kinds &&
		       (st->limited[j].err != dg->err || strcmp(st->limited[j].what, what) != 0))
			j++;
		if (j == st->limited_kinds) {
			if (j == sizeof(st->limited) / sizeof(st->limited[0]))
				continue;
			snprintf(st->limited[j].what, sizeof(st->limited[j].what), "%s", what);
			snprintf(st->limited[j].message, sizeof(st->limited[j].message), "%s",
				 dg->message ? dg->message : "");
			st->limited[j].err = dg->err;
			st->limited_kinds++;
		}
		st->limited[j].count++;
	}
#ifdef LXKNS_SERVICE_CONTAINERS
	/* Every engine type seen counts, also with no containers. */
	for (size_t i = 0; i < lxkns_result_engine_count(r); i++) {
		const struct lxkns_container_engine *e = lxkns_result_engine_at(r, i);
		const char *type = lxkns_engine_type(e);
		size_t j = 0;
		while (j < st->engine_types && strcmp(st->engines[j].type, type) != 0)
			j++;
		if (j == st->engine_types) {
			if (j == sizeof(st->engines) / sizeof(st->engines[0]))
				continue;
			snprintf(st->engines[j].type, sizeof(st->engines[j].type), "%s", type);
			st->engine_types++;
		}
		st->engines[j].containers += lxkns_engine_container_count(e);
	}
#endif
}

static pthread_mutex_t logged_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char what[32];
	int err;
} logged[32];
static size_t logged_count;

void metrics_log_limited(const struct discovery_stats *st)
{
	pthread_mutex_lock(&logged_lock);
	for (size_t i = 0; i < st->limited_kinds; i++) {
		size_t j = 0;
		while (j < logged_count && (logged[j].err != st->limited[i].err ||
					    strcmp(logged[j].what, st->limited[i].what) != 0))
			j++;
		if (j < logged_count)
			continue;
		slog_warn("discovery is limited (%s, %s): %s%s", st->limited[i].what,
			  st->limited[i].err == EPERM ? "EPERM" : "EACCES", st->limited[i].message,
			  st->limited[i].count > 1 ? " (and more like it)" : "");
		if (logged_count < sizeof(logged) / sizeof(logged[0])) {
			memcpy(logged[logged_count].what, st->limited[i].what,
			       sizeof(logged[0].what));
			logged[logged_count].err = st->limited[i].err;
			logged_count++;
		}
	}
	pthread_mutex_unlock(&logged_lock);
}

/* A label value: backslash, quote and newline escaped. */
static void label_value(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_printf(out, "\\%c", *s);
		else if (*s == '\n')
			buf_printf(out, "\\n");
		else
			buf_printf(out, "%c", *s);
	}
}

void metrics_request(enum metrics_handler h, unsigned status)
{
	size_t i = 0;

	while (i < N_CODES && codes[i] != status)
		i++;
	atomic_fetch_add(&requests[h < _MH_MAX ? h : MH_OTHER][i], 1);
}

void metrics_discovery(double seconds, bool failed)
{
	atomic_fetch_add(&disc_count, 1);
	if (failed)
		atomic_fetch_add(&disc_failed, 1);
	atomic_fetch_add(&disc_sum_us, (uint_fast64_t)(seconds * 1e6 + 0.5));
	for (size_t i = 0; i < N_BUCKETS; i++)
		if (seconds <= buckets[i])
			atomic_fetch_add(&disc_bucket[i], 1);
}

void metrics_coalesced(void)
{
	atomic_fetch_add(&coalesced, 1);
}

void metrics_cache_hit(void)
{
	atomic_fetch_add(&cache_hits, 1);
}

void metrics_rejected_busy(void)
{
	atomic_fetch_add(&rejected_busy, 1);
}

void metrics_reaped(bool headers)
{
	atomic_fetch_add(headers ? &reaped_headers : &reaped_requests, 1);
}

void metrics_reaped_first_byte(void)
{
	atomic_fetch_add(&reaped_first_byte, 1);
}

void metrics_evicted(bool per_address)
{
	atomic_fetch_add(per_address ? &evicted_address : &evicted_limit, 1);
}

void metrics_flights(int delta)
{
	atomic_fetch_add(&flights, delta);
}

static void family(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Process figures from /proc/self (the real one, whatever --procfs says). */
static void process_metrics(struct buf *out)
{
	long page = sysconf(_SC_PAGESIZE), ticks = sysconf(_SC_CLK_TCK);
	unsigned long long size = 0, resident = 0, utime = 0, stime = 0, start = 0;
	char line[1024];
	FILE *f;

	f = fopen("/proc/self/statm", "re");
	if (f) {
		if (fscanf(f, "%llu %llu", &size, &resident) != 2)
			size = resident = 0;
		fclose(f);
	}
	family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
	buf_printf(out, "process_resident_memory_bytes %llu\n",
		   resident * (unsigned long long)page);
	family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
	buf_printf(out, "process_virtual_memory_bytes %llu\n", size * (unsigned long long)page);

	f = fopen("/proc/self/stat", "re");
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			/* Fields after the comm: state is field 3, utime 14, stime 15,
			 * starttime 22. */
			char *p = strrchr(line, ')');
			if (p && sscanf(p + 2,
					"%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
					"%*d %*d %*d %*d %*d %*d %llu",
					&utime, &stime, &start) != 3)
				utime = stime = start = 0;
		}
		fclose(f);
	}
	family(out, "process_cpu_seconds_total", "counter",
	       "User and system CPU time spent in seconds.");
	buf_printf(out, "process_cpu_seconds_total %.2f\n",
		   (double)(utime + stime) / (double)ticks);

	f = fopen("/proc/stat", "re");
	if (f) {
		unsigned long long btime = 0;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "btime %llu", &btime) == 1)
				break;
		fclose(f);
		if (btime) {
			family(out, "process_start_time_seconds", "gauge",
			       "Start time of the process since unix epoch in seconds.");
			buf_printf(out, "process_start_time_seconds %.2f\n",
				   (double)btime + (double)start / (double)ticks);
		}
	}

	DIR *d = opendir("/proc/self/fd");
	if (d) {
		unsigned n = 0;
		for (struct dirent *e; (e = readdir(d));)
			if (e->d_name[0] != '.')
				n++;
		closedir(d);
		family(out, "process_open_fds", "gauge", "Number of open file descriptors.");
		buf_printf(out, "process_open_fds %u\n", n ? n - 1 : 0); /* not the DIR's own */
	}
}

int metrics_render(struct buf *out, const struct discovery_stats *st, unsigned connections)
{
	uint64_t cum;

	family(out, "lxkns_build_info", "gauge", "Version of the lxkns service.");
	buf_printf(out, "lxkns_build_info{version=\"%s\"} 1\n", LXKNS_VERSION);

	if (st) {
		family(out, "lxkns_namespaces", "gauge",
		       "Namespaces found by the latest full discovery, by type.");
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
			buf_printf(out, "lxkns_namespaces{type=\"%s\"} %llu\n",
				   lxkns_ns_type_name(t), (unsigned long long)st->namespaces[t]);
		family(out, "lxkns_processes", "gauge",
		       "Processes found by the latest full discovery.");
		buf_printf(out, "lxkns_processes %llu\n", (unsigned long long)st->processes);
		if (st->threads_scanned) {
			family(out, "lxkns_threads", "gauge",
			       "Threads (tasks) found by the latest full discovery.");
			buf_printf(out, "lxkns_threads %llu\n", (unsigned long long)st->threads);
		}
		family(out, "lxkns_containers", "gauge",
		       "Containers found by the latest full discovery, by engine type.");
		for (size_t i = 0; i < st->engine_types; i++)
			buf_printf(out, "lxkns_containers{engine=\"%s\"} %llu\n",
				   st->engines[i].type,
				   (unsigned long long)st->engines[i].containers);
		family(out, "lxkns_discovery_diagnostics", "gauge",
		       "What the latest full discovery could not see (vanished processes, EACCES, "
		       "...).");
		buf_printf(out, "lxkns_discovery_diagnostics %llu\n",
			   (unsigned long long)st->diagnostics);
		family(out, "lxkns_discovery_limited", "gauge",
		       "Diagnostics of the latest full discovery that lack of privileges caused "
		       "(EPERM, EACCES), by source: what the discovery could not use.");
		for (size_t i = 0; i < st->limited_kinds; i++) {
			buf_printf(out, "lxkns_discovery_limited{source=\"");
			label_value(out, st->limited[i].what);
			buf_printf(out, "\",reason=\"%s\"} %llu\n",
				   st->limited[i].err == EPERM ? "EPERM" : "EACCES",
				   (unsigned long long)st->limited[i].count);
		}
	}

	family(out, "lxkns_discovery_duration_seconds", "histogram",
	       "Duration of discoveries (all endpoints and options), JSON rendering included.");
	for (size_t i = 0; i < N_BUCKETS; i++) {
		cum = atomic_load(&disc_bucket[i]);
		buf_printf(out, "lxkns_discovery_duration_seconds_bucket{le=\"%g\"} %llu\n",
			   buckets[i], (unsigned long long)cum);
	}
	cum = atomic_load(&disc_count);
	buf_printf(out, "lxkns_discovery_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
		   (unsigned long long)cum);
	buf_printf(out, "lxkns_discovery_duration_seconds_sum %.6f\n",
		   (double)atomic_load(&disc_sum_us) / 1e6);
	buf_printf(out, "lxkns_discovery_duration_seconds_count %llu\n", (unsigned long long)cum);
	family(out, "lxkns_discoveries_failed_total", "counter",
	       "Discoveries that could not run at all.");
	buf_printf(out, "lxkns_discoveries_failed_total %llu\n",
		   (unsigned long long)atomic_load(&disc_failed));
	family(out, "lxkns_discoveries_in_flight", "gauge",
	       "Discoveries running or queued right now.");
	buf_printf(out, "lxkns_discoveries_in_flight %d\n", atomic_load(&flights));
	family(out, "lxkns_requests_coalesced_total", "counter",
	       "Requests answered by a discovery another request had already started.");
	buf_printf(out, "lxkns_requests_coalesced_total %llu\n",
		   (unsigned long long)atomic_load(&coalesced));
	family(out, "lxkns_cache_hits_total", "counter",
	       "Requests answered from the discovery cache.");
	buf_printf(out, "lxkns_cache_hits_total %llu\n",
		   (unsigned long long)atomic_load(&cache_hits));
	family(out, "lxkns_requests_rejected_busy_total", "counter",
	       "Requests answered 503 because too many different discoveries were queued.");
	buf_printf(out, "lxkns_requests_rejected_busy_total %llu\n",
		   (unsigned long long)atomic_load(&rejected_busy));

	family(out, "lxkns_http_requests_total", "counter",
	       "HTTP requests answered, by handler and status code.");
	for (int h = 0; h < _MH_MAX; h++)
		for (size_t i = 0; i <= N_CODES; i++) {
			uint64_t n = atomic_load(&requests[h][i]);
			if (!n)
				continue;
			if (i < N_CODES)
				buf_printf(out,
					   "lxkns_http_requests_total{handler=\"%s\",code=\"%u\"} "
					   "%llu\n",
					   handler_names[h], codes[i], (unsigned long long)n);
			else
				buf_printf(out,
					   "lxkns_http_requests_total{handler=\"%s\",code="
					   "\"other\"} %llu\n",
					   handler_names[h], (unsigned long long)n);
		}
	family(out, "lxkns_http_connections", "gauge", "Open HTTP connections.");
	buf_printf(out, "lxkns_http_connections %u\n", connections);
	family(out, "lxkns_http_connections_timed_out_total", "counter",
	       "Connections closed by the first-byte, header or request timeout, by phase.");
	buf_printf(out, "lxkns_http_connections_timed_out_total{phase=\"headers\"} %llu\n",
		   (unsigned long long)atomic_load(&reaped_headers));
	buf_printf(out, "lxkns_http_connections_timed_out_total{phase=\"request\"} %llu\n",
		   (unsigned long long)atomic_load(&reaped_requests));
	buf_printf(out, "lxkns_http_connections_timed_out_total{phase=\"first-byte\"} %llu\n",
		   (unsigned long long)atomic_load(&reaped_first_byte));
	family(out, "lxkns_http_connections_evicted_total", "counter",
	       "Idle connections closed to make room for a new one, by the limit reached.");
	buf_printf(out, "lxkns_http_connections_evicted_total{limit=\"address\"} %llu\n",
		   (unsigned long long)atomic_load(&evicted_address));
	buf_printf(out, "lxkns_http_connections_evicted_total{limit=\"connections\"} %llu\n",
		   (unsigned long long)atomic_load(&evicted_limit));

	process_metrics(out);
	return out->oom ? -ENOMEM : 0;
}
