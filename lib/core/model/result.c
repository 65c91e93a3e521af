/* SPDX-License-Identifier: Apache-2.0 */
/*
 * result.c: the result object: life cycle, diagnostics, the namespace
 * registry, and result_link(), which derives every relation (process tree,
 * leaders, ealdormen, loose threads, namespace children, owned namespaces,
 * roots) from the raw facts a discovery or a JSON document supplies.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lxkns-internal.h"
#include "mounts/mounts-internal.h"
#include "species-internal.h"
#include "strutil.h"

struct lxkns_result *result_new(const struct lxkns_discover_opts *opts)
{
	struct lxkns_result *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	atomic_init(&r->refcount, 1);
	if (opts) /* the defaults are discover's: callers pass them in */
		r->opts = *opts;
	r->opts.size = sizeof(r->opts); /* callers pass complete structs of ours */
	r->opts.procfs_root = NULL;	/* not owned: never hand it out later */
	pthread_mutex_init(&r->diag_lock, NULL);
	pthread_mutex_init(&r->pidmap_lock, NULL);
	return r;
}

struct lxkns_result *lxkns_result_ref(struct lxkns_result *r)
{
	if (r)
		atomic_fetch_add(&r->refcount, 1);
	return r;
}

static void free_namespace(struct lxkns_namespace *ns)
{
	mount_table_release(ns->mounts);
	ptrvec_free(&ns->leaders);
	ptrvec_free(&ns->loose_threads);
	ptrvec_free(&ns->children);
	if (ns->owned)
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
			ptrvec_free(&ns->owned[t]);
}

struct lxkns_result *lxkns_result_unref(struct lxkns_result *r)
{
	if (!r || atomic_fetch_sub(&r->refcount, 1) != 1)
		return NULL;
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		for (size_t i = 0; i < r->ns[t].count; i++)
			free_namespace(r->ns[t].items[i]);
		ptrvec_free(&r->ns[t]);
		ptrvec_free(&r->roots[t]);
	}
	for (size_t i = 0; i < r->proc_count; i++)
		ptrvec_free(&r->procs[i]->children);
	free(r->procs);
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		u64map_free(&r->ns_by_ino[t]);
	u64map_free(&r->proc_by_pid);
	u64map_free(&r->pidmap);
	free(r->diags);
	pthread_mutex_destroy(&r->diag_lock);
	pthread_mutex_destroy(&r->pidmap_lock);
	arena_free(&r->arena);
	free(r);
	return NULL;
}

void result_diag(struct lxkns_result *r, pid_t pid, int err, const char *what, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	pthread_mutex_lock(&r->diag_lock);
	if (r->diag_count == r->diag_cap) {
		size_t ncap = r->diag_cap ? r->diag_cap * 2 : 16;
		struct lxkns_diagnostic *n = realloc(r->diags, ncap * sizeof(*n));
		if (!n) {
			r->diag_oom = true;
			goto out;
		}
		r->diags = n;
		r->diag_cap = ncap;
	}
	struct lxkns_diagnostic *d = &r->diags[r->diag_count];
	d->pid = pid;
	d->err = err < 0 ? -err : err;
	d->what = arena_strdup(&r->arena, what ? what : "");
	d->message = arena_strdup(&r->arena, msg);
	if (d->what && d->message)
		r->diag_count++;
	else
		r->diag_oom = true;
out:
	pthread_mutex_unlock(&r->diag_lock);
}

struct lxkns_namespace *result_namespace_find(const struct lxkns_result *r, enum lxkns_ns_type type,
					      uint64_t ino)
{
	if ((unsigned)type >= _LXKNS_NS_TYPE_MAX)
		return NULL;
	return u64map_get(&r->ns_by_ino[type], ino);
}

struct lxkns_namespace *result_namespace_shared(const struct lxkns_result *r,
						const struct lxkns_namespace *ns)
{
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		struct lxkns_namespace *o = t == (int)ns->type
						    ? NULL
						    : u64map_get(&r->ns_by_ino[t], ns->id.ino);
		if (o)
			return o;
	}
	return NULL;
}

struct lxkns_namespace *result_namespace_get(struct lxkns_result *r, enum lxkns_ns_type type,
					     struct lxkns_nsid id, bool *ret_created)
{
	struct lxkns_namespace *ns = u64map_get(&r->ns_by_ino[type], id.ino);

	if (ret_created)
		*ret_created = false;
	if (ns)
		return ns;
	ns = arena_alloc(&r->arena, sizeof(*ns));
	if (!ns)
		return NULL;
	ns->id = id;
	ns->type = type;
	ns->idlen = (unsigned char)fmt_u64(ns->idstr, id.ino);
	if (type == LXKNS_NS_USER) {
		ns->owned = arena_alloc(&r->arena, sizeof(struct ptrvec) * _LXKNS_NS_TYPE_MAX);
		if (!ns->owned)
			return NULL;
	}
	if (ptrvec_push(&r->ns[type], ns) < 0)
		return NULL;
	if (u64map_put(&r->ns_by_ino[type], id.ino, ns) < 0) {
		r->ns[type].count--;
		return NULL;
	}
	if (ret_created)
		*ret_created = true;
	return ns;
}

static int cmp_ns_ino(const void *a, const void *b)
{
	const struct lxkns_namespace *x = *(void *const *)a, *y = *(void *const *)b;
	return x->id.ino < y->id.ino ? -1 : x->id.ino > y->id.ino;
}

static int cmp_proc_pid(const void *a, const void *b)
{
	const struct lxkns_process *x = *(void *const *)a, *y = *(void *const *)b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int cmp_task_tid(const void *a, const void *b)
{
	const struct lxkns_task *x = *(void *const *)a, *y = *(void *const *)b;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

int result_set_processes(struct lxkns_result *r, struct lxkns_process **procs, size_t n)
{
	/* /proc lists PIDs in order: sort only if not */
	for (size_t i = 1; i < n; i++)
		if (procs[i - 1]->pid > procs[i]->pid) {
			qsort(procs, n, sizeof(*procs), cmp_proc_pid);
			break;
		}
	r->procs = procs;
	r->proc_count = n;
	for (size_t i = 0; i < n; i++)
		if (u64map_put(&r->proc_by_pid, (uint64_t)procs[i]->pid, procs[i]) < 0)
			return -ENOMEM;
	return 0;
}

static bool senior(const struct lxkns_process *a, const struct lxkns_process *b)
{
	return a->c.starttime < b->c.starttime ||
	       (a->c.starttime == b->c.starttime && a->pid < b->pid);
}

int result_link(struct lxkns_result *r, bool compute_leaders)
{
	/* the process tree and, in the same pass (at 20,000 processes the
	 * table does not fit the caches: each pass over it costs), the
	 * leaders: attached processes whose parent is not attached */
	struct lxkns_process *last_parent = NULL;
	pid_t last_ppid = 0;
	for (size_t i = 0; i < r->proc_count; i++) {
		struct lxkns_process *p = r->procs[i];
		if (p->ppid > 0 && p->ppid != p->pid) {
			/* siblings come in runs (kernel threads, a service's
			 * workers): the last lookup saves a hash probe */
			if (p->ppid != last_ppid) {
				last_ppid = p->ppid;
				last_parent = u64map_get(&r->proc_by_pid, (uint64_t)p->ppid);
			}
			p->parent = last_parent;
			/* procs are sorted: children come out sorted by PID */
			if (p->parent && ptrvec_push(&p->parent->children, p) < 0)
				return -ENOMEM;
		}
		if (!compute_leaders)
			continue;
		/* the same set as its parent's: a leader of nothing */
		for (int t = 0;
		     t < _LXKNS_NS_TYPE_MAX && !(p->parent && p->parent->c.nss == p->c.nss); t++) {
			struct lxkns_namespace *ns = pc_ns(&p->c, t);
			if (!ns || (p->parent && pc_ns(&p->parent->c, t) == ns))
				continue;
			if (ptrvec_push(&ns->leaders, p) < 0)
				return -ENOMEM;
		}
		for (size_t k = 0; k < p->task_count; k++) {
			struct lxkns_task *task = p->tasks[k];
			if (task->tid == p->pid || task->c.nss == p->c.nss)
				continue;
			for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
				struct lxkns_namespace *ns = pc_ns(&task->c, t);
				if (ns && ns != pc_ns(&p->c, t) &&
				    ptrvec_push(&ns->loose_threads, task) < 0)
					return -ENOMEM;
			}
		}
	}

	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		ptrvec_sort(&r->ns[t], cmp_ns_ino);

	/* namespace hierarchy and ownership */
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		for (size_t i = 0; i < r->ns[t].count; i++) {
			struct lxkns_namespace *ns = r->ns[t].items[i];
			if (!ns->owner && ns->owner_ino && t != LXKNS_NS_USER) {
				ns->owner = result_namespace_find(r, LXKNS_NS_USER, ns->owner_ino);
			}
			if (!ns->parent && ns->parent_ino && species_hierarchical(t)) {
				struct lxkns_namespace *p = result_namespace_find(r, ns->type,
										  ns->parent_ino);
				if (p && p != ns)
					ns->parent = p;
			}
			/* sorted by inode since we walk in inode order */
			if (ns->parent && ptrvec_push(&ns->parent->children, ns) < 0)
				return -ENOMEM;
			if (ns->owner && ptrvec_push(&ns->owner->owned[t], ns) < 0)
				return -ENOMEM;
			if (!ns->parent && species_hierarchical(t) &&
			    ptrvec_push(&r->roots[t], ns) < 0)
				return -ENOMEM;
		}
	}

	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		for (size_t i = 0; i < r->ns[t].count; i++) {
			struct lxkns_namespace *ns = r->ns[t].items[i];
			ptrvec_sort(&ns->leaders, cmp_proc_pid);
			ptrvec_sort(&ns->loose_threads, cmp_task_tid);
			ns->ealdorman = NULL;
			for (size_t k = 0; k < ns->leaders.count; k++)
				if (!ns->ealdorman || senior(ns->leaders.items[k], ns->ealdorman))
					ns->ealdorman = ns->leaders.items[k];
			if (t == LXKNS_NS_USER && !ns->user_name)
				ns->user_name = "";
		}
	}

	/* initial namespaces: PID 1's; kthreadd's (PID 2) when PID 1 is
	 * unreadable (kernel threads live in the initial namespaces) */
	const struct lxkns_process *p1 = u64map_get(&r->proc_by_pid, 1);
	const struct lxkns_process *p2 = u64map_get(&r->proc_by_pid, 2);
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		if (r->initial[t])
			continue;
		if (p1 && pc_ns(&p1->c, t))
			r->initial[t] = pc_ns(&p1->c, t);
		else if (p2 && p2->ppid == 0 && pc_ns(&p2->c, t))
			r->initial[t] = pc_ns(&p2->c, t);
	}
	return 0;
}

/* "/proc/PID/" + tail, or 0 when it does not fit. */
static int proc_path(char *buf, size_t size, pid_t pid, const char *dir, const char *name,
		     int64_t fd)
{
	char *end = buf + size;
	char *p = strcat_span(buf, end, "/proc/");
	p = strcat_u64(p, end, (uint64_t)pid);
	p = strcat_span(p, end, dir);
	p = name ? strcat_span(p, end, name) : strcat_u64(p, end, (uint64_t)fd);
	return p ? (int)(p - buf) : 0;
}

/* The single-path reference of a namespace that has one, else 0. */
static int single_ref(const struct lxkns_namespace *ns, char *buf, size_t size)
{
	const char *tname = lxkns_ns_type_name(ns->type);

	if (ns->ealdorman)
		return proc_path(buf, size, ns->ealdorman->pid, "/ns/", tname, 0);
	switch (ns->ref_kind) {
	case NS_REF_PROC:
	case NS_REF_TASK:
		return proc_path(buf, size, ns->ref_pid, "/ns/",
				 ns->ref_name ? ns->ref_name : tname, 0);
	case NS_REF_FD:
	case NS_REF_DETACHED:
		if (ns->ref_fd < 0)
			return 0;
		return proc_path(buf, size, ns->ref_pid, "/fd/", NULL, ns->ref_fd);
	default:
		return 0;
	}
}

static int build_ref(struct lxkns_result *r, struct lxkns_namespace *ns, int depth)
{
	char buf[96];
	char *one = NULL;
	int n;

	if (ns->ref || ns->ref_kind == NS_REF_LITERAL)
		return 0;
	n = single_ref(ns, buf, sizeof(buf));
	if (n > 0 && (size_t)n < sizeof(buf)) {
		one = arena_strndup(&r->arena, buf, (size_t)n);
		if (!one)
			return -ENOMEM;
	}
	if (one) {
		ns->ref = arena_alloc(&r->arena, sizeof(char *));
		if (!ns->ref)
			return -ENOMEM;
		ns->ref[0] = one;
		ns->ref_count = 1;
		return 0;
	}
	if (ns->ref_kind != NS_REF_BIND)
		return 0; /* hidden */

	/* a bind mount: the reference of its mount namespace, then the path */
	struct lxkns_namespace *mnt = result_namespace_find(r, LXKNS_NS_MNT, ns->ref_mntns.ino);
	const char *const *prefix = NULL;
	size_t prefix_count = 0;
	char *fallback = NULL;
	if (mnt && mnt != ns && depth < 32) {
		int e = build_ref(r, mnt, depth + 1);
		if (e < 0)
			return e;
		prefix = (const char *const *)mnt->ref;
		prefix_count = mnt->ref_count;
	}
	if (!prefix_count && mnt && mnt != ns) {
		/* its mount namespace has no path (known to the kernel's list
		 * only): no reference, but say where it is mounted */
		ns->held = (struct ns_held){ .kind = NS_HELD_BIND,
					     .mntns = mnt->id.ino,
					     .what = ns->ref_path };
		return 0;
	}
	if (!prefix_count) {
		/* the mount namespace itself was not discovered (type filter):
		 * name it through the process whose mount table we read */
		if (!proc_path(buf, sizeof(buf), ns->ref_pid, "/ns/",
			       lxkns_ns_type_name(LXKNS_NS_MNT), 0))
			return -EINVAL;
		fallback = arena_strdup(&r->arena, buf);
		if (!fallback)
			return -ENOMEM;
		prefix = (const char *const *)&fallback;
		prefix_count = 1;
	}
	ns->ref = arena_alloc(&r->arena, sizeof(char *) * (prefix_count + 1));
	if (!ns->ref)
		return -ENOMEM;
	for (size_t i = 0; i < prefix_count; i++)
		ns->ref[i] = (char *)prefix[i];
	ns->ref[prefix_count] = (char *)ns->ref_path;
	ns->ref_count = prefix_count + 1;
	return 0;
}

int result_build_refs(struct lxkns_result *r)
{
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		for (size_t i = 0; i < r->ns[t].count; i++) {
			int e = build_ref(r, r->ns[t].items[i], 0);
			if (e < 0)
				return e;
		}
	return 0;
}

struct lxkns_process *result_attach_container_process(struct lxkns_result *r, pid_t pid,
						      struct lxkns_container *c)
{
	struct lxkns_process *p = pid > 0 ? u64map_get(&r->proc_by_pid, (uint64_t)pid) : NULL;

	if (p)
		p->container = c;
	return p;
}

void result_attach_containers(struct lxkns_result *r, struct lxkns_container **containers,
			      size_t container_count, struct lxkns_container_engine **engines,
			      size_t engine_count, struct lxkns_container_group **groups,
			      size_t group_count)
{
	r->containers = containers;
	r->container_count = container_count;
	r->engines = engines;
	r->engine_count = engine_count;
	r->groups = groups;
	r->group_count = group_count;
}
