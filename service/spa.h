/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spa.h: the embedded web UI, served as a single-page application: a path
 * naming an embedded file gets that file (gzip-compressed when the client
 * takes it, 304 when its ETag matches); every other path gets index.html
 * with its <base href> set to where the UI lives from the browser's point
 * of view. Behind a path-rewriting reverse proxy that is learned from
 * X-Forwarded-Prefix (prefix + path seen here) or X-Forwarded-Uri (the
 * original path or URL), like Go lxkns (thediveo/spaserve).
 */
#ifndef LXKNS_SERVICE_SPA_H
#define LXKNS_SERVICE_SPA_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

struct request;

/* An embedded file (assets.c is generated from the built UI). */
struct asset {
	const char *path; /* relative: "index.html", "assets/index-1a2b3c.js" */
	const char *type; /* MIME type */
	const unsigned char *data;
	size_t len;
	const unsigned char *gzip; /* NULL when compressing did not pay */
	size_t gzip_len;
	const char *etag; /* quoted */
	bool immutable;	  /* content-hashed name: cache forever */
};

extern const struct asset spa_assets[]; /* sorted by path */
extern const size_t spa_asset_count;

const struct asset *spa_find(const char *path);

/* path.Clean of Go for absolute paths: "/a//b/../c/" -> "/a/c". */
void spa_clean_path(const char *in, char *out, size_t out_size);

/*
 * The base the browser sees for request path req_path (cleaned), from the
 * proxy headers (either may be NULL); always ends with '/', and has every
 * byte that is not safe inside an href="" attribute percent-encoded.
 */
void spa_base(const char *req_path, const char *fw_prefix, const char *fw_uri, char *out,
	      size_t out_size);

/* index.html with its <base href="..."> replaced (malloc'ed). */
char *spa_rewrite_index(const char *html, size_t len, const char *base, size_t *ret_len);

enum MHD_Result spa_serve(struct request *req);

#endif
