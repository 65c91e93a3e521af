/* SPDX-License-Identifier: Apache-2.0 */
/*
 * namespaces.c: phase 2 of a discovery, namespace registration. Every
 * namespace is opened and queried exactly once, when it is first seen (one
 * NS_GET_USERNS, NS_GET_PARENT, NS_GET_OWNER_UID per unique namespace, not
 * per process). Climbing parents and owners creates the "hidden" ones that
 * have no process, fd or mount of their own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover-internal.h"
#include "species-internal.h"
#include "strutil.h"

static void relate(struct discovery *d, struct lxkns_namespace *ns, int handle, int depth);

/* "PID/ns/NAME" or, with a TID, "PID/task/TID/ns/NAME" (relative to the
 * procfs root). The buffers hold the longest (two 10-digit IDs and
 * "time_for_children"); an empty path fails the open, it is not a crash. */
static void pid_ns_path(char *buf, size_t size, pid_t pid, pid_t tid, const char *name)
{
	char *end = buf + size;
	char *p = strcat_u64(buf, end, (uint64_t)pid);
	if (tid) {
		p = strcat_span(p, end, "/task/");
		p = strcat_u64(p, end, (uint64_t)tid);
	}
	p = strcat_span(p, end, "/ns/");
	if (!strcat_span(p, end, name))
		buf[0] = 0;
}

/* result_namespace_get() for the scan: a namespace new to the result whose
 * inode the result already knows under another type means the kernel freed
 * that namespace and reused its inode while we scanned. Both stay (each was
 * real when it was read, and processes refer to each); a note says so. NULL
 * only when an allocation failed. */
static struct lxkns_namespace *ns_get(struct discovery *d, enum lxkns_ns_type type,
				      struct lxkns_nsid id, bool *ret_created)
{
	bool created;
	struct lxkns_namespace *ns = result_namespace_get(d->r, type, id, &created);
	const struct lxkns_namespace *other = ns && created ? result_namespace_shared(d->r, ns)
							    : NULL;

	if (other)
		result_diag(d->r, 0, 0, "inode reuse",
			    "%s:[%llu] and %s:[%llu] share an inode: one was replaced during the "
			    "scan",
			    lxkns_ns_type_name(other->type), (unsigned long long)id.ino,
			    lxkns_ns_type_name(type), (unsigned long long)id.ino);
	if (ret_created)
		*ret_created = created;
	return ns;
}

/* Follows one relation (owner or parent) of ns, reached through handle. */
static struct lxkns_namespace *related(struct discovery *d, struct lxkns_namespace *ns, int handle,
				       bool parent, int depth)
{
	enum lxkns_ns_type type = parent ? ns->type : LXKNS_NS_USER;
	int h = parent ? nsfs_get_parent(d->pf, handle) : nsfs_get_userns(d->pf, handle);
	struct lxkns_nsid id;

	if (h < 0) {
		/* EPERM: the top, or no privileges above; nothing to report */
		if (h != -EPERM) {
			bool *warned = parent ? &d->warned_no_parent : &d->warned_no_userns;
			if (!*warned)
				result_diag(d->r, 0, h, parent ? "NS_GET_PARENT" : "NS_GET_USERNS",
					    "%s of %s:[%llu] failed: %s",
					    parent ? "NS_GET_PARENT" : "NS_GET_USERNS",
					    lxkns_ns_type_name(ns->type),
					    (unsigned long long)ns->id.ino, strerror(-h));
			*warned = true;
		}
		return NULL;
	}
	struct lxkns_namespace *rel = NULL;
	if (nsfs_id(d->pf, h, &id) == 0 && depth < 64) {
		bool created;
		rel = ns_get(d, type, id, &created);
		if (rel && created)
			relate(d, rel, h, depth + 1);
	}
	nsfs_close(d->pf, h);
	return rel;
}

/* Owner UID, owner and parent of a namespace seen for the first time. */
static void relate(struct discovery *d, struct lxkns_namespace *ns, int handle, int depth)
{
	if (ns->type == LXKNS_NS_USER) {
		uid_t uid;
		int r = nsfs_get_owner_uid(d->pf, handle, &uid);
		if (r == 0) {
			ns->has_owner_uid = true;
			ns->owner_uid = uid;
		} else if (!d->warned_no_owner_uid) {
			d->warned_no_owner_uid = true;
			result_diag(d->r, 0, r, "NS_GET_OWNER_UID",
				    "NS_GET_OWNER_UID of user:[%llu] failed: %s",
				    (unsigned long long)ns->id.ino, strerror(-r));
		}
	} else if (d->opts.with_ownership && want_type(d, LXKNS_NS_USER)) {
		ns->owner = related(d, ns, handle, false, depth);
	}
	if (d->opts.with_hierarchy && species_hierarchical(ns->type))
		ns->parent = related(d, ns, handle, true, depth);
}

/* Whether relate() has anything to ask of a new namespace of this type: the
 * owner UID of a user namespace, an owner, a parent. In the lsns-equivalent
 * mode (no ownership, no hierarchy) only user namespaces need opening. */
static bool relate_needed(const struct discovery *d, enum lxkns_ns_type type)
{
	return type == LXKNS_NS_USER || (d->opts.with_ownership && want_type(d, LXKNS_NS_USER)) ||
	       (d->opts.with_hierarchy && species_hierarchical(type));
}

struct lxkns_namespace *ns_register(struct discovery *d, enum lxkns_ns_type type,
				    struct lxkns_nsid id, int handle, bool *ret_created)
{
	bool created;
	struct lxkns_namespace *ns = ns_get(d, type, id, &created);

	if (ret_created)
		*ret_created = created;
	if (ns && created && handle >= 0)
		relate(d, ns, handle, 0);
	return ns;
}

struct lxkns_namespace *ns_register_path(struct discovery *d, enum lxkns_ns_type type,
					 struct lxkns_nsid id, const char *path, pid_t pid,
					 bool *ret_created)
{
	bool created;
	struct lxkns_namespace *ns = ns_get(d, type, id, &created);

	if (ret_created)
		*ret_created = created;
	/* opening costs three syscalls per namespace, for nothing if
	 * relate() would not ask anything */
	if (!ns || !created || !relate_needed(d, type))
		return ns;
	int h = nsfs_open(d->pf, d->pf->rootfd, path, type, id.ino);
	if (h < 0) {
		if (h != -ENOENT && h != -ESRCH)
			result_diag(d->r, pid, h, path, "cannot open %s: %s", path, strerror(-h));
		else
			result_diag(d->r, pid, -h, path,
				    "%s:[%llu] vanished during the scan (%s is gone): no owner or "
				    "parent for it",
				    lxkns_ns_type_name(type), (unsigned long long)id.ino, path);
		return ns;
	}
	struct lxkns_nsid now;
	if (nsfs_id(d->pf, h, &now) == 0 && now.ino == id.ino)
		relate(d, ns, h, 0);
	else
		result_diag(d->r, pid, ESRCH, path,
			    "%s:[%llu] was replaced during the scan (%s leads elsewhere now): no "
			    "owner or parent for it",
			    lxkns_ns_type_name(type), (unsigned long long)id.ino, path);
	nsfs_close(d->pf, h);
	return ns;
}

/* Processes: the user namespaces first, then the other hierarchical ones
 * (PID), then the rest, so that owners are usually known before what they
 * own. */
static int scan_rank(enum lxkns_ns_type t)
{
	return t == LXKNS_NS_USER ? 0 : species_hierarchical(t) ? 1 : 2;
}

/* Whether a process's NAME_for_children differs from its own namespace of
 * any type: only then does phase 2 look at it for that. */
static bool children_differ(const struct discovery *d, const struct nsset *set,
			    const struct proc_scan *sc)
{
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		int slot = species_children_slot(t);
		if (slot >= 0 && sc->for_children[slot].ino && set->id[t].ino &&
		    sc->for_children[slot].ino != set->id[t].ino && want_type(d, t))
			return true;
	}
	return false;
}

int discover_from_procs(struct discovery *d)
{
	struct lxkns_result *r = d->r;
	enum lxkns_ns_type scan_order[_LXKNS_NS_TYPE_MAX] = { 0 };
	int n = 0;
	char path[64];

	for (int rank = 0; rank < 3; rank++)
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
			if (scan_rank(t) == rank)
				scan_order[n++] = t;
	/* The work list: the processes where a pass below can do something,
	 * in PID order: the first of each namespace set (the others find it
	 * resolved) and those whose children go elsewhere. One pass over the
	 * process table instead of one per type: at 20,000 processes the
	 * table does not fit the caches. */
	size_t *work = malloc((r->proc_count ? r->proc_count : 1) * sizeof(*work));
	size_t work_count = 0;
	if (!work)
		return -ENOMEM;
	for (size_t i = 0; i < r->proc_count; i++) {
		struct nsset *set = r->procs[i]->c.nss;
		if (!set)
			continue;
		if (!set->listed || children_differ(d, set, &d->scan[i]))
			work[work_count++] = i;
		set->listed = true;
	}
	for (int k = 0; k < n; k++) {
		enum lxkns_ns_type t = scan_order[k];
		if (!want_type(d, t))
			continue;
		for (size_t w = 0; w < work_count; w++) {
			struct lxkns_process *p = r->procs[work[w]];
			const struct proc_scan *sc = &d->scan[work[w]];
			struct nsset *set = p->c.nss;
			struct lxkns_nsid id = set->id[t];
			bool created;
			if (!id.ino)
				continue;
			if (!d->nsfs_dev)
				d->nsfs_dev = id.dev;
			/* a set shared with a process before this one: done (in PID
			 * order, so the first process refers to the namespace) */
			if (!(set->resolved & (1u << t))) {
				struct lxkns_namespace *ns = result_namespace_find(r, t, id.ino);
				if (!ns) {
					pid_ns_path(path, sizeof(path), p->pid, 0,
						    lxkns_ns_type_name(t));
					ns = ns_register_path(d, t, id, path, p->pid, &created);
				}
				if (!ns) {
					free(work);
					return -ENOMEM;
				}
				if (ns->ref_kind == NS_REF_NONE) {
					ns->ref_kind = NS_REF_PROC;
					ns->ref_pid = p->pid;
				}
				set->ns[t] = ns;
				set->resolved |= (uint8_t)(1u << t);
			}
			/* pid_for_children, time_for_children */
			int slot = species_children_slot(t);
			if (slot < 0 || !sc->for_children[slot].ino ||
			    sc->for_children[slot].ino == id.ino)
				continue;
			const char *entry = species_children_name(t);
			pid_ns_path(path, sizeof(path), p->pid, 0, entry);
			struct lxkns_namespace *ns = ns_register_path(d, t, sc->for_children[slot],
								      path, p->pid, &created);
			if (!ns) {
				free(work);
				return -ENOMEM;
			}
			if (ns->ref_kind == NS_REF_NONE) {
				ns->ref_kind = NS_REF_PROC;
				ns->ref_pid = p->pid;
				ns->ref_name = entry;
			}
		}
	}
	free(work);
	return 0;
}

int discover_from_tasks(struct discovery *d)
{
	struct lxkns_result *r = d->r;
	char path[80];

	for (size_t i = 0; i < r->proc_count; i++) {
		/* (most processes: all tasks share the process's set) */
		if (!d->scan[i].odd_tasks)
			continue;
		struct lxkns_process *p = r->procs[i];
		for (size_t k = 0; k < p->task_count; k++) {
			struct lxkns_task *task = p->tasks[k];
			struct nsset *set = task->c.nss;
			/* the main task, and most threads, share their process's set */
			if (!set || set == p->c.nss)
				continue;
			for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
				struct lxkns_nsid id = set->id[t];
				if (!id.ino || !want_type(d, t) || (set->resolved & (1u << t)))
					continue;
				if (id.ino == pc_ino(&p->c, t) && pc_ns(&p->c, t)) {
					set->ns[t] = pc_ns(&p->c, t);
					set->resolved |= (uint8_t)(1u << t);
					continue;
				}
				pid_ns_path(path, sizeof(path), p->pid, task->tid,
					    lxkns_ns_type_name(t));
				struct lxkns_namespace *ns = ns_register_path(d, t, id, path,
									      task->tid, NULL);
				if (!ns)
					return -ENOMEM;
				if (ns->ref_kind == NS_REF_NONE) {
					ns->ref_kind = NS_REF_TASK;
					ns->ref_pid = task->tid;
				}
				set->ns[t] = ns;
				set->resolved |= (uint8_t)(1u << t);
			}
		}
	}
	return 0;
}
