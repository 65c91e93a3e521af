/* sockholder: keep a network namespace alive ONLY through a socket fd.
 *
 * Creates a new netns (or enters the one at argv[1]), opens an AF_UNIX
 * datagram socket in it (never bound, never connected), switches back to the
 * original netns and sleeps.  Prints one line when ready:
 *     netns=<inode> fd=<socket fd> orignet=<inode>
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long ino_of(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return 0;
	return (unsigned long)st.st_ino;
}

int main(int argc, char **argv)
{
	int orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0) {
		perror("sockholder: open /proc/self/ns/net");
		return 1;
	}
	unsigned long orignet = ino_of("/proc/self/ns/net");
	if (argc > 1) {
		int t = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (t < 0 || setns(t, CLONE_NEWNET) < 0) {
			perror("sockholder: enter netns");
			return 1;
		}
		close(t);
	} else if (unshare(CLONE_NEWNET) < 0) {
		perror("sockholder: unshare(CLONE_NEWNET)");
		return 1;
	}
	unsigned long netns = ino_of("/proc/self/ns/net");
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		perror("sockholder: socket");
		return 1;
	}
	if (setns(orig, CLONE_NEWNET) < 0) {
		perror("sockholder: setns back");
		return 1;
	}
	close(orig);
	printf("netns=%lu fd=%d orignet=%lu\n", netns, s, orignet);
	fflush(stdout);
	for (;;)
		pause();
}
