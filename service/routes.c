/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "coalesce.h"
#include "http.h"
#include "openapi.h"
#include "routes.h"
#include "spa.h"

bool routes_no_containers;

/* "types, procs, tasks, ...": types, then the query switches of the option
 * table (include/lxkns/options.h) in its order. */
static void accepted_params(char *buf, size_t size)
{
	const struct lxkns_discover_option *o;
	size_t len = (size_t)snprintf(buf, size, "types");

	for (size_t i = 0; (o = lxkns_discover_option_at(i)) && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, ", %s", o->query);
}

/* "cgroup, ipc, ... (or c, i, ...)": the type names in alphabetical order,
 * then their filter letters in the same order. */
static void type_list(char *buf, size_t size)
{
	int order[_LXKNS_NS_TYPE_MAX];
	size_t len = 0;

	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		int k = t;
		while (k > 0 &&
		       strcmp(lxkns_ns_type_name(order[k - 1]), lxkns_ns_type_name(t)) > 0) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = t;
	}
	buf[0] = 0;
	for (int i = 0; i < _LXKNS_NS_TYPE_MAX && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
					lxkns_ns_type_name(order[i]));
	for (int i = 0; i < _LXKNS_NS_TYPE_MAX && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%c%s", i ? ", " : " (or ",
					lxkns_ns_type_letter(order[i]),
					i == _LXKNS_NS_TYPE_MAX - 1 ? ")" : "");
}

static int parse_switch(const char *value, bool *ret)
{
	static const char *const on[] = { "", "1", "true", "on", "yes" };
	static const char *const off[] = { "0", "false", "off", "no" };

	if (!value)
		value = "";
	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++)
		if (strcasecmp(value, on[i]) == 0) {
			*ret = true;
			return 0;
		}
	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		if (strcasecmp(value, off[i]) == 0) {
			*ret = false;
			return 0;
		}
	return -EINVAL;
}

static int parse_types(const char *value, unsigned *ret_mask)
{
	unsigned mask = 0;
	const char *p = value ? value : "";

	while (*p) {
		size_t len = strcspn(p, ",");
		char tok[16];
		int t = -1;

		if (len == 0 || len >= sizeof(tok))
			return -EINVAL;
		memcpy(tok, p, len);
		tok[len] = 0;
		/* a type name, or Go lxkns' filter letter */
		t = lxkns_ns_type_from_name(tok);
		if (t < 0 && len == 1)
			t = lxkns_ns_type_from_letter(tok[0]);
		if (t < 0)
			return -EINVAL;
		mask |= LXKNS_NS_TYPE_BIT(t);
		p += len;
		if (*p == ',' && *++p == 0)
			return -EINVAL;
	}
	if (!mask)
		return -EINVAL;
	*ret_mask = mask;
	return 0;
}

int routes_apply_param(struct lxkns_discover_opts *opts, const char *key, const char *value,
		       char *err, size_t err_size)
{
	const struct lxkns_discover_option *o;
	char list[256];
	bool on;

	if (strcmp(key, "types") == 0) {
		if (parse_types(value, &opts->type_mask) < 0) {
			type_list(list, sizeof(list));
			snprintf(err, err_size, "invalid types '%s': comma-separated %s",
				 value ? value : "", list);
			return -EINVAL;
		}
		return 0;
	}
	o = lxkns_discover_option_by_query(key);
	if (!o) {
		accepted_params(list, sizeof(list));
		snprintf(err, err_size, "unknown query parameter '%s' (accepted: %s)", key, list);
		return -EINVAL;
	}
	if (parse_switch(value, &on) < 0) {
		snprintf(err, err_size,
			 "invalid value '%s' for %s: on/off, true/false, 1/0, yes/no", value, key);
		return -EINVAL;
	}
	/* containers: refused where the service cannot discover them */
	if (strcmp(key, "containers") == 0) {
#ifdef LXKNS_SERVICE_CONTAINERS
		if (on && routes_no_containers) {
			snprintf(err, err_size,
				 "containers=%s: the service runs with --no-containers",
				 value ? value : "");
			return -EINVAL;
		}
		lxkns_discover_option_set(o, opts, on);
#else
		if (on) {
			snprintf(err, err_size,
				 "containers=%s: this version discovers no containers "
				 "(only containers=off is accepted)",
				 value ? value : "");
			return -EINVAL;
		}
#endif
		return 0;
	}
	lxkns_discover_option_set(o, opts, on);
	return 0;
}

uint64_t routes_max_age_ms(const char *cc)
{
	const char *p = cc;

	if (!cc)
		return UINT64_MAX;
	while (*p) {
		size_t len;
		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, ",");
		if ((len == 8 && strncasecmp(p, "no-cache", 8) == 0) ||
		    (len == 8 && strncasecmp(p, "no-store", 8) == 0))
			return 0;
		if (len > 8 && strncasecmp(p, "max-age=", 8) == 0) {
			char *end;
			unsigned long long s = strtoull(p + 8, &end, 10);
			if (end != p + 8 && (*end == 0 || *end == ',' || *end == ' '))
				return s > UINT64_MAX / 1000 ? UINT64_MAX : s * 1000;
		}
		p += len;
	}
	return UINT64_MAX;
}

/* ---- answering ------------------------------------------------------- */

struct query {
	struct lxkns_discover_opts *opts;
	char err[512];
	int r;
};

static enum MHD_Result on_param(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct query *q = cls;

	q->r = routes_apply_param(q->opts, key, value, q->err, sizeof(q->err));
	return q->r < 0 ? MHD_NO : MHD_YES;
}

static void release_snapshot(void *cls)
{
	snapshot_unref(cls);
}

static enum MHD_Result answer_metrics(struct request *req, const struct snapshot *s)
{
	struct buf b = { 0 };
	struct MHD_Response *resp;
	size_t len;
	char *text;

	metrics_render(&b, s ? &s->stats : NULL, http_connections(req->server));
	text = buf_steal(&b, &len);
	if (!text)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return http_queue(req, MHD_HTTP_OK, resp);
}

/* The answer of a finished discovery (from the cache or a flight). */
static enum MHD_Result answer(struct request *req)
{
	struct snapshot *s = req->snap;
	struct MHD_Response *resp;
	char v[128];
	double age;

	if (!s)
		return http_error(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	if (s->err)
		return http_error(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "discovery failed: %s",
				  strerror(-s->err));
	if (req->handler == MH_METRICS)
		return answer_metrics(req, s);

	resp = MHD_create_response_from_buffer_with_free_callback_cls(s->len, s->body,
								      release_snapshot,
								      snapshot_ref(s));
	if (!resp) {
		snapshot_unref(s);
		return MHD_NO;
	}
	age = snapshot_age(s);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	snprintf(v, sizeof(v), "%llu", (unsigned long long)s->id);
	MHD_add_response_header(resp, "X-Lxkns-Discovery-Id", v);
	snprintf(v, sizeof(v), "%.3f", age);
	MHD_add_response_header(resp, "X-Lxkns-Discovery-Age", v);
	MHD_add_response_header(resp, "X-Lxkns-Discovery-Source",
				req->from_cache	     ? "cache"
				: req->waiter.joined ? "joined"
						     : "started");
	if (req->from_cache) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)age);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_AGE, v);
	}
	snprintf(v, sizeof(v), "discovery;dur=%.2f, render;dur=%.2f", s->discovery_s * 1e3,
		 s->render_s * 1e3);
	MHD_add_response_header(resp, "Server-Timing", v);
	if (s->stats.partial[0])
		MHD_add_response_header(resp, "X-Lxkns-Partial-View", s->stats.partial);
	return http_queue(req, MHD_HTTP_OK, resp);
}

static enum MHD_Result discovery(struct request *req, enum doc_kind kind)
{
	struct lxkns_discover_opts opts;
	struct query q = { .opts = &opts };
	struct snapshot *s = NULL;
	uint64_t max_age;
	int r;

	doc_default_opts(kind, &opts);
	if (req->handler != MH_METRICS) {
		MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, on_param, &q);
		if (q.r < 0)
			return http_error(req, MHD_HTTP_BAD_REQUEST, "%s", q.err);
	}
	max_age = routes_max_age_ms(MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
								MHD_HTTP_HEADER_CACHE_CONTROL));
	req->kind = kind;
	r = coalescer_get(http_coalescer(req->server), kind, &opts, max_age,
			  req->handler != MH_METRICS, &req->waiter, &s);
	switch (r) {
	case COALESCE_HIT:
		req->snap = s;
		req->from_cache = true;
		return answer(req);
	case COALESCE_WAIT:
		return MHD_YES; /* parked: answered when woken */
	case -EAGAIN:
		return http_error(req, MHD_HTTP_SERVICE_UNAVAILABLE,
				  "too many different discoveries queued; try again");
	case -ESHUTDOWN:
		return http_error(req, MHD_HTTP_SERVICE_UNAVAILABLE, "shutting down");
	default:
		return http_error(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot discover: %s",
				  strerror(-r));
	}
}

static enum MHD_Result healthz(struct request *req)
{
	bool draining = http_draining(req->server);
	const char *body = draining ? "{\"status\":\"shutting down\"}\n" : "{\"status\":\"ok\"}\n";
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), (void *)body,
								    MHD_RESPMEM_PERSISTENT);

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return http_queue(req, draining ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_OK, resp);
}

/* docs/openapi.yaml, as embedded at build time. */
static enum MHD_Result openapi(struct request *req)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(openapi_yaml_len,
								    (void *)openapi_yaml,
								    MHD_RESPMEM_PERSISTENT);

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/yaml");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	return http_queue(req, MHD_HTTP_OK, resp);
}

enum MHD_Result routes_handle(struct request *req)
{
	static const struct {
		const char *path;
		enum metrics_handler handler;
	} routes[] = {
		{ "/api/namespaces", MH_NAMESPACES }, { "/api/processes", MH_PROCESSES },
		{ "/api/pidmap", MH_PIDMAP },	      { "/healthz", MH_HEALTHZ },
		{ "/metrics", MH_METRICS },	      { "/api/openapi.yaml", MH_OPENAPI },
	};
	const char *url = req->url;
	bool get;

	if (req->parked) {
		/* Woken: the discovery is done. */
		req->parked = false;
		req->snap = req->waiter.snap;
		req->waiter.snap = NULL;
		return answer(req);
	}

	req->handler = MH_UI;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strcmp(url, routes[i].path) == 0)
			req->handler = routes[i].handler;
	if (req->handler == MH_UI && (strcmp(url, "/api") == 0 || strncmp(url, "/api/", 5) == 0)) {
		req->handler = MH_OTHER;
		return http_error(req, MHD_HTTP_NOT_FOUND, "no such API endpoint: %s", url);
	}
	get = strcmp(req->method, MHD_HTTP_METHOD_GET) == 0 || req->head;
	if (!get)
		return http_error(req, MHD_HTTP_METHOD_NOT_ALLOWED, "method %s not allowed on %s",
				  req->method, url);

	switch (req->handler) {
	case MH_NAMESPACES:
	case MH_METRICS:
		return discovery(req, DOC_NAMESPACES);
	case MH_PROCESSES:
		return discovery(req, DOC_PROCESSES);
	case MH_PIDMAP:
		return discovery(req, DOC_PIDMAP);
	case MH_HEALTHZ:
		return healthz(req);
	case MH_OPENAPI:
		return openapi(req);
	default:
		return spa_serve(req);
	}
}
