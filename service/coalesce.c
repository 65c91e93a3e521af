/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "coalesce.h"
#include "log.h"

/* Cached discoveries kept at most (least recently finished ones go). */
#define CACHE_SLOTS 4

struct flight {
	struct flight *next;
	uint64_t key;
	enum doc_kind kind;
	struct lxkns_discover_opts opts;
	bool running, want_body;
	bool done; /* waking its waiters: no longer joinable */
	struct waiter *waiters;
};

struct coalescer {
	struct coalescer_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t work;	/* a flight was queued, or stop */
	pthread_cond_t idle;	/* a flight finished */
	struct flight *flights; /* queued and running, oldest first */
	unsigned nflights;
	struct snapshot *cache[CACHE_SLOTS];
	uint64_t next_id;
	bool closing, stop;
	pthread_t *workers;
	unsigned nworkers;
};

bool doc_have_containers(void)
{
#ifdef LXKNS_SERVICE_CONTAINERS
	return true;
#else
	return false;
#endif
}

/* The options that have no switch in every library version. */
static void set_containers(struct lxkns_discover_opts *o, bool on)
{
#ifdef LXKNS_SERVICE_CONTAINERS
	o->with_containers = on;
#else
	(void)o;
	(void)on;
#endif
}

void doc_default_opts(enum doc_kind kind, struct lxkns_discover_opts *o)
{
	lxkns_discover_opts_init(o);
	switch (kind) {
	case DOC_NAMESPACES:
		/* Go: a full discovery with the PID map, affinity of leaders and
		 * of tasks. */
		o->with_task_affinity = true;
		break;
	case DOC_PROCESSES:
		/* Go: FromProcs + FromTasks + WithAffinityAndScheduling. */
		*o = (struct lxkns_discover_opts){
			.size = sizeof(*o),
			.type_mask = LXKNS_NS_TYPE_ALL,
			.from_procs = true,
			.from_tasks = true,
			.with_affinity = true,
		};
		set_containers(o, false);
		break;
	case DOC_PIDMAP:
		/* Go: the standard discovery + FromTasks, PID namespaces only. */
		o->type_mask = LXKNS_NS_TYPE_BIT(LXKNS_NS_PID);
		o->with_user_names = false;
		o->with_mounts = false;
		o->with_affinity = false;
		o->with_task_affinity = false;
		set_containers(o, false);
		break;
	default:
		break;
	}
}

/*
 * Everything that tells two discoveries apart, in one number: one bit per
 * namespace type (bits 0 .. _LXKNS_NS_TYPE_MAX - 1), the document kind
 * above them, and one bit per switch of the option table above that.
 */
#define KEY_KIND_SHIFT _LXKNS_NS_TYPE_MAX
#define KEY_KIND_BITS 4
#define KEY_OPTION_SHIFT (KEY_KIND_SHIFT + KEY_KIND_BITS)
_Static_assert(_DOC_KIND_MAX <= 1 << KEY_KIND_BITS, "document kinds overflow their key bits");
_Static_assert(KEY_OPTION_SHIFT + LXKNS_DISCOVER_OPTION_MAX <= 64,
	       "namespace types, document kind and options do not fit the cache key");

static uint64_t doc_key(enum doc_kind kind, const struct lxkns_discover_opts *o)
{
	const struct lxkns_discover_option *opt;
	unsigned mask = o->type_mask ? o->type_mask & LXKNS_NS_TYPE_ALL : LXKNS_NS_TYPE_ALL;
	uint64_t key = (uint64_t)mask | (uint64_t)kind << KEY_KIND_SHIFT;

	for (size_t i = 0; (opt = lxkns_discover_option_at(i)); i++)
		if (lxkns_discover_option_get(opt, o))
			key |= 1ull << (KEY_OPTION_SHIFT + i);
	return key;
}

struct snapshot *snapshot_ref(struct snapshot *s)
{
	if (s)
		atomic_fetch_add(&s->refs, 1);
	return s;
}

void snapshot_unref(struct snapshot *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		free(s->body);
		free(s);
	}
}

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

double snapshot_age(const struct snapshot *s)
{
	return since(&s->finished);
}

/* Runs one discovery and renders its document (outside the lock). */
static struct snapshot *run_flight(struct coalescer *c, const struct flight *f, uint64_t id)
{
	struct lxkns_discover_opts opts = f->opts;
	struct lxkns_json_style style = LXKNS_JSON_STYLE_DEFAULT;
	struct lxkns_result *result = NULL;
	struct snapshot *s = calloc(1, sizeof(*s));
	struct timespec start, discovered;
	struct buf body = { 0 };
	int r;

	if (!s)
		return NULL;
	atomic_init(&s->refs, 1);
	s->key = f->key;
	s->id = id;
	if (c->cfg.slow_ms) {
		struct timespec d = { c->cfg.slow_ms / 1000,
				      (long)(c->cfg.slow_ms % 1000) * 1000000L };
		nanosleep(&d, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	opts.procfs_root = c->cfg.procfs_root;
#ifdef LXKNS_SERVICE_CONTAINERS
	if (c->cfg.no_containers)
		opts.with_containers = false;
	opts.container_watcher = opts.with_containers ? c->cfg.container_watcher : NULL;
#endif
	if (c->cfg.input) {
		result = lxkns_result_ref(c->cfg.input);
		r = 0;
	} else {
		r = lxkns_discover(&opts, &result);
	}
	clock_gettime(CLOCK_MONOTONIC, &discovered);
	s->discovery_s = since(&start);
	if (r < 0) {
		s->err = r;
		slog_error("discovery failed: %s", strerror(-r));
	} else {
		discovery_stats_from(&s->stats, result);
		metrics_log_limited(&s->stats);
		if (f->want_body) {
			style.compact = true;
			switch (f->kind) {
			case DOC_PROCESSES:
				r = lxkns_result_write_processes_json(result, &style, buf_sink,
								      &body);
				break;
			case DOC_PIDMAP:
				r = lxkns_result_write_pidmap_json(result, &style, buf_sink, &body);
				break;
			default:
				r = lxkns_result_write_json(result, &style, buf_sink, &body);
			}
			s->body = r < 0 ? NULL : buf_steal(&body, &s->len);
			if (!s->body)
				s->err = r < 0 ? r : -ENOMEM;
			buf_free(&body);
		}
		lxkns_result_unref(result);
	}
	clock_gettime(CLOCK_MONOTONIC, &s->finished);
	s->render_s = (double)(s->finished.tv_sec - discovered.tv_sec) +
		      (double)(s->finished.tv_nsec - discovered.tv_nsec) / 1e9;
	metrics_discovery(s->discovery_s + s->render_s, s->err != 0);
	slog_debug("discovery %llu: %.1f ms, rendering %.1f ms, %zu bytes%s",
		   (unsigned long long)id, s->discovery_s * 1e3, s->render_s * 1e3, s->len,
		   s->err ? " (failed)" : "");
	return s;
}

static void cache_put(struct coalescer *c, struct snapshot *s)
{
	size_t slot = CACHE_SLOTS;

	/* The slot of the same key, else an empty one, else the oldest. */
	for (size_t i = 0; slot == CACHE_SLOTS && i < CACHE_SLOTS; i++)
		if (c->cache[i] && c->cache[i]->key == s->key)
			slot = i;
	for (size_t i = 0; slot == CACHE_SLOTS && i < CACHE_SLOTS; i++)
		if (!c->cache[i])
			slot = i;
	if (slot == CACHE_SLOTS) {
		slot = 0;
		for (size_t i = 1; i < CACHE_SLOTS; i++)
			if (c->cache[i]->id < c->cache[slot]->id)
				slot = i;
	}
	snapshot_unref(c->cache[slot]);
	c->cache[slot] = snapshot_ref(s);
}

static void *worker_main(void *arg)
{
	struct coalescer *c = arg;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		struct flight *f, **pf;
		struct waiter *w, *next;
		struct snapshot *s;
		uint64_t id;

		for (f = c->flights; f && f->running; f = f->next)
			;
		if (!f) {
			if (c->stop)
				break;
			pthread_cond_wait(&c->work, &c->lock);
			continue;
		}
		f->running = true;
		id = ++c->next_id;
		pthread_mutex_unlock(&c->lock);

		s = run_flight(c, f, id);

		pthread_mutex_lock(&c->lock);
		f->done = true;
		if (s && !s->err && c->cfg.cache_ttl_ms)
			cache_put(c, s);
		w = f->waiters;
		f->waiters = NULL;
		for (struct waiter *i = w; i; i = i->next)
			i->snap = snapshot_ref(s);
		pthread_mutex_unlock(&c->lock);

		/* Wake outside the lock; a woken waiter is gone at once. The
		 * flight stays listed until all are woken, so a drain does not
		 * return while a wake is still on its way. */
		for (; w; w = next) {
			next = w->next;
			c->cfg.wake(w);
		}
		snapshot_unref(s);

		pthread_mutex_lock(&c->lock);
		for (pf = &c->flights; *pf != f; pf = &(*pf)->next)
			;
		*pf = f->next;
		c->nflights--;
		metrics_flights(-1);
		free(f);
		pthread_cond_broadcast(&c->idle);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int coalescer_new(const struct coalescer_config *cfg, struct coalescer **ret)
{
	struct coalescer *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->cfg = *cfg;
	if (!c->cfg.workers)
		c->cfg.workers = 1;
	if (!c->cfg.max_flights)
		c->cfg.max_flights = 1;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->work, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->idle, &ca);
	pthread_condattr_destroy(&ca);
	c->workers = calloc(c->cfg.workers, sizeof(pthread_t));
	if (!c->workers) {
		coalescer_free(c);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < c->cfg.workers; i++) {
		r = pthread_create(&c->workers[i], NULL, worker_main, c);
		if (r) {
			coalescer_free(c);
			return -r;
		}
		c->nworkers++;
	}
	*ret = c;
	return 0;
}

int coalescer_get(struct coalescer *c, enum doc_kind kind, const struct lxkns_discover_opts *opts,
		  uint64_t max_age_ms, bool want_body, struct waiter *w, struct snapshot **ret_snap)
{
	uint64_t key = doc_key(kind, opts);
	struct flight *f, **tail;

	if (max_age_ms > c->cfg.cache_ttl_ms)
		max_age_ms = c->cfg.cache_ttl_ms;
	pthread_mutex_lock(&c->lock);
	if (c->closing) {
		pthread_mutex_unlock(&c->lock);
		return -ESHUTDOWN;
	}
	for (size_t i = 0; max_age_ms && i < CACHE_SLOTS; i++) {
		struct snapshot *s = c->cache[i];
		if (s && s->key == key && (s->body || !want_body) &&
		    snapshot_age(s) * 1000.0 <= (double)max_age_ms) {
			*ret_snap = snapshot_ref(s);
			pthread_mutex_unlock(&c->lock);
			metrics_cache_hit();
			return COALESCE_HIT;
		}
	}
	/* Join a discovery that is queued, or running and rendering the body
	 * this request needs. */
	for (tail = &c->flights; (f = *tail); tail = &f->next)
		if (f->key == key && !f->done && (f->want_body || !want_body || !f->running))
			break;
	if (f) {
		f->want_body |= want_body;
		w->joined = true;
		metrics_coalesced();
	} else {
		if (c->nflights >= c->cfg.max_flights) {
			pthread_mutex_unlock(&c->lock);
			metrics_rejected_busy();
			return -EAGAIN;
		}
		f = calloc(1, sizeof(*f));
		if (!f) {
			pthread_mutex_unlock(&c->lock);
			return -ENOMEM;
		}
		f->key = key;
		f->kind = kind;
		f->opts = *opts;
		f->want_body = want_body;
		*tail = f;
		c->nflights++;
		metrics_flights(1);
		w->joined = false;
		pthread_cond_signal(&c->work);
	}
	c->cfg.park(w);
	w->snap = NULL;
	w->next = f->waiters;
	f->waiters = w;
	pthread_mutex_unlock(&c->lock);
	return COALESCE_WAIT;
}

void coalescer_close(struct coalescer *c)
{
	pthread_mutex_lock(&c->lock);
	c->closing = true;
	pthread_mutex_unlock(&c->lock);
}

void coalescer_drain(struct coalescer *c)
{
	pthread_mutex_lock(&c->lock);
	while (c->flights)
		pthread_cond_wait(&c->idle, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

void coalescer_free(struct coalescer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->closing = c->stop = true;
	pthread_cond_broadcast(&c->work);
	pthread_mutex_unlock(&c->lock);
	for (unsigned i = 0; i < c->nworkers; i++)
		pthread_join(c->workers[i], NULL);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		snapshot_unref(c->cache[i]);
	free(c->workers);
	pthread_cond_destroy(&c->work);
	pthread_cond_destroy(&c->idle);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
