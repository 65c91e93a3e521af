/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "spa.h"

const struct asset *spa_find(const char *path)
{
	size_t lo = 0, hi = spa_asset_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, spa_assets[mid].path);
		if (c == 0)
			return &spa_assets[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void spa_clean_path(const char *in, char *out, size_t out_size)
{
	size_t w = 1;

	if (out_size < 2) {
		if (out_size)
			out[0] = 0;
		return;
	}
	out[0] = '/';
	while (*in) {
		const char *seg;
		size_t len;

		while (*in == '/')
			in++;
		seg = in;
		while (*in && *in != '/')
			in++;
		len = (size_t)(in - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			/* Back to the previous '/', never above the root. */
			if (w > 1) {
				w--;
				while (w > 1 && out[w - 1] != '/')
					w--;
				if (w > 1)
					w--; /* the '/' before the dropped element */
			}
			continue;
		}
		if (w > 1 && w < out_size - 1)
			out[w++] = '/';
		for (size_t i = 0; i < len && w < out_size - 1; i++)
			out[w++] = seg[i];
	}
	/* A dropped first element leaves "/" with w == 1; a dropped later one
	 * leaves w on the '/' we backed over. */
	out[w] = 0;
	if (w > 1 && out[w - 1] == '/')
		out[w - 1] = 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lf = strlen(suffix);
	return ls >= lf && strcmp(s + ls - lf, suffix) == 0;
}

/* The original request path, as the first proxy saw it. */
static void original_path(const char *req_path, const char *fw_prefix, const char *fw_uri,
			  char *out, size_t out_size)
{
	char tmp[4096];

	if (fw_prefix && *fw_prefix) {
		char prefix[2048];
		snprintf(tmp, sizeof(tmp), "/%s", fw_prefix);
		spa_clean_path(tmp, prefix, sizeof(prefix));
		snprintf(tmp, sizeof(tmp), "%s/%s", prefix, req_path);
		spa_clean_path(tmp, out, out_size);
		return;
	}
	if (fw_uri && *fw_uri) {
		const char *p = fw_uri;
		size_t len;
		/* cppcheck-suppress knownConditionTrueFalse ; X-Forwarded-Uri may be a URL or a path */
		if (*p != '/') {
			/* A URL: scheme://authority/path?query#fragment. */
			const char *scheme = strstr(p, "://");
			if (!scheme) {
				snprintf(out, out_size, "%s", req_path);
				return;
			}
			p = strchr(scheme + 3, '/');
			if (!p)
				p = "/";
		}
		len = strcspn(p, "?#");
		snprintf(tmp, sizeof(tmp), "/%.*s", (int)(len < 4000 ? len : 4000), p);
		spa_clean_path(tmp, out, out_size);
		return;
	}
	snprintf(out, out_size, "%s", req_path);
}

void spa_base(const char *req_path, const char *fw_prefix, const char *fw_uri, char *out,
	      size_t out_size)
{
	static const char hex[] = "0123456789ABCDEF";
	char orig[4096], base[4096];
	size_t lo, lr, w = 0;

	original_path(req_path, fw_prefix, fw_uri, orig, sizeof(orig) - 1);
	if (ends_with(req_path, "/") && !ends_with(orig, "/")) {
		size_t l = strlen(orig); /* original_path left a byte free */
		orig[l] = '/';
		orig[l + 1] = 0;
	}
	base[0] = 0;
	lo = strlen(orig);
	lr = strlen(req_path);
	if (ends_with(orig, req_path))
		snprintf(base, sizeof(base), "%.*s", (int)(lo - lr), orig);
	if (!ends_with(base, "/")) {
		size_t l = strlen(base);
		if (l + 1 < sizeof(base)) {
			base[l] = '/';
			base[l + 1] = 0;
		}
	}

	for (const unsigned char *p = (const unsigned char *)base; *p && w + 4 < out_size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~!$()*+,;=:@/%", *p)) {
			out[w++] = (char)*p;
		} else {
			out[w++] = '%';
			out[w++] = hex[*p >> 4];
			out[w++] = hex[*p & 0xf];
		}
	}
	if (out_size)
		out[w < out_size ? w : out_size - 1] = 0;
}

char *spa_rewrite_index(const char *html, size_t len, const char *base, size_t *ret_len)
{
	static const char tag[] = "<base href=\"";
	const char *start = memmem(html, len, tag, sizeof(tag) - 1), *end = NULL;
	size_t blen = strlen(base), head, tail, n;
	char *out;

	if (start) {
		start += sizeof(tag) - 1;
		end = memchr(start, '"', len - (size_t)(start - html));
	}
	if (!end) {
		/* No base element: serve it unchanged. */
		out = malloc(len + 1);
		if (!out)
			return NULL;
		memcpy(out, html, len);
		out[len] = 0;
		*ret_len = len;
		return out;
	}
	head = (size_t)(start - html);
	tail = len - (size_t)(end - html);
	n = head + blen + tail;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	memcpy(out, html, head);
	memcpy(out + head, base, blen);
	memcpy(out + head + blen, end, tail);
	out[n] = 0;
	*ret_len = n;
	return out;
}

static bool accepts_gzip(struct MHD_Connection *conn)
{
	const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_ACCEPT_ENCODING);
	const char *g;

	if (!ae || !(g = strcasestr(ae, "gzip")))
		return false;
	g += 4;
	while (*g == ' ')
		g++;
	/* "gzip;q=0" refuses it. */
	return !(strncmp(g, ";q=0", 4) == 0 &&
		 (g[4] == 0 || g[4] == ',' || strncmp(g + 4, ".0", 2) == 0));
}

static enum MHD_Result serve_asset(struct request *req, const struct asset *a)
{
	const char *inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_IF_NONE_MATCH);
	struct MHD_Response *resp;
	bool gz = a->gzip && accepts_gzip(req->conn);
	unsigned status = MHD_HTTP_OK;

	if (inm && strstr(inm, a->etag)) {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_MODIFIED;
	} else {
		resp = MHD_create_response_from_buffer(gz ? a->gzip_len : a->len,
						       (void *)(gz ? a->gzip : a->data),
						       MHD_RESPMEM_PERSISTENT);
		if (resp) {
			MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
			if (gz)
				MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING,
							"gzip");
		}
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, a->etag);
	if (a->gzip)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				a->immutable ? "public, max-age=31536000, immutable" : "no-cache");
	return http_queue(req, status, resp);
}

enum MHD_Result spa_serve(struct request *req)
{
	const struct asset *index = spa_find("index.html"), *a;
	char path[4096], base[4096];
	struct MHD_Response *resp;
	size_t len;
	char *html;

	spa_clean_path(req->url, path, sizeof(path));
	a = path[1] ? spa_find(path + 1) : NULL;
	if (a && a != index)
		return serve_asset(req, a);
	/* A content-hashed file that is not there is an old or broken link,
	 * not a route of the UI: no index.html in its place. */
	if (strncmp(path, "/assets/", 8) == 0 || !index)
		return http_error(req, MHD_HTTP_NOT_FOUND, "no such file: %s", path);

	spa_base(path,
		 MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-Prefix"),
		 MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-Uri"), base,
		 sizeof(base));
	html = spa_rewrite_index((const char *)index->data, index->len, base, &len);
	if (!html)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(len, html, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(html);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	return http_queue(req, MHD_HTTP_OK, resp);
}
