/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsfs.c: namespace relations. On a real procfs these are the nsfs ioctls
 * (NS_GET_USERNS, NS_GET_PARENT, NS_GET_OWNER_UID), socket netns lookups
 * (pidfd_getfd + SIOCGSKNS); on a fixture tree they come from the table in
 * <root>/nsfs.relations, one namespace per line:
 *
 *     <ino> <type> <owner-ino or -> <parent-ino or -> <owner-uid or ->
 *
 * The same ioctls also serve the public lxkns_nsfs_*() (include/lxkns/nsfs.h)
 * on a caller's fd or path, at the end of this file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "lxkns/nsfs.h"
#include "ops/kernel-compat.h"
#include "procfs/parse.h"
#include "procfs/procfs.h"
#include "strutil.h"

struct fixture_rel {
	uint64_t ino;
	int type;
	uint64_t owner, parent;
	bool has_uid;
	uid_t uid;
};

/* By (inode, type): a fixture may show one inode as two types, as the
 * kernel does when it reuses a freed namespace's inode during a scan. */
static int fixture_add(struct procfs *pf, uint64_t ino, int type)
{
	for (size_t i = 0; i < pf->rel_count; i++)
		if (pf->rels[i].ino == ino && pf->rels[i].type == type)
			return (int)i + 1;
	if (pf->rel_count == pf->rel_cap) {
		size_t ncap = pf->rel_cap ? pf->rel_cap * 2 : 32;
		struct fixture_rel *n = realloc(pf->rels, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		pf->rels = n;
		pf->rel_cap = ncap;
	}
	pf->rels[pf->rel_count] = (struct fixture_rel){ .ino = ino, .type = type };
	return (int)++pf->rel_count;
}

static int fixture_load(struct procfs *pf)
{
	_cleanup_close_ int fd = -1;
	_cleanup_fclose_ FILE *f = NULL;
	char line[256];

	if (pf->rel_count || pf->rel_cap)
		return 0;
	/* mark as loaded even when there is no table */
	pf->rels = calloc(1, sizeof(*pf->rels));
	if (!pf->rels)
		return -ENOMEM;
	pf->rel_cap = 1;
	fd = openat(pf->rootfd, "nsfs.relations", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	f = fdopen(fd, "re");
	if (!f)
		return -errno;
	TAKE_FD(fd);
	while (fgets(line, sizeof(line), f)) {
		char ino[32], type[16], owner[32], parent[32], uid[32];
		uint64_t v;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%31s %15s %31s %31s %31s", ino, type, owner, parent, uid) != 5)
			continue;
		int t = lxkns_ns_type_from_name(type);
		if (t < 0 || safe_atou64(ino, &v) < 0)
			continue;
		int h = fixture_add(pf, v, t);
		if (h < 0)
			return h;
		struct fixture_rel *rel = &pf->rels[h - 1];
		if (safe_atou64(owner, &v) == 0)
			rel->owner = v;
		if (safe_atou64(parent, &v) == 0)
			rel->parent = v;
		if (safe_atou64(uid, &v) == 0 && v < UINT32_MAX) {
			rel->has_uid = true;
			rel->uid = (uid_t)v;
		}
	}
	return 0;
}

static struct fixture_rel *fixture_get(const struct procfs *pf, int handle)
{
	if (handle <= 0 || (size_t)handle > pf->rel_count)
		return NULL;
	return &pf->rels[handle - 1];
}

int nsfs_open(struct procfs *pf, int dirfd, const char *path, int type, uint64_t ino_hint)
{
	if (pf->real) {
		int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		return fd < 0 ? -errno : fd;
	}
	int r = fixture_load(pf);
	if (r < 0)
		return r;
	if (!ino_hint) {
		char buf[64];
		ssize_t n = procfs_readlink_at(dirfd, path, buf, sizeof(buf));
		int t;
		if (n < 0)
			return (int)n;
		if (parse_ns_link(buf, (size_t)n, &t, &ino_hint) < 0 || t != type)
			return -EBADMSG;
	}
	return fixture_add(pf, ino_hint, type);
}

int nsfs_id(const struct procfs *pf, int handle, struct lxkns_nsid *ret)
{
	if (pf->real) {
		struct stat st;
		if (fstat(handle, &st) < 0)
			return -errno;
		ret->dev = st.st_dev;
		ret->ino = st.st_ino;
		return 0;
	}
	struct fixture_rel *rel = fixture_get(pf, handle);
	if (!rel)
		return -EBADF;
	ret->dev = PROCFS_FIXTURE_NSFS_DEV;
	ret->ino = rel->ino;
	return 0;
}

static int fixture_related(struct procfs *pf, int handle, bool parent)
{
	struct fixture_rel *rel = fixture_get(pf, handle);
	if (!rel)
		return -EBADF;
	uint64_t ino = parent ? rel->parent : rel->owner;
	int type = parent ? rel->type : LXKNS_NS_USER;
	if (!ino)
		return parent && rel->type != LXKNS_NS_USER && rel->type != LXKNS_NS_PID ? -EINVAL
											 : -EPERM;
	return fixture_add(pf, ino, type);
}

/* The ioctls on a real nsfs fd, shared by discovery and the public
 * lxkns_nsfs_*() below. The fd ones return a new O_CLOEXEC fd or -errno. */
static int ioctl_userns(int fd, uid_t *unused)
{
	(void)unused;
	int ns = ioctl(fd, NS_GET_USERNS);
	return ns < 0 ? -errno : ns;
}

static int ioctl_parent(int fd, uid_t *unused)
{
	(void)unused;
	int ns = ioctl(fd, NS_GET_PARENT);
	return ns < 0 ? -errno : ns;
}

static int ioctl_owner_uid(int fd, uid_t *ret)
{
	uid_t uid = 0; /* valgrind does not know this ioctl writes it */
	if (ioctl(fd, NS_GET_OWNER_UID, &uid) < 0)
		return -errno;
	*ret = uid;
	return 0;
}

static int ioctl_nstype(int fd, uid_t *unused)
{
	(void)unused;
	int flag = ioctl(fd, NS_GET_NSTYPE);
	if (flag < 0)
		return -errno;
	int t = lxkns_ns_type_from_clone_flag((unsigned long)flag);
	return t < 0 ? -EOPNOTSUPP : t;
}

int nsfs_get_userns(struct procfs *pf, int handle)
{
	if (pf->real)
		return ioctl_userns(handle, NULL);
	return fixture_related(pf, handle, false);
}

int nsfs_get_parent(struct procfs *pf, int handle)
{
	if (pf->real)
		return ioctl_parent(handle, NULL);
	return fixture_related(pf, handle, true);
}

int nsfs_get_owner_uid(const struct procfs *pf, int handle, uid_t *ret)
{
	if (pf->real)
		return ioctl_owner_uid(handle, ret);
	struct fixture_rel *rel = fixture_get(pf, handle);
	if (!rel)
		return -EBADF;
	if (!rel->has_uid)
		return -ENOTTY;
	*ret = rel->uid;
	return 0;
}

int nsfs_pidfd_open(const struct procfs *pf, pid_t pid)
{
	if (!pf->real)
		return -EOPNOTSUPP;
	long fd = syscall(SYS_pidfd_open, pid, 0);
	return fd < 0 ? -errno : (int)fd;
}

int socket_netns_fd(int pidfd, int fd, bool *ret_denied)
{
	if (ret_denied)
		*ret_denied = false;
	_cleanup_close_ int sock = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (sock < 0)
		return -errno;
	int ns = ioctl(sock, SIOCGSKNS);
	if (ns < 0 && errno == EPERM && ret_denied)
		*ret_denied = true;
	return ns < 0 ? -errno : ns;
}

int nsfs_socket_netns(struct procfs *pf, int pidfd, int fd, bool *ret_denied)
{
	if (ret_denied)
		*ret_denied = false;
	return pf->real ? socket_netns_fd(pidfd, fd, ret_denied) : -EOPNOTSUPP;
}

void nsfs_close(const struct procfs *pf, int handle)
{
	if (pf->real && handle >= 0)
		close(handle);
}

/* ---- the public relations of one namespace fd or path (nsfs.h) ---- */

/* fd itself when it is an nsfs file the ioctls can be sent to; for an O_PATH
 * fd a new O_RDONLY one through /proc/self/fd, which *ret_tmp holds for the
 * caller to close. -ENOTTY for any other file: an nsfs ioctl number may
 * mean something else to a device. */
static int usable_fd(int fd, int *ret_tmp)
{
	struct statfs sf;
	char path[64];
	int fl, n;

	*ret_tmp = -1;
	if (fstatfs(fd, &sf) < 0)
		return -errno;
	if (sf.f_type != NSFS_MAGIC)
		return -ENOTTY;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	if (!(fl & O_PATH))
		return fd;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (n < 0)
		return -errno;
	*ret_tmp = n;
	return n;
}

static int on_fd(int fd, int (*op)(int fd, uid_t *uid), uid_t *uid)
{
	int tmp;
	int u = usable_fd(fd, &tmp);
	if (u < 0)
		return u;
	int r = op(u, uid);
	if (tmp >= 0)
		close(tmp);
	return r;
}

static int on_path(int dirfd, const char *path, int flags, int (*op)(int fd, uid_t *uid),
		   uid_t *uid)
{
	if (flags & ~AT_EMPTY_PATH)
		return -EINVAL;
	if (!path || !*path)
		return (flags & AT_EMPTY_PATH) ? on_fd(dirfd, op, uid) : -ENOENT;
	/* O_PATH: opening a FIFO or a device has no effect and cannot block */
	_cleanup_close_ int fd = openat(dirfd, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return on_fd(fd, op, uid);
}

int lxkns_nsfs_type(int fd)
{
	return on_fd(fd, ioctl_nstype, NULL);
}

int lxkns_nsfs_type_at(int dirfd, const char *path, int flags)
{
	return on_path(dirfd, path, flags, ioctl_nstype, NULL);
}

int lxkns_nsfs_userns(int fd)
{
	return on_fd(fd, ioctl_userns, NULL);
}

int lxkns_nsfs_userns_at(int dirfd, const char *path, int flags)
{
	return on_path(dirfd, path, flags, ioctl_userns, NULL);
}

int lxkns_nsfs_parent(int fd)
{
	return on_fd(fd, ioctl_parent, NULL);
}

int lxkns_nsfs_parent_at(int dirfd, const char *path, int flags)
{
	return on_path(dirfd, path, flags, ioctl_parent, NULL);
}

int lxkns_nsfs_owner_uid(int fd, uid_t *ret_uid)
{
	if (!ret_uid)
		return -EINVAL;
	return on_fd(fd, ioctl_owner_uid, ret_uid);
}

int lxkns_nsfs_owner_uid_at(int dirfd, const char *path, int flags, uid_t *ret_uid)
{
	if (!ret_uid)
		return -EINVAL;
	return on_path(dirfd, path, flags, ioctl_owner_uid, ret_uid);
}
