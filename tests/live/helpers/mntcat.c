/* SPDX-License-Identifier: Apache-2.0 */
/* mntcat MNTNS-INODE PATH: prints the file as that mount namespace sees it
 * (lxkns_mntns_read_file), after a discovery. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lxkns/lxkns.h>

int main(int argc, char **argv)
{
	struct lxkns_result *r;
	char *buf;
	size_t len;
	if (argc != 3)
		return 2;
	if (lxkns_discover(NULL, &r) < 0)
		return 3;
	const struct lxkns_namespace *ns = lxkns_result_namespace_by_ino(r, LXKNS_NS_MNT,
									 strtoull(argv[1], NULL,
										  10));
	int e = ns ? lxkns_mntns_read_file(r, ns, argv[2], 1 << 20, &buf, &len) : -2;
	lxkns_result_unref(r);
	if (e < 0) {
		fprintf(stderr, "mntcat: %s\n", strerror(-e));
		return 1;
	}
	fwrite(buf, 1, len, stdout);
	free(buf);
	return 0;
}
