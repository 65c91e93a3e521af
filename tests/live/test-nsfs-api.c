/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-nsfs-api.c: the public nsfs relations (include/lxkns/nsfs.h) on
 * real namespaces, against ground truth from stat(2): our own namespaces,
 * and those of a child that unshares a user namespace with euid 4321 and,
 * inside it, net, uts and PID namespaces. Exact inodes, exact errnos.
 * Needs root (TAP skip otherwise). The child is ended through its pipe
 * and reaped by PID.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lxkns/lxkns.h>

#include "../unit/tap.h"

#define OWNER_UID 4321

static ino_t ino_of_path(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static ino_t ino_of_fd(int fd)
{
	struct stat st;
	return fd >= 0 && fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/* Checks that fd (returned by the library) names the namespace at want,
 * is O_CLOEXEC, and closes it. */
static void check_fd(int fd, const char *want, const char *what)
{
	int fl = fd >= 0 ? fcntl(fd, F_GETFD) : -1;
	CHECK(fd >= 0 && ino_of_fd(fd) == ino_of_path(want) && ino_of_fd(fd) != 0,
	      "%s: fd %d, inode %llu, want %llu (%s)", what, fd, (unsigned long long)ino_of_fd(fd),
	      (unsigned long long)ino_of_path(want), want);
	CHECK(fl >= 0 && (fl & FD_CLOEXEC), "%s: the new fd is O_CLOEXEC", what);
	if (fd >= 0)
		close(fd);
}

/* The child: drop to euid OWNER_UID, unshare a user namespace (it owns
 * the ones unshared next), then net, uts, and pid (for children), and fork
 * the new PID namespace's init (pid_for_children cannot be opened before
 * it exists); report on out and wait until in closes, init too. */
static int child(int in, int out)
{
	pid_t init = -1;
	int r = 0;
	char c;

	if (seteuid(OWNER_UID) < 0 || unshare(CLONE_NEWUSER) < 0 ||
	    unshare(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWPID) < 0 || (init = fork()) < 0)
		r = errno;
	if (init == 0) {
		close(out);
		while (read(in, &c, 1) > 0)
			;
		_exit(0);
	}
	if (write(out, &r, sizeof(r)) != sizeof(r))
		return 1;
	while (read(in, &c, 1) > 0)
		;
	if (init > 0 && waitpid(init, &r, 0) != init)
		return 1;
	return 0;
}

int main(void)
{
	static const char *const types[] = { "mnt", "cgroup", "uts", "ipc", "user", "pid", "net" };
	char path[128], cpath[128];
	int to_child[2], from_child[2];
	uid_t uid = 0;
	pid_t pid;
	int r, fd;

	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}

	/* our own namespaces: the type through all three ways in */
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int want = lxkns_ns_type_from_name(types[i]);
		snprintf(path, sizeof(path), "/proc/self/ns/%s", types[i]);
		CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, path, 0), want, path);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		CHECK_INT(lxkns_nsfs_type(fd), want, "fd of the same");
		CHECK_INT(lxkns_nsfs_type_at(fd, "", AT_EMPTY_PATH), want, "AT_EMPTY_PATH on it");
		close(fd);
		fd = open(path, O_PATH | O_CLOEXEC);
		CHECK_INT(lxkns_nsfs_type(fd), want, "an O_PATH fd of the same");
		close(fd);
	}
	if (access("/proc/self/ns/time", F_OK) == 0)
		CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, "/proc/self/ns/time", 0), LXKNS_NS_TIME,
			  "/proc/self/ns/time");
	fd = open("/proc/self/ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK_INT(lxkns_nsfs_type_at(fd, "net", 0), LXKNS_NS_NET, "dirfd /proc/self/ns + \"net\"");
	close(fd);

	/* our own user namespace: its owner and parent are out of our scope */
	CHECK_INT(lxkns_nsfs_userns_at(AT_FDCWD, "/proc/self/ns/user", 0), -EPERM,
		  "owner of our own user namespace");
	CHECK_INT(lxkns_nsfs_parent_at(AT_FDCWD, "/proc/self/ns/user", 0), -EPERM,
		  "parent of our own user namespace");
	CHECK_INT(lxkns_nsfs_parent_at(AT_FDCWD, "/proc/self/ns/pid", 0), -EPERM,
		  "parent of our own PID namespace");

	/* not a namespace, bad arguments */
	CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, "/proc/self/stat", 0), -ENOTTY, "/proc/self/stat");
	CHECK_INT(lxkns_nsfs_userns_at(AT_FDCWD, "/", 0), -ENOTTY, "owner of /");
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	CHECK_INT(lxkns_nsfs_parent(fd), -ENOTTY, "parent of a /dev/null fd");
	CHECK_INT(lxkns_nsfs_owner_uid(fd, &uid), -ENOTTY, "owner UID of a /dev/null fd");
	close(fd);
	CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, "/nonexistent/ns", 0), -ENOENT, "a missing path");
	CHECK_INT(lxkns_nsfs_type(-1), -EBADF, "fd -1");
	CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, "", 0), -ENOENT, "\"\" without AT_EMPTY_PATH");
	CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, "/proc/self/ns/net", AT_SYMLINK_NOFOLLOW), -EINVAL,
		  "flags other than AT_EMPTY_PATH");
	CHECK_INT(lxkns_nsfs_owner_uid_at(AT_FDCWD, "/proc/self/ns/user", 0, NULL), -EINVAL,
		  "owner UID into NULL");

	/* a child in namespaces of its own */
	if (pipe2(to_child, O_CLOEXEC) < 0 || pipe2(from_child, O_CLOEXEC) < 0)
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(to_child[1]);
		close(from_child[0]);
		_exit(child(to_child[0], from_child[1]));
	}
	close(to_child[0]);
	close(from_child[1]);
	if (read(from_child[0], &r, sizeof(r)) != sizeof(r))
		r = EIO;
	CHECK(r == 0, "child unshared user (euid %d), net, uts, pid: %s", OWNER_UID, strerror(r));
	if (r == 0) {
		snprintf(cpath, sizeof(cpath), "/proc/%d/ns/user", (int)pid);
		CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, cpath, 0), LXKNS_NS_USER, cpath);
		check_fd(lxkns_nsfs_parent_at(AT_FDCWD, cpath, 0), "/proc/self/ns/user",
			 "parent of the child's user namespace");
		check_fd(lxkns_nsfs_userns_at(AT_FDCWD, cpath, 0), "/proc/self/ns/user",
			 "owner of the child's user namespace (its parent)");
		CHECK(lxkns_nsfs_owner_uid_at(AT_FDCWD, cpath, 0, &uid) == 0 && uid == OWNER_UID,
		      "owner UID of the child's user namespace: %u, want %u", (unsigned)uid,
		      (unsigned)OWNER_UID);
		fd = open(cpath, O_RDONLY | O_CLOEXEC);
		uid = 0;
		CHECK(lxkns_nsfs_owner_uid(fd, &uid) == 0 && uid == OWNER_UID,
		      "the same through an fd: %u", (unsigned)uid);
		close(fd);

		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, path, 0), LXKNS_NS_NET, path);
		CHECK(ino_of_path(path) != ino_of_path("/proc/self/ns/net"),
		      "the child's net namespace is its own");
		check_fd(lxkns_nsfs_userns_at(AT_FDCWD, path, 0), cpath,
			 "owner of the child's net namespace");
		fd = open(path, O_RDONLY | O_CLOEXEC);
		check_fd(lxkns_nsfs_userns(fd), cpath, "the same through an fd");
		CHECK_INT(lxkns_nsfs_parent(fd), -EINVAL, "parent of a net namespace");
		CHECK_INT(lxkns_nsfs_owner_uid(fd, &uid), -EINVAL, "owner UID of a net namespace");
		close(fd);

		snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)pid);
		check_fd(lxkns_nsfs_userns_at(AT_FDCWD, path, 0), cpath,
			 "owner of the child's uts namespace");

		snprintf(path, sizeof(path), "/proc/%d/ns/pid_for_children", (int)pid);
		CHECK_INT(lxkns_nsfs_type_at(AT_FDCWD, path, 0), LXKNS_NS_PID, path);
		CHECK(ino_of_path(path) != ino_of_path("/proc/self/ns/pid"),
		      "the child's pid_for_children is a new PID namespace");
		check_fd(lxkns_nsfs_parent_at(AT_FDCWD, path, 0), "/proc/self/ns/pid",
			 "parent of the child's new PID namespace");
		check_fd(lxkns_nsfs_userns_at(AT_FDCWD, path, 0), cpath,
			 "owner of the child's new PID namespace");

		/* a relation of a relation: the owner's parent */
		fd = lxkns_nsfs_userns_at(AT_FDCWD, path, 0);
		check_fd(lxkns_nsfs_parent(fd), "/proc/self/ns/user",
			 "parent of the owner of the child's PID namespace");
		if (fd >= 0)
			close(fd);
	}
	close(to_child[1]);
	close(from_child[0]);
	CHECK(waitpid(pid, &r, 0) == pid && WIFEXITED(r) && WEXITSTATUS(r) == 0,
	      "the child (PID %d) ended cleanly", (int)pid);
	return tap_done();
}
