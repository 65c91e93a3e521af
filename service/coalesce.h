/* SPDX-License-Identifier: Apache-2.0 */
/*
 * coalesce.h: discoveries for requests. A request asks for a document (the
 * namespaces, processes or pidmap document) discovered with some options.
 * Requests that ask for the same while a discovery for it is in flight join
 * that discovery instead of starting their own; with a cache TTL, a finished
 * discovery also answers later requests until it is older than the TTL (or
 * than the request's max-age). A small pool of worker threads runs the
 * discoveries and renders each document once; every waiting request gets a
 * reference to the same rendered body.
 */
#ifndef LXKNS_SERVICE_COALESCE_H
#define LXKNS_SERVICE_COALESCE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <lxkns/lxkns.h>

#include "metrics.h"

enum doc_kind {
	DOC_NAMESPACES, /* GET /api/namespaces: the DiscoveryResult */
	DOC_PROCESSES,	/* GET /api/processes: the ProcessTable */
	DOC_PIDMAP,	/* GET /api/pidmap: the PIDMap */
	_DOC_KIND_MAX,
};

/* Whether this build discovers containers (the library has them). */
bool doc_have_containers(void);

/* The options a document is discovered with by default (those of Go lxkns
 * for the endpoint, as far as the library has them). */
void doc_default_opts(enum doc_kind kind, struct lxkns_discover_opts *opts);

/* A finished discovery: immutable, shared by every request it answers. */
struct snapshot {
	atomic_int refs;
	uint64_t key;
	uint64_t id;		  /* discovery number, 1, 2, ... */
	struct timespec finished; /* CLOCK_MONOTONIC */
	double discovery_s, render_s;
	int err;    /* -errno when the discovery failed */
	char *body; /* the compact JSON document + "\n"; NULL if not wanted */
	size_t len;
	struct discovery_stats stats;
};

struct snapshot *snapshot_ref(struct snapshot *s);
void snapshot_unref(struct snapshot *s);
/* Seconds since the discovery finished. */
double snapshot_age(const struct snapshot *s);

/* A request waiting for a discovery. */
struct waiter {
	struct waiter *next;
	struct snapshot *snap; /* set when the discovery is done */
	bool joined;	       /* joined a discovery another request started */
	void *userdata;
};

struct coalescer_config {
	const char *procfs_root;    /* NULL: /proc */
	struct lxkns_result *input; /* -i FILE: a saved discovery answers every request */
	bool no_containers;	    /* --no-containers: never discover containers */
	void *container_watcher;    /* struct lxkns_container_watcher, or NULL */
	unsigned workers;	    /* discoveries running at the same time */
	unsigned max_flights;	    /* different discoveries queued or running */
	uint64_t cache_ttl_ms;	    /* 0: no cache */
	unsigned slow_ms;	    /* test aid: sleep this long before each discovery */
	/* Called with the coalescer locked, before a waiter is queued: the
	 * request must be ready to be woken from now on (suspended). */
	void (*park)(struct waiter *w);
	/* Called from a worker, unlocked, once w->snap is set; the waiter
	 * belongs to its request again and must not be touched afterwards. */
	void (*wake)(struct waiter *w);
};

struct coalescer;

int coalescer_new(const struct coalescer_config *cfg, struct coalescer **ret);

enum coalesce_outcome {
	COALESCE_HIT,  /* answered from the cache: *ret_snap */
	COALESCE_WAIT, /* parked; wake() follows */
};

/*
 * Asks for a document. max_age_ms: the oldest cached discovery acceptable
 * (UINT64_MAX: the cache TTL decides; 0: no cached one). want_body: the
 * document itself is needed (false for /metrics, which needs only the
 * figures). Returns an outcome, or -EAGAIN (too many different discoveries
 * queued) or -ESHUTDOWN (shutting down).
 */
int coalescer_get(struct coalescer *c, enum doc_kind kind, const struct lxkns_discover_opts *opts,
		  uint64_t max_age_ms, bool want_body, struct waiter *w,
		  struct snapshot **ret_snap);

/* Refuses new discoveries from now on. */
void coalescer_close(struct coalescer *c);
/* Waits until no discovery is queued or running. */
void coalescer_drain(struct coalescer *c);
/* Stops the workers (after drain) and frees everything. */
void coalescer_free(struct coalescer *c);

#endif
