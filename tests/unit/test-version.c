/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-version: lxkns_version() of the library and the macros of
 * <lxkns/version.h> are the version meson gives (argv[1]). TAP output.
 */
#include <stdio.h>
#include <string.h>

#include <lxkns/lxkns.h>

static int n, failed;

static void check(int ok, const char *what)
{
	n++;
	if (!ok)
		failed = 1;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n, what);
}

int main(int argc, char **argv)
{
	char parts[64];

	if (argc != 3) {
		fprintf(stderr, "usage: test-version VERSION DATE\n");
		return 2;
	}
	check(lxkns_version() != NULL && strcmp(lxkns_version(), argv[1]) == 0,
	      "lxkns_version() is meson's version");
	check(strcmp(LXKNS_VERSION_STRING, argv[1]) == 0,
	      "LXKNS_VERSION_STRING is meson's version");
	snprintf(parts, sizeof(parts), "%d.%d.%d", LXKNS_VERSION_MAJOR, LXKNS_VERSION_MINOR,
		 LXKNS_VERSION_PATCH);
	check(strcmp(parts, argv[1]) == 0, "MAJOR.MINOR.PATCH is meson's version");
	check(LXKNS_VERSION_NUMBER ==
		      LXKNS_VERSION_MAJOR * 10000 + LXKNS_VERSION_MINOR * 100 + LXKNS_VERSION_PATCH,
	      "LXKNS_VERSION_NUMBER");
	check(strcmp(LXKNS_RELEASE_DATE, argv[2]) == 0, "LXKNS_RELEASE_DATE is meson's date");
	printf("1..%d\n", n);
	return failed;
}
