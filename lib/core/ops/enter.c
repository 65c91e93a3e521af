/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enter.c: opening discovered namespaces and running code inside them.
 *
 * A reference chain ["/proc/P/ns/mnt", "/a/mntns", "/b/netns"] is resolved
 * step by step: open the first element in our view; each further element is
 * a path inside the mount namespace opened before, looked up from that
 * namespace's root (/proc/P/root when it has a process, else the root a
 * short-lived helper thread gets by setns() into it) with RESOLVE_IN_ROOT,
 * so absolute symlinks stay inside. Hidden namespaces are opened from a
 * child or owned namespace with NS_GET_PARENT/NS_GET_USERNS. Every result
 * is checked against the discovered inode.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bytebuf.h"
#include "cleanup.h"
#include "lxkns-internal.h"
#include "ops/kernel-compat.h"
#include "lxkns/ops.h"
#include "strutil.h"

struct open_how_compat {
	/* cppcheck-suppress unusedStructMember ; the kernel reads them (openat2) */
	uint64_t flags, mode, resolve;
};

/* Opens path inside the tree rooted at rootfd, which acts as "/". */
static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how_compat how = { .flags = (uint64_t)(flags | O_CLOEXEC),
				       .resolve = RESOLVE_IN_ROOT };
	long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd >= 0)
		return (int)fd;
	if (errno != ENOSYS)
		return -errno;
	/* kernels < 5.6: relative to the root, without the symlink jail */
	while (*path == '/')
		path++;
	fd = openat(rootfd, *path ? path : ".", flags | O_CLOEXEC);
	return fd < 0 ? -errno : (int)fd;
}

struct root_args {
	int nsfd, rootfd, err;
};

static void *root_thread(void *arg)
{
	struct root_args *a = arg;
	if (unshare(CLONE_FS) < 0 || setns(a->nsfd, CLONE_NEWNS) < 0) {
		a->err = -errno;
		return NULL;
	}
	a->rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (a->rootfd < 0)
		a->err = -errno;
	return NULL;
}

/* The root directory of the mount namespace open at nsfd. */
static int mntns_root(int nsfd)
{
	struct root_args a = { .nsfd = nsfd, .rootfd = -1 };
	pthread_t t;
	int r = pthread_create(&t, NULL, root_thread, &a);
	if (r)
		return -r;
	pthread_join(t, NULL);
	return a.err < 0 ? a.err : a.rootfd;
}

/* "/proc/<pid>/ns/mnt" -> pid, else 0. */
static pid_t proc_mnt_pid(const char *ref)
{
	int pid;
	char buf[32];
	if (strncmp(ref, "/proc/", 6) != 0)
		return 0;
	const char *slash = strchr(ref + 6, '/');
	if (!slash || strcmp(slash, "/ns/mnt") != 0 || (size_t)(slash - ref - 6) >= sizeof(buf))
		return 0;
	memcpy(buf, ref + 6, (size_t)(slash - ref - 6));
	buf[slash - ref - 6] = 0;
	return safe_atoi(buf, &pid) == 0 && pid > 0 ? pid : 0;
}

/* A socket's network namespace: "/proc/PID/fd/N" cannot be opened (ENXIO). */
static int open_socket_netns(const char *ref)
{
	int pid, fdnum;
	if (sscanf(ref, "/proc/%d/fd/%d", &pid, &fdnum) != 2)
		return -ENXIO;
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	return socket_netns_fd(pidfd, fdnum, NULL);
}

static int open_chain(char *const *ref, size_t count)
{
	int fd = open(ref[0], O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		fd = errno == ENXIO ? open_socket_netns(ref[0]) : -errno;
	for (size_t i = 1; i < count && fd >= 0; i++) {
		pid_t pid = proc_mnt_pid(ref[i - 1]);
		int rootfd;
		if (pid) {
			char root[32];
			snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
			rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (rootfd < 0)
				rootfd = -errno;
		} else {
			rootfd = mntns_root(fd);
		}
		close(fd);
		if (rootfd < 0)
			return rootfd;
		fd = open_in_root(rootfd, ref[i], O_RDONLY | O_NOCTTY);
		close(rootfd);
	}
	return fd;
}

static bool same_ns(int fd, const struct lxkns_namespace *ns)
{
	struct stat st;
	return fstat(fd, &st) == 0 && st.st_ino == ns->id.ino &&
	       (ns->id.dev == 0 || st.st_dev == ns->id.dev);
}

static int open_ns(const struct lxkns_result *r, const struct lxkns_namespace *ns, int depth)
{
	int fd = -ENOENT;

	if (ns->ref_count) {
		fd = open_chain(ns->ref, ns->ref_count);
	} else if (depth < 64) {
		/* hidden: from a child (NS_GET_PARENT) or an owned namespace
		 * (NS_GET_USERNS) that can be opened */
		for (size_t i = 0; i < ns->children.count && fd < 0; i++) {
			int c = open_ns(r, ns->children.items[i], depth + 1);
			if (c >= 0) {
				fd = ioctl(c, NS_GET_PARENT);
				fd = fd < 0 ? -errno : fd;
				close(c);
			}
		}
		for (int t = 0; ns->owned && t < _LXKNS_NS_TYPE_MAX && fd < 0; t++)
			for (size_t i = 0; i < ns->owned[t].count && fd < 0; i++) {
				int c = open_ns(r, ns->owned[t].items[i], depth + 1);
				if (c >= 0) {
					fd = ioctl(c, NS_GET_USERNS);
					fd = fd < 0 ? -errno : fd;
					close(c);
				}
			}
	}
	if (fd < 0)
		return fd == -ENOENT || fd == -ENXIO ? -ESRCH : fd;
	if (!same_ns(fd, ns)) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}

int lxkns_namespace_open(const struct lxkns_result *r, const struct lxkns_namespace *ns)
{
	if (!r || !ns)
		return -EINVAL;
	return open_ns(r, ns, 0);
}

/* The order to enter: as nsenter(1), the user namespace handled apart. */
static const enum lxkns_ns_type enter_order[] = {
	LXKNS_NS_CGROUP, LXKNS_NS_IPC, LXKNS_NS_UTS,  LXKNS_NS_NET,
	LXKNS_NS_PID,	 LXKNS_NS_MNT, LXKNS_NS_TIME,
};
/* a new namespace type needs its place here */
_Static_assert(sizeof(enter_order) / sizeof(enter_order[0]) == _LXKNS_NS_TYPE_MAX - 1,
	       "enter_order lacks a namespace type");

struct nsfds {
	int fd[_LXKNS_NS_TYPE_MAX];
};

static void nsfds_close(struct nsfds *f)
{
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (f->fd[t] >= 0)
			close(f->fd[t]);
}

static int nsfds_open(const struct lxkns_result *r, const struct lxkns_namespace *const *nss,
		      size_t count, struct nsfds *f)
{
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		f->fd[t] = -1;
	for (size_t i = 0; i < count; i++) {
		if (!nss[i] || f->fd[nss[i]->type] >= 0) {
			nsfds_close(f);
			return -EINVAL;
		}
		f->fd[nss[i]->type] = open_ns(r, nss[i], 0);
		if (f->fd[nss[i]->type] < 0) {
			int e = f->fd[nss[i]->type];
			f->fd[nss[i]->type] = -1;
			nsfds_close(f);
			return e;
		}
	}
	return 0;
}

/* setns() everything but user first; then the user namespace; then again
 * what needed the user namespace's capabilities. 0 or -errno. */
static int enter_all(const struct nsfds *f)
{
	bool pending[_LXKNS_NS_TYPE_MAX] = { false };
	int err = 0;

	if (f->fd[LXKNS_NS_MNT] >= 0 && unshare(CLONE_FS) < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(enter_order) / sizeof(enter_order[0]); i++) {
		enum lxkns_ns_type t = enter_order[i];
		if (f->fd[t] >= 0 && setns(f->fd[t], 0) < 0) {
			if (errno != EPERM || f->fd[LXKNS_NS_USER] < 0)
				return -errno;
			pending[t] = true;
		}
	}
	/* re-entering our own user namespace is EINVAL: it is a no-op */
	struct stat cur, want;
	if (f->fd[LXKNS_NS_USER] >= 0 &&
	    !(stat("/proc/self/ns/user", &cur) == 0 && fstat(f->fd[LXKNS_NS_USER], &want) == 0 &&
	      cur.st_ino == want.st_ino && cur.st_dev == want.st_dev) &&
	    setns(f->fd[LXKNS_NS_USER], CLONE_NEWUSER) < 0)
		return -errno;
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (pending[t] && setns(f->fd[t], 0) < 0 && !err)
			err = -errno;
	return err;
}

struct run_args {
	const struct nsfds *f;
	int (*fn)(void *);
	void *userdata;
	int ret;
};

static void *run_thread(void *arg)
{
	struct run_args *a = arg;
	a->ret = enter_all(a->f);
	if (a->ret == 0)
		a->ret = a->fn(a->userdata);
	return NULL;
}

static int wait_status(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* In a forked child: enter, then (for a PID namespace) fork once more so
 * the work runs inside it; exec or call fn. Never returns. */
static void child_run(const struct nsfds *f, int (*fn)(void *), void *userdata, char *const argv[],
		      int errpipe)
{
	int r = enter_all(f);
	if (r < 0) {
		if (write(errpipe, &r, sizeof(r)) < 0)
			_exit(127);
		_exit(127);
	}
	if (f->fd[LXKNS_NS_PID] >= 0) {
		pid_t pid = fork();
		if (pid < 0) {
			r = -errno;
			if (write(errpipe, &r, sizeof(r)) < 0)
				_exit(127);
			_exit(127);
		}
		if (pid > 0) {
			close(errpipe);
			int st = wait_status(pid);
			_exit(st < 0 ? 127 : st);
		}
	}
	if (argv) {
		execvp(argv[0], argv);
		r = -errno;
		if (write(errpipe, &r, sizeof(r)) < 0)
			_exit(127);
		_exit(127);
	}
	close(errpipe);
	_exit(fn(userdata) & 0xff);
}

static int fork_run(const struct nsfds *f, int (*fn)(void *), void *userdata, char *const argv[])
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return e;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_run(f, fn, userdata, argv, pipefd[1]);
	}
	close(pipefd[1]);
	int err = 0;
	ssize_t n = read(pipefd[0], &err, sizeof(err));
	close(pipefd[0]);
	int st = wait_status(pid);
	if (n == (ssize_t)sizeof(err) && err < 0)
		return err; /* entering or exec failed: nothing ran */
	return st;
}

int lxkns_namespaces_run(const struct lxkns_result *r, const struct lxkns_namespace *const *nss,
			 size_t count, int (*fn)(void *userdata), void *userdata)
{
	struct nsfds f;
	int ret;

	if (!r || !fn || (count && !nss))
		return -EINVAL;
	ret = nsfds_open(r, nss, count, &f);
	if (ret < 0)
		return ret;
	if (f.fd[LXKNS_NS_USER] < 0 && f.fd[LXKNS_NS_PID] < 0) {
		struct run_args a = { .f = &f, .fn = fn, .userdata = userdata };
		pthread_t t;
		ret = pthread_create(&t, NULL, run_thread, &a);
		if (ret == 0) {
			pthread_join(t, NULL);
			ret = a.ret;
		} else {
			ret = -ret;
		}
	} else {
		ret = fork_run(&f, fn, userdata, NULL);
	}
	nsfds_close(&f);
	return ret;
}

int lxkns_namespaces_exec(const struct lxkns_result *r, const struct lxkns_namespace *const *nss,
			  size_t count, char *const argv[])
{
	struct nsfds f;
	int ret;

	if (!r || !argv || !argv[0] || (count && !nss))
		return -EINVAL;
	ret = nsfds_open(r, nss, count, &f);
	if (ret < 0)
		return ret;
	ret = fork_run(&f, NULL, NULL, argv);
	nsfds_close(&f);
	return ret;
}

int lxkns_mntns_read_file(const struct lxkns_result *r, const struct lxkns_namespace *mntns,
			  const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	_cleanup_close_ int rootfd = -1, fd = -1;
	_cleanup_buf_ struct buf b = BUF_INIT;

	if (!r || !mntns || mntns->type != LXKNS_NS_MNT || !path || !ret_buf)
		return -EINVAL;
	if (mntns->ealdorman) {
		/* a process in it: its root, if it is still in that namespace */
		char p[48];
		struct stat st;
		snprintf(p, sizeof(p), "/proc/%d/ns/mnt", (int)mntns->ealdorman->pid);
		if (stat(p, &st) == 0 && st.st_ino == mntns->id.ino) {
			snprintf(p, sizeof(p), "/proc/%d/root", (int)mntns->ealdorman->pid);
			rootfd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		}
	}
	if (rootfd < 0) {
		int nsfd = open_ns(r, mntns, 0);
		if (nsfd < 0)
			return nsfd;
		rootfd = mntns_root(nsfd);
		close(nsfd);
		if (rootfd < 0)
			return rootfd;
	}
	fd = open_in_root(rootfd, path, O_RDONLY | O_NOCTTY);
	if (fd < 0)
		return fd;
	for (;;) {
		if (buf_reserve(&b, 8192) < 0)
			return -ENOMEM;
		/* at most max + 1 bytes: one more than max tells -EFBIG */
		size_t room = b.cap - b.len - 1;
		if (max - b.len < room)
			room = max - b.len + 1;
		ssize_t n = read(fd, b.data + b.len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.data[b.len] = 0;
		if (b.len > max)
			return -EFBIG;
	}
	*ret_buf = buf_steal(&b, ret_len);
	return *ret_buf ? 0 : -ENOMEM;
}
