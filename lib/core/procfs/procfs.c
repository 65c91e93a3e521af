/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "parse.h"
#include "rawsys.h"
#include "procfs.h"
#include "strutil.h"

int procfs_open(const char *root, struct procfs **ret)
{
	struct procfs *pf;
	struct statfs sfs;

	if (!root)
		root = "/proc";
	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	pf->root = strdup(root);
	if (!pf->root) {
		free(pf);
		return -ENOMEM;
	}
	pf->rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pf->rootfd < 0) {
		int r = -errno;
		free(pf->root);
		free(pf);
		return r;
	}
	pf->real = fstatfs(pf->rootfd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
	*ret = pf;
	return 0;
}

void procfs_free(struct procfs *pf)
{
	if (!pf)
		return;
	if (pf->rootfd >= 0)
		close(pf->rootfd);
	free(pf->rels);
	free(pf->root);
	free(pf);
}

int procfs_open_pid(struct procfs *pf, pid_t pid)
{
	char name[16];
	int fd;

	if (pid == 0)
		memcpy(name, "self", 5);
	else
		fmt_u64(name, (uint64_t)pid);
	fd = raw_openat(pf->rootfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

void readbuf_free(struct readbuf *b)
{
	if (b->heap)
		free(b->p);
	b->p = NULL;
	b->cap = 0;
	b->heap = false;
}

/* struct readbuf is not the common struct buf (common/bytebuf.h) on
 * purpose: it starts on the caller's stack, so the thousands of small
 * /proc reads of a discovery allocate nothing. */
static ssize_t read_at(const struct procfs *pf, int dirfd, const char *name, struct readbuf *b,
		       size_t max, bool short_is_eof)
{
	_cleanup_close_ int fd = -1;
	size_t len = 0;

	fd = raw_openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len == b->cap) {
			size_t ncap = b->cap ? b->cap * 2 : 4096;
			if (b->cap >= max)
				return -EFBIG;
			if (ncap > max)
				ncap = max;
			char *n;
			if (b->heap) {
				n = realloc(b->p, ncap);
			} else {
				n = malloc(ncap);
				if (n && len)
					memcpy(n, b->p, len);
			}
			if (!n)
				return -ENOMEM;
			b->p = n;
			b->cap = ncap;
			b->heap = true;
		}
		ssize_t n = raw_read(fd, b->p + len, b->cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (short_is_eof && pf->real && len < b->cap)
			break;
	}
	return (ssize_t)len;
}

ssize_t procfs_read_at(const struct procfs *pf, int dirfd, const char *name, struct readbuf *b,
		       size_t max)
{
	return read_at(pf, dirfd, name, b, max, false);
}

ssize_t procfs_read_small_at(const struct procfs *pf, int dirfd, const char *name,
			     struct readbuf *b, size_t max)
{
	/* stat, status and cgroup are single-record seq_files (single_open)
	 * and cmdline loops over pages until the buffer is full: for them a
	 * short read is the end, which saves one read(2) per file. Not so for
	 * multi-record seq_files such as mountinfo (one page per read). */
	return read_at(pf, dirfd, name, b, max, true);
}

ssize_t procfs_readlink_at(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(dirfd, name, buf, size - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size - 1)
		return -ENAMETOOLONG;
	buf[n] = 0;
	return n;
}

int procfs_ns_at(const struct procfs *pf, int dirfd, const char *path, int type,
		 struct lxkns_nsid *ret)
{
	if (pf->real) {
		struct stat st;
		if (fstatat(dirfd, path, &st, 0) < 0)
			return -errno;
		ret->dev = st.st_dev;
		ret->ino = st.st_ino;
		return 0;
	}
	char buf[64];
	ssize_t n = procfs_readlink_at(dirfd, path, buf, sizeof(buf));
	int t;
	uint64_t ino;
	if (n < 0)
		return (int)n;
	if (parse_ns_link(buf, (size_t)n, &t, &ino) < 0 || t != type)
		return -EBADMSG;
	ret->dev = PROCFS_FIXTURE_NSFS_DEV;
	ret->ino = ino;
	return 0;
}

/* getdents64's record; we read only its length and name (the members
 * cppcheck calls unused are the kernel's layout) */
struct linux_dirent64 {
	uint64_t d_ino; /* cppcheck-suppress unusedStructMember ; kernel layout */
	int64_t d_off;	/* cppcheck-suppress unusedStructMember ; kernel layout */
	unsigned short d_reclen;
	unsigned char d_type; /* cppcheck-suppress unusedStructMember ; kernel layout */
	char d_name[];
};

int procfs_list_numbers(const struct procfs *pf, int dirfd, const char *name,
			int (*fn)(void *userdata, uint64_t number, const char *name),
			void *userdata)
{
	_cleanup_close_ int fd = -1;
	/* glibc's readdir uses 32 KiB too; on the stack we save its malloc */
	_Alignas(8) char buf[32768];

	fd = raw_openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return 0;
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			uint64_t num;
			off += d->d_reclen;
			if (safe_atou64(d->d_name, &num) < 0)
				continue;
			int r = fn(userdata, num, d->d_name);
			if (r < 0)
				return r;
		}
	}
}
