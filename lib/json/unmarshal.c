/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unmarshal.c: reads a DiscoveryResult document (ours or Go lxkns') back
 * into a result, with jansson. As in Go lxkns, "children" and "ealdorman"
 * are recomputed rather than trusted; leaders and loose threads are taken
 * as given. Namespaces referenced by processes but not listed are created.
 * Anything malformed is rejected with a message naming the spot; nothing is
 * left half-built.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "containers-internal.h"
#include "lxkns-internal.h"
#include "mounts/mounts-internal.h"
#include "species-internal.h"
#include "strutil.h"

struct reader {
	struct lxkns_result *r;
	struct u64map tasks_by_tid;
	struct nsset *last_nss; /* shared with the next process or task if alike */
	/* the caller's message buffer (may be NULL/0): the first failure's text */
	char *err;
	size_t errsize;
};

__attribute__((format(printf, 2, 3))) static int fail(struct reader *rd, const char *fmt, ...)
{
	va_list ap;
	if (rd->err && rd->errsize && !rd->err[0]) {
		va_start(ap, fmt);
		vsnprintf(rd->err, rd->errsize, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

static int get_u64(struct reader *rd, json_t *v, const char *what, uint64_t *ret)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return fail(rd, "%s: not a non-negative integer", what);
	*ret = (uint64_t)json_integer_value(v);
	return 0;
}

static int get_pid(struct reader *rd, json_t *v, const char *what, pid_t *ret, bool zero_ok)
{
	if (!json_is_integer(v) || json_integer_value(v) < (zero_ok ? 0 : 1) ||
	    json_integer_value(v) > INT32_MAX)
		return fail(rd, "%s: not a valid PID", what);
	*ret = (pid_t)json_integer_value(v);
	return 0;
}

static int get_int(struct reader *rd, json_t *obj, const char *key, const char *what, int *ret)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		*ret = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < INT32_MIN ||
	    json_integer_value(v) > INT32_MAX)
		return fail(rd, "%s: \"%s\" is not an integer", what, key);
	*ret = (int)json_integer_value(v);
	return 0;
}

static const char *get_str(struct reader *rd, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return NULL;
	return arena_strndup(&rd->r->arena, json_string_value(v), json_string_length(v));
}

/* A namespace's "held-by" (ours, see marshal.c): a detached mount, the
 * kernel's list, or a bind mount in a mount namespace without reference. */
static int read_held(struct reader *rd, json_t *v, const char *what, struct ns_held *ret)
{
	json_t *k = json_object_get(v, "kind");
	const char *kind = json_is_string(k) ? json_string_value(k) : "";
	struct ns_held h = { 0 };

	if (!json_is_object(v))
		return fail(rd, "%s: \"held-by\" is not an object", what);
	char hwhat[96];
	snprintf(hwhat, sizeof(hwhat), "%.64s: \"held-by\"", what);
	if (strcmp(kind, "detached-mount") == 0) {
		h.kind = NS_HELD_DETACHED;
		if (get_pid(rd, json_object_get(v, "pid"), hwhat, &h.pid, false) < 0 ||
		    get_int(rd, v, "fd", hwhat, &h.fd) < 0)
			return -EBADMSG;
		if (h.fd < 0)
			return fail(rd, "%s: \"held-by\" has a negative fd", what);
	} else if (strcmp(kind, "kernel-list") == 0) {
		h.kind = NS_HELD_KERNEL;
		h.what = get_str(rd, v, "via");
		if (!h.what)
			return fail(rd, "%s: \"held-by\" has no \"via\"", what);
	} else if (strcmp(kind, "bind-mount") == 0) {
		h.kind = NS_HELD_BIND;
		if (get_u64(rd, json_object_get(v, "mount-namespace"), hwhat, &h.mntns) < 0)
			return -EBADMSG;
		h.what = get_str(rd, v, "path");
		if (!h.what)
			return fail(rd, "%s: \"held-by\" has no \"path\"", what);
	} else {
		return fail(rd, "%s: \"held-by\" has an unknown \"kind\"", what);
	}
	*ret = h;
	return 0;
}

/* The namespace (type, ino), created when new: 0, -EBADMSG or -ENOMEM. */
static int ns_of(struct reader *rd, enum lxkns_ns_type type, uint64_t ino, const char *what,
		 struct lxkns_namespace **ret)
{
	struct lxkns_nsid id = { .dev = 0, .ino = ino };
	if (ino == 0)
		return fail(rd, "%s: namespace inode 0", what);
	*ret = result_namespace_get(rd->r, type, id, NULL);
	return *ret ? 0 : -ENOMEM;
}

static int read_ns_refs(struct reader *rd, json_t *obj, const char *what,
			struct lxkns_namespace *ns[_LXKNS_NS_TYPE_MAX])
{
	json_t *nss = json_object_get(obj, "namespaces");
	const char *key;
	json_t *v;

	if (!nss)
		return 0;
	if (!json_is_object(nss))
		return fail(rd, "%s: \"namespaces\" is not an object", what);
	json_object_foreach (nss, key, v) {
		int t = lxkns_ns_type_from_name(key);
		uint64_t ino = 0;
		if (t < 0)
			return fail(rd, "%s: unknown namespace type \"%s\"", what, key);
		if (get_u64(rd, v, what, &ino) < 0)
			return -EBADMSG;
		int r = ns_of(rd, t, ino, what, &ns[t]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* [[from, to], ...] */
static int read_ranges(struct reader *rd, json_t *v, const char *what, uint32_t **ret,
		       uint32_t *ret_count)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(rd, "%s: a CPU list is not an array", what);
	size_t n = json_array_size(v);
	if (n > UINT32_MAX / 2)
		return fail(rd, "%s: too many CPU ranges", what);
	uint32_t *r = arena_alloc(&rd->r->arena, 2 * n * sizeof(uint32_t) + 1);
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_t *pair = json_array_get(v, i);
		json_t *a = json_array_get(pair, 0), *b = json_array_get(pair, 1);
		if (!json_is_array(pair) || json_array_size(pair) != 2 || !json_is_integer(a) ||
		    !json_is_integer(b) || json_integer_value(a) < 0 ||
		    json_integer_value(b) < json_integer_value(a) ||
		    json_integer_value(b) > UINT32_MAX)
			return fail(rd, "%s: a CPU range is not [from, to]", what);
		r[2 * i] = (uint32_t)json_integer_value(a);
		r[2 * i + 1] = (uint32_t)json_integer_value(b);
	}
	*ret = r;
	*ret_count = (uint32_t)n;
	return 0;
}

static int read_common(struct reader *rd, json_t *obj, const char *what, struct proc_common *c)
{
	json_t *v;

	if (read_ranges(rd, json_object_get(obj, "affinity"), what, &c->affinity,
			&c->affinity_count) < 0)
		return -EBADMSG;
	c->name = get_str(rd, obj, "name");
	c->cpu_cgroup = get_str(rd, obj, "cpucgroup");
	c->freezer_cgroup = get_str(rd, obj, "fridgecgroup");
	v = json_object_get(obj, "starttime");
	if (v && get_u64(rd, v, what, &c->starttime) < 0)
		return -EBADMSG;
	v = json_object_get(obj, "fridgefrozen");
	if (v && !json_is_boolean(v))
		return fail(rd, "%s: \"fridgefrozen\" is not a boolean", what);
	c->frozen = json_is_true(v);
	if (get_int(rd, obj, "policy", what, &c->policy) < 0 ||
	    get_int(rd, obj, "priority", what, &c->priority) < 0 ||
	    get_int(rd, obj, "nice", what, &c->nice) < 0)
		return -EBADMSG;
	struct lxkns_namespace *ns[_LXKNS_NS_TYPE_MAX] = { NULL };
	int r = read_ns_refs(rd, obj, what, ns);
	if (r < 0)
		return r;
	if (rd->last_nss && memcmp(rd->last_nss->ns, ns, sizeof(ns)) == 0) {
		c->nss = rd->last_nss;
		return 0;
	}
	struct nsset *set = arena_alloc(&rd->r->arena, sizeof(*set));
	if (!set)
		return -ENOMEM;
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (ns[t]) {
			set->id[t] = ns[t]->id;
			set->ns[t] = ns[t];
			set->resolved |= (uint8_t)(1u << t);
		}
	c->nss = rd->last_nss = set;
	return 0;
}

static int read_process(struct reader *rd, const char *key, json_t *obj, struct lxkns_process **ret)
{
	struct lxkns_process *p;
	char what[64];
	json_t *v;

	snprintf(what, sizeof(what), "process %.32s", key);
	if (!json_is_object(obj))
		return fail(rd, "%s: not an object", what);
	p = arena_alloc(&rd->r->arena, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->main_task.process = p; /* (the tasks read below are objects of their own) */
	if (get_pid(rd, json_object_get(obj, "pid"), what, &p->pid, false) < 0 ||
	    get_pid(rd, json_object_get(obj, "ppid"), what, &p->ppid, true) < 0)
		return -EBADMSG;
	int keypid;
	if (safe_atoi(key, &keypid) < 0 || keypid != p->pid)
		return fail(rd, "%s: key and \"pid\" differ", what);
	int r = read_common(rd, obj, what, &p->c);
	if (r < 0)
		return r;
	/* optional: absent (or null) when unknown */
	v = json_object_get(obj, "uid");
	if (v && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) >= (json_int_t)UINT32_MAX)
			return fail(rd, "%s: \"uid\" is not a valid UID", what);
		p->uid_p1 = (uint32_t)json_integer_value(v) + 1;
	}

	v = json_object_get(obj, "cmdline");
	if (v && !json_is_null(v)) {
		if (!json_is_array(v))
			return fail(rd, "%s: \"cmdline\" is not an array", what);
		/* the arguments back to back, each NUL-terminated (an argument
		 * ends at an embedded NUL, as in the kernel's) */
		size_t n = json_array_size(v), len = 0;
		for (size_t i = 0; i < n; i++) {
			json_t *a = json_array_get(v, i);
			if (!json_is_string(a))
				return fail(rd, "%s: \"cmdline\" holds a non-string", what);
			len += strlen(json_string_value(a)) + 1;
		}
		if (len > UINT32_MAX)
			return fail(rd, "%s: \"cmdline\" is too long", what);
		if (n) {
			char *blob = arena_alloc_raw(&rd->r->arena, len), *q = blob;
			if (!blob)
				return -ENOMEM;
			for (size_t i = 0; i < n; i++) {
				const char *a = json_string_value(json_array_get(v, i));
				size_t l = strlen(a) + 1;
				memcpy(q, a, l);
				q += l;
			}
			p->cmdline = blob;
			p->cmdline_len = (uint32_t)len;
			p->cmdline_count = (uint32_t)n;
		}
	}

	v = json_object_get(obj, "tasks");
	if (v && !json_is_null(v)) {
		if (!json_is_array(v))
			return fail(rd, "%s: \"tasks\" is not an array", what);
		size_t n = json_array_size(v);
		p->tasks = arena_alloc(&rd->r->arena, (n + 1) * sizeof(*p->tasks));
		if (!p->tasks)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			json_t *to = json_array_get(v, i);
			struct lxkns_task *t = arena_alloc(&rd->r->arena, sizeof(*t));
			char twhat[96];
			if (!t)
				return -ENOMEM;
			snprintf(twhat, sizeof(twhat), "%s task %zu", what, i);
			if (!json_is_object(to))
				return fail(rd, "%s: not an object", twhat);
			if (get_pid(rd, json_object_get(to, "tid"), twhat, &t->tid, false) < 0)
				return -EBADMSG;
			r = read_common(rd, to, twhat, &t->c);
			if (r < 0)
				return r;
			t->process = p;
			if (u64map_put(&rd->tasks_by_tid, (uint64_t)t->tid, t) < 0)
				return -ENOMEM;
			p->tasks[i] = t;
		}
		p->task_count = n;
	}
	*ret = p;
	return 0;
}

static int read_namespace(struct reader *rd, const char *key, json_t *obj)
{
	char what[64];
	uint64_t ino = 0, v64;
	json_t *v;

	snprintf(what, sizeof(what), "namespace %.32s", key);
	if (!json_is_object(obj))
		return fail(rd, "%s: not an object", what);
	if (get_u64(rd, json_object_get(obj, "nsid"), what, &ino) < 0)
		return -EBADMSG;
	v = json_object_get(obj, "type");
	int type = json_is_string(v) ? lxkns_ns_type_from_name(json_string_value(v)) : -1;
	if (type < 0)
		return fail(rd, "%s: \"type\" is not a namespace type", what);
	/* the inode; "TYPE:[inode]" for a second type of one inode (the kernel
	 * reused it during the scan, see ARCHITECTURE.md "Inode reuse") */
	int key_type = -1;
	if (safe_atou64(key, &v64) < 0 &&
	    (lxkns_nsid_parse(key, &key_type, &v64) < 0 || key_type != type))
		v64 = 0;
	if (v64 != ino)
		return fail(rd, "%s: key and \"nsid\" differ", what);
	struct lxkns_namespace *ns = NULL;
	int r = ns_of(rd, type, ino, what, &ns);
	if (r < 0)
		return r;
	if (ns->ref_kind == NS_REF_LITERAL)
		return fail(rd, "%s: %s:[%llu] is listed twice", what, lxkns_ns_type_name(type),
			    (unsigned long long)ino);

	v = json_object_get(obj, "owner");
	if (v && get_u64(rd, v, what, &ns->owner_ino) < 0)
		return -EBADMSG;
	v = json_object_get(obj, "parent");
	if (v && get_u64(rd, v, what, &ns->parent_ino) < 0)
		return -EBADMSG;

	ns->ref_kind = NS_REF_LITERAL;
	v = json_object_get(obj, "reference");
	if (json_is_string(v)) {
		/* before lxkns 0.19 the reference was a single string */
		v = json_pack("[O]", v);
		if (!v)
			return -ENOMEM;
	} else {
		json_incref(v);
	}
	if (v && !json_is_null(v)) {
		if (!json_is_array(v)) {
			json_decref(v);
			return fail(rd, "%s: \"reference\" is not an array", what);
		}
		size_t n = json_array_size(v);
		ns->ref = arena_alloc(&rd->r->arena, (n + 1) * sizeof(char *));
		for (size_t i = 0; ns->ref && i < n; i++) {
			json_t *s = json_array_get(v, i);
			if (!json_is_string(s)) {
				json_decref(v);
				return fail(rd, "%s: \"reference\" holds a non-string", what);
			}
			ns->ref[i] = arena_strndup(&rd->r->arena, json_string_value(s),
						   json_string_length(s));
			if (!ns->ref[i])
				break;
			ns->ref_count = i + 1;
		}
		json_decref(v);
		if (!ns->ref || ns->ref_count != n)
			return -ENOMEM;
	} else {
		json_decref(v);
	}

	v = json_object_get(obj, "held-by");
	if (v && !json_is_null(v) && read_held(rd, v, what, &ns->held) < 0)
		return -EBADMSG;

	/* leaders and loose threads: resolved once all processes are known */
	v = json_object_get(obj, "leaders");
	if (v && !json_is_null(v)) {
		if (!json_is_array(v))
			return fail(rd, "%s: \"leaders\" is not an array", what);
		for (size_t i = 0; i < json_array_size(v); i++) {
			pid_t pid;
			if (get_pid(rd, json_array_get(v, i), what, &pid, false) < 0)
				return -EBADMSG;
			struct lxkns_process *p = u64map_get(&rd->r->proc_by_pid, (uint64_t)pid);
			if (!p)
				return fail(rd, "%s: leader %d is not in \"processes\"", what,
					    (int)pid);
			if (ptrvec_push(&ns->leaders, p) < 0)
				return -ENOMEM;
		}
	}
	v = json_object_get(obj, "loose-threads");
	if (v && !json_is_null(v)) {
		if (!json_is_array(v))
			return fail(rd, "%s: \"loose-threads\" is not an array", what);
		for (size_t i = 0; i < json_array_size(v); i++) {
			pid_t tid;
			if (get_pid(rd, json_array_get(v, i), what, &tid, false) < 0)
				return -EBADMSG;
			struct lxkns_task *t = u64map_get(&rd->tasks_by_tid, (uint64_t)tid);
			if (!t)
				return fail(rd,
					    "%s: loose thread %d is not a task in \"processes\"",
					    what, (int)tid);
			if (ptrvec_push(&ns->loose_threads, t) < 0)
				return -ENOMEM;
		}
	}
	/* recomputed, but it must name a process */
	v = json_object_get(obj, "ealdorman");
	if (v && !json_is_null(v)) {
		pid_t pid;
		if (get_pid(rd, v, what, &pid, false) < 0)
			return -EBADMSG;
		if (!u64map_get(&rd->r->proc_by_pid, (uint64_t)pid))
			return fail(rd, "%s: ealdorman %d is not in \"processes\"", what, (int)pid);
	}
	if (type == LXKNS_NS_USER) {
		v = json_object_get(obj, "user-id");
		if (v) {
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > UINT32_MAX)
				return fail(rd, "%s: \"user-id\" is not a UID", what);
			ns->has_owner_uid = true;
			ns->owner_uid = (uid_t)json_integer_value(v);
		}
		ns->user_name = get_str(rd, obj, "user-name");
	}
	return 0;
}

static const char *opt_str(struct reader *rd, json_t *obj, const char *key, const char *what,
			   int *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return "";
	if (!json_is_string(v)) {
		*err = fail(rd, "%s: \"%s\" is not a string", what, key);
		return NULL;
	}
	const char *s = arena_strndup(&rd->r->arena, json_string_value(v), json_string_length(v));
	if (!s)
		*err = -ENOMEM;
	return s;
}

static int read_mount(struct reader *rd, json_t *o, const char *what, struct lxkns_mount *m)
{
	struct arena *a = &rd->r->arena;
	int err = 0;
	uint64_t v = 0;
	json_t *x;

	if (!json_is_object(o))
		return fail(rd, "%s: a mount is not an object", what);
	if (get_u64(rd, json_object_get(o, "mountid"), what, &m->id) < 0 ||
	    get_u64(rd, json_object_get(o, "parentid"), what, &m->parent_id) < 0)
		return -EBADMSG;
	if ((x = json_object_get(o, "major")) && (get_u64(rd, x, what, &v) < 0 || v > UINT32_MAX))
		return fail(rd, "%s: bad \"major\"", what);
	m->major = x ? (unsigned)v : 0;
	if ((x = json_object_get(o, "minor")) && (get_u64(rd, x, what, &v) < 0 || v > UINT32_MAX))
		return fail(rd, "%s: bad \"minor\"", what);
	m->minor = x ? (unsigned)v : 0;
	m->root = opt_str(rd, o, "root", what, &err);
	m->mountpoint = opt_str(rd, o, "mountpoint", what, &err);
	m->fstype = opt_str(rd, o, "fstype", what, &err);
	m->source = opt_str(rd, o, "source", what, &err);
	m->superoptions = opt_str(rd, o, "superoptions", what, &err);
	if (err)
		return err;
	/* mount options: an array on the wire, one comma-separated string here */
	x = json_object_get(o, "mountoptions");
	size_t total = 1;
	if (x && !json_is_null(x)) {
		if (!json_is_array(x))
			return fail(rd, "%s: \"mountoptions\" is not an array", what);
		for (size_t i = 0; i < json_array_size(x); i++) {
			if (!json_is_string(json_array_get(x, i)))
				return fail(rd, "%s: \"mountoptions\" holds a non-string", what);
			total += json_string_length(json_array_get(x, i)) + 1;
		}
	}
	char *opts = arena_alloc(a, total);
	if (!opts)
		return -ENOMEM;
	for (size_t i = 0, n = 0; x && json_is_array(x) && i < json_array_size(x); i++) {
		json_t *e = json_array_get(x, i);
		if (i)
			opts[n++] = ',';
		memcpy(opts + n, json_string_value(e), json_string_length(e));
		n += json_string_length(e);
	}
	m->options = opts;
	x = json_object_get(o, "tags");
	if (x && !json_is_null(x)) {
		const char *k;
		json_t *tv;
		if (!json_is_object(x))
			return fail(rd, "%s: \"tags\" is not an object", what);
		m->tags = arena_alloc(a, (json_object_size(x) + 1) * sizeof(*m->tags));
		if (!m->tags)
			return -ENOMEM;
		json_object_foreach (x, k, tv) {
			if (!json_is_string(tv))
				return fail(rd, "%s: tag \"%s\" is not a string", what, k);
			m->tags[m->tag_count].name = arena_strdup(a, k);
			m->tags[m->tag_count].value = arena_strndup(a, json_string_value(tv),
								    json_string_length(tv));
			if (!m->tags[m->tag_count].name || !m->tags[m->tag_count].value)
				return -ENOMEM;
			m->tag_count++;
		}
	}
	x = json_object_get(o, "hidden");
	if (x && !json_is_boolean(x))
		return fail(rd, "%s: \"hidden\" is not a boolean", what);
	m->hidden = json_is_true(x);
	return 0;
}

static int read_mounts(struct reader *rd, json_t *mounts)
{
	const char *key;
	json_t *paths;

	if (!mounts || json_is_null(mounts))
		return 0;
	if (!json_is_object(mounts))
		return fail(rd, "\"mounts\" is not an object");
	json_object_foreach (mounts, key, paths) {
		char what[64];
		uint64_t ino;
		snprintf(what, sizeof(what), "mounts of %.32s", key);
		if (safe_atou64(key, &ino) < 0 || ino == 0)
			return fail(rd, "%s: not a namespace inode", what);
		if (!json_is_object(paths))
			return fail(rd, "%s: not an object", what);
		struct lxkns_namespace *ns = NULL;
		int e = ns_of(rd, LXKNS_NS_MNT, ino, what, &ns);
		if (e < 0)
			return e;
		if (ns->mounts)
			continue;
		size_t n = 0;
		const char *path;
		json_t *pv;
		json_object_foreach (paths, path, pv) {
			json_t *ms = json_is_object(pv) ? json_object_get(pv, "mounts") : NULL;
			if (!json_is_array(ms))
				return fail(rd, "%s: path \"%.64s\" has no \"mounts\" array", what,
					    path);
			n += json_array_size(ms);
		}
		struct lxkns_mount_table *t = arena_alloc(&rd->r->arena, sizeof(*t));
		if (!t)
			return -ENOMEM;
		t->mounts = arena_alloc(&rd->r->arena, (n ? n : 1) * sizeof(*t->mounts));
		if (!t->mounts)
			return -ENOMEM;
		json_object_foreach (paths, path, pv) {
			json_t *ms = json_object_get(pv, "mounts");
			for (size_t i = 0; i < json_array_size(ms); i++) {
				int r = read_mount(rd, json_array_get(ms, i), what,
						   &t->mounts[t->count]);
				if (r < 0)
					return r;
				if (strcmp(t->mounts[t->count].mountpoint, path) != 0)
					return fail(rd,
						    "%s: a mount at \"%.64s\" is listed under "
						    "\"%.64s\"",
						    what, t->mounts[t->count].mountpoint, path);
				t->count++;
			}
		}
		ns->mounts = t;
		int r = mount_table_link(&rd->r->arena, t, false);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- containers, engines, groups ---- */

static int read_labels(struct reader *rd, json_t *o, const char *what, struct ct_labels *l)
{
	const char *k;
	json_t *v;

	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return fail(rd, "%s: \"labels\" is not an object", what);
	json_object_foreach (o, k, v) {
		if (!json_is_string(v))
			return fail(rd, "%s: label \"%.64s\" is not a string", what, k);
		if (ct_label_setn(&rd->r->arena, l, k, strlen(k), json_string_value(v),
				  json_string_length(v)) < 0)
			return -ENOMEM;
	}
	ct_labels_sort(l);
	return 0;
}

static const char *ct_str(struct reader *rd, json_t *o, const char *key, const char *what, int *err)
{
	return opt_str(rd, o, key, what, err);
}

/* A refid key ("1", "2", ...) of container-engines or container-groups. */
static int refid_of(struct reader *rd, const char *key, const char *what, unsigned *ret)
{
	uint64_t v;
	if (safe_atou64(key, &v) < 0 || v == 0 || v > UINT32_MAX)
		return fail(rd, "%s: \"%.32s\" is not a reference ID", what, key);
	*ret = (unsigned)v;
	return 0;
}

static int cmp_engine_refid(const void *a, const void *b)
{
	const struct lxkns_container_engine *x = *(void *const *)a, *y = *(void *const *)b;
	return x->refid < y->refid ? -1 : x->refid > y->refid;
}

static int cmp_group_refid(const void *a, const void *b)
{
	const struct lxkns_container_group *x = *(void *const *)a, *y = *(void *const *)b;
	return x->refid < y->refid ? -1 : x->refid > y->refid;
}

static int cmp_container_pid(const void *a, const void *b)
{
	const struct lxkns_container *x = *(void *const *)a, *y = *(void *const *)b;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The "containers" array of PIDs of an engine or group. */
static int read_member_pids(struct reader *rd, json_t *o, const char *what, struct u64map *by_pid,
			    struct lxkns_container ***items, size_t *count, size_t *cap)
{
	json_t *v = json_object_get(o, "containers"), *x;
	size_t i;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(rd, "%s: \"containers\" is not an array", what);
	json_array_foreach (v, i, x) {
		pid_t pid;
		if (get_pid(rd, x, what, &pid, false) < 0)
			return -EBADMSG;
		struct lxkns_container *c = u64map_get(by_pid, (uint64_t)pid);
		if (!c)
			return fail(rd, "%s: container %d is not in \"containers\"", what,
				    (int)pid);
		if (ct_push(&rd->r->arena, (void ***)items, count, cap, c) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The containers part of a document while it is read: its three sections,
 * what was read so far by refid or PID, and the lists handed to the result. */
struct ct_doc {
	json_t *cs, *es, *gs; /* "containers", "container-engines", "container-groups" */
	struct u64map by_pid, engines, groups;
	struct ct_ptrs clist, elist, glist;
};

/* Every failure of reading the containers part is -EBADMSG, except running
 * out of memory where the step itself allocates (-ENOMEM). */
static int bad_or_oom(int err)
{
	return err == -ENOMEM ? err : -EBADMSG;
}

static int check_sections(struct reader *rd, const struct ct_doc *d)
{
	if ((d->cs && !json_is_null(d->cs) && !json_is_object(d->cs)) ||
	    (d->es && !json_is_null(d->es) && !json_is_object(d->es)) ||
	    (d->gs && !json_is_null(d->gs) && !json_is_object(d->gs)))
		return fail(rd, "\"containers\", \"container-engines\" and \"container-groups\" "
				"must be objects");
	return 0;
}

static int read_engine(struct reader *rd, struct ct_doc *d, const char *key, json_t *o)
{
	struct arena *a = &rd->r->arena;
	char what[64];
	int err = 0;

	snprintf(what, sizeof(what), "container engine %.32s", key);
	struct lxkns_container_engine *e = ct_engine_new(a, "");
	if (!e)
		return -ENOMEM;
	if (refid_of(rd, key, what, &e->refid) < 0)
		return -EBADMSG;
	if (!json_is_object(o))
		return fail(rd, "%s: not an object", what);
	e->id = ct_str(rd, o, "id", what, &err);
	e->type = ct_str(rd, o, "type", what, &err);
	e->version = ct_str(rd, o, "version", what, &err);
	e->api = ct_str(rd, o, "api", what, &err);
	if (err ||
	    (json_object_get(o, "pid") &&
	     get_pid(rd, json_object_get(o, "pid"), what, &e->pid, true) < 0) ||
	    read_labels(rd, json_object_get(o, "labels"), what, &e->labels) < 0)
		return bad_or_oom(err);
	if (u64map_put(&d->engines, e->refid, e) < 0 ||
	    ct_push(a, &d->elist.items, &d->elist.count, &d->elist.cap, e) < 0)
		return -ENOMEM;
	return 0;
}

static int read_group(struct reader *rd, struct ct_doc *d, const char *key, json_t *o)
{
	struct arena *a = &rd->r->arena;
	char what[64];
	int err = 0;

	snprintf(what, sizeof(what), "container group %.32s", key);
	struct lxkns_container_group *g = arena_alloc(a, sizeof(*g));
	if (!g)
		return -ENOMEM;
	if (refid_of(rd, key, what, &g->refid) < 0)
		return -EBADMSG;
	if (!json_is_object(o))
		return fail(rd, "%s: not an object", what);
	g->name = ct_str(rd, o, "name", what, &err);
	g->type = ct_str(rd, o, "type", what, &err);
	g->flavor = ct_str(rd, o, "flavor", what, &err);
	if (err || read_labels(rd, json_object_get(o, "labels"), what, &g->labels) < 0)
		return bad_or_oom(err);
	if (u64map_put(&d->groups, g->refid, g) < 0 ||
	    ct_push(a, &d->glist.items, &d->glist.count, &d->glist.cap, g) < 0)
		return -ENOMEM;
	return 0;
}

/* A container's own members: pid (matching its key), strings, paused, labels. */
static int read_container_fields(struct reader *rd, struct lxkns_container *c, const char *key,
				 json_t *o, const char *what)
{
	uint64_t keypid;
	json_t *v;
	int err = 0;

	if (!json_is_object(o))
		return fail(rd, "%s: not an object", what);
	if (get_pid(rd, json_object_get(o, "pid"), what, &c->pid, false) < 0)
		return -EBADMSG;
	if (safe_atou64(key, &keypid) < 0 || keypid != (uint64_t)c->pid)
		return fail(rd, "%s: key and \"pid\" differ", what);
	c->id = ct_str(rd, o, "id", what, &err);
	c->name = ct_str(rd, o, "name", what, &err);
	c->type = ct_str(rd, o, "type", what, &err);
	c->flavor = ct_str(rd, o, "flavor", what, &err);
	v = json_object_get(o, "paused");
	if (err || (v && !json_is_boolean(v))) {
		if (!err)
			fail(rd, "%s: \"paused\" is not a boolean", what);
		return bad_or_oom(err);
	}
	c->paused = json_is_true(v);
	if (read_labels(rd, json_object_get(o, "labels"), what, &c->labels) < 0)
		return -EBADMSG;
	return 0;
}

/* A container's "engine" and "groups" references, to those read before. */
static int link_container_refs(struct reader *rd, struct ct_doc *d, struct lxkns_container *c,
			       json_t *o, const char *what)
{
	json_t *v = json_object_get(o, "engine"), *x;
	size_t i;

	if (v && !json_is_null(v)) {
		uint64_t refid = 0;
		if (get_u64(rd, v, what, &refid) < 0)
			return -EBADMSG;
		c->engine = refid ? u64map_get(&d->engines, refid) : NULL;
		if (refid && !c->engine)
			return fail(rd, "%s: unknown engine %llu", what, (unsigned long long)refid);
	}
	v = json_object_get(o, "groups");
	if (v && !json_is_null(v) && !json_is_array(v))
		return fail(rd, "%s: \"groups\" is not an array", what);
	json_array_foreach (v, i, x) {
		uint64_t refid = 0;
		if (get_u64(rd, x, what, &refid) < 0)
			return -EBADMSG;
		struct lxkns_container_group *g = u64map_get(&d->groups, refid);
		if (!g)
			return fail(rd, "%s: unknown group %llu", what, (unsigned long long)refid);
		if (ct_push(&rd->r->arena, (void ***)&c->groups, &c->group_count, &c->group_cap,
			    g) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int read_container(struct reader *rd, struct ct_doc *d, const char *key, json_t *o)
{
	struct arena *a = &rd->r->arena;
	char what[64];
	int r;

	snprintf(what, sizeof(what), "container %.32s", key);
	struct lxkns_container *c = ct_container_new(a);
	if (!c)
		return -ENOMEM;
	if ((r = read_container_fields(rd, c, key, o, what)) < 0 ||
	    (r = link_container_refs(rd, d, c, o, what)) < 0)
		return r;
	if (u64map_put(&d->by_pid, (uint64_t)c->pid, c) < 0 ||
	    ct_push(a, &d->clist.items, &d->clist.count, &d->clist.cap, c) < 0)
		return -ENOMEM;
	struct lxkns_process *p = u64map_get(&rd->r->proc_by_pid, (uint64_t)c->pid);
	if (p) {
		c->process = p;
		p->container = c;
	}
	return 0;
}

/* The member lists of engines and groups, as the document has them. */
static int read_member_lists(struct reader *rd, struct ct_doc *d)
{
	const char *key;
	json_t *o;

	json_object_foreach (d->es, key, o) {
		char what[64];
		uint64_t refid = 0;
		snprintf(what, sizeof(what), "container engine %.32s", key);
		safe_atou64(key, &refid);
		struct lxkns_container_engine *e = u64map_get(&d->engines, refid);
		if (read_member_pids(rd, o, what, &d->by_pid, &e->containers, &e->container_count,
				     &e->container_cap) < 0)
			return -EBADMSG;
	}
	json_object_foreach (d->gs, key, o) {
		char what[64];
		uint64_t refid = 0;
		snprintf(what, sizeof(what), "container group %.32s", key);
		safe_atou64(key, &refid);
		struct lxkns_container_group *g = u64map_get(&d->groups, refid);
		if (read_member_pids(rd, o, what, &d->by_pid, &g->containers, &g->container_count,
				     &g->container_cap) < 0)
			return -EBADMSG;
	}
	return 0;
}

/* Engines and groups by refid, containers by PID, into the result. */
static void attach_sorted(struct reader *rd, struct ct_doc *d)
{
	if (d->elist.count > 1)
		qsort(d->elist.items, d->elist.count, sizeof(void *), cmp_engine_refid);
	if (d->glist.count > 1)
		qsort(d->glist.items, d->glist.count, sizeof(void *), cmp_group_refid);
	if (d->clist.count > 1)
		qsort(d->clist.items, d->clist.count, sizeof(void *), cmp_container_pid);
	result_attach_containers(rd->r, (struct lxkns_container **)d->clist.items, d->clist.count,
				 (struct lxkns_container_engine **)d->elist.items, d->elist.count,
				 (struct lxkns_container_group **)d->glist.items, d->glist.count);
}

/* Calls step on every member of the object section (none when it is NULL). */
static int read_each(struct reader *rd, struct ct_doc *d, json_t *section,
		     int (*step)(struct reader *rd, struct ct_doc *d, const char *key, json_t *o))
{
	const char *key;
	json_t *o;
	int r;

	json_object_foreach (section, key, o)
		if ((r = step(rd, d, key, o)) < 0)
			return r;
	return 0;
}

static int read_containers(struct reader *rd, json_t *root)
{
	struct ct_doc d = {
		.cs = json_object_get(root, "containers"),
		.es = json_object_get(root, "container-engines"),
		.gs = json_object_get(root, "container-groups"),
	};
	int r;

	if ((r = check_sections(rd, &d)) < 0)
		return r;
	if ((r = read_each(rd, &d, d.es, read_engine)) == 0 &&
	    (r = read_each(rd, &d, d.gs, read_group)) == 0 &&
	    (r = read_each(rd, &d, d.cs, read_container)) == 0 &&
	    (r = read_member_lists(rd, &d)) == 0)
		attach_sorted(rd, &d);
	u64map_free(&d.by_pid);
	u64map_free(&d.engines);
	u64map_free(&d.groups);
	return r;
}

static int read_options(struct reader *rd, json_t *o)
{
	struct lxkns_discover_opts *opts = &rd->r->opts;
	const struct lxkns_discover_option *opt;
	json_t *v;

	if (!o)
		return 0;
	if (!json_is_object(o))
		return fail(rd, "\"discovery-options\" is not an object");
	/* the switches with a key (the option table, lib/discover/options.c) */
	for (size_t i = 0; (opt = lxkns_discover_option_at(i)); i++) {
		if (!opt->json_key)
			continue;
		v = json_object_get(o, opt->json_key);
		if (v && !json_is_boolean(v))
			return fail(rd, "discovery-options: \"%s\" is not a boolean",
				    opt->json_key);
		if (v)
			lxkns_discover_option_set(opt, opts, json_is_true(v));
	}
	/* documents of Go lxkns have no from-sockets: it scanned them with fds */
	if (!json_object_get(o, "from-sockets"))
		opts->from_sockets = opts->from_fds;
	v = json_object_get(o, "scanned-namespace-types");
	if (v) {
		if (!json_is_array(v))
			return fail(rd, "discovery-options: \"scanned-namespace-types\" is not an "
					"array");
		opts->type_mask = 0;
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *s = json_array_get(v, i);
			int t = json_is_string(s) ? lxkns_ns_type_from_name(json_string_value(s))
						  : -1;
			if (t < 0)
				return fail(rd, "discovery-options: unknown namespace type in "
						"\"scanned-namespace-types\"");
			opts->type_mask |= LXKNS_NS_TYPE_BIT(t);
		}
	}
	return 0;
}

/* ---- validation: the links of a document must resolve and must not loop ---- */

/* "user:[4026531837]" */
static void ns_name(const struct lxkns_namespace *ns, char *buf, size_t size)
{
	snprintf(buf, size, "%s:[%llu]", lxkns_ns_type_name(ns->type),
		 (unsigned long long)ns->id.ino);
}

/* The namespace a link of ns names (kind: 'p' parent, 'o' owner). */
static struct lxkns_namespace *ns_link(const struct lxkns_result *r,
				       const struct lxkns_namespace *ns, char kind)
{
	if (kind == 'p')
		return ns->parent_ino ? result_namespace_find(r, ns->type, ns->parent_ino) : NULL;
	return ns->owner_ino ? result_namespace_find(r, LXKNS_NS_USER, ns->owner_ino) : NULL;
}

/* A link of ns that names no namespace of the right type: 0 or -EBADMSG. */
static int check_ns_link(struct reader *rd, const struct lxkns_namespace *ns, char kind)
{
	uint64_t ino = kind == 'p' ? ns->parent_ino : ns->owner_ino;
	const char *rel = kind == 'p' ? "parent" : "owner";
	enum lxkns_ns_type want = kind == 'p' ? ns->type : LXKNS_NS_USER;
	char name[48];

	if (!ino)
		return 0;
	ns_name(ns, name, sizeof(name));
	if (kind == 'p' && !species_hierarchical(ns->type))
		return fail(rd, "namespace %s: %s namespaces have no parent", name,
			    lxkns_ns_type_name(ns->type));
	if (ns_link(rd->r, ns, kind))
		return 0;
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (result_namespace_find(rd->r, t, ino))
			return fail(rd, "namespace %s: its %s %llu is a %s namespace, not a %s one",
				    name, rel, (unsigned long long)ino, lxkns_ns_type_name(t),
				    lxkns_ns_type_name(want));
	return fail(rd, "namespace %s: its %s %s:[%llu] is not in \"namespaces\"", name, rel,
		    lxkns_ns_type_name(want), (unsigned long long)ino);
}

/* A walk along one kind of link (parent, owner, PPID): every element is
 * visited once, so a long chain costs O(n), not O(n^2). */
struct walk {
	struct u64map state; /* element address -> WALK_ON_PATH or WALK_DONE */
	struct ptrvec path;
};
#define WALK_ON_PATH ((void *)1)
#define WALK_DONE ((void *)2)

/* Follows next() from start: 0, -EBADMSG for a cycle (cycle() writes the
 * message for the path from where it closes), or -ENOMEM. */
static int walk_from(struct reader *rd, struct walk *w, void *start, char kind,
		     void *(*next)(const struct reader *rd, void *x, char kind),
		     void (*cycle)(struct reader *rd, void **items, size_t n, char kind))
{
	void *x = start;
	int ret = 0;

	w->path.count = 0;
	while (x) {
		void *st = u64map_get(&w->state, (uintptr_t)x);
		if (st == WALK_DONE)
			break;
		if (st == WALK_ON_PATH) {
			size_t from = 0;
			while (w->path.items[from] != x)
				from++;
			cycle(rd, w->path.items + from, w->path.count - from, kind);
			return -EBADMSG;
		}
		if (u64map_put(&w->state, (uintptr_t)x, WALK_ON_PATH) < 0 ||
		    ptrvec_push(&w->path, x) < 0)
			return -ENOMEM;
		x = next(rd, x, kind);
	}
	for (size_t i = 0; i < w->path.count && ret == 0; i++)
		ret = u64map_put(&w->state, (uintptr_t)w->path.items[i], WALK_DONE);
	return ret;
}

static void *ns_next(const struct reader *rd, void *x, char kind)
{
	return ns_link(rd->r, x, kind);
}

/* "namespace user:[1] has a parent cycle: user:[1] → user:[2] → user:[1]",
 * at most a few elements, then "…" */
static void ns_cycle(struct reader *rd, void **items, size_t n, char kind)
{
	char first[48], chain[256], *p = chain, *end = chain + sizeof(chain);

	ns_name(items[0], first, sizeof(first));
	chain[0] = 0;
	for (size_t i = 0; i <= n && p < end; i++) {
		char name[48];
		if (i == 4 && n > 4) {
			snprintf(p, (size_t)(end - p), " → …");
			break;
		}
		ns_name(items[i % n], name, sizeof(name));
		p += snprintf(p, (size_t)(end - p), "%s%s", i ? " → " : "", name);
	}
	fail(rd, "namespace %s has %s cycle: %s", first, kind == 'p' ? "a parent" : "an owner",
	     chain);
}

static void *proc_next(const struct reader *rd, void *x, char kind)
{
	const struct lxkns_process *p = x;
	return p->ppid > 0 ? u64map_get(&rd->r->proc_by_pid, (uint64_t)p->ppid) : NULL;
}

static void proc_cycle(struct reader *rd, void **items, size_t n, char kind)
{
	char chain[256], *p = chain, *end = chain + sizeof(chain);

	chain[0] = 0;
	for (size_t i = 0; i <= n && p < end; i++) {
		if (i == 4 && n > 4) {
			snprintf(p, (size_t)(end - p), " → …");
			break;
		}
		p += snprintf(p, (size_t)(end - p), "%s%d", i ? " → " : "",
			      (int)((struct lxkns_process *)items[i % n])->pid);
	}
	fail(rd, "process %d has a PPID cycle: %s", (int)((struct lxkns_process *)items[0])->pid,
	     chain);
}

/* Refuses a document whose links do not resolve or loop (the tools would
 * otherwise show less than it holds): namespaces referenced but not listed,
 * parents and owners that are missing or of the wrong type, parent and
 * owner cycles, PPID cycles. A PPID outside the document is fine (a
 * process's parent may have ended before it was read, or was filtered). */
static int validate(struct reader *rd)
{
	struct lxkns_result *r = rd->r;
	struct walk w = { 0 };
	char name[48];
	int ret = 0;

	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		for (size_t i = 0; i < r->ns[t].count; i++) {
			const struct lxkns_namespace *ns = r->ns[t].items[i];
			if (ns->ref_kind != NS_REF_LITERAL) {
				ns_name(ns, name, sizeof(name));
				return fail(rd,
					    "namespace %s is referenced but not in "
					    "\"namespaces\"",
					    name);
			}
			if (check_ns_link(rd, ns, 'p') < 0 || check_ns_link(rd, ns, 'o') < 0)
				return -EBADMSG;
		}
	/* parents (same type), owners (user namespaces: of user namespaces) */
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX && ret == 0; t++)
		for (size_t i = 0; i < r->ns[t].count && ret == 0; i++)
			ret = walk_from(rd, &w, r->ns[t].items[i], 'p', ns_next, ns_cycle);
	u64map_free(&w.state);
	w.state = (struct u64map){ 0 };
	for (size_t i = 0; i < r->ns[LXKNS_NS_USER].count && ret == 0; i++)
		ret = walk_from(rd, &w, r->ns[LXKNS_NS_USER].items[i], 'o', ns_next, ns_cycle);
	u64map_free(&w.state);
	w.state = (struct u64map){ 0 };
	for (size_t i = 0; i < r->proc_count && ret == 0; i++)
		ret = walk_from(rd, &w, r->procs[i], 0, proc_next, proc_cycle);
	u64map_free(&w.state);
	ptrvec_free(&w.path);
	return ret;
}

static int read_document(struct reader *rd, json_t *root)
{
	json_t *procs, *nss, *v;
	const char *key;
	int r;

	if (!json_is_object(root))
		return fail(rd, "the document is not a JSON object");
	procs = json_object_get(root, "processes");
	nss = json_object_get(root, "namespaces");
	if (!json_is_object(procs) || !json_is_object(nss))
		return fail(rd, "the document has no \"namespaces\" and \"processes\" objects: not "
				"a discovery");
	r = read_options(rd, json_object_get(root, "discovery-options"));
	if (r < 0)
		return r;

	size_t n = json_object_size(procs), k = 0;
	struct lxkns_process **table = calloc(n ? n : 1, sizeof(*table));
	if (!table)
		return -ENOMEM;
	json_object_foreach (procs, key, v) {
		r = read_process(rd, key, v, &table[k]);
		if (r < 0) {
			free(table);
			return r;
		}
		k++;
	}
	r = result_set_processes(rd->r, table, k);
	if (r < 0)
		return r;
	json_object_foreach (nss, key, v) {
		r = read_namespace(rd, key, v);
		if (r < 0)
			return r;
	}
	r = read_ranges(rd, json_object_get(root, "cpus-online"), "cpus-online",
			&rd->r->cpus_online, &rd->r->cpus_online_count);
	if (r < 0)
		return r;
	r = read_mounts(rd, json_object_get(root, "mounts"));
	if (r < 0)
		return r;
	r = read_containers(rd, root);
	if (r < 0)
		return r;
	r = validate(rd);
	if (r < 0)
		return r;
	return result_link(rd->r, false);
}

int lxkns_result_read_json(const char *buf, size_t len, struct lxkns_result **ret_result, char *err,
			   size_t errsize)
{
	struct reader rd = { .err = err, .errsize = errsize };
	struct lxkns_discover_opts defaults;
	json_error_t jerr;
	json_t *root;
	int r;

	if (err && errsize)
		err[0] = 0;
	if (!buf || !ret_result)
		return -EINVAL;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (err && errsize)
			snprintf(err, errsize, "line %d, column %d: %s", jerr.line, jerr.column,
				 jerr.text);
		return -EBADMSG;
	}
	lxkns_discover_opts_init(&defaults);
	rd.r = result_new(&defaults);
	if (!rd.r) {
		json_decref(root);
		return -ENOMEM;
	}
	r = read_document(&rd, root);
	json_decref(root);
	u64map_free(&rd.tasks_by_tid);
	if (r < 0) {
		lxkns_result_unref(rd.r);
		return r;
	}
	*ret_result = rd.r;
	return 0;
}

int lxkns_result_read_json_file(FILE *in, struct lxkns_result **ret_result, char *err,
				size_t errsize)
{
	_cleanup_buf_ struct buf b = BUF_INIT;

	if (err && errsize)
		err[0] = 0;
	for (;;) {
		if (b.cap > (size_t)1 << 32)
			return -EFBIG;
		if (buf_reserve(&b, 65536) < 0)
			return -ENOMEM;
		size_t got = fread(b.data + b.len, 1, b.cap - b.len - 1, in);
		b.len += got;
		if (got == 0) {
			if (ferror(in))
				return -EIO;
			break;
		}
	}
	return lxkns_result_read_json(b.data, b.len, ret_result, err, errsize);
}
