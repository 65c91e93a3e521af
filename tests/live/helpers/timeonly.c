/* timeonly: unshare(CLONE_NEWTIME) and then neither fork nor exec, so the
 * new time namespace is referenced only by /proc/PID/ns/time_for_children
 * (the process itself stays in its old time namespace; an exec would move
 * it into the new one).  Prints one line when ready:
 *     time=<inode> time_for_children=<inode>
 * Exits 3 if the kernel refuses (so the test can skip).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static unsigned long ino_of(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return 0;
	return (unsigned long)st.st_ino;
}

int main(void)
{
	if (unshare(CLONE_NEWTIME) < 0) {
		fprintf(stderr, "timeonly: unshare(CLONE_NEWTIME): %s\n", strerror(errno));
		return 3;
	}
	printf("time=%lu time_for_children=%lu\n", ino_of("/proc/self/ns/time"),
	       ino_of("/proc/self/ns/time_for_children"));
	fflush(stdout);
	for (;;)
		pause();
}
