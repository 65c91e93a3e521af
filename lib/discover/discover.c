/* SPDX-License-Identifier: Apache-2.0 */
/*
 * discover.c: the discovery pipeline. Phase 1 reads all processes (in
 * parallel); phase 2 registers namespaces from processes, tasks, fds and
 * bind mounts (each namespace queried once when first seen, hidden parents
 * and owners included); then the model is linked (leaders, ealdormen, loose
 * threads, hierarchy, ownership, roots, initial namespaces), references are
 * built, and user names looked up. The container step belongs to the layer
 * above (lib/containers/), which passes it in: lxkns_discover() is
 * lib/containers/pipeline.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "discover-internal.h"
#include "strutil.h"

/* The library's defaults in a complete struct of its own size. */
static void defaults(struct lxkns_discover_opts *opts)
{
	const struct lxkns_discover_option *o;

	*opts = (struct lxkns_discover_opts){
		.size = sizeof(*opts),
		.type_mask = LXKNS_NS_TYPE_ALL,
		.container_timeout_ms = 0,
		.container_watcher = NULL,
	};
	/* the switches: their defaults are in the option table (options.c) */
	for (size_t i = 0; (o = lxkns_discover_option_at(i)); i++)
		lxkns_discover_option_set(o, opts, o->on_by_default);
}

int lxkns_discover_opts_init_sized(struct lxkns_discover_opts *opts, size_t size)
{
	struct lxkns_discover_opts full;

	if (!opts || size < sizeof(opts->size))
		return -EINVAL;
	defaults(&full);
	if (size <= sizeof(full)) {
		memcpy(opts, &full, size);
	} else {
		memcpy(opts, &full, sizeof(full));
		memset((char *)opts + sizeof(full), 0, size - sizeof(full));
	}
	opts->size = size;
	return 0;
}

int discover_opts_import(const struct lxkns_discover_opts *opts, struct lxkns_discover_opts *ret)
{
	defaults(ret);
	return opts ? abi_copy_in(ret, sizeof(*ret), opts, opts->size) : 0;
}

static void note_initial(struct discovery *d)
{
	const struct lxkns_process *p1 = u64map_get(&d->r->proc_by_pid, 1);
	const struct lxkns_process *p2 = u64map_get(&d->r->proc_by_pid, 2);
	bool p1_ok = false;

	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		p1_ok |= p1 && pc_ns(&p1->c, t);
	if (p1_ok || !d->opts.from_procs)
		return;
	if (p2 && p2->ppid == 0 && d->r->initial[LXKNS_NS_USER])
		result_diag(d->r, 1, EACCES, "ns",
			    "PID 1 cannot be inspected: the initial namespaces are those of "
			    "kthreadd (PID 2)");
	else
		result_diag(
			d->r, 1, EACCES, "ns",
			"neither PID 1 nor kthreadd can be inspected: initial namespaces unknown");
}

/* LXKNS_DEBUG=1 (or any value) traces the phases and their cost to stderr;
 * off by default, and the only place the library ever prints. */
static bool debug_on(void)
{
	static int on = -1;
	if (on < 0) {
		const char *e = getenv("LXKNS_DEBUG");
		on = e && *e && strcmp(e, "0") != 0;
	}
	return on;
}

static void trace(const char *phase, struct timespec *t0, int r)
{
	struct timespec t1;
	if (!debug_on())
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "lxkns: %-12s %8.3f ms%s\n", phase,
		(double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6,
		r < 0 ? " (failed)" : "");
	*t0 = t1;
}

int discover_run(const struct lxkns_discover_opts *opts, discover_late_fn late,
		 struct lxkns_result **ret_result)
{
	struct timespec t0;
	struct discovery d = { 0 };
	int r;

	if (!ret_result)
		return -EINVAL;
	/* the caller's struct may be older or newer than ours */
	r = discover_opts_import(opts, &d.opts);
	if (r < 0)
		return r;
	d.mask = d.opts.type_mask ? d.opts.type_mask & LXKNS_NS_TYPE_ALL : LXKNS_NS_TYPE_ALL;
	d.opts.type_mask = d.mask;
	r = procfs_open(d.opts.procfs_root, &d.pf);
	if (r < 0)
		return r;
	d.r = result_new(&d.opts);
	if (!d.r) {
		procfs_free(d.pf);
		return -ENOMEM;
	}
	d.r->opts.container_watcher = NULL; /* not owned: never hand it out later */

	/* who we are, and the nsfs device */
	{
		_cleanup_close_ int self = procfs_open_pid(d.pf, 0);
		d.self_pid = getpid();
		if (self >= 0) {
			char buf[32];
			ssize_t n = procfs_readlink_at(d.pf->rootfd, "self", buf, sizeof(buf));
			int pid;
			if (n > 0 && safe_atoi(buf, &pid) == 0)
				d.self_pid = pid;
			if (procfs_ns_at(d.pf, self, "ns/mnt", LXKNS_NS_MNT, &d.self_mntns) < 0)
				d.self_mntns.ino = 0;
			struct lxkns_nsid any;
			if (procfs_ns_at(d.pf, self, "ns/user", LXKNS_NS_USER, &any) == 0)
				d.nsfs_dev = any.dev;
		}
		if (!d.pf->real)
			d.nsfs_dev = PROCFS_FIXTURE_NSFS_DEV;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = kernel_lists_snapshot(&d);
	if (r >= 0)
		r = scan_processes(&d);
	trace("processes", &t0, r);
	if (r >= 0) {
		r = translate_cgroups(&d);
		trace("cgroup-ns", &t0, r);
	}
	if (r >= 0 && d.opts.from_procs) {
		r = discover_from_procs(&d);
		trace("from-procs", &t0, r);
	}
	if (r >= 0 && d.opts.from_tasks) {
		r = discover_from_tasks(&d);
		trace("from-tasks", &t0, r);
	}
	if (r >= 0 && (d.opts.from_fds || d.opts.from_sockets)) {
		r = discover_from_fds(&d);
		trace("from-fds", &t0, r);
	}
	/* the side table of the scan is done with */
	free(d.scan);
	d.scan = NULL;
	if (r >= 0 && (d.opts.from_bindmounts || d.opts.with_mounts)) {
		r = discover_mount_namespaces(&d);
		trace("mount-ns", &t0, r);
	}
	if (r >= 0)
		r = result_link(d.r, true);
	if (r >= 0) {
		note_initial(&d);
		r = result_build_refs(d.r);
	}
	if (r >= 0 && d.opts.with_nspids)
		r = result_build_pidmap(d.r);
	trace("link", &t0, r);
	if (r >= 0 && d.opts.with_freezer) {
		r = discover_freezer(&d);
		trace("freezer", &t0, r);
	}
	if (r >= 0 && (d.opts.with_affinity || d.opts.with_task_affinity)) {
		r = discover_affinity(&d);
		trace("affinity", &t0, r);
	}
	if (r >= 0 && d.opts.with_user_names) {
		r = discover_user_names(&d);
		trace("user-names", &t0, r);
	}
	/* containers: after the PID map (translation) and the freezer (the
	 * paused state of runc/crun containers) */
	if (r >= 0 && late && d.opts.with_containers && d.pf->real) {
		r = late(d.r, d.pf->rootfd, d.self_mntns.ino, &d.opts);
		trace("containers", &t0, r);
	}
	procfs_free(d.pf);
	strintern_free(&d.mount_strings);
	u64map_free(&d.kernel_before);
	if (r < 0) {
		lxkns_result_unref(d.r);
		return r;
	}
	*ret_result = d.r;
	return 0;
}
