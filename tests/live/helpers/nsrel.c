/* nsrel: ground truth for the live tests, straight from the nsfs ioctls.
 *
 *   nsrel PATH [OP...]    open PATH (a namespace file), apply OPs from left
 *                         to right, then print the inode of the result.
 *       OPs: owner   NS_GET_USERNS (owning user namespace)
 *            parent  NS_GET_PARENT (parent user/PID namespace)
 *            uid     print NS_GET_OWNER_UID of the current user ns and stop
 *            type    print the type name (NS_GET_NSTYPE) and stop
 *   nsrel -c PATH         print the whole parent chain of a user/PID
 *                         namespace, one inode per line, nearest first,
 *                         until the kernel refuses (initial ns / EPERM).
 *   nsrel -s PID FD       print the inode of the network namespace of socket
 *                         FD of process PID (pidfd_getfd + SIOCGSKNS).
 *
 * Exit codes: 0 ok, 1 the kernel said no (message on stderr), 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const char *tname(int t)
{
	switch (t) {
	case CLONE_NEWNS:
		return "mnt";
	case CLONE_NEWCGROUP:
		return "cgroup";
	case CLONE_NEWUTS:
		return "uts";
	case CLONE_NEWIPC:
		return "ipc";
	case CLONE_NEWUSER:
		return "user";
	case CLONE_NEWPID:
		return "pid";
	case CLONE_NEWNET:
		return "net";
	case CLONE_NEWTIME:
		return "time";
	}
	return "?";
}

static unsigned long ino(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		perror("nsrel: fstat");
		exit(1);
	}
	return (unsigned long)st.st_ino;
}

static int usage(void)
{
	fprintf(stderr, "usage: nsrel PATH [owner|parent|uid|type]...\n"
			"       nsrel -c PATH\n"
			"       nsrel -s PID FD\n");
	return 2;
}

static int sockns(const char *pid, const char *fdno)
{
	int pidfd = (int)syscall(SYS_pidfd_open, (int)strtol(pid, NULL, 10), 0);
	if (pidfd < 0) {
		fprintf(stderr, "nsrel: pidfd_open(%s): %s\n", pid, strerror(errno));
		return 1;
	}
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)strtol(fdno, NULL, 10), 0);
	if (fd < 0) {
		fprintf(stderr, "nsrel: pidfd_getfd(%s, %s): %s\n", pid, fdno, strerror(errno));
		return 1;
	}
	int ns = ioctl(fd, SIOCGSKNS);
	if (ns < 0) {
		fprintf(stderr, "nsrel: SIOCGSKNS: %s\n", strerror(errno));
		return 1;
	}
	printf("%lu\n", ino(ns));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "-s") == 0)
		return argc == 4 ? sockns(argv[2], argv[3]) : usage();
	int chain = strcmp(argv[1], "-c") == 0;
	if (chain && argc != 3)
		return usage();
	const char *path = chain ? argv[2] : argv[1];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "nsrel: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (chain) {
		for (;;) {
			int p = ioctl(fd, NS_GET_PARENT);
			if (p < 0)
				return 0;
			printf("%lu\n", ino(p));
			close(fd);
			fd = p;
		}
	}
	for (int i = 2; i < argc; i++) {
		const char *op = argv[i];
		if (strcmp(op, "uid") == 0) {
			uid_t uid;
			if (ioctl(fd, NS_GET_OWNER_UID, &uid) < 0) {
				fprintf(stderr, "nsrel: NS_GET_OWNER_UID: %s\n", strerror(errno));
				return 1;
			}
			printf("%u\n", (unsigned)uid);
			return 0;
		}
		if (strcmp(op, "type") == 0) {
			int t = ioctl(fd, NS_GET_NSTYPE);
			if (t < 0) {
				fprintf(stderr, "nsrel: NS_GET_NSTYPE: %s\n", strerror(errno));
				return 1;
			}
			printf("%s\n", tname(t));
			return 0;
		}
		unsigned long req;
		if (strcmp(op, "owner") == 0)
			req = NS_GET_USERNS;
		else if (strcmp(op, "parent") == 0)
			req = NS_GET_PARENT;
		else
			return usage();
		int next = ioctl(fd, req);
		if (next < 0) {
			fprintf(stderr, "nsrel: %s of %s (step %d): %s\n", op, path, i - 1,
				strerror(errno));
			return 1;
		}
		close(fd);
		fd = next;
	}
	printf("%lu\n", ino(fd));
	return 0;
}
