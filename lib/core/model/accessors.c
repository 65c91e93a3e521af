/* SPDX-License-Identifier: Apache-2.0 */
/*
 * accessors.c: the read-only public view of results, namespaces, processes
 * and tasks. Out-of-range indexes return NULL/0 rather than crash.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lxkns-internal.h"

#define AT(vec, i) ((i) < (vec).count ? (vec).items[i] : NULL)
#define VALID_TYPE(t) ((int)(t) >= 0 && (t) < _LXKNS_NS_TYPE_MAX)

const struct lxkns_discover_opts *lxkns_result_options(const struct lxkns_result *r)
{
	return &r->opts;
}

size_t lxkns_result_namespace_count(const struct lxkns_result *r, enum lxkns_ns_type type)
{
	return VALID_TYPE(type) ? r->ns[type].count : 0;
}

const struct lxkns_namespace *lxkns_result_namespace_at(const struct lxkns_result *r,
							enum lxkns_ns_type type, size_t index)
{
	return VALID_TYPE(type) ? AT(r->ns[type], index) : NULL;
}

const struct lxkns_namespace *lxkns_result_namespace_by_ino(const struct lxkns_result *r, int type,
							    uint64_t ino)
{
	if (type >= 0)
		return result_namespace_find(r, (enum lxkns_ns_type)type, ino);
	/* any type: an inode seen as two types (replaced during the scan)
	 * answers with the lowest type, as the JSON key does */
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		const struct lxkns_namespace *ns = result_namespace_find(r, t, ino);
		if (ns)
			return ns;
	}
	return NULL;
}

const struct lxkns_namespace *lxkns_result_initial_namespace(const struct lxkns_result *r,
							     enum lxkns_ns_type type)
{
	return VALID_TYPE(type) ? r->initial[type] : NULL;
}

size_t lxkns_result_root_count(const struct lxkns_result *r, enum lxkns_ns_type type)
{
	return VALID_TYPE(type) ? r->roots[type].count : 0;
}

const struct lxkns_namespace *lxkns_result_root_at(const struct lxkns_result *r,
						   enum lxkns_ns_type type, size_t index)
{
	return VALID_TYPE(type) ? AT(r->roots[type], index) : NULL;
}

size_t lxkns_result_process_count(const struct lxkns_result *r)
{
	return r->proc_count;
}

const struct lxkns_process *lxkns_result_process_at(const struct lxkns_result *r, size_t index)
{
	return index < r->proc_count ? r->procs[index] : NULL;
}

const struct lxkns_process *lxkns_result_process_by_pid(const struct lxkns_result *r, pid_t pid)
{
	return pid > 0 ? u64map_get(&r->proc_by_pid, (uint64_t)pid) : NULL;
}

static bool ranges_at(const uint32_t *r, size_t count, size_t i, unsigned *from, unsigned *to)
{
	if (i >= count)
		return false;
	if (from)
		*from = r[2 * i];
	if (to)
		*to = r[2 * i + 1];
	return true;
}

size_t lxkns_result_cpus_online_count(const struct lxkns_result *r)
{
	return r->cpus_online_count;
}

bool lxkns_result_cpus_online_at(const struct lxkns_result *r, size_t i, unsigned *from,
				 unsigned *to)
{
	return ranges_at(r->cpus_online, r->cpus_online_count, i, from, to);
}

size_t lxkns_result_diagnostic_count(const struct lxkns_result *r)
{
	return r->diag_count;
}

const struct lxkns_diagnostic *lxkns_result_diagnostic_at(const struct lxkns_result *r,
							  size_t index)
{
	return index < r->diag_count ? &r->diags[index] : NULL;
}

struct lxkns_nsid lxkns_namespace_id(const struct lxkns_namespace *ns)
{
	return ns->id;
}

enum lxkns_ns_type lxkns_namespace_type(const struct lxkns_namespace *ns)
{
	return ns->type;
}

size_t lxkns_namespace_ref_count(const struct lxkns_namespace *ns)
{
	return ns->ref_count;
}

const char *lxkns_namespace_ref_at(const struct lxkns_namespace *ns, size_t index)
{
	return index < ns->ref_count ? ns->ref[index] : NULL;
}

bool lxkns_namespace_is_hidden(const struct lxkns_namespace *ns)
{
	return ns->ref_count == 0 && ns->held.kind == NS_HELD_NONE;
}

const char *lxkns_namespace_held_kind(const struct lxkns_namespace *ns)
{
	switch (ns->held.kind) {
	case NS_HELD_DETACHED:
		return "detached-mount";
	case NS_HELD_KERNEL:
		return "kernel-list";
	case NS_HELD_BIND:
		return "bind-mount";
	case NS_HELD_NONE:
		break;
	}
	return NULL;
}

int lxkns_namespace_held_describe(const struct lxkns_namespace *ns, char *buf, size_t size)
{
	const struct ns_held *h = &ns->held;
	const char *what = h->what ? h->what : "";
	int n;

	switch (h->kind) {
	case NS_HELD_DETACHED:
		n = snprintf(buf, size, "a detached mount, fd %d of PID %d", h->fd, (int)h->pid);
		break;
	case NS_HELD_KERNEL:
		n = snprintf(buf, size,
			     "nothing the discovery sees (only the kernel's list, %s, shows it)",
			     what);
		break;
	case NS_HELD_BIND:
		n = snprintf(buf, size, "a bind mount at %s in mnt:[%llu]", what,
			     (unsigned long long)h->mntns);
		break;
	default:
		if (buf && size)
			buf[0] = 0;
		return -ENOENT;
	}
	return n < 0 ? -EINVAL : n;
}

size_t lxkns_namespace_leader_count(const struct lxkns_namespace *ns)
{
	return ns->leaders.count;
}

const struct lxkns_process *lxkns_namespace_leader_at(const struct lxkns_namespace *ns,
						      size_t index)
{
	return AT(ns->leaders, index);
}

const struct lxkns_process *lxkns_namespace_ealdorman(const struct lxkns_namespace *ns)
{
	return ns->ealdorman;
}

size_t lxkns_namespace_loose_thread_count(const struct lxkns_namespace *ns)
{
	return ns->loose_threads.count;
}

const struct lxkns_task *lxkns_namespace_loose_thread_at(const struct lxkns_namespace *ns,
							 size_t index)
{
	return AT(ns->loose_threads, index);
}

const struct lxkns_namespace *lxkns_namespace_owner(const struct lxkns_namespace *ns)
{
	return ns->owner;
}

const struct lxkns_namespace *lxkns_namespace_parent(const struct lxkns_namespace *ns)
{
	return ns->parent;
}

size_t lxkns_namespace_child_count(const struct lxkns_namespace *ns)
{
	return ns->children.count;
}

const struct lxkns_namespace *lxkns_namespace_child_at(const struct lxkns_namespace *ns,
						       size_t index)
{
	return AT(ns->children, index);
}

bool lxkns_namespace_owner_uid(const struct lxkns_namespace *ns, uid_t *ret_uid)
{
	if (ret_uid)
		*ret_uid = ns->has_owner_uid ? ns->owner_uid : 0;
	return ns->has_owner_uid;
}

const char *lxkns_namespace_user_name(const struct lxkns_namespace *ns)
{
	return ns->user_name ? ns->user_name : "";
}

size_t lxkns_namespace_owned_count(const struct lxkns_namespace *ns, enum lxkns_ns_type type)
{
	return ns->owned && VALID_TYPE(type) ? ns->owned[type].count : 0;
}

const struct lxkns_namespace *lxkns_namespace_owned_at(const struct lxkns_namespace *ns,
						       enum lxkns_ns_type type, size_t index)
{
	return ns->owned && VALID_TYPE(type) ? AT(ns->owned[type], index) : NULL;
}

#define COMMON_ACCESSORS(kind, type_)                                                              \
	const char *lxkns_##kind##_name(const type_ *x)                                            \
	{                                                                                          \
		return x->c.name ? x->c.name : "";                                                 \
	}                                                                                          \
	uint64_t lxkns_##kind##_starttime(const type_ *x)                                          \
	{                                                                                          \
		return x->c.starttime;                                                             \
	}                                                                                          \
	const char *lxkns_##kind##_cpu_cgroup(const type_ *x)                                      \
	{                                                                                          \
		return x->c.cpu_cgroup ? x->c.cpu_cgroup : "";                                     \
	}                                                                                          \
	const char *lxkns_##kind##_freezer_cgroup(const type_ *x)                                  \
	{                                                                                          \
		return x->c.freezer_cgroup ? x->c.freezer_cgroup : "";                             \
	}                                                                                          \
	bool lxkns_##kind##_frozen(const type_ *x)                                                 \
	{                                                                                          \
		return x->c.frozen;                                                                \
	}                                                                                          \
	size_t lxkns_##kind##_affinity_count(const type_ *x)                                       \
	{                                                                                          \
		return x->c.affinity_count;                                                        \
	}                                                                                          \
	bool lxkns_##kind##_affinity_at(const type_ *x, size_t i, unsigned *from, unsigned *to)    \
	{                                                                                          \
		return ranges_at(x->c.affinity, x->c.affinity_count, i, from, to);                 \
	}                                                                                          \
	int lxkns_##kind##_policy(const type_ *x)                                                  \
	{                                                                                          \
		return x->c.policy;                                                                \
	}                                                                                          \
	int lxkns_##kind##_priority(const type_ *x)                                                \
	{                                                                                          \
		return x->c.priority;                                                              \
	}                                                                                          \
	int lxkns_##kind##_nice(const type_ *x)                                                    \
	{                                                                                          \
		return x->c.nice;                                                                  \
	}                                                                                          \
	const struct lxkns_namespace *lxkns_##kind##_namespace(const type_ *x,                     \
							       enum lxkns_ns_type type)            \
	{                                                                                          \
		return VALID_TYPE(type) ? pc_ns(&x->c, type) : NULL;                               \
	}

COMMON_ACCESSORS(process, struct lxkns_process)
COMMON_ACCESSORS(task, struct lxkns_task)

pid_t lxkns_process_pid(const struct lxkns_process *p)
{
	return p->pid;
}

pid_t lxkns_process_ppid(const struct lxkns_process *p)
{
	return p->ppid;
}

bool lxkns_process_uid(const struct lxkns_process *p, uid_t *ret)
{
	if (!p->uid_p1)
		return false;
	if (ret)
		*ret = (uid_t)(p->uid_p1 - 1);
	return true;
}

size_t lxkns_process_cmdline_count(const struct lxkns_process *p)
{
	return p->cmdline_count;
}

const char *lxkns_process_cmdline_at(const struct lxkns_process *p, size_t index)
{
	if (index >= p->cmdline_count)
		return NULL;
	/* back to back, each NUL-terminated: a walk, cheap for the few
	 * arguments a command line has */
	const char *s = p->cmdline, *end = p->cmdline + p->cmdline_len;
	for (; index; index--)
		s = (const char *)memchr(s, 0, (size_t)(end - s)) + 1;
	return s;
}

const struct lxkns_process *lxkns_process_parent(const struct lxkns_process *p)
{
	return p->parent;
}

size_t lxkns_process_child_count(const struct lxkns_process *p)
{
	return p->children.count;
}

const struct lxkns_process *lxkns_process_child_at(const struct lxkns_process *p, size_t index)
{
	return AT(p->children, index);
}

size_t lxkns_process_nspid_count(const struct lxkns_process *p)
{
	return p->c.nspid_count;
}

pid_t lxkns_process_nspid_at(const struct lxkns_process *p, size_t index)
{
	return index < p->c.nspid_count ? p->c.nspid[index] : 0;
}

size_t lxkns_process_task_count(const struct lxkns_process *p)
{
	return p->task_count;
}

const struct lxkns_task *lxkns_process_task_at(const struct lxkns_process *p, size_t index)
{
	return index < p->task_count ? p->tasks[index] : NULL;
}

pid_t lxkns_task_tid(const struct lxkns_task *t)
{
	return t->tid;
}

const struct lxkns_process *lxkns_task_process(const struct lxkns_task *t)
{
	return t->process;
}
