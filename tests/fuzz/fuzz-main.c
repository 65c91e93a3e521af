/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-main.c: a standalone driver for the fuzz targets when they are not
 * built with libFuzzer: runs LLVMFuzzerTestOneInput on every file of the
 * directories (or files) given, so the corpus, crash regressions included,
 * replays in every normal test run (and under ASan/UBSan in CI).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bytebuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	struct buf b = BUF_INIT;
	size_t n;
	do {
		if (buf_reserve(&b, 1 << 16) < 0)
			break;
		n = fread(b.data + b.len, 1, b.cap - b.len - 1, f);
		b.len += n;
	} while (n > 0);
	fclose(f);
	if (b.oom) {
		buf_free(&b);
		return 1;
	}
	/* an exact-size copy so ASan catches reads past the end */
	uint8_t *exact = malloc(b.len ? b.len : 1);
	memcpy(exact, b.data, b.len);
	LLVMFuzzerTestOneInput(exact, b.len);
	free(exact);
	buf_free(&b);
	printf("ok - %s\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0, count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed |= run_file(argv[i]);
			count++;
			continue;
		}
		struct dirent **names;
		int n = scandir(argv[i], &names, NULL, alphasort);
		for (int k = 0; k < n; k++) {
			if (names[k]->d_name[0] != '.') {
				char path[4096];
				snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]->d_name);
				failed |= run_file(path);
				count++;
			}
			free(names[k]);
		}
		free(names);
	}
	printf("1..%d\n", count);
	return failed;
}
