/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz targets for the /proc parsers; FUZZ_TARGET selects which one this
 * object is (see tests/fuzz/meson.build). Each asserts the invariants of
 * its parser's output (spans inside the input, sane counts).
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lxkns/mounts.h"
#include "mounts/mounts-internal.h"
#include "procfs/parse.h"
#include "strintern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* not assert(): the invariants must hold in release builds too */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static inline void inside(struct span s, const char *buf, size_t len, const char *alt,
			  size_t altlen)
{
	if (!s.p)
		return;
	FUZZ_CHECK((s.p >= buf && s.p + s.len <= buf + len) ||
		   (alt && s.p >= alt && s.p + s.len <= alt + altlen));
}

#if FUZZ_TARGET == 4
static bool same_mount(const struct lxkns_mount *x, const struct lxkns_mount *y)
{
	if (x->id != y->id || x->parent_id != y->parent_id || x->major != y->major ||
	    x->minor != y->minor || x->hidden != y->hidden || x->tag_count != y->tag_count ||
	    x->child_count != y->child_count || strcmp(x->root, y->root) ||
	    strcmp(x->mountpoint, y->mountpoint) || strcmp(x->options, y->options) ||
	    strcmp(x->fstype, y->fstype) || strcmp(x->source, y->source) ||
	    strcmp(x->superoptions, y->superoptions))
		return false;
	for (size_t i = 0; i < x->tag_count; i++)
		if (strcmp(x->tags[i].name, y->tags[i].name) ||
		    strcmp(x->tags[i].value, y->tags[i].value))
			return false;
	return true;
}

/* The same text parsed twice in one discovery (an interner shared): the
 * second time every line is a known one, taken over from the first. Both
 * must equal the plain parse. */
static void same_as_copies(const struct lxkns_mount_table *plain, const char *buf, size_t size)
{
	struct arena a = { 0 };
	struct strintern si;
	struct lxkns_mount_table *t[2] = { NULL, NULL };

	strintern_init(&si, &a);
	for (int k = 0; k < 2; k++) {
		FUZZ_CHECK(mount_table_parse(&a, &si, buf, size, NULL, &t[k]) == 0);
		FUZZ_CHECK(t[k]->count == plain->count && t[k]->path_count == plain->path_count);
		for (size_t i = 0; i < plain->count; i++)
			FUZZ_CHECK(same_mount(&plain->mounts[i], &t[k]->mounts[i]));
	}
	for (int k = 0; k < 2; k++)
		mount_table_release(t[k]);
	strintern_free(&si);
	arena_free(&a);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
#if FUZZ_TARGET == 1
	struct proc_stat st;
	if (parse_stat(buf, size, &st) == 0) {
		inside(st.comm, buf, size, NULL, 0);
		FUZZ_CHECK(st.pid > 0 && st.ppid >= 0);
	}
#elif FUZZ_TARGET == 2
	pid_t pids[8];
	size_t n = 0;
	if (parse_status_nspid(buf, size, pids, 8, &n) == 0)
		FUZZ_CHECK(n >= 1 && n <= 8 && pids[0] > 0);
#elif FUZZ_TARGET == 3
	struct cgroup_paths cg;
	if (parse_cgroup(buf, size, &cg) == 0) {
		inside(cg.cpu, buf, size, NULL, 0);
		inside(cg.freezer, buf, size, NULL, 0);
		inside(cg.unified, buf, size, NULL, 0);
	}
#elif FUZZ_TARGET == 4
	/* line by line, like the bind-mount scanner */
	char *decode = malloc(size + 1);
	const char *p = buf, *end = buf + size;
	while (decode && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		struct mountinfo_entry e;
		if (parse_mountinfo_line(p, len, decode, &e) == 0) {
			inside(e.root, p, len, decode, len);
			inside(e.mountpoint, p, len, decode, len);
			inside(e.source, p, len, decode, len);
			inside(e.fstype, p, len, NULL, 0);
			inside(e.optional, p, len, NULL, 0);
			inside(e.superoptions, p, len, NULL, 0);
		}
		p += len + 1;
	}
	free(decode);
	/* the whole text as a mount table: trees, paths, visibility */
	struct lxkns_mount_table *t = NULL;
	if (lxkns_mount_table_parse(buf, size, &t) == 0) {
		size_t n = lxkns_mount_table_count(t);
		for (size_t i = 0; i < n; i++) {
			const struct lxkns_mount *m = lxkns_mount_table_at(t, i);
			FUZZ_CHECK(lxkns_mount_table_by_id(t, lxkns_mount_id(m)) != NULL);
			FUZZ_CHECK(!lxkns_mount_parent(m) ||
				   lxkns_mount_child_count(lxkns_mount_parent(m)));
		}
		FUZZ_CHECK(lxkns_mount_table_path_count(t) <= n);
		same_as_copies(t, buf, size);
		lxkns_mount_table_free(t);
	}
#elif FUZZ_TARGET == 5
	int type;
	uint64_t ino;
	if (parse_ns_link(buf, size, &type, &ino) == 0)
		FUZZ_CHECK(ino > 0 && type >= -1 && type < 8);
#elif FUZZ_TARGET == 6
	struct span name;
	uid_t uid;
	if (parse_passwd_line(buf, size, &name, &uid) == 0)
		inside(name, buf, size, NULL, 0);
#elif FUZZ_TARGET == 7
	uint32_t ranges[16];
	size_t n = 0;
	if (parse_cpulist(buf, size, ranges, 8, &n) == 0)
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(ranges[2 * i] <= ranges[2 * i + 1]);
#else
#error "unknown FUZZ_TARGET"
#endif
	return 0;
}
