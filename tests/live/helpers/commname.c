/* commname NAME: set this process's comm (the "Name:" in /proc/PID/status,
 * the 2nd field of /proc/PID/stat) to NAME with prctl(PR_SET_NAME) and sleep.
 * Names may contain spaces and parentheses; the kernel cuts them to 15 bytes.
 * Prints "ready" when done.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: commname NAME\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0) < 0) {
		perror("commname: prctl(PR_SET_NAME)");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
