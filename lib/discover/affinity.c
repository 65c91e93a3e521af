/* SPDX-License-Identifier: Apache-2.0 */
/*
 * affinity.c: CPU affinity (sched_getaffinity) of the leader processes of
 * all namespaces, or of every task, as CPU range lists; and the online CPUs.
 * Scheduling policy, priority and nice come with stat and need nothing here.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "discover-internal.h"
#include "procfs/parse.h"

#define MAX_RANGES 4096

struct affinity_ctx {
	struct discovery *d;
	cpu_set_t *set;
	size_t setsize;
	int ncpus;
	uint32_t ranges[2 * 256];
	/* the last list stored: most processes share it */
	uint32_t *last;
	size_t last_count;
};

static int get_affinity(struct affinity_ctx *ac, pid_t tid, struct proc_common *c)
{
	long got;

	for (;;) {
		/* the raw call tells how many bytes of the mask the kernel has */
		got = syscall(SYS_sched_getaffinity, tid, ac->setsize, ac->set);
		if (got >= 0)
			break;
		if (errno != EINVAL || ac->ncpus >= 1 << 20)
			return errno == ESRCH ? 0 : -errno;
		/* the kernel has more CPUs than the set: grow it */
		CPU_FREE(ac->set);
		ac->ncpus *= 2;
		ac->set = CPU_ALLOC(ac->ncpus);
		if (!ac->set)
			return -ENOMEM;
		ac->setsize = CPU_ALLOC_SIZE(ac->ncpus);
	}
	const unsigned long *words = (const unsigned long *)ac->set;
	size_t nwords = (size_t)got / sizeof(unsigned long), n = 0;
	for (size_t wi = 0; wi < nwords && n < 256; wi++) {
		for (unsigned long bits = words[wi]; bits && n < 256; bits &= bits - 1) {
			uint32_t cpu = (uint32_t)(wi * 8 * sizeof(unsigned long)) +
				       (uint32_t)__builtin_ctzl(bits);
			if (n && ac->ranges[2 * n - 1] == cpu - 1) {
				ac->ranges[2 * n - 1] = cpu;
			} else {
				ac->ranges[2 * n] = ac->ranges[2 * n + 1] = cpu;
				n++;
			}
		}
	}
	if (ac->last && ac->last_count == n &&
	    memcmp(ac->last, ac->ranges, 2 * n * sizeof(uint32_t)) == 0) {
		c->affinity = ac->last;
		c->affinity_count = (uint32_t)n;
		return 0;
	}
	c->affinity = arena_alloc(&ac->d->r->arena, 2 * n * sizeof(uint32_t) + 1);
	if (!c->affinity)
		return -ENOMEM;
	memcpy(c->affinity, ac->ranges, 2 * n * sizeof(uint32_t));
	c->affinity_count = (uint32_t)n;
	ac->last = c->affinity;
	ac->last_count = n;
	return 0;
}

static int cpus_online(struct discovery *d)
{
	struct readbuf b = { 0 };
	uint32_t *ranges = malloc(2 * MAX_RANGES * sizeof(uint32_t));
	size_t n;
	int r = 0;

	if (!ranges)
		return -ENOMEM;
	ssize_t len = procfs_read_at(d->pf, AT_FDCWD, "/sys/devices/system/cpu/online", &b, 65536);
	if (len < 0) {
		result_diag(d->r, 0, (int)len, "cpus-online", "cannot read the online CPUs: %s",
			    strerror((int)-len));
	} else if (parse_cpulist(b.p, (size_t)len, ranges, MAX_RANGES, &n) < 0) {
		result_diag(d->r, 0, EBADMSG, "cpus-online", "malformed list of online CPUs");
	} else {
		d->r->cpus_online = arena_alloc(&d->r->arena, 2 * n * sizeof(uint32_t) + 1);
		if (!d->r->cpus_online)
			r = -ENOMEM;
		else {
			memcpy(d->r->cpus_online, ranges, 2 * n * sizeof(uint32_t));
			d->r->cpus_online_count = n;
		}
	}
	free(ranges);
	readbuf_free(&b);
	return r;
}

int discover_affinity(struct discovery *d)
{
	struct affinity_ctx ac = { .d = d };
	int r;

	/* a fixture's PIDs are not this machine's */
	if (!d->pf->real)
		return 0;
	r = cpus_online(d);
	if (r < 0)
		return r;
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	ac.ncpus = conf > 0 && conf < (1 << 20) ? (int)((conf + 63) & ~63L) : 1024;
	if (ac.ncpus < 1024)
		ac.ncpus = 1024;
	ac.set = CPU_ALLOC(ac.ncpus);
	if (!ac.set)
		return -ENOMEM;
	ac.setsize = CPU_ALLOC_SIZE(ac.ncpus);

	if (d->opts.with_task_affinity) {
		for (size_t i = 0; i < d->r->proc_count && r == 0; i++) {
			struct lxkns_process *p = d->r->procs[i];
			r = get_affinity(&ac, p->pid, &p->c);
			for (size_t k = 0; k < p->task_count && r == 0; k++) {
				struct lxkns_task *t = p->tasks[k];
				if (t->tid == p->pid) {
					t->c.affinity = p->c.affinity;
					t->c.affinity_count = p->c.affinity_count;
				} else {
					r = get_affinity(&ac, t->tid, &t->c);
				}
			}
		}
	} else {
		/* leaders only; a process leads several namespaces: once */
		for (int t = 0; t < _LXKNS_NS_TYPE_MAX && r == 0; t++)
			for (size_t i = 0; i < d->r->ns[t].count && r == 0; i++) {
				struct lxkns_namespace *ns = d->r->ns[t].items[i];
				for (size_t k = 0; k < ns->leaders.count && r == 0; k++) {
					struct lxkns_process *p = ns->leaders.items[k];
					if (!p->c.affinity)
						r = get_affinity(&ac, p->pid, &p->c);
				}
			}
	}
	CPU_FREE(ac.set);
	return r;
}
