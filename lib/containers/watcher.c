/* SPDX-License-Identifier: Apache-2.0 */
/*
 * watcher.c: keeping engine state in sync for long-running callers (the
 * service), so that a discovery costs a copy of the synced state instead of
 * a round of API queries.
 *
 * Per engine process (identified by PID, start time and kind) two threads:
 *   - the sync thread finds the engine's API socket, lists its containers
 *     (a full sync, into a fresh arena), then waits for work: a full resync
 *     (containerd's events, and after every (re)connect of the event
 *     stream), or the IDs of containers to refresh one by one (engines
 *     whose ops can inspect one: Docker, podman); an engine without an event
 *     stream (CRI-O: runtime.v1 has none here) is re-listed every 2 s;
 *   - the stream thread holds the event stream open (the engine's ops
 *     watch: Docker/podman GET /events, containerd's Events/Subscribe) and
 *     turns events into work; when the stream breaks it reconnects after 1 s.
 * A discovery (ct_watcher_snapshot) matches the engine processes it found
 * against the watched ones, starts watching new ones and waits for their
 * first sync (up to the container timeout; only once per engine, so a hung
 * engine costs the timeout once, not on every discovery), retires the ones
 * whose process is gone, and copies the synced state of the rest under the
 * lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "containers-internal.h"

#define SYNC_TIMEOUT_MS 5000
#define CRI_POLL_MS 2000
#define RETRY_MS 1000
#define COMPACT_AFTER 256 /* incremental updates before a full resync */

struct wengine {
	struct lxkns_container_watcher *w;
	enum ct_kind kind;
	pid_t pid;
	uint64_t starttime;
	char **sockets, **apis;
	size_t nsockets;
	int chosen; /* the socket that answered, -1 until one did */

	pthread_t sync_thread, stream_thread;
	bool sync_started, stream_started;
	struct ct_stopper stopper;

	/* under w->lock */
	bool synced, failed, stop, sync_done, stream_done;
	int err;
	char msg[256];
	struct arena arena; /* the published state */
	struct lxkns_container_engine *eng[2];
	size_t neng;
	bool full;  /* full resync asked for */
	char **ids; /* Docker/podman containers to refresh */
	size_t nids;
	unsigned updates;
	bool seen;
	bool waited; /* a discovery waited for its first sync once: never again */

	struct wengine *next;
};

struct lxkns_container_watcher {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* any state change */
	struct wengine *engines, *graveyard;
};

static void deadline_ts(int64_t ms_from_now, struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms_from_now / 1000;
	ts->tv_nsec += (ms_from_now % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

int lxkns_container_watcher_new(struct lxkns_container_watcher **ret)
{
	pthread_condattr_t ca;
	struct lxkns_container_watcher *w;

	if (!ret)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	*ret = w;
	return 0;
}

/* ---- the sync thread ---- */

/* Publishes a new state (arena and engines) under the lock. */
static void publish(struct wengine *we, struct arena *a, struct lxkns_container_engine **eng,
		    size_t n, int chosen, int err, const char *msg)
{
	struct lxkns_container_watcher *w = we->w;
	pthread_mutex_lock(&w->lock);
	if (n) {
		we->chosen = chosen;
		arena_free(&we->arena);
		we->arena = *a;
		*a = (struct arena){ 0 };
		we->eng[0] = eng[0];
		we->eng[1] = n > 1 ? eng[1] : NULL;
		we->neng = n;
		we->updates = 0;
	}
	we->failed = n == 0;
	we->err = err;
	snprintf(we->msg, sizeof(we->msg), "%s", msg ? msg : "");
	we->synced = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	arena_free(a);
}

static int full_sync(struct wengine *we)
{
	struct arena a = { 0 };
	struct lxkns_container_engine *eng[2] = { 0 };
	size_t n = 0;
	char msg[256];
	int chosen = 0, ret;

	int was = we->chosen; /* only this thread changes it */
	if (was >= 0) {
		ret = ct_probe(we->kind, we->pid, &we->sockets[was], &we->apis[was], 1,
			       ct_now_ms() + SYNC_TIMEOUT_MS, &a, eng, &n, &chosen, msg,
			       sizeof(msg));
		chosen = was;
	} else {
		ret = ct_probe(we->kind, we->pid, we->sockets, we->apis, we->nsockets,
			       ct_now_ms() + SYNC_TIMEOUT_MS, &a, eng, &n, &chosen, msg,
			       sizeof(msg));
	}
	publish(we, &a, eng, n, n ? chosen : was, ret, msg);
	return n ? 0 : ret;
}

/* Refreshes one container (added, changed or gone) of an engine that can
 * inspect one (Docker, podman). */
static void refresh_one(struct wengine *we, const char *id)
{
	struct lxkns_container_watcher *w = we->w;
	struct arena tmp = { 0 };
	struct ct_query q = {
		.sockpath = we->sockets[we->chosen],
		.api = we->apis[we->chosen],
		.engine_pid = we->pid,
		.deadline = ct_now_ms() + SYNC_TIMEOUT_MS,
		.arena = &tmp,
	};
	struct lxkns_container *c = ct_engines[we->kind]->inspect(&q, id);

	pthread_mutex_lock(&w->lock);
	struct lxkns_container_engine *e = we->neng ? we->eng[0] : NULL;
	if (e) {
		size_t k = 0;
		while (k < e->container_count && strcmp(e->containers[k]->id, id) != 0 &&
		       strncmp(e->containers[k]->id, id, strlen(id)) != 0)
			k++;
		struct lxkns_container *copy = c ? ct_container_copy(&we->arena, c) : NULL;
		if (copy) {
			copy->engine = e;
			copy->type = e->type;
			copy->flavor = e->type;
			if (k < e->container_count)
				e->containers[k] = copy;
			else if (ct_engine_add(&we->arena, e, copy) < 0)
				we->full = true;
		} else if (c) {
			we->full = true; /* out of memory: start afresh */
		} else if (k < e->container_count) {
			memmove(&e->containers[k], &e->containers[k + 1],
				(e->container_count - k - 1) * sizeof(*e->containers));
			e->container_count--;
		}
		if (++we->updates > COMPACT_AFTER)
			we->full = true;
	}
	pthread_mutex_unlock(&w->lock);
	arena_free(&tmp);
}

static void *stream_main(void *arg);

static void *sync_main(void *arg)
{
	struct wengine *we = arg;
	struct lxkns_container_watcher *w = we->w;
	bool need_full = true;
	int last = 0;

	for (;;) {
		if (need_full) {
			last = full_sync(we);
			pthread_mutex_lock(&w->lock);
			if (last == 0 && !we->stream_started && !we->stop &&
			    ct_engines[we->kind]->watch) {
				if (pthread_create(&we->stream_thread, NULL, stream_main, we) == 0)
					we->stream_started = true;
			}
			pthread_mutex_unlock(&w->lock);
		}
		/* wait for work */
		pthread_mutex_lock(&w->lock);
		struct timespec ts;
		bool poll = !ct_engines[we->kind]->watch || last < 0 || !we->stream_started;
		deadline_ts(last < 0 ? RETRY_MS : CRI_POLL_MS, &ts);
		while (!we->stop && !we->full && !we->nids) {
			if (!poll) {
				pthread_cond_wait(&w->cond, &w->lock);
			} else if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) == ETIMEDOUT) {
				we->full = true;
				break;
			}
		}
		if (we->stop) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		need_full = we->full;
		we->full = false;
		char **ids = we->ids;
		size_t nids = we->nids;
		we->ids = NULL;
		we->nids = 0;
		pthread_mutex_unlock(&w->lock);
		for (size_t i = 0; i < nids; i++) {
			if (!need_full && we->chosen >= 0)
				refresh_one(we, ids[i]);
			free(ids[i]);
		}
		free(ids);
	}
	pthread_mutex_lock(&w->lock);
	we->sync_done = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* ---- the stream thread ---- */

static void ask_full(struct wengine *we)
{
	pthread_mutex_lock(&we->w->lock);
	we->full = true;
	pthread_cond_broadcast(&we->w->cond);
	pthread_mutex_unlock(&we->w->lock);
}

static void ask_refresh(struct wengine *we, const char *id)
{
	struct lxkns_container_watcher *w = we->w;
	pthread_mutex_lock(&w->lock);
	bool known = false;
	for (size_t i = 0; i < we->nids && !known; i++)
		known = strcmp(we->ids[i], id) == 0;
	if (!known) {
		char **n = realloc(we->ids, (we->nids + 1) * sizeof(*n));
		char *dup = strdup(id);
		if (n)
			we->ids = n;
		if (n && dup)
			we->ids[we->nids++] = dup;
		else {
			free(dup);
			we->full = true;
		}
	}
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void on_resync(void *userdata)
{
	ask_full(userdata);
}

static void on_refresh(void *userdata, const char *id)
{
	struct wengine *we = userdata;
	if (ct_engines[we->kind]->inspect)
		ask_refresh(we, id);
	else
		ask_full(we); /* it cannot refresh one container */
}

static void *stream_main(void *arg)
{
	struct wengine *we = arg;
	struct lxkns_container_watcher *w = we->w;
	const struct ct_event_sink sink = { we, on_resync, on_refresh };
	char err[256];

	for (;;) {
		pthread_mutex_lock(&w->lock);
		bool stop = we->stop;
		pthread_mutex_unlock(&w->lock);
		if (stop)
			break;
		ct_engines[we->kind]->watch(we->sockets[we->chosen], ct_now_ms() + SYNC_TIMEOUT_MS,
					    &sink, &we->stopper, err, sizeof(err));
		/* broken (or stopped): resync once it is back */
		pthread_mutex_lock(&w->lock);
		struct timespec ts;
		deadline_ts(RETRY_MS, &ts);
		while (!we->stop && pthread_cond_timedwait(&w->cond, &w->lock, &ts) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&w->lock);
	}
	pthread_mutex_lock(&w->lock);
	we->stream_done = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* ---- engines ---- */

static void wengine_free(struct wengine *we)
{
	for (size_t i = 0; i < we->nsockets; i++) {
		free(we->sockets[i]);
		free(we->apis[i]);
	}
	free(we->sockets);
	free(we->apis);
	for (size_t i = 0; i < we->nids; i++)
		free(we->ids[i]);
	free(we->ids);
	arena_free(&we->arena);
	ct_stopper_destroy(&we->stopper);
	free(we);
}

/* Under the lock: asks the threads to end (they are joined later). */
static void wengine_stop(struct wengine *we)
{
	we->stop = true;
	ct_stopper_stop(&we->stopper);
	pthread_cond_broadcast(&we->w->cond);
}

static struct wengine *wengine_new(struct lxkns_container_watcher *w, const struct ct_candidate *c)
{
	struct wengine *we = calloc(1, sizeof(*we));
	if (!we)
		return NULL;
	we->w = w;
	we->kind = c->kind;
	we->pid = c->proc->pid;
	we->starttime = c->proc->c.starttime;
	we->chosen = -1;
	ct_stopper_init(&we->stopper);
	we->sockets = calloc(c->socket_count ? c->socket_count : 1, sizeof(char *));
	we->apis = calloc(c->socket_count ? c->socket_count : 1, sizeof(char *));
	if (!we->sockets || !we->apis) {
		wengine_free(we);
		return NULL;
	}
	for (size_t i = 0; i < c->socket_count; i++) {
		we->sockets[i] = strdup(c->sockets[i]);
		we->apis[i] = strdup(c->apis[i]);
		we->nsockets++;
		if (!we->sockets[i] || !we->apis[i]) {
			wengine_free(we);
			return NULL;
		}
	}
	return we;
}

/* Under the lock: joins and frees retired engines whose threads ended. */
static void reap(struct lxkns_container_watcher *w, bool all)
{
	struct wengine **pp = &w->graveyard;
	while (*pp) {
		struct wengine *we = *pp;
		bool done = (!we->sync_started || we->sync_done) &&
			    (!we->stream_started || we->stream_done);
		if (!done && !all) {
			pp = &we->next;
			continue;
		}
		*pp = we->next;
		pthread_mutex_unlock(&w->lock);
		if (we->sync_started)
			pthread_join(we->sync_thread, NULL);
		if (we->stream_started)
			pthread_join(we->stream_thread, NULL);
		pthread_mutex_lock(&w->lock);
		wengine_free(we);
	}
}

void lxkns_container_watcher_free(struct lxkns_container_watcher *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	while (w->engines) {
		struct wengine *we = w->engines;
		w->engines = we->next;
		wengine_stop(we);
		we->next = w->graveyard;
		w->graveyard = we;
	}
	reap(w, true);
	pthread_mutex_unlock(&w->lock);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

bool ct_watcher_knows(void *watcher, const struct lxkns_process *p, enum ct_kind kind)
{
	struct lxkns_container_watcher *w = watcher;
	bool known = false;
	pthread_mutex_lock(&w->lock);
	for (struct wengine *we = w->engines; we && !known; we = we->next)
		known = we->pid == p->pid && we->kind == kind && we->starttime == p->c.starttime;
	pthread_mutex_unlock(&w->lock);
	return known;
}

/* ct_watcher_snapshot(), step 1 (under the lock): marks the watched engines
 * that are among the candidates seen, and starts watching new ones. */
static int adopt(struct lxkns_container_watcher *w, const struct ct_candidates *cands)
{
	for (struct wengine *we = w->engines; we; we = we->next)
		we->seen = false;
	for (size_t i = 0; i < cands->count; i++) {
		const struct ct_candidate *c = &cands->items[i];
		struct wengine *we = w->engines;
		while (we && !(we->pid == c->proc->pid && we->kind == c->kind &&
			       we->starttime == c->proc->c.starttime))
			we = we->next;
		if (!we && !c->socket_count)
			continue; /* known a moment ago, retired meanwhile: next time */
		if (!we) {
			we = wengine_new(w, c);
			if (!we)
				return -ENOMEM;
			if (pthread_create(&we->sync_thread, NULL, sync_main, we) != 0) {
				wengine_free(we);
				return -EAGAIN;
			}
			we->sync_started = true;
			we->next = w->engines;
			w->engines = we;
		}
		we->seen = true;
	}
	return 0;
}

/* Step 2: retires the engines whose process is gone. */
static void retire_unseen(struct lxkns_container_watcher *w)
{
	for (struct wengine **pp = &w->engines; *pp;) {
		struct wengine *we = *pp;
		if (we->seen) {
			pp = &we->next;
			continue;
		}
		*pp = we->next;
		wengine_stop(we);
		we->next = w->graveyard;
		w->graveyard = we;
	}
}

/* Step 3: waits for the first sync of new engines, until the deadline. */
static void wait_first_sync(struct lxkns_container_watcher *w, const struct timespec *until)
{
	for (;;) {
		bool waiting = false;
		for (struct wengine *we = w->engines; we && !waiting; we = we->next)
			waiting = we->seen && !we->synced && !we->waited;
		if (!waiting || pthread_cond_timedwait(&w->cond, &w->lock, until) == ETIMEDOUT)
			break;
	}
}

/* Step 4, per engine: the diagnostics of an engine that did not answer (in
 * time); true when it has a synced state to copy. */
static bool report_engine(struct lxkns_result *r, const struct wengine *we)
{
	const char *name = ct_engines[we->kind]->name;
	const char *api = we->nsockets ? we->apis[we->chosen >= 0 ? we->chosen : 0] : "";

	if (!we->synced) {
		result_diag(r, we->pid, ETIMEDOUT, "containers",
			    "container engine %s (PID %d) at %s skipped: no answer in time", name,
			    (int)we->pid, api);
		return false;
	}
	if (we->failed || we->err)
		result_diag(r, we->pid, we->err, "containers",
			    "container engine %s (PID %d) at %s skipped: %s", name, (int)we->pid,
			    api, we->msg[0] ? we->msg : strerror(-we->err));
	return !we->failed;
}

/* Step 4: copies the synced state of the engines seen into a (the engine
 * list is malloc'ed). */
static int copy_synced(struct lxkns_container_watcher *w, struct lxkns_result *r, struct arena *a,
		       struct lxkns_container_engine ***ret, size_t *ret_count)
{
	struct lxkns_container_engine **out = NULL;
	size_t n = 0, cap = 0;

	for (struct wengine *we = w->engines; we; we = we->next) {
		if (!we->seen)
			continue;
		we->waited = true;
		if (!report_engine(r, we))
			continue;
		for (size_t k = 0; k < we->neng; k++) {
			struct lxkns_container_engine *e = ct_engine_copy(a, we->eng[k]);
			if (!e)
				goto oom;
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				struct lxkns_container_engine **nn = realloc(out,
									     ncap * sizeof(*nn));
				if (!nn)
					goto oom;
				out = nn;
				cap = ncap;
			}
			out[n++] = e;
		}
	}
	*ret = out;
	*ret_count = n;
	return 0;
oom:
	free(out);
	return -ENOMEM;
}

int ct_watcher_snapshot(struct lxkns_container_watcher *w, struct lxkns_result *r,
			const struct ct_candidates *cands, unsigned timeout_ms, struct arena *a,
			struct lxkns_container_engine ***ret, size_t *ret_count)
{
	struct timespec until;
	int err;

	*ret = NULL;
	*ret_count = 0;
	deadline_ts(timeout_ms, &until);
	pthread_mutex_lock(&w->lock);
	reap(w, false);
	err = adopt(w, cands);
	if (err == 0) {
		retire_unseen(w);
		wait_first_sync(w, &until);
		err = copy_synced(w, r, a, ret, ret_count);
	}
	pthread_mutex_unlock(&w->lock);
	return err;
}
