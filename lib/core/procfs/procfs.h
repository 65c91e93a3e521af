/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procfs.h: all access to /proc and to nsfs goes through one struct procfs,
 * which holds a dirfd of the procfs root. Pointing it at a fixture tree
 * makes every reader testable: there, ns entries are symlinks such as
 * "net:[4026531840]" and the nsfs relations (owner, parent, owner UID) come
 * from a "nsfs.relations" table instead of ioctls.
 */
#ifndef LXKNS_PROCFS_H
#define LXKNS_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lxkns/species.h"

/* Files read from /proc are bounded: nothing bigger is kept. */
#define PROCFS_MAX_FILE (1024 * 1024)
/* The dev of nsfs inodes in fixture trees. */
#define PROCFS_FIXTURE_NSFS_DEV 4

struct fixture_rel;

struct procfs {
	int rootfd;
	char *root;
	bool real; /* a real procfs, not a fixture tree */
	struct fixture_rel *rels;
	size_t rel_count, rel_cap;
};

/* Opens the procfs at root (NULL: /proc). 0 or -errno. */
int procfs_open(const char *root, struct procfs **ret);
void procfs_free(struct procfs *pf);

/* O_PATH dirfd of /proc/<pid> (or of "self" when pid is 0). */
int procfs_open_pid(struct procfs *pf, pid_t pid);

/*
 * Reads the file name relative to dirfd into *buf (malloc'ed on demand,
 * *cap its size; a caller-provided stack buffer may be passed with
 * *buf_is_heap false). Returns the length or -errno; at most max bytes
 * are kept (-EFBIG beyond).
 */
struct readbuf {
	char *p;
	size_t cap;
	bool heap;
};
ssize_t procfs_read_at(const struct procfs *pf, int dirfd, const char *name, struct readbuf *b,
		       size_t max);
void readbuf_free(struct readbuf *b);
/* The same for /proc/PID/{stat,status,cgroup,cmdline} only: on a real
 * procfs, a short read is taken as the end of the file. */
ssize_t procfs_read_small_at(const struct procfs *pf, int dirfd, const char *name,
			     struct readbuf *b, size_t max);

/* Identifies the namespace behind an ns entry ("ns/net") relative to
 * dirfd: fstatat on a real procfs, readlink on a fixture. */
int procfs_ns_at(const struct procfs *pf, int dirfd, const char *path, int type,
		 struct lxkns_nsid *ret);

/* Lists a directory relative to dirfd: calls fn for every entry that is
 * a decimal number (PIDs, TIDs, fd numbers), with the number and its name.
 * Stops on fn's error. */
int procfs_list_numbers(const struct procfs *pf, int dirfd, const char *name,
			int (*fn)(void *userdata, uint64_t number, const char *name),
			void *userdata);

/* readlinkat, NUL-terminated, bounded. Length or -errno. */
ssize_t procfs_readlink_at(int dirfd, const char *name, char *buf, size_t size);

/*
 * nsfs relations. A handle is an open nsfs fd on a real procfs, and an
 * index into the relations table on a fixture; either way close it with
 * nsfs_close(). All return a handle, 0, or -errno.
 */
int nsfs_open(struct procfs *pf, int dirfd, const char *path, int type, uint64_t ino_hint);
int nsfs_id(const struct procfs *pf, int handle, struct lxkns_nsid *ret);
int nsfs_get_userns(struct procfs *pf, int handle);
int nsfs_get_parent(struct procfs *pf, int handle);
int nsfs_get_owner_uid(const struct procfs *pf, int handle, uid_t *ret);
/* The network namespace of socket fd number fd of process pid. */
int nsfs_socket_netns(struct procfs *pf, int pidfd, int fd, bool *ret_denied);
/* pidfd_open(2), or -errno (-ENOSYS on old kernels). */
int nsfs_pidfd_open(const struct procfs *pf, pid_t pid);
void nsfs_close(const struct procfs *pf, int handle);

#endif
