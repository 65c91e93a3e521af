/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containers.c: the container step of a discovery (after the PID map):
 *   1. find engine processes and their API sockets (engines.c);
 *   2. ask every engine, all in parallel, each in its own thread and arena,
 *      each bounded by the container timeout; an engine that does not answer
 *      in time, answers garbage or goes away is skipped with a diagnostic
 *      (with a watcher, take its synced state instead, see watcher.c);
 *   3. add the containers of OCI runtime state directories (runc, crun) that
 *      no engine reported;
 *   4. ct_finish(): translate container PIDs from each engine's PID
 *      namespace into the discovery's, drop duplicates, link containers and
 *      their initial processes, stack engines (an engine inside a container
 *      of another one gets that container's name as prefix), run the
 *      decorators, sort, and hand everything to the result.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "containers-internal.h"

#define DEFAULT_TIMEOUT_MS 3000
#define RUNC_ROOT "/run/runc"
#define CRUN_ROOT "/run/crun"

struct probe {
	const struct ct_candidate *cand;
	struct lxkns_result *r;
	int64_t deadline;
	struct arena arena;
	struct lxkns_container_engine *engines[2];
	size_t engine_count;
	pthread_t thread;
	bool started;
};

int ct_probe(enum ct_kind kind, pid_t pid, char *const *sockets, char *const *apis, size_t n,
	     int64_t deadline, struct arena *a, struct lxkns_container_engine **engines,
	     size_t *ret_count, int *ret_chosen, char *err, size_t errsize)
{
	int first_err = 0;
	size_t count = 0;

	*ret_count = 0;
	err[0] = 0;
	for (size_t i = 0; i < n && !count; i++) {
		struct ct_query q = {
			.sockpath = sockets[i],
			.api = apis[i],
			.engine_pid = pid,
			.deadline = deadline,
			.arena = a,
		};
		int ret = ct_engines[kind]->query(&q);
		for (size_t k = 0; k < q.engine_count; k++)
			engines[count++] = q.engines[k];
		if (count) {
			if (ret < 0) { /* one engine answered, another not */
				snprintf(err, errsize, "%s", q.err);
				first_err = ret;
			}
			*ret_chosen = (int)i;
			break;
		}
		if (!first_err) {
			first_err = ret;
			snprintf(err, errsize, "%s", q.err);
			*ret_chosen = (int)i;
		}
		if (ret == -ETIMEDOUT || ret == -ENOMEM)
			break; /* out of time: no point trying more sockets */
	}
	*ret_count = count;
	return first_err;
}

static void report(struct lxkns_result *r, enum ct_kind kind, pid_t pid, const char *api, int err,
		   const char *msg)
{
	result_diag(r, pid, err, "containers", "container engine %s (PID %d) at %s skipped: %s",
		    ct_engines[kind]->name, (int)pid, api, msg && *msg ? msg : strerror(-err));
}

/* Tries the sockets of one engine process, best first. */
static void *probe_run(void *arg)
{
	struct probe *p = arg;
	const struct ct_candidate *c = p->cand;
	char err[256];
	int chosen = 0;
	int ret = ct_probe(c->kind, c->proc->pid, c->sockets, c->apis, c->socket_count, p->deadline,
			   &p->arena, p->engines, &p->engine_count, &chosen, err, sizeof(err));
	if (ret < 0)
		report(p->r, c->kind, c->proc->pid, c->socket_count ? c->apis[chosen] : "", ret,
		       err);
	return NULL;
}

static int engine_order(const void *a, const void *b)
{
	const struct lxkns_container_engine *x = *(void *const *)a, *y = *(void *const *)b;
	/* state-directory engines (PID 0) last */
	if ((x->pid == 0) != (y->pid == 0))
		return x->pid == 0 ? 1 : -1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->api, y->api);
}

static int by_pid(const void *a, const void *b)
{
	const struct lxkns_container *x = *(void *const *)a, *y = *(void *const *)b;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int group_order(const void *a, const void *b)
{
	const struct lxkns_container_group *x = *(void *const *)a, *y = *(void *const *)b;
	int c = strcmp(x->type, y->type);
	if (!c)
		c = strcmp(x->name, y->name);
	if (!c && x->engine != y->engine)
		c = x->engine->refid < y->engine->refid ? -1 : 1;
	return c;
}

static int group_by_refid(const void *a, const void *b)
{
	const struct lxkns_container_group *x = *(void *const *)a, *y = *(void *const *)b;
	return x->refid < y->refid ? -1 : x->refid > y->refid;
}

static const char *prefix_of(struct arena *a, struct lxkns_container_engine *e, int depth)
{
	if (e->prefix)
		return e->prefix;
	if (!e->encloser || !e->encloser_engine || depth > 32) {
		e->prefix = "";
		return e->prefix;
	}
	const char *outer = prefix_of(a, e->encloser_engine, depth + 1);
	if (!*outer) {
		e->prefix = e->encloser;
	} else {
		size_t n = strlen(outer) + strlen(e->encloser) + 2;
		char *s = arena_alloc(a, n);
		if (!s)
			return NULL;
		snprintf(s, n, "%s/%s", outer, e->encloser);
		e->prefix = s;
	}
	return e->prefix;
}

/* ct_finish(), step 1: engines by PID (containerd before its CRI plugin,
 * state-directory engines last); refids follow. */
static void order_engines(struct lxkns_container_engine **engines, size_t n)
{
	if (n > 1)
		qsort(engines, n, sizeof(*engines), engine_order);
	for (size_t i = 0; i < n; i++)
		engines[i]->refid = (unsigned)i + 1;
}

/* Step 2: PIDs into the discovery's PID namespace; drop what is not alive. */
static void translate_pids(struct lxkns_result *r, struct lxkns_container_engine **engines,
			   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct lxkns_container_engine *e = engines[i];
		const struct lxkns_process *ep = e->pid > 0 ? lxkns_result_process_by_pid(r, e->pid)
							    : NULL;
		const struct lxkns_namespace *pidns = ep ? pc_ns(&ep->c, LXKNS_NS_PID) : NULL;
		size_t keep = 0, lost = 0;
		for (size_t k = 0; k < e->container_count; k++) {
			struct lxkns_container *c = e->containers[k];
			if (pidns) {
				const struct lxkns_process *p =
					lxkns_result_process_by_nspid(r, c->pid, pidns);
				if (p)
					c->pid = p->pid;
				else if (pidns != r->initial[LXKNS_NS_PID])
					lost++;
			}
			if (c->pid <= 0)
				continue;
			e->containers[keep++] = c;
		}
		e->container_count = keep;
		if (lost)
			result_diag(r, e->pid, 0, "containers",
				    "%zu container PIDs of %s engine (PID %d) could not be "
				    "translated into the discovery's PID namespace",
				    lost, e->type, (int)e->pid);
	}
}

/* Step 3: all containers by PID into all; a PID two engines report stays
 * with the first (the other is dropped from its engine too). */
static int collect_containers(struct arena *a, struct lxkns_container_engine **engines, size_t n,
			      struct ct_ptrs *all)
{
	int ret;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < engines[i]->container_count; k++)
			if ((ret = ct_push(a, &all->items, &all->count, &all->cap,
					   engines[i]->containers[k])) < 0)
				return ret;
	if (all->count > 1)
		qsort(all->items, all->count, sizeof(void *), by_pid);
	size_t uniq = 0;
	for (size_t i = 0; i < all->count; i++) {
		struct lxkns_container *c = all->items[i];
		if (uniq && ((struct lxkns_container *)all->items[uniq - 1])->pid == c->pid) {
			struct lxkns_container *first = all->items[uniq - 1];
			if (first->engine->refid > c->engine->refid) {
				all->items[uniq - 1] = c;
				c = first;
			}
			c->dropped = true;
			continue;
		}
		all->items[uniq++] = c;
	}
	all->count = uniq;
	for (size_t i = 0; i < n; i++) {
		struct lxkns_container_engine *e = engines[i];
		size_t keep = 0;
		for (size_t k = 0; k < e->container_count; k++)
			if (!e->containers[k]->dropped)
				e->containers[keep++] = e->containers[k];
		e->container_count = keep;
	}
	return 0;
}

/* Step 4: containers and their initial processes (through the model's
 * own interface: the process table is the model's). */
static void link_processes(struct lxkns_result *r, const struct ct_ptrs *all)
{
	for (size_t i = 0; i < all->count; i++) {
		struct lxkns_container *c = all->items[i];
		struct lxkns_process *p = result_attach_container_process(r, c->pid, c);
		if (p)
			c->process = p;
	}
}

/* Step 5, stacking: an engine whose process descends from a container's
 * shim (the parent of its initial process) runs inside that container. */
static int find_enclosers(struct lxkns_result *r, struct lxkns_container_engine **engines, size_t n,
			  const struct ct_ptrs *all)
{
	struct u64map shims = { 0 };
	static struct lxkns_container ambiguous; /* a parent of several: no shim */
	int ret;

	for (size_t i = 0; i < all->count; i++) {
		struct lxkns_container *c = all->items[i];
		if (!c->process || !c->process->parent)
			continue;
		uint64_t shim = (uint64_t)c->process->parent->pid;
		if (u64map_get(&shims, shim))
			c = &ambiguous;
		if ((ret = u64map_put(&shims, shim, c)) < 0) {
			u64map_free(&shims);
			return ret;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct lxkns_container_engine *e = engines[i];
		const struct lxkns_process *p = e->pid > 0 ? lxkns_result_process_by_pid(r, e->pid)
							   : NULL;
		for (int steps = 0; p && p->pid != 1 && steps < 4096; steps++, p = p->parent) {
			struct lxkns_container *c = u64map_get(&shims, (uint64_t)p->pid);
			if (c && c != &ambiguous && c->engine != e) {
				e->encloser = c->name;
				e->encloser_engine = c->engine;
				break;
			}
		}
	}
	u64map_free(&shims);
	return 0;
}

/* Step 6: the turtlefinder labels: engine refid, the enclosing engine's
 * refid, the container name prefix. */
static int label_engines(struct arena *a, struct lxkns_container_engine **engines, size_t n)
{
	int ret;

	for (size_t i = 0; i < n; i++) {
		struct lxkns_container_engine *e = engines[i];
		char id[16];
		const char *prefix = prefix_of(a, e, 0);
		if (!prefix)
			return -ENOMEM;
		snprintf(id, sizeof(id), "%u", e->refid);
		if ((ret = ct_label_set(a, &e->labels, LXKNS_LABEL_ENGINE_ID, id)) < 0)
			return ret;
		if (e->encloser_engine) {
			snprintf(id, sizeof(id), "%u", e->encloser_engine->refid);
			if ((ret = ct_label_set(a, &e->labels, LXKNS_LABEL_ENGINE_PARENT_ID, id)) <
			    0)
				return ret;
		}
		for (size_t k = 0; k < e->container_count; k++)
			if ((ret = ct_label_set(a, &e->containers[k]->labels, LXKNS_LABEL_PREFIX,
						prefix)) < 0)
				return ret;
	}
	return 0;
}

/* Step 8, the final order: labels by key, containers by PID, groups by
 * type and name (refids follow). */
static void order_all(struct lxkns_container_engine **engines, size_t n, struct ct_ptrs *groups)
{
	if (groups->count > 1)
		qsort(groups->items, groups->count, sizeof(void *), group_order);
	for (size_t i = 0; i < groups->count; i++) {
		struct lxkns_container_group *g = groups->items[i];
		g->refid = (unsigned)i + 1;
		ct_labels_sort(&g->labels);
		if (g->container_count > 1)
			qsort(g->containers, g->container_count, sizeof(void *), by_pid);
	}
	for (size_t i = 0; i < n; i++) {
		struct lxkns_container_engine *e = engines[i];
		ct_labels_sort(&e->labels);
		if (e->container_count > 1)
			qsort(e->containers, e->container_count, sizeof(void *), by_pid);
		for (size_t k = 0; k < e->container_count; k++) {
			struct lxkns_container *c = e->containers[k];
			ct_labels_sort(&c->labels);
			if (c->group_count > 1)
				qsort(c->groups, c->group_count, sizeof(void *), group_by_refid);
		}
	}
}

int ct_finish(struct lxkns_result *r, struct lxkns_container_engine **engines, size_t n)
{
	struct arena *a = &r->arena;
	struct ct_ptrs all = { 0 }, groups = { 0 };
	int ret;

	order_engines(engines, n);
	translate_pids(r, engines, n);
	if ((ret = collect_containers(a, engines, n, &all)) < 0)
		return ret;
	link_processes(r, &all);
	if ((ret = find_enclosers(r, engines, n, &all)) < 0)
		return ret;
	if ((ret = label_engines(a, engines, n)) < 0)
		return ret;
	/* step 7: compose projects, pods, flavors, ... (decorate.c) */
	if ((ret = ct_decorate(r, a, engines, n, &groups)) < 0)
		return ret;
	order_all(engines, n, &groups);
	result_attach_containers(r, (struct lxkns_container **)all.items, all.count, engines, n,
				 (struct lxkns_container_group **)groups.items, groups.count);
	return 0;
}

/* Queries every candidate engine in parallel. */
static int query_all(struct lxkns_result *r, const struct ct_candidates *cands, int64_t deadline,
		     struct ct_ptrs *engines)
{
	struct probe *probes = calloc(cands->count ? cands->count : 1, sizeof(*probes));
	int ret = 0;

	if (!probes)
		return -ENOMEM;
	for (size_t i = 0; i < cands->count; i++) {
		probes[i] = (struct probe){ .cand = &cands->items[i],
					    .r = r,
					    .deadline = deadline };
		/* one engine answers inline; more in threads */
		if (cands->count > 1 &&
		    pthread_create(&probes[i].thread, NULL, probe_run, &probes[i]) == 0)
			probes[i].started = true;
		else
			probe_run(&probes[i]);
	}
	for (size_t i = 0; i < cands->count; i++) {
		if (probes[i].started)
			pthread_join(probes[i].thread, NULL);
		for (size_t k = 0; k < probes[i].engine_count && ret == 0; k++)
			ret = ct_push(&r->arena, &engines->items, &engines->count, &engines->cap,
				      probes[i].engines[k]);
		arena_merge(&r->arena, &probes[i].arena);
	}
	free(probes);
	return ret;
}

/* The engines: synced by the watcher, or asked now. */
static int ask_engines(struct lxkns_result *r, const struct ct_candidates *cands, unsigned timeout,
		       const struct lxkns_discover_opts *opts, struct ct_ptrs *engines)
{
	struct lxkns_container_engine **list = NULL;
	size_t count = 0;
	int ret;

	if (!opts->container_watcher)
		return query_all(r, cands, ct_now_ms() + timeout, engines);
	ret = ct_watcher_snapshot(opts->container_watcher, r, cands, timeout, &r->arena, &list,
				  &count);
	for (size_t i = 0; ret == 0 && i < count; i++)
		ret = ct_push(&r->arena, &engines->items, &engines->count, &engines->cap, list[i]);
	free(list);
	return ret;
}

/* Whether an engine reported the container at pid (in the discovery's
 * view). */
static bool reported(struct lxkns_result *r, const struct ct_ptrs *engines, pid_t pid)
{
	for (size_t x = 0; x < engines->count; x++) {
		struct lxkns_container_engine *o = engines->items[x];
		const struct lxkns_process *op = o->pid > 0 ? lxkns_result_process_by_pid(r, o->pid)
							    : NULL;
		const struct lxkns_namespace *ons = op ? pc_ns(&op->c, LXKNS_NS_PID) : NULL;
		for (size_t y = 0; y < o->container_count; y++) {
			pid_t opid = o->containers[y]->pid;
			const struct lxkns_process *p = ons ? lxkns_result_process_by_nspid(r, opid,
											    ons)
							    : NULL;
			if ((p ? p->pid : opid) == pid)
				return true;
		}
	}
	return false;
}

/* OCI runtime state directories: the containers no engine reported. */
static int scan_state_dirs(struct lxkns_result *r, struct ct_ptrs *engines)
{
	static const struct {
		const char *root;
		int (*scan)(struct lxkns_result *r, struct arena *a, const char *root,
			    struct lxkns_container_engine **ret);
	} dirs[] = { { RUNC_ROOT, ct_scan_runc }, { CRUN_ROOT, ct_scan_crun } };
	int ret;

	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		struct lxkns_container_engine *e = NULL;
		ret = dirs[i].scan(r, &r->arena, dirs[i].root, &e);
		if (ret == -ENOMEM)
			return ret;
		if (ret < 0) {
			result_diag(r, 0, ret, "containers", "cannot read the OCI state in %s: %s",
				    dirs[i].root, strerror(-ret));
			continue;
		}
		if (!e)
			continue;
		size_t keep = 0;
		for (size_t k = 0; k < e->container_count; k++)
			if (!reported(r, engines, e->containers[k]->pid))
				e->containers[keep++] = e->containers[k];
		e->container_count = keep;
		if (keep && (ret = ct_push(&r->arena, &engines->items, &engines->count,
					   &engines->cap, e)) < 0)
			return ret;
	}
	return 0;
}

int containers_discover(struct lxkns_result *r, int procfd, uint64_t self_mntns,
			const struct lxkns_discover_opts *opts)
{
	unsigned timeout = opts->container_timeout_ms ? opts->container_timeout_ms
						      : DEFAULT_TIMEOUT_MS;
	struct ct_candidates cands;
	struct ct_ptrs engines = { 0 };
	int ret;

	ret = ct_find_engines(r, procfd, self_mntns,
			      opts->container_watcher ? ct_watcher_knows : NULL,
			      opts->container_watcher, &cands);
	if (ret < 0)
		return ret;
	ret = ask_engines(r, &cands, timeout, opts, &engines);
	ct_candidates_free(&cands);
	if (ret < 0 || (ret = scan_state_dirs(r, &engines)) < 0)
		return ret;
	return ct_finish(r, (struct lxkns_container_engine **)engines.items, engines.count);
}
