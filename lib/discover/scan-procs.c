/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan-procs.c: phase 1 of a discovery. Reads, for every process: stat,
 * cmdline, cgroup, status (NSpid), the identities of its ns/ entries, its
 * tasks and its fd links. Work is split over a few threads (kernel time
 * dominates, two cores halve the wall time); each worker allocates from its
 * own arena, merged into the result afterwards. Everything is relative to a
 * per-process dirfd, so each file costs one path walk of one component.
 * Afterwards, translate_cgroups() (at the end of this file) makes the cgroup
 * paths those of the initial cgroup namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "discover-internal.h"
#include "rawsys.h"
#include "procfs/parse.h"
#include "species-internal.h"
#include "strutil.h"

#define MAX_NSPID 64
#define MAX_CMDLINE (256 * 1024)
#define MAX_FDS_KEPT 65536

struct pidlist {
	pid_t *pids;
	size_t count, cap;
};

static int collect_pid(void *userdata, uint64_t n, const char *name)
{
	struct pidlist *l = userdata;
	if (n == 0 || n > INT32_MAX)
		return 0;
	if (l->count == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 1024;
		pid_t *p = realloc(l->pids, ncap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		l->pids = p;
		l->cap = ncap;
	}
	l->pids[l->count++] = (pid_t)n;
	return 0;
}

#define INTERN_SLOTS 8
#define NSSET_SLOTS 4
#define CMDLINE_SLOTS 4
#define CGROUP_RAW_MAX 2048

/* The namespaces the workers hold open until the scan ends (pin_nsset()):
 * the inodes seen, and the O_PATH fds in the order opened (-1: the open
 * failed). Touched only for a new namespace set. */
struct ns_pins {
	pthread_mutex_t lock;
	struct u64map seen; /* inode -> this struct (only whether it is there) */
	int *fd;
	size_t used, max;
};

struct worker {
	struct discovery *d;
	struct arena arena;
	/* recent names and cgroup paths: most processes share a few, so each
	 * is stored once (less memory, and the JSON writer's string cache
	 * hits) */
	const char *intern[INTERN_SLOTS];
	size_t intern_len[INTERN_SLOTS];
	unsigned intern_next;
	/* recent namespace sets and command lines, shared the same way */
	struct nsset *nsset[NSSET_SLOTS];
	unsigned nsset_next;
	const char *cmdline[CMDLINE_SLOTS];
	uint32_t cmdline_len[CMDLINE_SLOTS], cmdline_count[CMDLINE_SLOTS];
	unsigned cmdline_next;
	/* the last cgroup file and what it gave: most are the same */
	char cgroup_raw[CGROUP_RAW_MAX];
	size_t cgroup_raw_len;
	struct proc_common cgroup_last;
	/* a PID namespace whose members have a one-level NSpid (the one of the
	 * procfs instance): their status need not be read; 0 = not known yet */
	uint64_t flat_pidns;
	const pid_t *pids;
	struct lxkns_process **slots;
	struct proc_scan *scan; /* parallel to slots */
	size_t count;
	atomic_size_t *next;
	unsigned nworkers;
	int err;
	struct ns_pins *pins; /* shared by the workers; NULL: no pins */
	/* one read buffer per worker, grown on demand */
	struct readbuf buf;
	char stackbuf[4096];
};

static bool errno_is_gone(int e)
{
	return e == -ENOENT || e == -ESRCH;
}

static ssize_t wread(struct worker *w, int dirfd, const char *name, size_t max)
{
	if (!w->buf.p) {
		w->buf.p = w->stackbuf;
		w->buf.cap = sizeof(w->stackbuf);
		w->buf.heap = false;
	}
	return procfs_read_small_at(w->d->pf, dirfd, name, &w->buf, max);
}

static const char *intern(struct worker *w, struct span s);

/* stat: name, start time, scheduling. Returns 0, or -errno. */
static int read_stat(struct worker *w, int dirfd, pid_t id, struct proc_common *c,
		     struct proc_stat *ret_st)
{
	ssize_t n = wread(w, dirfd, "stat", 4096);
	if (n < 0)
		return (int)n;
	if (parse_stat(w->buf.p, (size_t)n, ret_st) < 0 || ret_st->pid != id)
		return -EBADMSG;
	c->name = intern(w, ret_st->comm);
	if (!c->name)
		return -ENOMEM;
	c->starttime = ret_st->starttime;
	c->policy = (int)ret_st->policy;
	c->priority = (int)ret_st->rt_priority;
	c->nice = (int)ret_st->nice;
	return 0;
}

static const char *intern(struct worker *w, struct span s)
{
	for (unsigned i = 0; i < INTERN_SLOTS; i++)
		if (w->intern[i] && w->intern_len[i] == s.len &&
		    memcmp(w->intern[i], s.p, s.len) == 0)
			return w->intern[i];
	char *copy = arena_strndup(&w->arena, s.p, s.len);
	if (copy) {
		unsigned slot = w->intern_next++ % INTERN_SLOTS;
		w->intern[slot] = copy;
		w->intern_len[slot] = s.len;
	}
	return copy;
}

static void read_cgroup(struct worker *w, int dirfd, pid_t pid, struct proc_common *c)
{
	struct cgroup_paths cg;
	ssize_t n = wread(w, dirfd, "cgroup", 64 * 1024);

	if (n < 0) {
		if (!errno_is_gone((int)n))
			result_diag(w->d->r, pid, (int)n, "cgroup",
				    "cannot read the cgroup of %d: %s", (int)pid,
				    strerror((int)-n));
		return;
	}
	/* the same file as last time: the same paths */
	if ((size_t)n == w->cgroup_raw_len && memcmp(w->buf.p, w->cgroup_raw, (size_t)n) == 0) {
		c->cpu_cgroup = w->cgroup_last.cpu_cgroup;
		c->freezer_cgroup = w->cgroup_last.freezer_cgroup;
		c->freezer_v1 = w->cgroup_last.freezer_v1;
		c->v2_cgroup = w->cgroup_last.v2_cgroup;
		return;
	}
	if (parse_cgroup(w->buf.p, (size_t)n, &cg) < 0) {
		result_diag(w->d->r, pid, EBADMSG, "cgroup", "malformed cgroup file of %d",
			    (int)pid);
		return;
	}
	struct span cpu = cg.cpu.p ? cg.cpu : cg.unified;
	struct span frz = cg.freezer.p ? cg.freezer : cg.unified;
	if (cpu.p)
		c->cpu_cgroup = intern(w, cpu);
	c->freezer_v1 = cg.freezer.p != NULL;
	if (frz.p)
		c->freezer_cgroup = intern(w, frz);
	/* hybrid hosts: the v2 freezer works beside the v1 one */
	if (cg.unified.p)
		c->v2_cgroup = intern(w, cg.unified);
	if ((size_t)n <= sizeof(w->cgroup_raw) && (!cpu.p || c->cpu_cgroup) &&
	    (!frz.p || c->freezer_cgroup) && (!cg.unified.p || c->v2_cgroup)) {
		memcpy(w->cgroup_raw, w->buf.p, (size_t)n);
		w->cgroup_raw_len = (size_t)n;
		w->cgroup_last = *c;
	} else {
		w->cgroup_raw_len = SIZE_MAX;
	}
}

/* NSpid of a process or task; self points to its PID/TID in the model. A
 * member of the procfs instance's own PID namespace has a one-level NSpid,
 * its own PID, so its status file is read only until the first such one
 * tells which namespace that is. */
static void read_nspid(struct worker *w, int dirfd, pid_t *self, struct proc_common *c)
{
	pid_t pid = *self;
	pid_t pids[MAX_NSPID];
	size_t count;
	uint64_t pidns = pc_ino(c, LXKNS_NS_PID);
	int r;

	if (pidns && pidns == w->flat_pidns) {
		c->nspid = self;
		c->nspid_count = 1;
		return;
	}
	ssize_t n = wread(w, dirfd, "status", 64 * 1024);

	if (n < 0) {
		if (!errno_is_gone((int)n))
			result_diag(w->d->r, pid, (int)n, "status",
				    "cannot read the status of %d: %s", (int)pid,
				    strerror((int)-n));
		return;
	}
	r = parse_status_nspid(w->buf.p, (size_t)n, pids, MAX_NSPID, &count);
	if (r == -ENOENT) {
		result_diag(w->d->r, pid, ENOENT, "status",
			    "status of %d has no NSpid line (kernel < 4.1?): no PID translation",
			    (int)pid);
		return;
	}
	if (r < 0) {
		result_diag(w->d->r, pid, EBADMSG, "status", "malformed NSpid line of %d",
			    (int)pid);
		return;
	}
	if (count == 1 && pids[0] == pid) {
		c->nspid = self;
		c->nspid_count = 1;
		if (pidns)
			w->flat_pidns = pidns;
		return;
	}
	c->nspid = arena_alloc(&w->arena, count * sizeof(pid_t));
	if (!c->nspid)
		return;
	memcpy(c->nspid, pids, count * sizeof(pid_t));
	c->nspid_count = (uint32_t)count;
}

/* The arguments, NUL-terminated back to back; identical command lines
 * (forked workers, siblings) share one copy. */
static void read_cmdline(struct worker *w, int dirfd, struct lxkns_process *p)
{
	ssize_t n = wread(w, dirfd, "cmdline", MAX_CMDLINE);
	uint32_t count = 0;

	if (n == -EFBIG)
		n = (ssize_t)w->buf.cap; /* keep what fits */
	if (n <= 0)
		return; /* kernel threads have none; vanished ones neither */
	const char *s = w->buf.p, *end = s + n;
	bool terminated = end[-1] == 0;
	size_t len = (size_t)n + !terminated;
	if (len > UINT32_MAX)
		return;
	for (unsigned i = 0; i < CMDLINE_SLOTS; i++)
		if (w->cmdline[i] && w->cmdline_len[i] == len &&
		    memcmp(w->cmdline[i], s, (size_t)n) == 0) {
			p->cmdline = w->cmdline[i];
			p->cmdline_len = w->cmdline_len[i];
			p->cmdline_count = w->cmdline_count[i];
			return;
		}
	for (const char *q = s; q < end; q++) {
		q = memchr(q, 0, (size_t)(end - q));
		count++;
		if (!q)
			break;
	}
	char *copy = arena_alloc_raw(&w->arena, len);
	if (!copy)
		return;
	memcpy(copy, s, (size_t)n);
	copy[len - 1] = 0;
	p->cmdline = copy;
	p->cmdline_len = (uint32_t)len;
	p->cmdline_count = count;
	unsigned slot = w->cmdline_next++ % CMDLINE_SLOTS;
	w->cmdline[slot] = copy;
	w->cmdline_len[slot] = (uint32_t)len;
	w->cmdline_count[slot] = count;
}

/*
 * Namespace pins. Each lookup of /proc/PID/ns/TYPE gives the namespace's
 * nsfs dentry; when nothing holds that dentry, the kernel allocates it and
 * an inode, and frees both (through RCU) when the lookup is done: for every
 * one of the ten ns/ entries of every process and task. Holding one O_PATH
 * fd per namespace while the scan runs keeps the dentry, so the lookups
 * find it: 14-20 % less CPU time for a full discovery, up to a third less in
 * the lsns-equivalent mode, and fewer RCU callbacks, which a single thread
 * leaves to the idle core but two workers pay for themselves
 * (ARCHITECTURE.md, "Scaling and start-up"). A namespace is pinned the first
 * time a worker sees it in a new namespace set, once for all workers, up to
 * a budget of fds (an eighth of RLIMIT_NOFILE, at most 4096, at most half
 * the processes plus 16); the pins are closed when the scan ends. A pin
 * that fails costs nothing but the saving.
 */
static void pin_nsset(struct worker *w, int dirfd, const struct lxkns_nsid *ids)
{
	struct ns_pins *p = w->pins;
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX && p->used < p->max; t++) {
		uint64_t ino = ids[t].ino;
		if (!ino || u64map_get(&p->seen, ino))
			continue;
		if (u64map_put(&p->seen, ino, p) < 0)
			break; /* out of memory: no more pins, nothing else lost */
		p->fd[p->used++] = raw_openat(dirfd, species_ns_entry(t), O_PATH | O_CLOEXEC);
	}
	pthread_mutex_unlock(&p->lock);
}

/* Room for max pins, or false (then there are none: they only save time). */
static bool pins_init(struct ns_pins *p, size_t max)
{
	*p = (struct ns_pins){ .max = max };
	p->fd = malloc(max * sizeof(*p->fd));
	if (!p->fd || pthread_mutex_init(&p->lock, NULL) != 0) {
		free(p->fd);
		return false;
	}
	return true;
}

static void pins_close(struct ns_pins *p)
{
	for (size_t i = 0; i < p->used; i++)
		if (p->fd[i] >= 0)
			raw_close(p->fd[i]);
	free(p->fd);
	u64map_free(&p->seen);
	pthread_mutex_destroy(&p->lock);
}

/* Makes room in our fd table for n more fds while we are (most likely) still
 * single-threaded: the kernel grows a table that other threads share only
 * after synchronize_rcu(), milliseconds each time, which the workers' pins
 * would otherwise pay in the middle of the scan. The table never shrinks. */
static void grow_fd_table(int anyfd, size_t n)
{
	int lowest = fcntl(anyfd, F_DUPFD_CLOEXEC, 0);
	if (lowest < 0)
		return;
	raw_close(lowest);
	if (n > (size_t)INT32_MAX - (size_t)lowest)
		return;
	int high = fcntl(anyfd, F_DUPFD_CLOEXEC, lowest + (int)n);
	if (high >= 0)
		raw_close(high);
}

/* The ns/ identities of a process or task relative to dirfd, as a shared
 * set: like (a recent set of this worker) or else a new one. */
static void read_ns(struct worker *w, int dirfd, pid_t id, struct proc_common *c,
		    struct nsset *like)
{
	struct discovery *d = w->d;
	struct lxkns_nsid ids[_LXKNS_NS_TYPE_MAX];
	int first_err = 0;

	memset(ids, 0, sizeof(ids));
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		if (!want_type(d, t))
			continue;
		int r = procfs_ns_at(d->pf, dirfd, species_ns_entry(t), t, &ids[t]);
		if (r < 0) {
			ids[t].ino = 0;
			ids[t].dev = 0;
			/* time and cgroup are missing on old kernels: not an error */
			if (r == -ENOENT && (t == LXKNS_NS_TIME || t == LXKNS_NS_CGROUP))
				continue;
			if (!first_err)
				first_err = r;
		}
	}
	if (first_err && !errno_is_gone(first_err))
		result_diag(d->r, id, first_err, "ns", "cannot read the namespaces of %d: %s",
			    (int)id, strerror(-first_err));
	if (like && memcmp(like->id, ids, sizeof(ids)) == 0) {
		c->nss = like;
		return;
	}
	for (unsigned i = 0; i < NSSET_SLOTS; i++)
		if (w->nsset[i] && memcmp(w->nsset[i]->id, ids, sizeof(ids)) == 0) {
			c->nss = w->nsset[i];
			return;
		}
	pin_nsset(w, dirfd, ids);
	struct nsset *set = arena_alloc(&w->arena, sizeof(*set));
	if (!set)
		return;
	memcpy(set->id, ids, sizeof(ids));
	w->nsset[w->nsset_next++ % NSSET_SLOTS] = set;
	c->nss = set;
}

struct task_ctx {
	struct worker *w;
	struct lxkns_process *p;
	uint64_t num_threads; /* as stat has it */
	int taskdirfd;
	struct lxkns_task **tasks;
	size_t count, cap;
};

/* name: n in decimal, or NULL */
static int scan_task(void *userdata, uint64_t n, const char *name)
{
	struct task_ctx *tc = userdata;
	struct worker *w = tc->w;
	struct lxkns_process *p = tc->p;
	pid_t tid = (pid_t)n;
	struct lxkns_task *t;

	if (n == 0 || n > INT32_MAX)
		return 0;
	if (tid == p->pid) {
		t = &p->main_task; /* the main task: its process's own facts */
	} else {
		t = arena_alloc(&w->arena, sizeof(*t));
		if (!t)
			return -ENOMEM;
		t->tid = tid;
		t->process = p;
		char namebuf[16];
		struct proc_stat st;
		if (!name) {
			fmt_u64(namebuf, (uint64_t)tid);
			name = namebuf;
		}
		_cleanup_close_ int fd = raw_openat(tc->taskdirfd, name,
						    O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return 0; /* the thread ended meanwhile */
		int r = read_stat(w, fd, tid, &t->c, &st);
		if (r < 0) {
			if (r == -ENOMEM)
				return r;
			if (!errno_is_gone(r))
				result_diag(w->d->r, tid, r, "task stat",
					    "cannot read the stat of task %d of %d: %s", (int)tid,
					    (int)p->pid, strerror(-r));
			return 0;
		}
		read_cgroup(w, fd, tid, &t->c);
		if (w->d->opts.from_procs)
			read_ns(w, fd, tid, &t->c, p->c.nss);
		/* all threads of a process are in its PID namespace */
		if (p->c.nspid_count == 1) {
			t->c.nspid = &t->tid;
			t->c.nspid_count = 1;
		} else if (w->d->opts.with_nspids) {
			read_nspid(w, fd, &t->tid, &t->c);
		}
	}
	if (tc->count == tc->cap) {
		/* stat's thread count is right but for a race */
		size_t ncap = tc->cap					  ? tc->cap * 2
			      : tc->num_threads && tc->num_threads < 1024 ? tc->num_threads
									  : 1;
		struct lxkns_task **nt = arena_alloc(&w->arena, ncap * sizeof(*nt));
		if (!nt)
			return -ENOMEM;
		if (tc->count)
			memcpy(nt, tc->tasks, tc->count * sizeof(*nt));
		tc->tasks = nt;
		tc->cap = ncap;
	}
	tc->tasks[tc->count++] = t;
	return 0;
}

static int cmp_task_ptr(const void *a, const void *b)
{
	const struct lxkns_task *x = *(void *const *)a, *y = *(void *const *)b;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static void scan_tasks(struct worker *w, int dirfd, struct lxkns_process *p, uint64_t num_threads,
		       struct proc_scan *sc)
{
	struct task_ctx tc = { .w = w, .p = p, .num_threads = num_threads, .taskdirfd = -1 };

	if (num_threads <= 1) {
		tc.tasks = (struct lxkns_task **)(p + 1); /* (see scan_one()) */
		tc.cap = 1;
	}

	if (num_threads > 1) {
		tc.taskdirfd = raw_openat(dirfd, "task", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (tc.taskdirfd >= 0) {
			int r = procfs_list_numbers(w->d->pf, tc.taskdirfd, ".", scan_task, &tc);
			if (r < 0 && !errno_is_gone(r))
				result_diag(w->d->r, p->pid, r, "task",
					    "cannot list the tasks of %d: %s", (int)p->pid,
					    strerror(-r));
			raw_close(tc.taskdirfd);
		}
	}
	/* single-threaded (or the list failed): the main task only, which
	 * saves listing /proc/PID/task for the vast majority of processes */
	bool have_main = false;
	for (size_t i = 0; i < tc.count; i++)
		have_main |= tc.tasks[i]->tid == p->pid;
	if (!have_main && scan_task(&tc, (uint64_t)p->pid, NULL) < 0)
		return;
	if (tc.count > 1)
		qsort(tc.tasks, tc.count, sizeof(*tc.tasks), cmp_task_ptr);
	p->tasks = tc.tasks;
	p->task_count = tc.count;
	/* phase 2 looks only at processes with a task of another set */
	for (size_t i = 0; i < tc.count; i++)
		sc->odd_tasks |= tc.tasks[i]->c.nss && tc.tasks[i]->c.nss != p->c.nss;
}

struct fd_ctx {
	struct worker *w;
	int fddirfd;
	struct fd_ref *refs;
	size_t count, cap;
};

static int scan_fd(void *userdata, uint64_t n, const char *name)
{
	struct fd_ctx *fc = userdata;
	struct discovery *d = fc->w->d;
	char link[64];
	int type;
	uint64_t ino;

	if (n > INT32_MAX)
		return 0;
	ssize_t len = procfs_readlink_at(fc->fddirfd, name, link, sizeof(link));
	if (len == 1 && link[0] == '/') {
		/* a root directory, or a detached mount tree (scan-detached.c) */
		if (!d->opts.from_fds || detached_fd_probe(d, fc->fddirfd, name, &ino) <= 0)
			return 0;
		type = FD_REF_DETACHED;
	} else if (len < 0 || link[0] == '/' || parse_ns_link(link, (size_t)len, &type, &ino) < 0) {
		/* pipes, files, anon inodes: not ours. Long links are paths. */
		return 0;
	} else if (type >= 0) {
		if (!d->opts.from_fds || !want_type(d, type))
			return 0;
	} else {
		if (!d->opts.from_sockets || !want_type(d, LXKNS_NS_NET) ||
		    strncmp(link, "socket:", 7) != 0)
			return 0;
	}
	if (fc->count == fc->cap) {
		if (fc->cap >= MAX_FDS_KEPT)
			return 0;
		size_t ncap = fc->cap ? fc->cap * 2 : 8;
		struct fd_ref *nr = arena_alloc(&fc->w->arena, ncap * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		if (fc->count)
			memcpy(nr, fc->refs, fc->count * sizeof(*nr));
		fc->refs = nr;
		fc->cap = ncap;
	}
	fc->refs[fc->count++] = (struct fd_ref){ .fd = (int)n, .type = type, .ino = ino };
	return 0;
}

static void scan_fds(struct worker *w, int dirfd, struct lxkns_process *p, struct proc_scan *sc)
{
	struct fd_ctx fc = { .w = w };

	fc.fddirfd = raw_openat(dirfd, "fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fc.fddirfd < 0) {
		if (!errno_is_gone(-errno))
			result_diag(w->d->r, p->pid, errno, "fd", "cannot list the fds of %d: %s",
				    (int)p->pid, strerror(errno));
		return;
	}
	int r = procfs_list_numbers(w->d->pf, fc.fddirfd, ".", scan_fd, &fc);
	if (r < 0 && !errno_is_gone(r))
		result_diag(w->d->r, p->pid, r, "fd", "cannot list the fds of %d: %s", (int)p->pid,
			    strerror(-r));
	raw_close(fc.fddirfd);
	sc->fds = fc.refs;
	sc->fd_count = (uint32_t)fc.count;
}

static int scan_one(struct worker *w, pid_t pid, struct lxkns_process **ret, struct proc_scan *sc)
{
	struct discovery *d = w->d;
	struct lxkns_process *p;
	struct proc_stat st;
	int r;

	*ret = NULL;
	_cleanup_close_ int dirfd = procfs_open_pid(d->pf, pid);
	if (dirfd < 0)
		return 0; /* gone since we listed /proc */
	/* with room for the task table of a single-threaded process right
	 * behind it: every pass over the processes that looks at their tasks
	 * then reads one cache line less */
	p = arena_alloc(&w->arena, sizeof(*p) + sizeof(struct lxkns_task *));
	if (!p)
		return -ENOMEM;
	p->pid = pid; /* (also the main task's TID) */
	p->main_task.process = p;
	/* the process UID as lsns has it: the owner of /proc/PID, from the
	 * dirfd we hold (one fstat, no path walk) */
	struct stat dst;
	if (fstat(dirfd, &dst) == 0 && dst.st_uid != (uid_t)-1)
		p->uid_p1 = (uint32_t)dst.st_uid + 1;
	r = read_stat(w, dirfd, pid, &p->c, &st);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		if (errno_is_gone(r))
			result_diag(d->r, pid, -r, "stat", "process %d vanished during the scan",
				    (int)pid);
		else
			result_diag(d->r, pid, r, "stat", "cannot read the stat of %d: %s",
				    (int)pid, r == -EBADMSG ? "malformed" : strerror(-r));
		return 0;
	}
	p->ppid = st.ppid;
	read_cmdline(w, dirfd, p);
	read_cgroup(w, dirfd, pid, &p->c);
	if (d->opts.from_procs) {
		read_ns(w, dirfd, pid, &p->c, NULL);
		/* where children go: only when it differs from its own */
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
			int i = species_children_slot(t);
			if (i >= 0 && want_type(d, t) && pc_ino(&p->c, t) &&
			    procfs_ns_at(d->pf, dirfd, species_children_entry(t), t,
					 &sc->for_children[i]) < 0)
				sc->for_children[i].ino = 0;
		}
	}
	if (d->opts.with_nspids)
		read_nspid(w, dirfd, &p->pid, &p->c);
	if (d->opts.from_tasks)
		scan_tasks(w, dirfd, p, st.num_threads, sc);
	if (d->opts.from_fds || d->opts.from_sockets)
		scan_fds(w, dirfd, p, sc);
	*ret = p;
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	for (;;) {
		/* guided: chunks of 16 PIDs while there are many left, then
		 * smaller ones down to 1, so that the workers end together (a
		 * chunk of 16 is about 3 ms of work: a tenth of a scan at S) */
		size_t start = atomic_load(w->next), take;
		do {
			if (start >= w->count)
				return NULL;
			take = (w->count - start) / (4 * w->nworkers);
			take = take < 1 ? 1 : take > 16 ? 16 : take;
		} while (!atomic_compare_exchange_weak(w->next, &start, start + take));
		size_t end = start + take;
		for (size_t i = start; i < end; i++) {
			int r = scan_one(w, w->pids[i], &w->slots[i], &w->scan[i]);
			if (r < 0) {
				w->err = r;
				return NULL;
			}
		}
	}
	return NULL;
}

struct proc_sort {
	struct lxkns_process *p;
	struct proc_scan sc;
};

static int cmp_proc_sort(const void *a, const void *b)
{
	const struct proc_sort *x = a, *y = b;
	return (x->p->pid > y->p->pid) - (x->p->pid < y->p->pid);
}

/* /proc lists PIDs in order, so this is for other procfs (fixtures): sorts
 * the process table by PID, the side table along. 0 or -ENOMEM. */
static int sort_by_pid(struct lxkns_process **slots, struct proc_scan *scan, size_t n)
{
	size_t i = 1;
	while (i < n && slots[i - 1]->pid <= slots[i]->pid)
		i++;
	if (i >= n)
		return 0;
	struct proc_sort *tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		tmp[i] = (struct proc_sort){ .p = slots[i], .sc = scan[i] };
	qsort(tmp, n, sizeof(*tmp), cmp_proc_sort);
	for (i = 0; i < n; i++) {
		slots[i] = tmp[i].p;
		scan[i] = tmp[i].sc;
	}
	free(tmp);
	return 0;
}

int scan_processes(struct discovery *d)
{
	struct pidlist pl = { 0 };
	_cleanup_free_ struct lxkns_process **slots = NULL;
	struct proc_scan *scan = NULL;
	struct worker *workers = NULL;
	atomic_size_t next;
	unsigned nthreads = d->opts.threads;
	int r;

	r = procfs_list_numbers(d->pf, d->pf->rootfd, ".", collect_pid, &pl);
	if (r < 0) {
		free(pl.pids);
		return r;
	}
	if (!nthreads) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = cpus < 1 ? 1 : cpus > 4 ? 4 : (unsigned)cpus;
	}
	if (pl.count < 64)
		nthreads = 1;
	slots = calloc(pl.count ? pl.count : 1, sizeof(*slots));
	scan = calloc(pl.count ? pl.count : 1, sizeof(*scan));
	workers = calloc(nthreads, sizeof(*workers));
	if (!slots || !scan || !workers) {
		free(pl.pids);
		free(scan);
		free(workers);
		return -ENOMEM;
	}
	/* the discovery owns the side table from here on, even on failure */
	d->scan = scan;
	atomic_init(&next, 0);
	/* the fds the workers may hold as namespace pins (pin_nsset()) */
	size_t pin_budget = 0;
	struct rlimit rl;
	if (d->pf->real && getrlimit(RLIMIT_NOFILE, &rl) == 0)
		pin_budget = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur / 8 > 4096
				     ? 4096
				     : (size_t)(rl.rlim_cur / 8);
	if (pin_budget > pl.count / 2 + 16)
		pin_budget = pl.count / 2 + 16;
	struct ns_pins pins;
	bool pinning = pin_budget && pins_init(&pins, pin_budget);
	if (pinning)
		grow_fd_table(d->pf->rootfd, pin_budget + 16 * nthreads);
	pthread_t tids[8];
	unsigned started = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		workers[i] = (struct worker){
			.d = d,
			.pids = pl.pids,
			.slots = slots,
			.scan = scan,
			.count = pl.count,
			.next = &next,
			.nworkers = nthreads,
			.pins = pinning ? &pins : NULL,
		};
	}
	/* worker 0 runs on this thread */
	for (unsigned i = 1; i < nthreads && i < 8; i++)
		if (pthread_create(&tids[i], NULL, worker_main, &workers[i]) == 0)
			started |= 1u << i;
	worker_main(&workers[0]);
	r = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		if (i > 0 && (started & (1u << i)))
			pthread_join(tids[i], NULL);
		if (workers[i].err)
			r = workers[i].err;
		readbuf_free(&workers[i].buf);
		arena_merge(&d->r->arena, &workers[i].arena);
	}
	if (pinning)
		pins_close(&pins);
	free(workers);
	free(pl.pids);
	if (r < 0)
		return r;

	/* compact: the vanished leave no hole */
	size_t n = 0;
	for (size_t i = 0; i < pl.count; i++)
		if (slots[i]) {
			scan[n] = scan[i];
			slots[n++] = slots[i];
		}
	r = sort_by_pid(slots, scan, n);
	if (r < 0)
		return r;
	/* the result owns the table from here on, even on failure */
	return result_set_processes(d->r, TAKE_PTR(slots), n);
}

/*
 * Cgroup paths as the initial cgroup namespace sees them.
 *
 * /proc/PID/cgroup is rendered relative to the cgroup namespace of the
 * thread that reads it: in a private one (Kubernetes pods on cgroup v2,
 * docker --cgroupns private) every host process reads "/../.." or
 * "/../../x". When we are not in the initial cgroup namespace (its inode is
 * fixed), a short-lived helper thread reads its own cgroup file, setns()es
 * (per thread) into the initial cgroup namespace through a scanned process
 * in it (kthreadd, usually), and reads it again: per hierarchy (v1 cpu, v1
 * freezer, unified), the host path of our namespace's root is the host
 * path minus the relative one. Every path p then becomes the lexically
 * normalized root + p (exact: cgroups cannot be named "." or ".."), once
 * per distinct (interned) string. When this cannot be done, the paths stay
 * relative and one diagnostic says why.
 */
#define CGROUP_INIT_INO 0xEFFFFFFBu /* PROC_CGROUP_INIT_INO */

enum { CGH_CPU, CGH_FREEZER, CGH_UNIFIED, _CGH_MAX };

struct cgns_probe {
	const struct procfs *pf;
	pid_t cand[3];
	size_t cand_count;
	pid_t used;
	struct readbuf rel, host;
	ssize_t rel_len, host_len;
	int err;
	const char *step; /* what failed */
	pid_t step_pid;
};

static void *cgns_thread(void *arg)
{
	struct cgns_probe *b = arg;
	char path[32];

	/* thread-self: this thread, in our cgroup namespace until setns() */
	b->rel_len = procfs_read_at(b->pf, b->pf->rootfd, "thread-self/cgroup", &b->rel, 64 * 1024);
	if (b->rel_len < 0) {
		b->err = (int)b->rel_len;
		b->step = "read our own cgroup file";
		return NULL;
	}
	b->err = -ENOENT;
	b->step = "find a process in the initial cgroup namespace";
	for (size_t i = 0; i < b->cand_count; i++) {
		struct stat st;
		snprintf(path, sizeof(path), "%d/ns/cgroup", (int)b->cand[i]);
		_cleanup_close_ int fd = openat(b->pf->rootfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			b->err = -errno;
			b->step = "open the cgroup namespace of";
			b->step_pid = b->cand[i];
			continue;
		}
		if (st.st_ino != CGROUP_INIT_INO)
			continue; /* gone, and its PID reused */
		if (setns(fd, CLONE_NEWCGROUP) < 0) {
			b->err = -errno;
			b->step = "setns into the initial cgroup namespace";
			b->step_pid = 0;
			return NULL; /* (EPERM for one is EPERM for all) */
		}
		b->used = b->cand[i];
		break;
	}
	if (!b->used)
		return NULL;
	b->host_len = procfs_read_at(b->pf, b->pf->rootfd, "thread-self/cgroup", &b->host,
				     64 * 1024);
	b->err = b->host_len < 0 ? (int)b->host_len : 0;
	b->step = "read our own cgroup file in the initial cgroup namespace";
	return NULL;
}

static bool has_dotdot(struct span s)
{
	for (const char *p = s.p, *end = s.p + s.len; p < end;) {
		const char *e = memchr(p, '/', (size_t)(end - p));
		if (!e)
			e = end;
		if (e - p == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p = e + 1;
	}
	return false;
}

/* The host path of our cgroup namespace's root in one hierarchy: host minus
 * the trailing rel. *ret NULL when it is the host's root (nothing to do).
 * 0, -EBADMSG (they do not match) or -ENOMEM. */
static int cgns_root(struct span host, struct span rel, char **ret)
{
	*ret = NULL;
	if (!host.p && !rel.p)
		return 0; /* no such hierarchy */
	if (!host.p || !rel.p || !rel.len || rel.p[0] != '/' || !host.len || host.p[0] != '/' ||
	    has_dotdot(rel))
		return -EBADMSG;
	size_t keep = host.len;
	if (rel.len > 1) { /* rel "/" (the usual case): the root is where we are */
		if (rel.len > host.len || memcmp(host.p + host.len - rel.len, rel.p, rel.len) != 0)
			return -EBADMSG;
		keep = host.len - rel.len;
	}
	if (keep <= 1) /* nothing, or "/" (host.p starts with '/') */
		return 0;
	*ret = strndup(host.p, keep);
	return *ret ? 0 : -ENOMEM;
}

/* Appends the components of s to the normalized path out[0..n) (no
 * trailing '/', "" for the root), resolving "." and ".." lexically; ".."
 * stops at the root. The new length. */
static size_t cg_push(char *out, size_t n, const char *s, size_t len)
{
	for (const char *p = s, *end = s + len; p < end;) {
		const char *e = memchr(p, '/', (size_t)(end - p));
		if (!e)
			e = end;
		size_t cl = (size_t)(e - p);
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else if (cl && !(cl == 1 && p[0] == '.')) {
			out[n++] = '/';
			memcpy(out + n, p, cl);
			n += cl;
		}
		p = e + 1;
	}
	return n;
}

struct cg_xlate {
	struct lxkns_result *r;
	char *root[_CGH_MAX];
	struct u64map done[_CGH_MAX]; /* old interned path -> new one */
	int err;
};

static const char *cg_xlate_path(struct cg_xlate *x, int h, const char *path)
{
	if (!path || !x->root[h] || x->err)
		return path;
	char *n = u64map_get(&x->done[h], (uint64_t)(uintptr_t)path);
	if (n)
		return n;
	size_t rl = strlen(x->root[h]), pl = strlen(path);
	n = arena_alloc_raw(&x->r->arena, rl + pl + 3);
	if (!n) {
		x->err = -ENOMEM;
		return path;
	}
	size_t len = cg_push(n, 0, x->root[h], rl);
	len = cg_push(n, len, path, pl);
	if (!len)
		n[len++] = '/';
	n[len] = 0;
	if (u64map_put(&x->done[h], (uint64_t)(uintptr_t)path, n) < 0) {
		x->err = -ENOMEM;
		return path;
	}
	return n;
}

static void cg_xlate_common(struct cg_xlate *x, struct proc_common *c, bool cpu_v1)
{
	c->cpu_cgroup = cg_xlate_path(x, cpu_v1 ? CGH_CPU : CGH_UNIFIED, c->cpu_cgroup);
	c->freezer_cgroup = cg_xlate_path(x, c->freezer_v1 ? CGH_FREEZER : CGH_UNIFIED,
					  c->freezer_cgroup);
	c->v2_cgroup = cg_xlate_path(x, CGH_UNIFIED, c->v2_cgroup);
}

static void cgns_relative(struct discovery *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cgns_relative(struct discovery *d, int err, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	d->cgroup_relative = true;
	result_diag(d->r, 0, err, "cgroup",
		    "cgroup paths are relative to the discoverer's cgroup namespace: %s", why);
}

int translate_cgroups(struct discovery *d)
{
	struct cgns_probe b = { .pf = d->pf, .rel_len = -1, .host_len = -1 };
	struct cg_xlate x = { .r = d->r };
	struct stat st;
	pthread_attr_t attr;
	pthread_t t;
	int r;

	/* our own cgroup namespace: the initial one (or none at all) costs
	 * nothing more */
	if (!d->pf->real || fstatat(d->pf->rootfd, "thread-self/ns/cgroup", &st, 0) < 0 ||
	    st.st_ino == CGROUP_INIT_INO)
		return 0;
	for (size_t i = 0; i < d->r->proc_count && b.cand_count < 3; i++)
		if (pc_ino(&d->r->procs[i]->c, LXKNS_NS_CGROUP) == CGROUP_INIT_INO)
			b.cand[b.cand_count++] = d->r->procs[i]->pid;
	if (!b.cand_count && (!d->opts.from_procs || !want_type(d, LXKNS_NS_CGROUP))) {
		/* namespaces not scanned: try PID 1 and kthreadd */
		b.cand[b.cand_count++] = 1;
		b.cand[b.cand_count++] = 2;
	}
	if (!b.cand_count) {
		cgns_relative(d, ENOENT, "no process in the initial cgroup namespace is visible");
		return 0;
	}
	/* a small stack: the thread only reads two small files */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	r = pthread_create(&t, &attr, cgns_thread, &b);
	pthread_attr_destroy(&attr);
	if (r) {
		cgns_relative(d, r, "cannot start a helper thread: %s", strerror(r));
		return 0;
	}
	pthread_join(t, NULL);
	r = 0;

	struct cgroup_paths rel, host;
	if (b.err == -ENOMEM) {
		r = -ENOMEM;
	} else if (b.err) {
		char step[96];
		if (b.step_pid)
			snprintf(step, sizeof(step), "%s %d", b.step, (int)b.step_pid);
		else
			snprintf(step, sizeof(step), "%s", b.step);
		cgns_relative(d, -b.err, "%s: %s", step,
			      b.err == -EPERM ? "Operation not permitted (needs CAP_SYS_ADMIN)"
					      : strerror(-b.err));
	} else if (parse_cgroup(b.rel.p, (size_t)b.rel_len, &rel) < 0 ||
		   parse_cgroup(b.host.p, (size_t)b.host_len, &host) < 0) {
		cgns_relative(d, EBADMSG, "our own cgroup file is malformed");
	} else {
		int e1 = cgns_root(host.cpu, rel.cpu, &x.root[CGH_CPU]);
		int e2 = e1 ? e1 : cgns_root(host.freezer, rel.freezer, &x.root[CGH_FREEZER]);
		int e3 = e2 ? e2 : cgns_root(host.unified, rel.unified, &x.root[CGH_UNIFIED]);
		if (e3 == -ENOMEM) {
			r = -ENOMEM;
		} else if (e3) {
			/* moved meanwhile, or our cgroup lies outside our
			 * cgroup namespace (the root's name is then unknown) */
			cgns_relative(d, EBADMSG,
				      "our own cgroups cannot be placed in the host's (moved "
				      "meanwhile, or outside our cgroup namespace)");
		} else {
			bool cpu_v1 = rel.cpu.p != NULL;
			for (size_t i = 0; i < d->r->proc_count; i++) {
				struct lxkns_process *p = d->r->procs[i];
				cg_xlate_common(&x, &p->c, cpu_v1);
				for (size_t k = 0; k < p->task_count; k++)
					if (p->tasks[k] != &p->main_task)
						cg_xlate_common(&x, &p->tasks[k]->c, cpu_v1);
			}
			r = x.err;
		}
	}
	for (int h = 0; h < _CGH_MAX; h++) {
		free(x.root[h]);
		u64map_free(&x.done[h]);
	}
	readbuf_free(&b.rel);
	readbuf_free(&b.host);
	return r;
}
