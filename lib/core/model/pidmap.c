/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pidmap.c: PID translation. For every process and task, NSpid (outermost
 * first) is zipped with its PID namespace chain (own namespace upwards); each
 * (PID namespace, PID) pair is indexed to the process, so a translation is
 * two hash lookups: find the process by (from, pid), then walk its chain to
 * the namespace to.
 */
#include <errno.h>

#include "lxkns-internal.h"
#include "lxkns/pidmap.h"

/* (PID namespace ordinal, PID) as one map key; ordinals are 1-based. */
static uint64_t key(uint32_t ordinal, pid_t pid)
{
	return ((uint64_t)ordinal << 32) | (uint32_t)pid;
}

/* The PID namespace for NSpid entry i of c (index 0 = outermost). */
static const struct lxkns_namespace *pidns_at(const struct proc_common *c, size_t i)
{
	const struct lxkns_namespace *ns = pc_ns(c, LXKNS_NS_PID);
	for (size_t k = c->nspid_count - 1; ns && k > i; k--)
		ns = ns->parent;
	return ns;
}

static int index_common(struct lxkns_result *r, const struct proc_common *c, void *owner)
{
	const struct lxkns_namespace *ns = pc_ns(c, LXKNS_NS_PID);
	for (size_t i = c->nspid_count; i > 0 && ns; i--, ns = ns->parent)
		if (u64map_put(&r->pidmap, key(ns->pid_ordinal, c->nspid[i - 1]), owner) < 0)
			return -ENOMEM;
	return 0;
}

int result_build_pidmap(struct lxkns_result *r)
{
	for (size_t i = 0; i < r->ns[LXKNS_NS_PID].count; i++)
		((struct lxkns_namespace *)r->ns[LXKNS_NS_PID].items[i])->pid_ordinal =
			(uint32_t)i + 1;
	atomic_store(&r->pidmap_wanted, true);
	return 0;
}

int result_index_pidmap(const struct lxkns_result *cr)
{
	/* the index is a cache: filling it does not change the result */
	struct lxkns_result *r = (struct lxkns_result *)cr;
	int e = 0;

	if (atomic_load(&r->pidmap_built) || !atomic_load(&r->pidmap_wanted))
		return 0;
	pthread_mutex_lock(&r->pidmap_lock);
	for (size_t i = 0; !atomic_load(&r->pidmap_built) && i < r->proc_count && e == 0; i++) {
		struct lxkns_process *p = r->procs[i];
		e = index_common(r, &p->c, p);
		for (size_t k = 0; e == 0 && k < p->task_count; k++)
			if (p->tasks[k]->tid != p->pid)
				e = index_common(r, &p->tasks[k]->c, p);
	}
	if (e == 0)
		atomic_store(&r->pidmap_built, true);
	else
		u64map_free(&r->pidmap); /* no half index: the next lookup tries again */
	pthread_mutex_unlock(&r->pidmap_lock);
	return e;
}

const struct lxkns_process *lxkns_result_process_by_nspid(const struct lxkns_result *r, pid_t pid,
							  const struct lxkns_namespace *pidns)
{
	if (!r || !pidns || pidns->type != LXKNS_NS_PID || pid <= 0 || !pidns->pid_ordinal ||
	    result_index_pidmap(r) < 0)
		return NULL;
	return u64map_get(&r->pidmap, key(pidns->pid_ordinal, pid));
}

/* The PID of c in PID namespace to, or 0. */
static pid_t pid_in(const struct proc_common *c, const struct lxkns_namespace *to)
{
	const struct lxkns_namespace *ns = pc_ns(c, LXKNS_NS_PID);
	for (size_t i = c->nspid_count; i > 0 && ns; i--, ns = ns->parent)
		if (ns == to)
			return c->nspid[i - 1];
	return 0;
}

pid_t lxkns_result_translate_pid(const struct lxkns_result *r, pid_t pid,
				 const struct lxkns_namespace *from,
				 const struct lxkns_namespace *to)
{
	const struct lxkns_process *p = lxkns_result_process_by_nspid(r, pid, from);
	if (!p || !to)
		return 0;
	/* pid may name a task (a TID): find which */
	if (pid_in(&p->c, from) == pid)
		return pid_in(&p->c, to);
	for (size_t k = 0; k < p->task_count; k++)
		if (pid_in(&p->tasks[k]->c, from) == pid)
			return pid_in(&p->tasks[k]->c, to);
	return 0;
}

size_t lxkns_process_namespaced_pid_count(const struct lxkns_process *p)
{
	/* only as far as the PID namespace chain is known */
	size_t n = 0;
	for (const struct lxkns_namespace *ns = pc_ns(&p->c, LXKNS_NS_PID);
	     ns && n < p->c.nspid_count; ns = ns->parent)
		n++;
	return n;
}

pid_t lxkns_process_namespaced_pid_at(const struct lxkns_process *p, size_t index,
				      const struct lxkns_namespace **ret_pidns)
{
	size_t n = lxkns_process_namespaced_pid_count(p);
	if (index >= n)
		return 0;
	size_t i = p->c.nspid_count - n + index;
	if (ret_pidns)
		*ret_pidns = pidns_at(&p->c, i);
	return p->c.nspid[i];
}
