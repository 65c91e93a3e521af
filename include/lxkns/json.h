/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h: a result as the JSON document of Go lxkns' GET /api/namespaces
 * (written by a streaming writer: no document tree in memory), and reading
 * such a document back into a result, so tools can work on a saved discovery.
 */
#ifndef LXKNS_JSON_H
#define LXKNS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <lxkns/model.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a document is laid out. The struct grows at its end from one release
 * to the next (see struct lxkns_discover_opts in discover.h): start from
 * LXKNS_JSON_STYLE_DEFAULT, which sets size to what this header says. A
 * style with size 0 is -EINVAL; one larger than the library's with
 * non-zero fields past it, -E2BIG. NULL means the default. */
struct lxkns_json_style {
	/* sizeof(struct lxkns_json_style) as the caller was compiled with.
	 * Always the first field. */
	size_t size;
	/* Spaces per level (0..8); ignored when compact or tab. */
	unsigned indent;
	/* Indent with one tab per level. */
	bool tab;
	/* No whitespace at all. */
	bool compact;
	/* New fields go here, at the end (see ARCHITECTURE.md). */
};

#define LXKNS_JSON_STYLE_DEFAULT                                                                   \
	{                                                                                          \
		.size = sizeof(struct lxkns_json_style), .indent = 2, .tab = false,                \
		.compact = false                                                                   \
	}

/* Receives output chunks; returns 0 or -errno to stop writing. */
typedef int (*lxkns_json_sink)(void *userdata, const char *buf, size_t len);

/* Writes the DiscoveryResult document (with a trailing newline).
 * Returns 0 or the first -errno of the sink; -EINVAL or -E2BIG for a bad
 * style (see struct lxkns_json_style), before anything is written. */
int lxkns_result_write_json(const struct lxkns_result *result, const struct lxkns_json_style *style,
			    lxkns_json_sink sink, void *userdata);
/* Writes the DiscoveryResult document to a stdio stream and flushes it.
 * Returns 0, -EIO when a write fails, or the -errno of fflush(). */
int lxkns_result_write_json_file(const struct lxkns_result *result,
				 const struct lxkns_json_style *style, FILE *out);

/* The ProcessTable document of GET /api/processes: { "<pid>": Process }. */
int lxkns_result_write_processes_json(const struct lxkns_result *result,
				      const struct lxkns_json_style *style, lxkns_json_sink sink,
				      void *userdata);

/* The PIDMap document of GET /api/pidmap: one array per process (and task,
 * when tasks were scanned) of {"pid", "nsid"} pairs from the process's own
 * PID namespace up to the topmost one known (NSpid zipped with the PID
 * namespace hierarchy). */
int lxkns_result_write_pidmap_json(const struct lxkns_result *result,
				   const struct lxkns_json_style *style, lxkns_json_sink sink,
				   void *userdata);

/*
 * Reads a DiscoveryResult document back into a new result. Returns 0, or
 * -errno: -EBADMSG for a document that is not one, -ENOMEM, and for the
 * file variant -EIO or -EFBIG. err (errsize bytes, owned by the caller; may
 * be NULL with errsize 0) receives a one-line explanation of an -EBADMSG
 * (with line and column for JSON syntax), always NUL-terminated and
 * truncated to fit; it is "" when there is none (success, or an error whose
 * strerror() says it all). 512 bytes hold every message in full.
 */
int lxkns_result_read_json(const char *buf, size_t len, struct lxkns_result **ret_result, char *err,
			   size_t errsize);
/* Reads a DiscoveryResult document from a stdio stream to its end, then as
 * lxkns_result_read_json() (the same err convention); also -EIO when reading
 * fails and -EFBIG beyond 4 GiB. */
int lxkns_result_read_json_file(FILE *in, struct lxkns_result **ret_result, char *err,
				size_t errsize);

#ifdef __cplusplus
}
#endif
#endif
