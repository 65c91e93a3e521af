/* SPDX-License-Identifier: Apache-2.0 */
/*
 * routes.h: what each path answers.
 *
 *   GET /api/namespaces   the DiscoveryResult document of Go lxkns
 *   GET /api/processes    the ProcessTable document
 *   GET /api/pidmap       the PIDMap document
 *   GET /healthz          {"status":"ok"} (503 while shutting down)
 *   GET /metrics          Prometheus text format
 *   GET /api/openapi.yaml docs/openapi.yaml (the API described), byte for byte
 *   GET anything else     the web UI (spa.h)
 *
 * Other /api paths: 404; other methods: 405 (with Allow); both with a JSON
 * error body. The API documents take discovery options as query parameters
 * (routes_parse_query()).
 */
#ifndef LXKNS_SERVICE_ROUTES_H
#define LXKNS_SERVICE_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lxkns/lxkns.h>
#include <microhttpd.h>

struct request;

/* Answers a request (queues a response or parks it): the service's
 * http_config.handle. Called once complete headers are in, and again after
 * a wake. */
enum MHD_Result routes_handle(struct request *req);

/* --no-containers: containers=on is refused. */
extern bool routes_no_containers;

/*
 * One query parameter applied to opts: "types" (namespace type names or Go
 * lxkns letters, comma-separated) or a switch ("tasks", "fds", ...: 1/0,
 * true/false, on/off, yes/no; no value means on). Returns 0, or -EINVAL
 * with a message for the client in err.
 */
int routes_apply_param(struct lxkns_discover_opts *opts, const char *key, const char *value,
		       char *err, size_t err_size);

/* The oldest acceptable cached discovery for a Cache-Control request header
 * (NULL allowed): 0 for no-cache/no-store, max-age in ms, else UINT64_MAX. */
uint64_t routes_max_age_ms(const char *cache_control);

#endif
