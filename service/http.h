/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.h: the HTTP side (libmicrohttpd): listeners (TCP and unix socket),
 * the request life cycle, and the protection against slow or idle clients:
 * a connection limit, a header timeout (from accepting a connection, or
 * from the previous answer, until complete request headers) and a request
 * timeout (from complete headers until the answer is sent), enforced by a
 * reaper thread that shuts such connections down. Listening sockets may
 * also be passed in the systemd way (socket activation).
 */
#ifndef LXKNS_SERVICE_HTTP_H
#define LXKNS_SERVICE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <microhttpd.h>

#include "coalesce.h"
#include "metrics.h"

/* At most this many listening sockets may be passed (LISTEN_FDS). */
#define HTTP_MAX_PASSED 16

struct request;

/* Answers a request (queues a response or parks it). Called once complete
 * headers are in, and again after a wake. The service passes
 * routes_handle() (routes.c), which sits above this file: http.c never calls
 * routes.c by name. */
typedef enum MHD_Result (*http_handler_fn)(struct request *req);

struct http_config {
	const char *http_addr; /* HOST:PORT, [V6]:PORT, :PORT; NULL: no TCP */
	const char *unix_path; /* NULL: no unix socket */
	const int *passed_fds; /* listening sockets passed to the service */
	unsigned npassed;      /* (http_passed_sockets); served as they are */
	unsigned max_connections;
	unsigned max_per_address;	/* idle connections per client address; 0: no limit */
	unsigned first_byte_timeout_ms; /* new TCP connections; 0: none */
	unsigned header_timeout_ms;
	unsigned request_timeout_ms;
	unsigned threads;	/* libmicrohttpd's polling threads per listener */
	http_handler_fn handle; /* answers every request */
};

struct http_server;
struct conn_state;

/* One HTTP request, from complete headers until the answer is sent. */
struct request {
	struct http_server *server;
	struct MHD_Connection *conn;
	struct conn_state *cs;
	const char *method, *url; /* owned by libmicrohttpd, valid until done */
	struct timespec start;
	enum metrics_handler handler;
	unsigned status;
	bool head;   /* HEAD: libmicrohttpd sends no body */
	bool parked; /* suspended, waiting for a discovery */
	bool from_cache;
	enum doc_kind kind;
	struct waiter waiter;
	struct snapshot *snap; /* the discovery that answers it */
};

/* Whether a request target (as sent, len bytes) holds a control byte (below
 * 0x20, or 0x7f), raw or %-escaped: such a request gets 400. */
bool http_target_has_control(const char *uri, size_t len);

/* The service state routes need. */
struct http_server *http_server_of(struct request *req);
struct coalescer *http_coalescer(struct http_server *s);
bool http_draining(struct http_server *s);
unsigned http_connections(struct http_server *s);

/*
 * Queues resp with status for req (and releases resp); adds the headers
 * every response carries. Returns what MHD_queue_response returned.
 */
enum MHD_Result http_queue(struct request *req, unsigned status, struct MHD_Response *resp);
/* A JSON error document {"status":N,"error":"Reason","message":"..."}. */
enum MHD_Result http_error(struct request *req, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Suspends the connection of req (for coalescer parking). */
void http_park(struct request *req);

/*
 * Listening sockets passed the systemd way (without libsystemd): LISTEN_PID
 * naming this process and LISTEN_FDS=N mean fds 3..3+N-1. Each must be a
 * listening stream socket; they are made close-on-exec. Variables naming
 * another process are ignored. LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES
 * are removed from the environment in any case, as sd_listen_fds(true) does.
 * Returns how many sockets fds receives (0: none for this process; more
 * than max: an error), or -errno with a one-line reason in err.
 */
int http_passed_sockets(int *fds, unsigned max, char *err, size_t err_size);

/*
 * Starts listening and serving. urls receives one line per listener
 * ("http://127.0.0.1:5010/", "unix:/run/lxkns.sock"; a passed socket's
 * address is followed by " (passed, fd N)"), NUL-separated.
 */
int http_server_start(const struct http_config *cfg, struct coalescer *coal,
		      struct http_server **ret, char *urls, size_t urls_size);
/* Stops accepting connections, closes idle ones (now and from now on) and
 * asks clients to close after their current request. */
void http_server_begin_shutdown(struct http_server *s);
/* Stops serving (open connections are closed) and frees everything. */
void http_server_stop(struct http_server *s);

/* "HOST:PORT" parsing, exposed for tests: 0 or -EINVAL. host is a copy
 * without brackets ("" for all interfaces). */
int http_split_addr(const char *addr, char *host, size_t host_size, char *port, size_t port_size);

#endif
