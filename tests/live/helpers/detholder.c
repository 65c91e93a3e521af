/* detholder: detached mount trees for the live tests.
 *
 *   detholder FD PATH [recursive]
 *       open_tree(PATH, OPEN_TREE_CLONE [| AT_RECURSIVE]): a copy of the
 *       mount at PATH (a namespace file, or a directory with nsfs mounts
 *       below) attached nowhere; keeps it as fd FD, prints "ready" and
 *       sleeps until killed.
 *   detholder -l
 *       the mount namespaces the kernel lists (NS_MNT_GET_NEXT/PREV from
 *       our own, which is not printed): one inode per line.
 *   detholder -n
 *       prints "listns" when the kernel has listns(2), else "none".
 *   detholder -f
 *       tries fsopen("nsfs"): prints "ok" or the errno name's text.
 *
 * Exit codes: 0 ok, 1 the kernel said no (message on stderr), 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#define OPEN_TREE_CLONE_ 1
#define AT_RECURSIVE_ 0x8000

struct mnt_ns_info_ {
	uint32_t size;	    /* cppcheck-suppress unusedStructMember ; kernel layout */
	uint32_t nr_mounts; /* cppcheck-suppress unusedStructMember ; kernel layout */
	uint64_t mnt_ns_id; /* cppcheck-suppress unusedStructMember ; kernel layout */
};
#define NSIO_ 0xb7
#define NS_MNT_GET_NEXT_ _IOR(NSIO_, 11, struct mnt_ns_info_)
#define NS_MNT_GET_PREV_ _IOR(NSIO_, 12, struct mnt_ns_info_)

static int list_mntns(void)
{
	int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		perror("detholder: /proc/self/ns/mnt");
		return 1;
	}
	for (int prev = 0; prev < 2; prev++) {
		int cur = dup(self);
		for (;;) {
			struct mnt_ns_info_ info = { .size = sizeof(info) };
			int next = ioctl(cur, prev ? NS_MNT_GET_PREV_ : NS_MNT_GET_NEXT_, &info);
			if (next < 0) {
				if (errno != ENOENT) {
					perror("detholder: NS_MNT_GET_NEXT");
					return 1;
				}
				break;
			}
			struct stat st;
			if (fstat(next, &st) == 0)
				printf("%llu\n", (unsigned long long)st.st_ino);
			close(cur);
			cur = next;
		}
		close(cur);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "-l") == 0)
		return list_mntns();
	if (argc == 2 && strcmp(argv[1], "-n") == 0) {
		long r = syscall(470, NULL, NULL, 0, 0);
		puts(r < 0 && errno == ENOSYS ? "none" : "listns");
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "-f") == 0) {
		long r = syscall(SYS_fsopen, "nsfs", 0);
		puts(r >= 0 ? "ok" : strerror(errno));
		return 0;
	}
	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "recursive") != 0)) {
		fprintf(stderr, "usage: detholder FD PATH [recursive] | -l | -n | -f\n");
		return 2;
	}
	char *end;
	long want = strtol(argv[1], &end, 10);
	if (*end || want < 3 || want > 1000) {
		fprintf(stderr, "detholder: bad fd number %s\n", argv[1]);
		return 2;
	}
	unsigned flags = OPEN_TREE_CLONE_ | (argc == 4 ? AT_RECURSIVE_ : 0);
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, argv[2], flags);
	if (fd < 0) {
		fprintf(stderr, "detholder: open_tree %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (fd != want) {
		if (dup2(fd, (int)want) < 0) {
			perror("detholder: dup2");
			return 1;
		}
		close(fd);
	}
	printf("ready\n");
	fflush(stdout);
	fclose(stdout);
	for (;;)
		pause();
}
