/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mountns.c: looking into every mount namespace. For each one we need its
 * mountinfo and a directory fd of its root:
 *
 *  - a mount namespace with a process: /proc/PID/mountinfo and
 *    /proc/PID/root, no new task at all;
 *  - a process-less one (only bind-mounted, or held by an fd): a short-lived
 *    helper thread does unshare(CLONE_FS) + setns() into it, opens its "/"
 *    (fds are shared, so the O_PATH fd stays ours) and reads its own
 *    /proc/thread-self/mountinfo. No fork, no re-exec.
 *
 * In each, nsfs mounts are bind-mounted namespaces: they are opened through
 * the root fd and registered with the reference (mount namespace, path). A
 * newly found mount namespace joins the backlog, so the search is transitive
 * (a mount namespace bind-mounted inside a process-less one is searched
 * too). With with_mounts, each mountinfo also becomes the namespace's mount
 * table.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "discover-internal.h"
#include "mounts/mounts-internal.h"
#include "procfs/parse.h"
#include "strutil.h"

#define MAX_MOUNTINFO (64 * 1024 * 1024)

struct mnt_context {
	int rootfd; /* the mount namespace's "/", or -1 on a fixture */
	struct readbuf mountinfo;
	ssize_t len;
	pid_t pid; /* the process whose view we read, 0 when entered */
};

struct backlog_item {
	struct lxkns_namespace *mntns;
	int handle; /* an open nsfs handle for process-less ones, else -1 */
};

struct backlog {
	struct backlog_item *items;
	size_t count, cap;
	struct u64map queued;
};

static int backlog_push(struct backlog *b, struct lxkns_namespace *mntns, int handle)
{
	if (u64map_get(&b->queued, mntns->id.ino))
		return 0;
	if (b->count == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		struct backlog_item *n = realloc(b->items, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		b->items = n;
		b->cap = ncap;
	}
	if (u64map_put(&b->queued, mntns->id.ino, mntns) < 0)
		return -ENOMEM;
	b->items[b->count++] = (struct backlog_item){ .mntns = mntns, .handle = handle };
	return 1;
}

/* Process-less mount namespaces are looked into in batches by one helper
 * thread, which unshares its fs struct once and then setns()es from one to
 * the next: one thread per batch (round of the backlog), not per namespace. */
struct enter_item {
	size_t index; /* into the backlog */
	int nsfd;
	bool close_nsfd; /* opened for the batch (else the backlog's handle) */
	struct mnt_context ctx;
	int err;
};

struct enter_batch {
	const struct procfs *pf;
	struct enter_item *items;
	size_t count;
};

static void *enter_thread(void *arg)
{
	struct enter_batch *b = arg;
	int err = 0;

	/* setns(CLONE_NEWNS) needs a private fs struct */
	if (unshare(CLONE_FS) < 0)
		err = -errno;
	/* thread-self is this thread, whose current mount namespace its
	 * mountinfo reports */
	_cleanup_close_ int tsfd = err ? -1
				       : openat(b->pf->rootfd, "thread-self",
						O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!err && tsfd < 0)
		err = -errno;
	for (size_t i = 0; i < b->count; i++) {
		struct enter_item *it = &b->items[i];
		if (err) {
			it->err = err;
			continue;
		}
		if (setns(it->nsfd, CLONE_NEWNS) < 0) {
			it->err = -errno;
			continue;
		}
		/* fds are process-wide: the root stays ours after the thread */
		it->ctx.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (it->ctx.rootfd < 0) {
			it->err = -errno;
			continue;
		}
		it->ctx.len = procfs_read_at(b->pf, tsfd, "mountinfo", &it->ctx.mountinfo,
					     MAX_MOUNTINFO);
		if (it->ctx.len < 0)
			it->err = (int)it->ctx.len;
	}
	return NULL;
}

/* Looks into a batch of process-less mount namespaces. */
static int enter_batch(struct discovery *d, struct enter_item *items, size_t count)
{
	struct enter_batch b = { .pf = d->pf, .items = items, .count = count };
	pthread_attr_t attr;
	pthread_t t;
	int r;

	if (!d->pf->real) {
		for (size_t i = 0; i < count; i++)
			items[i].err = -EOPNOTSUPP;
		return 0;
	}
	/* a small stack: the thread only reads files */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	r = pthread_create(&t, &attr, enter_thread, &b);
	pthread_attr_destroy(&attr);
	if (r)
		return -r;
	pthread_join(t, NULL);
	return 0;
}

/* Looks into a mount namespace through a process (or task) in it: its
 * mountinfo now, its root only when a bind mount needs opening. */
static int context_proc(struct discovery *d, const char *dir, pid_t pid, struct mnt_context *ctx)
{
	char path[48];

	snprintf(path, sizeof(path), "%s/mountinfo", dir);
	ctx->pid = pid;
	ctx->len = procfs_read_at(d->pf, d->pf->rootfd, path, &ctx->mountinfo, MAX_MOUNTINFO);
	return ctx->len < 0 ? (int)ctx->len : 0;
}

/* The root of a process context, opened on first use. */
static int context_root(struct discovery *d, struct mnt_context *ctx)
{
	if (ctx->rootfd >= 0 || !d->pf->real)
		return ctx->rootfd;
	char path[48];
	snprintf(path, sizeof(path), "%d/root", (int)ctx->pid);
	ctx->rootfd = openat(d->pf->rootfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return ctx->rootfd;
}

static void context_free(struct mnt_context *ctx)
{
	if (ctx->rootfd >= 0)
		close(ctx->rootfd);
	ctx->rootfd = -1;
	readbuf_free(&ctx->mountinfo);
}

/* Does a mountinfo line say " - nsfs " (the separator, then the file
 * system type)? A memchr for each '-' is far cheaper than memmem. */
static bool is_nsfs_line(const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	while ((p = memchr(p, '-', (size_t)(end - p))) != NULL) {
		if (p > line && p[-1] == ' ' && end - p >= 7 && memcmp(p, "- nsfs ", 7) == 0)
			return true;
		p++;
	}
	return false;
}

/* The mount namespace's nsfs mounts: bind-mounted namespaces. */
static int scan_nsfs_mounts(struct discovery *d, const struct lxkns_namespace *mntns,
			    struct lxkns_nsid mntns_id, struct mnt_context *ctx,
			    struct backlog *backlog)
{
	const char *p = ctx->mountinfo.p, *end = p + ctx->len;
	_cleanup_free_ char *decode = NULL;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		const char *line = p;
		struct mountinfo_entry e;
		int type;
		uint64_t ino;

		p += len + 1;
		if (!is_nsfs_line(line, len))
			continue;
		char *nd = realloc(decode, len + 1);
		if (!nd)
			return -ENOMEM;
		decode = nd;
		if (parse_mountinfo_line(line, len, decode, &e) < 0 || e.fstype.len != 4 ||
		    memcmp(e.fstype.p, "nsfs", 4) != 0 ||
		    parse_ns_link(e.root.p, e.root.len, &type, &ino) < 0 || !want_type(d, type))
			continue;
		struct lxkns_namespace *ns = result_namespace_find(d->r, type, ino);
		if (ns && (type != LXKNS_NS_MNT || u64map_get(&backlog->queued, ino)))
			continue;
		char *mp = arena_strndup(&d->r->arena, e.mountpoint.p, e.mountpoint.len);
		if (!mp)
			return -ENOMEM;
		/* relative to the namespace's root: the path as that namespace sees it */
		const char *rel = mp;
		if (mp[0] == '/')
			rel = mp[1] ? mp + 1 : ".";
		int rootfd = ctx->pid ? context_root(d, ctx) : ctx->rootfd;
		int h = nsfs_open(d->pf, rootfd >= 0 ? rootfd : d->pf->rootfd, rel, type,
				  d->pf->real ? 0 : ino);
		if (h < 0) {
			result_diag(d->r, ctx->pid, h, "bind mount",
				    "cannot open %s in mnt:[%llu]: %s", mp,
				    (unsigned long long)mntns_id.ino, strerror(-h));
			continue;
		}
		struct lxkns_nsid id;
		bool created = false;
		if (nsfs_id(d->pf, h, &id) < 0 || id.ino != ino) {
			nsfs_close(d->pf, h);
			continue;
		}
		if (!ns)
			ns = ns_register(d, type, id, h, &created);
		if (!ns) {
			nsfs_close(d->pf, h);
			return -ENOMEM;
		}
		if (ns->ref_kind == NS_REF_NONE) {
			ns->ref_kind = NS_REF_BIND;
			ns->ref_mntns = mntns_id;
			ns->ref_pid = ctx->pid ? ctx->pid : d->self_pid;
			ns->ref_path = mp;
		}
		/* a mount namespace: search it too, entering it through this fd
		 * if it has no process */
		if (type == LXKNS_NS_MNT && mntns && ns->ref_kind == NS_REF_BIND) {
			int r = backlog_push(backlog, ns, h);
			if (r < 0) {
				nsfs_close(d->pf, h);
				return r;
			}
			if (r > 0)
				continue; /* the backlog owns h now */
		} else if (type == LXKNS_NS_MNT && mntns) {
			int r = backlog_push(backlog, ns, -1);
			if (r < 0) {
				nsfs_close(d->pf, h);
				return r;
			}
		}
		nsfs_close(d->pf, h);
	}
	return 0;
}

/* For a backlog item without a usable process: an nsfs fd to enter it
 * (a handle of ours, or opened through its fd reference or the mnt link of a
 * process that has gone meanwhile), or -errno. */
static int entry_fd(struct discovery *d, struct backlog_item *it, bool *ret_owned)
{
	struct lxkns_namespace *ns = it->mntns;
	char path[64];

	*ret_owned = false;
	if (it->handle >= 0)
		return it->handle;
	if (ns->ref_kind == NS_REF_FD || ns->ref_kind == NS_REF_DETACHED)
		snprintf(path, sizeof(path), "%d/fd/%d", (int)ns->ref_pid, ns->ref_fd);
	else if (ns->ref_kind == NS_REF_PROC || ns->ref_kind == NS_REF_TASK)
		snprintf(path, sizeof(path), "%d/ns/mnt", (int)ns->ref_pid);
	else
		return -ENOENT;
	if (!d->pf->real)
		return -EOPNOTSUPP;
	int h = nsfs_open(d->pf, d->pf->rootfd, path, LXKNS_NS_MNT, 0);
	if (h < 0)
		return h;
	struct lxkns_nsid id;
	if (nsfs_id(d->pf, h, &id) < 0 || id.ino != ns->id.ino) {
		nsfs_close(d->pf, h);
		return -ESRCH;
	}
	*ret_owned = true;
	return h;
}

static int cmp_ns_ino(const void *a, const void *b)
{
	const struct backlog_item *x = a, *y = b;
	return x->mntns->id.ino < y->mntns->id.ino ? -1 : x->mntns->id.ino > y->mntns->id.ino;
}

/* The initial mount namespace as far as the process table tells. */
static uint64_t initial_mntns(const struct discovery *d)
{
	const struct lxkns_process *p1 = u64map_get(&d->r->proc_by_pid, 1);
	const struct lxkns_process *p2 = u64map_get(&d->r->proc_by_pid, 2);
	if (p1 && pc_ino(&p1->c, LXKNS_NS_MNT))
		return pc_ino(&p1->c, LXKNS_NS_MNT);
	if (p2 && p2->ppid == 0)
		return pc_ino(&p2->c, LXKNS_NS_MNT);
	return 0;
}

static void cannot_look(struct discovery *d, struct lxkns_namespace *ns, int r)
{
	if (!(r == -ENOENT && !d->pf->real))
		result_diag(d->r, ns->ref_pid, r, "mountinfo", "cannot look into mnt:[%llu]: %s",
			    (unsigned long long)ns->id.ino, strerror(-r));
}

/* Bind mounts and the mount table of one mount namespace, from a context. */
static int scan_context(struct discovery *d, struct lxkns_namespace *ns, struct mnt_context *ctx,
			struct backlog *backlog)
{
	int r = 0;

	if (d->opts.from_bindmounts)
		r = scan_nsfs_mounts(d, ns, ns->id, ctx, backlog);
	if (r >= 0 && d->opts.with_mounts) {
		size_t bad = 0;
		if (!d->mount_strings.arena)
			strintern_init(&d->mount_strings, &d->r->arena);
		int e = mount_table_parse(&d->r->arena, &d->mount_strings, ctx->mountinfo.p,
					  (size_t)ctx->len, &bad, &ns->mounts);
		if (bad)
			result_diag(d->r, ctx->pid, EBADMSG, "mountinfo",
				    "%zu malformed line(s) in the mountinfo of mnt:[%llu] skipped",
				    bad, (unsigned long long)ns->id.ino);
		if (e < 0)
			r = e;
	}
	return r;
}

/* No mount namespace objects wanted: only our own view's bind mounts. */
static int own_view_bind_mounts(struct discovery *d)
{
	struct backlog backlog = { 0 };
	struct mnt_context ctx = { .rootfd = -1 };
	int r;

	if (!d->opts.from_bindmounts)
		return 0;
	r = context_proc(d, "self", d->self_pid, &ctx);
	if (r == 0)
		r = scan_nsfs_mounts(d, NULL, d->self_mntns, &ctx, &backlog);
	else
		result_diag(d->r, d->self_pid, r, "mountinfo", "cannot read our own mountinfo: %s",
			    strerror(-r));
	context_free(&ctx);
	u64map_free(&backlog.queued);
	free(backlog.items);
	return r < 0 && r != -ENOMEM ? 0 : r;
}

/* Every known mount namespace: the initial one first (references then start
 * there), then the others by inode. */
static int fill_backlog(struct discovery *d, struct backlog *backlog)
{
	int r = 0;

	for (size_t i = 0; i < d->r->ns[LXKNS_NS_MNT].count && r >= 0; i++)
		r = backlog_push(backlog, d->r->ns[LXKNS_NS_MNT].items[i], -1);
	if (r < 0 || backlog->count <= 1)
		return r;
	qsort(backlog->items, backlog->count, sizeof(*backlog->items), cmp_ns_ino);
	uint64_t init = initial_mntns(d);
	for (size_t i = 0; i < backlog->count; i++)
		if (backlog->items[i].mntns->id.ino == init) {
			struct backlog_item tmp = backlog->items[i];
			memmove(&backlog->items[1], &backlog->items[0], i * sizeof(tmp));
			backlog->items[0] = tmp;
			break;
		}
	return r;
}

/* Reads the mount namespace of backlog item it through its process's /proc
 * directory: 1 when done with it (read, or reported as unreadable), 0 when
 * it has no process (any more) and must be entered, or -errno. */
static int read_via_process(struct discovery *d, struct backlog_item *it, struct backlog *backlog)
{
	struct lxkns_namespace *ns = it->mntns;
	struct mnt_context ctx = { .rootfd = -1 };
	char dir[24];
	int r;

	if (it->handle >= 0 || (ns->ref_kind != NS_REF_PROC && ns->ref_kind != NS_REF_TASK))
		return 0;
	/* /proc/TID/ works for tasks too, though readdir hides it */
	fmt_u64(dir, (uint64_t)ns->ref_pid);
	int e = context_proc(d, dir, ns->ref_pid, &ctx);
	if (e == 0) {
		r = scan_context(d, ns, &ctx, backlog); /* may move backlog->items */
		context_free(&ctx);
		return r < 0 ? r : 1;
	}
	context_free(&ctx);
	if (!d->pf->real) {
		cannot_look(d, ns, e);
		return 1;
	}
	return 0; /* the process is gone: enter the namespace instead */
}

/* The process-less mount namespaces of one round, entered in one batch. */
struct entry_list {
	struct enter_item *items;
	size_t count, cap;
};

/* Queues backlog item index (it) for entering; 0, or -ENOMEM. */
static int queue_for_entering(struct discovery *d, struct backlog_item *it, size_t index,
			      struct entry_list *batch)
{
	bool own;
	int fd = entry_fd(d, it, &own);
	if (fd < 0) {
		cannot_look(d, it->mntns, fd);
		return 0;
	}
	if (batch->count == batch->cap) {
		size_t ncap = batch->cap ? batch->cap * 2 : 16;
		struct enter_item *n = realloc(batch->items, ncap * sizeof(*n));
		if (!n) {
			if (own)
				nsfs_close(d->pf, fd);
			return -ENOMEM;
		}
		batch->items = n;
		batch->cap = ncap;
	}
	batch->items[batch->count++] = (struct enter_item){
		.index = index, .nsfd = fd, .close_nsfd = own, .ctx = { .rootfd = -1 }
	};
	return 0;
}

/* Walks the backlog from *next on: reads what has a process, queues the
 * rest into batch (emptied first). */
static int collect_round(struct discovery *d, struct backlog *backlog, size_t *next,
			 struct entry_list *batch)
{
	int r = 0;

	batch->count = 0;
	for (; *next < backlog->count && r >= 0; (*next)++) {
		r = read_via_process(d, &backlog->items[*next], backlog);
		if (r > 0) {
			r = 0;
			continue;
		}
		if (r == 0)
			r = queue_for_entering(d, &backlog->items[*next], *next, batch);
		if (r < 0)
			break;
	}
	return r;
}

/* Enters the batch's mount namespaces and reads what they show. */
static int enter_round(struct discovery *d, struct backlog *backlog, struct entry_list *batch)
{
	int r = enter_batch(d, batch->items, batch->count);

	for (size_t i = 0; i < batch->count; i++) {
		struct enter_item *e = &batch->items[i];
		struct lxkns_namespace *ns = backlog->items[e->index].mntns;
		if (r >= 0) {
			if (e->err < 0)
				cannot_look(d, ns, e->err);
			else
				r = scan_context(d, ns, &e->ctx, backlog);
		}
		context_free(&e->ctx);
		if (e->close_nsfd)
			nsfs_close(d->pf, e->nsfd);
	}
	return r;
}

static void backlog_free(struct discovery *d, struct backlog *backlog)
{
	for (size_t i = 0; i < backlog->count; i++)
		if (backlog->items[i].handle >= 0)
			nsfs_close(d->pf, backlog->items[i].handle);
	u64map_free(&backlog->queued);
	free(backlog->items);
}

/* A mount namespace only the kernel's list showed (scan-kernel.c), to be
 * entered through handle (owned by the backlog from now on). */
static int push_listed(struct discovery *d, void *ctx, struct lxkns_namespace *mntns, int handle)
{
	int r = backlog_push(ctx, mntns, handle);
	if (r <= 0)
		nsfs_close(d->pf, handle);
	return r < 0 ? r : 0;
}

int discover_mount_namespaces(struct discovery *d)
{
	struct backlog backlog = { 0 };
	struct entry_list batch = { 0 };
	size_t next = 0;
	bool kernel_checked = false;
	int r;

	if (!want_type(d, LXKNS_NS_MNT)) {
		r = own_view_bind_mounts(d);
		return r < 0 ? r : discover_kernel_lists(d, NULL, NULL);
	}
	r = fill_backlog(d, &backlog);
	/* the backlog grows while we walk it; mount namespaces with a process
	 * are read at once, the others collected and entered in one batch per
	 * round (what a batch finds goes into the next round). Once it is
	 * drained, the kernel's lists add what no reference explains. */
	while (r >= 0) {
		r = collect_round(d, &backlog, &next, &batch);
		if (r < 0)
			break;
		if (batch.count == 0) {
			if (kernel_checked)
				break;
			kernel_checked = true;
			r = discover_kernel_lists(d, push_listed, &backlog);
			continue;
		}
		r = enter_round(d, &backlog, &batch);
	}
	free(batch.items);
	backlog_free(d, &backlog);
	return r;
}
