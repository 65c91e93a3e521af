/* threadns: a process whose second thread lives in its own net and uts
 * namespaces (created with unshare() in that thread only).  The thread is
 * named "nsthread".  Prints one line when ready:
 *     tid=<TID> net=<inode> uts=<inode>
 * Exits 3 if the kernel refuses the unshare (so the test can skip).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long ino_of(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return 0;
	return (unsigned long)st.st_ino;
}

static void *worker(void *arg)
{
	(void)arg;
	char path[64];
	long tid = (long)syscall(SYS_gettid);
	pthread_setname_np(pthread_self(), "nsthread");
	/* a thread shares its fs_struct; unshare it first so that the namespace
     * unshares below cannot trip over it */
	if (unshare(CLONE_FS) < 0 || unshare(CLONE_NEWNET | CLONE_NEWUTS) < 0) {
		fprintf(stderr, "threadns: thread unshare: %s\n", strerror(errno));
		fflush(stderr);
		exit(3);
	}
	if (sethostname("threadns", 8) < 0)
		perror("threadns: sethostname");
	snprintf(path, sizeof path, "/proc/self/task/%ld/ns/net", tid);
	unsigned long net = ino_of(path);
	snprintf(path, sizeof path, "/proc/self/task/%ld/ns/uts", tid);
	unsigned long uts = ino_of(path);
	printf("tid=%ld net=%lu uts=%lu\n", tid, net, uts);
	fflush(stdout);
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, worker, NULL);
	if (err) {
		fprintf(stderr, "threadns: pthread_create: %s\n", strerror(err));
		return 1;
	}
	for (;;)
		pause();
}
