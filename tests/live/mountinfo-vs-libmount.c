/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mountinfo-vs-libmount: our mountinfo parser (lxkns_mount_table_parse())
 * against util-linux libmount (mnt_table_parse_file()), entry by entry and
 * field by field, for /proc/self/mountinfo and the mountinfo of the
 * processes given with --pid and of up to --max other readable processes.
 *
 *   mountinfo-vs-libmount [--pid PID]... [--max N] [--require-escapes N]
 *
 * Each file is read by us (to EOF), then parsed by libmount, then read
 * again; only when both reads are identical (nothing was mounted in the
 * meantime) are the two parses compared, else it is tried again (5 times,
 * then libmount parses our copy through fmemopen()).
 *
 * Compared: mount ID, parent ID, major:minor, root, mount point (target),
 * fs type, source, VFS options (mnt_fs_get_vfs_options), super options
 * (mnt_fs_get_fs_options), optional fields (mnt_fs_get_optional_fields,
 * against our tags joined as "name[:value]" with single spaces).
 *
 * Where libmount deliberately differs, ours is normalised the same way and
 * the case is counted (and printed with -v):
 *  - libmount decodes octal escapes in every field; we decode root, mount
 *    point and source only (documented in lxkns/mounts.h), so fs type and
 *    options are compared after decoding ours;
 *  - libmount (newer versions) strips a " (deleted)" suffix of the target;
 *  - libmount replaces the source "/dev/root" by the real device.
 *
 * --require-escapes N: fail unless at least N compared entries had an
 * escape (a backslash) in their mountinfo line.
 *
 * Exit: 0 all equal, 1 differences (each printed), 2 usage, 77 nothing
 * could be compared.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <libmount.h>
#include <lxkns/mounts.h>

#include "bytebuf.h"

static bool verbose;
static unsigned long n_files, n_entries, n_escaped, n_diffs, n_skipped, n_unstable, n_normalised;

/* Reads a whole file; NULL on error (errno set). */
static char *read_all(const char *path, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct buf b = BUF_INIT;
	for (;;) {
		if (buf_reserve(&b, 16384) < 0) {
			buf_free(&b);
			close(fd);
			errno = ENOMEM;
			return NULL;
		}
		ssize_t r = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			buf_free(&b);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
		b.data[b.len] = 0;
	}
	close(fd);
	return buf_steal(&b, ret_len);
}

/* Decodes \ooo escapes like the kernel's mangle() counterpart. */
static char *unescape(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *o = out;
	if (!out) {
		perror("malloc");
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
				      (s[i + 3] - '0'));
			i += 3;
			continue;
		}
		*o++ = s[i];
	}
	*o = 0;
	return out;
}

/* Prints a string with non-printable bytes escaped. */
static void put_str(const char *s)
{
	if (!s) {
		fputs("(null)", stdout);
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (isprint(*p))
			putchar(*p);
		else
			printf("\\x%02x", *p);
	}
	putchar('"');
}

static const char *cur_path;
static size_t cur_index;
static unsigned long cur_id;

static void diff_str(const char *field, const char *ours, const char *theirs)
{
	n_diffs++;
	printf("DIFF %s entry %zu (mount id %lu) %s: ours ", cur_path, cur_index, cur_id, field);
	put_str(ours);
	fputs(" libmount ", stdout);
	put_str(theirs);
	putchar('\n');
}

static void diff_num(const char *field, unsigned long ours, unsigned long theirs)
{
	n_diffs++;
	printf("DIFF %s entry %zu (mount id %lu) %s: ours %lu libmount %lu\n", cur_path, cur_index,
	       cur_id, field, ours, theirs);
}

static void normalised(const char *field, const char *ours, const char *theirs)
{
	n_normalised++;
	if (!verbose)
		return;
	printf("note: %s entry %zu (mount id %lu) %s: ours ", cur_path, cur_index, cur_id, field);
	put_str(ours);
	fputs(" = libmount ", stdout);
	put_str(theirs);
	puts(" after libmount's normalisation");
}

static bool eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Compares a field that libmount decodes and we keep raw. */
static void cmp_raw(const char *field, const char *ours, const char *theirs)
{
	if (eq(ours, theirs))
		return;
	char *dec = unescape(ours ? ours : "");
	if (eq(dec, theirs))
		normalised(field, ours, theirs);
	else
		diff_str(field, ours, theirs);
	free(dec);
}

/* Our tags in mountinfo syntax: "shared:1 master:2 unbindable". */
static char *tags_string(const struct lxkns_mount *m)
{
	size_t n = lxkns_mount_tag_count(m), cap = 1;
	for (size_t i = 0; i < n; i++) {
		const char *v;
		const char *k = lxkns_mount_tag_at(m, i, &v);
		cap += strlen(k ? k : "(null)") + strlen(v ? v : "") + 2;
	}
	char *s = calloc(1, cap);
	if (!s) {
		perror("calloc");
		exit(1);
	}
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		const char *v;
		const char *k = lxkns_mount_tag_at(m, i, &v);
		w += (size_t)snprintf(s + w, cap - w, "%s%s%s%s", i ? " " : "", k ? k : "(null)",
				      v && *v ? ":" : "", v && *v ? v : "");
	}
	return s;
}

static void compare_entry(const struct lxkns_mount *m, struct libmnt_fs *fs)
{
	cur_id = lxkns_mount_id(m);
	if (lxkns_mount_id(m) != (unsigned long)mnt_fs_get_id(fs))
		diff_num("mount id", lxkns_mount_id(m), (unsigned long)mnt_fs_get_id(fs));
	if (lxkns_mount_parent_id(m) != (unsigned long)mnt_fs_get_parent_id(fs))
		diff_num("parent id", lxkns_mount_parent_id(m),
			 (unsigned long)mnt_fs_get_parent_id(fs));
	dev_t dev = mnt_fs_get_devno(fs);
	if (lxkns_mount_major(m) != major(dev))
		diff_num("major", lxkns_mount_major(m), major(dev));
	if (lxkns_mount_minor(m) != minor(dev))
		diff_num("minor", lxkns_mount_minor(m), minor(dev));
	if (!eq(lxkns_mount_root(m), mnt_fs_get_root(fs)))
		diff_str("root", lxkns_mount_root(m), mnt_fs_get_root(fs));

	const char *ours = lxkns_mount_point(m), *theirs = mnt_fs_get_target(fs);
	if (!eq(ours, theirs)) {
		size_t lo = strlen(ours), lt = theirs ? strlen(theirs) : 0;
		static const char del[] = " (deleted)";
		if (theirs && lo == lt + sizeof(del) - 1 && strncmp(ours, theirs, lt) == 0 &&
		    strcmp(ours + lt, del) == 0)
			normalised("target", ours, theirs);
		else
			diff_str("target", ours, theirs);
	}
	cmp_raw("fstype", lxkns_mount_fstype(m), mnt_fs_get_fstype(fs));

	ours = lxkns_mount_source(m);
	theirs = mnt_fs_get_source(fs);
	if (!eq(ours, theirs)) {
		if (eq(ours, "/dev/root"))
			normalised("source", ours, theirs);
		else
			diff_str("source", ours, theirs);
	}
	cmp_raw("vfs options", lxkns_mount_options(m), mnt_fs_get_vfs_options(fs));
	cmp_raw("super options", lxkns_mount_superoptions(m), mnt_fs_get_fs_options(fs));

	char *tags = tags_string(m);
	if (!eq(tags, mnt_fs_get_optional_fields(fs)))
		diff_str("optional fields", tags, mnt_fs_get_optional_fields(fs));
	free(tags);

	/* the tag accessors agree with the tag list */
	for (size_t i = 0; i < lxkns_mount_tag_count(m); i++) {
		const char *v;
		const char *k = lxkns_mount_tag_at(m, i, &v);
		if (!eq(lxkns_mount_tag(m, k), v))
			diff_str("lxkns_mount_tag() vs lxkns_mount_tag_at()", lxkns_mount_tag(m, k),
				 v);
	}
}

/* Parses text with libmount; through fmemopen when path is NULL. */
static struct libmnt_table *lm_parse(const char *path, const char *text, size_t len)
{
	struct libmnt_table *tb = mnt_new_table();
	if (!tb) {
		perror("mnt_new_table");
		exit(1);
	}
	int r;
	if (path) {
		r = mnt_table_parse_file(tb, path);
	} else {
		FILE *f = fmemopen((void *)text, len, "r");
		if (!f) {
			perror("fmemopen");
			exit(1);
		}
		r = mnt_table_parse_stream(tb, f, cur_path);
		fclose(f);
	}
	if (r < 0) {
		mnt_unref_table(tb);
		return NULL;
	}
	return tb;
}

static void compare_file(const char *path, bool required)
{
	char *a = NULL;
	size_t alen = 0;
	struct libmnt_table *tb = NULL;

	cur_path = path;
	for (int attempt = 0; attempt < 5 && !tb; attempt++) {
		size_t blen = 0;
		free(a);
		a = read_all(path, &alen);
		if (!a) {
			if (required) {
				printf("FAIL %s: cannot read: %s\n", path, strerror(errno));
				n_diffs++;
			} else {
				n_skipped++;
			}
			return;
		}
		tb = lm_parse(path, NULL, 0);
		char *b = read_all(path, &blen);
		if (!tb || !b || blen != alen || memcmp(a, b, alen) != 0) {
			if (tb)
				mnt_unref_table(tb);
			tb = NULL;
			n_unstable++;
		}
		free(b);
	}
	if (!tb) {
		/* the mount table kept changing (or libmount could not read
		 * the file again): let libmount parse our copy */
		tb = lm_parse(NULL, a, alen);
		if (!tb) {
			printf("FAIL %s: libmount cannot parse it\n", path);
			n_diffs++;
			free(a);
			return;
		}
	}

	struct lxkns_mount_table *t = NULL;
	int r = lxkns_mount_table_parse(a, alen, &t);
	if (r < 0) {
		printf("FAIL %s: lxkns_mount_table_parse: %s\n", path, strerror(-r));
		n_diffs++;
		mnt_unref_table(tb);
		free(a);
		return;
	}

	size_t lines = 0;
	for (const char *p = a; p < a + alen;) {
		const char *eol = memchr(p, '\n', (size_t)(a + alen - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(a + alen - p);
		if (l) {
			lines++;
			if (memchr(p, '\\', l))
				n_escaped++;
		}
		p += l + 1;
	}
	size_t ours = lxkns_mount_table_count(t), theirs = (size_t)mnt_table_get_nents(tb);
	if (ours != theirs || ours != lines) {
		printf("DIFF %s: %zu entries, libmount %zu, lines %zu\n", path, ours, theirs,
		       lines);
		n_diffs++;
	}

	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	size_t i = 0;
	while (i < ours && mnt_table_next_fs(tb, it, &fs) == 0) {
		cur_index = i;
		compare_entry(lxkns_mount_table_at(t, i), fs);
		i++;
		n_entries++;
	}
	mnt_free_iter(it);
	n_files++;
	lxkns_mount_table_free(t);
	mnt_unref_table(tb);
	free(a);
}

static void usage(void)
{
	fputs("usage: mountinfo-vs-libmount [-v] [--pid PID]... [--max N] [--require-escapes N]\n",
	      stderr);
	exit(2);
}

static long num_arg(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	long max = 200, require_escapes = 0;
	long pids[64] = { 0 };
	size_t npids = 0;
	char path[64];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (!strcmp(argv[i], "--pid") && i + 1 < argc && npids < 64)
			pids[npids++] = num_arg(argv[++i]);
		else if (!strcmp(argv[i], "--max") && i + 1 < argc)
			max = num_arg(argv[++i]);
		else if (!strcmp(argv[i], "--require-escapes") && i + 1 < argc)
			require_escapes = num_arg(argv[++i]);
		else
			usage();
	}

	compare_file("/proc/self/mountinfo", true);
	for (size_t i = 0; i < npids; i++) {
		snprintf(path, sizeof(path), "/proc/%ld/mountinfo", pids[i]);
		compare_file(path, true);
	}
	DIR *d = opendir("/proc");
	if (!d) {
		perror("/proc");
		return 1;
	}
	long done = 0;
	struct dirent *de;
	while (done < max && (de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == getpid())
			continue;
		bool dup = false;
		for (size_t i = 0; i < npids; i++)
			dup |= pids[i] == pid;
		if (dup)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/mountinfo", pid);
		unsigned long before = n_files;
		compare_file(path, false);
		done += n_files > before;
	}
	closedir(d);

	printf("%lu files, %lu entries compared (%lu with escapes), %lu differences, "
	       "%lu unreadable files skipped, %lu re-reads because a table changed, "
	       "%lu fields equal after libmount's normalisation\n",
	       n_files, n_entries, n_escaped, n_diffs, n_skipped, n_unstable, n_normalised);
	if (n_diffs)
		return 1;
	if ((long)n_escaped < require_escapes) {
		printf("FAIL: only %lu entries with escapes, %ld required\n", n_escaped,
		       require_escapes);
		return 1;
	}
	return n_entries ? 0 : 77;
}
