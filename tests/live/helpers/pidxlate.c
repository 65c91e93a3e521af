/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pidxlate PID FROM-PIDNS-INODE TO-PIDNS-INODE: runs a discovery and prints
 * lxkns_result_translate_pid() (0 for "not visible there").
 */
#include <stdio.h>
#include <stdlib.h>

#include <lxkns/lxkns.h>

int main(int argc, char **argv)
{
	struct lxkns_result *r;
	if (argc != 4)
		return 2;
	if (lxkns_discover(NULL, &r) < 0)
		return 3;
	const struct lxkns_namespace *from = lxkns_result_namespace_by_ino(r, LXKNS_NS_PID,
									   strtoull(argv[2], NULL,
										    10));
	const struct lxkns_namespace *to = lxkns_result_namespace_by_ino(r, LXKNS_NS_PID,
									 strtoull(argv[3], NULL,
										  10));
	pid_t pid = (pid_t)strtol(argv[1], NULL, 10);
	printf("%d\n", (int)lxkns_result_translate_pid(r, pid, from, to));
	lxkns_result_unref(r);
	return 0;
}
