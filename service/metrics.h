/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metrics.h: what GET /metrics reports in the Prometheus text format:
 * requests by handler and status, discoveries (count, failures, duration
 * histogram, coalesced requests, cache hits), connections reaped by the
 * timeouts, the figures of the latest full discovery (namespaces by type,
 * processes, threads, containers by engine, diagnostics) and the process
 * itself (memory, CPU, fds).
 */
#ifndef LXKNS_SERVICE_METRICS_H
#define LXKNS_SERVICE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lxkns/lxkns.h>

#include "buf.h"

enum metrics_handler {
	MH_NAMESPACES,
	MH_PROCESSES,
	MH_PIDMAP,
	MH_HEALTHZ,
	MH_METRICS,
	MH_OPENAPI,
	MH_UI,
	MH_OTHER,
	_MH_MAX,
};

/* What one discovery found, kept after the result itself is gone. */
struct discovery_stats {
	uint64_t namespaces[_LXKNS_NS_TYPE_MAX];
	uint64_t processes;
	uint64_t threads;
	bool threads_scanned;
	uint64_t diagnostics;
	/* Containers by engine type (the first few types). */
	struct {
		char type[32];
		uint64_t containers;
	} engines[8];
	size_t engine_types;
	/* Sources the discovery could not use for lack of privileges: the
	 * diagnostics with EPERM or EACCES, by what they were reading. */
	struct {
		char what[32];
		int err;
		uint64_t count;
		char message[192]; /* the first one's */
	} limited[8];
	size_t limited_kinds;
	/* The partial view in one line (lxkns_result_partial_view), "" for a
	 * complete one: the X-Lxkns-Partial-View header. */
	char partial[256];
};

void discovery_stats_from(struct discovery_stats *st, const struct lxkns_result *r);

/* Logs each privilege-limited source of st (see discovery_stats) once per
 * service lifetime: a warning with the first message and the count. */
void metrics_log_limited(const struct discovery_stats *st);

void metrics_request(enum metrics_handler h, unsigned status);
void metrics_discovery(double seconds, bool failed);
void metrics_coalesced(void);
void metrics_cache_hit(void);
void metrics_rejected_busy(void);
void metrics_reaped(bool headers);
/* a new connection closed: no byte within the first-byte timeout */
void metrics_reaped_first_byte(void);
/* an idle connection closed for a new one (per-address or connection limit) */
void metrics_evicted(bool per_address);
void metrics_flights(int delta);

/* The whole exposition. stats: the latest full discovery, or NULL.
 * connections: currently open. */
int metrics_render(struct buf *out, const struct discovery_stats *stats, unsigned connections);

#endif
