/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <linux/tcp.h> /* tcpi_bytes_received */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "gate.h"
#include "http.h"
#include "log.h"
#include "strutil.h"

/* How often the reaper looks for connections past their deadline. */
#define REAPER_PERIOD_MS 100
/* Bytes of request line and headers a connection may hold (libmicrohttpd
 * answers 414 or 431 beyond that). */
#define CONNECTION_MEMORY (32 * 1024)

/* Room kept under libmicrohttpd's own limit, per polling thread: a new
 * connection is accepted (and an idle one closed for it) before
 * libmicrohttpd stops accepting. */
#define LIMIT_SLACK 4

enum conn_phase {
	PHASE_HEADERS, /* waiting for (the rest of) request headers */
	PHASE_REQUEST, /* headers in, answer not yet sent completely */
};

struct listener;

/* One TCP or unix connection (libmicrohttpd's socket context). */
struct conn_state {
	struct conn_state *prev, *next;
	struct listener *listener;
	int fd;
	enum conn_phase phase;
	struct timespec since;
	struct conn_addr addr;
	unsigned requests; /* answered on this connection */
	bool tcp;
	bool spoke; /* sent a byte (checked once the first-byte timeout is up) */
	bool shut;
	/* The request target as it came (on_uri), before libmicrohttpd
	 * unescapes it in place: where it ends tells a NUL byte in it. */
	const char *raw_uri;
	size_t raw_uri_len;
	bool bad_uri; /* a control byte in it, raw or %-escaped */
};

struct listener {
	struct http_server *server;
	struct MHD_Daemon *daemon;
	char *unix_path; /* unlinked when the listener stops (never a passed
			  * socket's: that is not ours) */
	unsigned nconns; /* (under the server's lock) */
	bool quiesced;
};

struct http_server {
	struct http_config cfg;
	struct coalescer *coal;
	struct listener listeners[2 + HTTP_MAX_PASSED]; /* --http, --unix, passed */
	unsigned nlisteners;

	pthread_mutex_t lock; /* conns, stopping */
	pthread_cond_t wakeup;
	struct conn_state *conns;
	unsigned nconns;
	bool stopping;
	pthread_t reaper;
	bool reaper_started;
	atomic_bool draining;
	struct gate *gate; /* accepts, and holds connections until their request line */
};

static double elapsed_ms(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) * 1e3 +
	       (double)(to->tv_nsec - from->tv_nsec) / 1e6;
}

struct http_server *http_server_of(struct request *req)
{
	return req->server;
}

struct coalescer *http_coalescer(struct http_server *s)
{
	return s->coal;
}

bool http_draining(struct http_server *s)
{
	return atomic_load(&s->draining);
}

unsigned http_connections(struct http_server *s)
{
	unsigned n;

	pthread_mutex_lock(&s->lock);
	n = s->nconns;
	pthread_mutex_unlock(&s->lock);
	return n + gate_waiting(s->gate);
}

/* ---- connections and the reaper -------------------------------------- */

/* TCP bytes the kernel has received on fd (0 if it cannot say). */
static uint64_t tcp_received(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(ti.tcpi_bytes_received))
		return 0;
	return ti.tcpi_bytes_received;
}

static void set_phase(struct http_server *s, struct conn_state *cs, enum conn_phase phase)
{
	if (!cs)
		return;
	pthread_mutex_lock(&s->lock);
	cs->phase = phase;
	clock_gettime(CLOCK_MONOTONIC, &cs->since);
	if (phase == PHASE_HEADERS)
		cs->requests++;
	pthread_mutex_unlock(&s->lock);
}

static void conn_addr_of(struct MHD_Connection *conn, struct conn_addr *a)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	conn_addr_from(ci ? ci->client_addr : NULL, a);
}

static bool is_idle(const struct conn_state *cs)
{
	return cs->phase == PHASE_HEADERS && !cs->shut && cs->fd >= 0;
}

static bool older(const struct conn_state *x, const struct conn_state *y)
{
	return !y || x->since.tv_sec < y->since.tv_sec ||
	       (x->since.tv_sec == y->since.tv_sec && x->since.tv_nsec <= y->since.tv_nsec);
}

/* Closes cs (libmicrohttpd sees the end of the stream and cleans up). Under
 * the lock: libmicrohttpd cannot have closed and reused the fd meanwhile. */
static void shut(struct conn_state *cs)
{
	shutdown(cs->fd, SHUT_RDWR);
	cs->shut = true;
	cs->listener->nconns--; /* counts the connections not on their way out */
}

/*
 * Makes room for the new connection cs (under the lock): the oldest idle
 * connection of its address goes when that address holds the per-address
 * limit of idle connections already, and the oldest idle connection of its
 * listener when the listener is at its connection limit. Idle: waiting for
 * request headers (a new, a slow or a kept-alive connection); requests in
 * progress are never cut.
 */
static void make_room(struct http_server *s, struct conn_state *cs)
{
	struct conn_state *oldest_addr = NULL, *oldest = NULL;
	unsigned same = 0;

	for (struct conn_state *o = s->conns; o; o = o->next) {
		if (o == cs || !is_idle(o))
			continue;
		if (conn_addr_same(&o->addr, &cs->addr)) {
			same++;
			if (older(o, oldest_addr))
				oldest_addr = o;
		}
		if (o->listener == cs->listener && older(o, oldest))
			oldest = o;
	}
	if (s->cfg.max_per_address && oldest_addr && same >= s->cfg.max_per_address) {
		shut(oldest_addr);
		metrics_evicted(true);
		slog_debug("closed the oldest idle connection of an address at its limit (%u)",
			   s->cfg.max_per_address);
		if (oldest == oldest_addr)
			oldest = NULL;
	}
	if (oldest && cs->listener->nconns > s->cfg.max_connections) {
		shut(oldest);
		metrics_evicted(false);
		slog_debug("closed the oldest idle connection: at the connection limit (%u)",
			   s->cfg.max_connections);
	}
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct listener *l = cls;
	struct http_server *s = l->server;
	struct conn_state *cs = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		cs = calloc(1, sizeof(*cs));
		if (!cs)
			return; /* not watched by the reaper; libmicrohttpd's own
				 * idle timeout still applies */
		cs->fd = ci ? ci->connect_fd : -1;
		cs->listener = l;
		cs->phase = PHASE_HEADERS;
		conn_addr_of(conn, &cs->addr);
		cs->tcp = cs->addr.family != 0;
		clock_gettime(CLOCK_MONOTONIC, &cs->since);
		pthread_mutex_lock(&s->lock);
		cs->next = s->conns;
		if (s->conns)
			s->conns->prev = cs;
		s->conns = cs;
		s->nconns++;
		l->nconns++;
		make_room(s, cs);
		pthread_mutex_unlock(&s->lock);
		*socket_context = cs;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && cs) {
		/* libmicrohttpd closes the socket after this returns: under the
		 * lock the reaper cannot shut down a reused fd. */
		pthread_mutex_lock(&s->lock);
		if (cs->prev)
			cs->prev->next = cs->next;
		else
			s->conns = cs->next;
		if (cs->next)
			cs->next->prev = cs->prev;
		s->nconns--;
		if (!cs->shut)
			cs->listener->nconns--;
		pthread_mutex_unlock(&s->lock);
		free(cs);
		*socket_context = NULL;
	}
}

static void *reaper_main(void *arg)
{
	struct http_server *s = arg;
	struct timespec now, deadline;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_nsec += REAPER_PERIOD_MS * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->wakeup, &s->lock, &deadline);
		clock_gettime(CLOCK_MONOTONIC, &now);
		bool draining = atomic_load(&s->draining);
		for (struct conn_state *cs = s->conns; cs; cs = cs->next) {
			bool headers = cs->phase == PHASE_HEADERS;
			unsigned limit = headers ? s->cfg.header_timeout_ms
						 : s->cfg.request_timeout_ms;
			double age = elapsed_ms(&cs->since, &now);
			bool late = limit && age > limit;
			if (cs->shut || cs->fd < 0)
				continue;
			/* A new TCP connection that has not sent a byte within
			 * the first-byte timeout (kept-alive ones have the
			 * header timeout). */
			if (headers && !late && !draining && cs->tcp && !cs->requests &&
			    !cs->spoke && s->cfg.first_byte_timeout_ms &&
			    age > s->cfg.first_byte_timeout_ms) {
				/* (counted from the handshake on) */
				if (tcp_received(cs->fd) > 0) {
					cs->spoke = true;
					continue;
				}
				shut(cs);
				metrics_reaped_first_byte();
				slog_debug("closed a connection: no byte within %u ms",
					   s->cfg.first_byte_timeout_ms);
				continue;
			}
			if (!(late || (draining && headers)))
				continue;
			/* libmicrohttpd sees the end of the stream and closes it. */
			shut(cs);
			if (late) {
				metrics_reaped(headers);
				slog_debug("closed a connection: no complete %s within %u ms",
					   headers ? "request headers" : "answer", limit);
			}
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* ---- requests -------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool http_target_has_control(const char *uri, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)uri[i];
		if (c < 0x20 || c == 0x7f)
			return true;
		if (c == '%' && i + 2 < len && hexval(uri[i + 1]) >= 0 && hexval(uri[i + 2]) >= 0) {
			int v = hexval(uri[i + 1]) * 16 + hexval(uri[i + 2]);
			if (v < 0x20 || v == 0x7f)
				return true;
		}
	}
	return false;
}

/* The request target as the client sent it (libmicrohttpd calls this
 * before it unescapes the target in place). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_state *cs = ci ? ci->socket_context : NULL;

	if (cs) {
		cs->raw_uri = uri;
		cs->raw_uri_len = strlen(uri);
		cs->bad_uri = http_target_has_control(uri, cs->raw_uri_len);
	}
	return NULL;
}

/* A NUL byte or another control byte in the request target: libmicrohttpd
 * would cut the target at the NUL and serve what comes before it. The
 * version follows the target's end (libmicrohttpd puts a NUL at the space
 * between them), unless a NUL inside the target ended it earlier. */
static bool bad_target(const struct conn_state *cs, const char *version)
{
	if (!cs || !cs->raw_uri)
		return false;
	if (cs->bad_uri)
		return true;
	return version && *version && version != cs->raw_uri + cs->raw_uri_len + 1;
}

void http_park(struct request *req)
{
	req->parked = true;
	MHD_suspend_connection(req->conn);
}

enum MHD_Result http_queue(struct request *req, unsigned status, struct MHD_Response *resp)
{
	enum MHD_Result r;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (atomic_load(&req->server->draining))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	req->status = status;
	r = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static struct MHD_Response *error_response(unsigned status, const char *fmt, va_list ap)
{
	char message[512];
	struct buf b = { 0 };
	struct MHD_Response *resp;
	const char *reason = MHD_get_reason_phrase_for(status);
	size_t len;
	char *body;

	vsnprintf(message, sizeof(message), fmt, ap);
	buf_printf(&b, "{\"status\":%u,\"error\":", status);
	buf_json_string(&b, reason && *reason ? reason : "Error");
	buf_puts(&b, ",\"message\":");
	buf_json_string(&b, message);
	buf_puts(&b, "}\n");
	body = buf_steal(&b, &len);
	if (!body)
		return NULL;
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return NULL;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return resp;
}

enum MHD_Result http_error(struct request *req, unsigned status, const char *fmt, ...)
{
	struct MHD_Response *resp;
	va_list ap;

	va_start(ap, fmt);
	resp = error_response(status, fmt, ap);
	va_end(ap);
	if (resp && status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	if (resp && status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	return http_queue(req, status, resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct request *req = *con_cls;

	if (!req) {
		/* Headers are complete. Answer from the second call on: a
		 * response queued in the first one makes libmicrohttpd 0.9.75
		 * close keep-alive connections. */
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		req = calloc(1, sizeof(*req));
		if (!req)
			return MHD_NO;
		req->server = s;
		req->conn = conn;
		req->cs = ci ? ci->socket_context : NULL;
		req->method = method;
		req->url = url;
		req->head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
		req->handler = MH_OTHER;
		req->waiter.userdata = req;
		clock_gettime(CLOCK_MONOTONIC, &req->start);
		set_phase(s, req->cs, PHASE_REQUEST);
		*con_cls = req;
		if (bad_target(req->cs, version)) {
			req->cs->raw_uri = NULL;
			return http_error(req, MHD_HTTP_BAD_REQUEST,
					  "control character in the request target");
		}
		if (req->cs)
			req->cs->raw_uri = NULL;
		/* Other methods are refused (404/405) before their body is
		 * read; libmicrohttpd then closes the connection. */
		if (!req->head && strcmp(method, MHD_HTTP_METHOD_GET) != 0)
			return s->cfg.handle(req);
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* A GET with a body: the body is dropped. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->status)
		return MHD_YES; /* answered already */
	return s->cfg.handle(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct request *req = *con_cls;
	struct timespec now;

	if (!req)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	metrics_request(req->handler, req->status);
	if (slog_enabled(SLOG_DEBUG))
		slog_debug("%s %s %u %.2f ms%s", req->method, req->url, req->status,
			   elapsed_ms(&req->start, &now),
			   toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
	set_phase(s, req->cs, PHASE_HEADERS);
	snapshot_unref(req->snap);
	/* Woken, but the connection was closed before it could answer. */
	snapshot_unref(req->waiter.snap);
	free(req);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = 0;
	slog_debug("libmicrohttpd: %s", line);
}

/* ---- listeners ------------------------------------------------------- */

int http_split_addr(const char *addr, char *host, size_t host_size, char *port, size_t port_size)
{
	const char *colon, *h = addr;
	size_t hlen;

	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');
		if (!close || close[1] != ':')
			return -EINVAL;
		h = addr + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(addr, ':');
		if (!colon || memchr(addr, ':', (size_t)(colon - addr)))
			return -EINVAL; /* no port, or an IPv6 address without [] */
		hlen = (size_t)(colon - addr);
	}
	size_t plen = strlen(colon + 1);
	uint64_t pnum;
	if (hlen >= host_size || plen == 0 || plen >= port_size || plen > 5 ||
	    safe_atou64_n(colon + 1, plen, &pnum) < 0 || pnum > 65535)
		return -EINVAL;
	memcpy(host, h, hlen);
	host[hlen] = 0;
	memcpy(port, colon + 1, plen + 1);
	return 0;
}

/* "http://HOST:PORT/" of a bound TCP socket's address. */
static int tcp_url(const struct sockaddr_storage *ss, socklen_t sslen, char *url, size_t url_size)
{
	char nhost[NI_MAXHOST], nport[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)ss, sslen, nhost, sizeof(nhost), nport,
			sizeof(nport), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return -EINVAL;
	snprintf(url, url_size, ss->ss_family == AF_INET6 ? "http://[%s]:%s/" : "http://%s:%s/",
		 nhost, nport);
	return 0;
}

static int listen_tcp(const char *addr, int *ret_fd, char *url, size_t url_size)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_ADDRCONFIG };
	struct addrinfo *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char host[256], port[8];
	int fd = -1, one = 1, zero = 0, r;

	if (http_split_addr(addr, host, sizeof(host), port, sizeof(port)) < 0) {
		slog_error("invalid listen address '%s' (HOST:PORT, [IPv6]:PORT or :PORT)", addr);
		return -EINVAL;
	}
	/* ":PORT": every interface, IPv6 and IPv4 where possible. Not with
	 * AI_ADDRCONFIG, which ignores loopback: in a network namespace with
	 * only "lo" (a pod before its network is up, --network none) it would
	 * find no address family at all. */
	hints.ai_family = host[0] ? AF_UNSPEC : AF_INET6;
	if (!host[0])
		hints.ai_flags &= ~AI_ADDRCONFIG;
	r = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
	if (!host[0] && !r) {
		/* IPv6 disabled in this kernel or namespace: IPv4 only */
		int probe = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0)
			close(probe);
		else {
			freeaddrinfo(ai);
			ai = NULL;
			r = EAI_FAMILY;
		}
	}
	if (r && !host[0]) {
		hints.ai_family = AF_INET;
		r = getaddrinfo(NULL, port, &hints, &ai);
	}
	if (r) {
		slog_error("cannot resolve listen address '%s': %s", addr, gai_strerror(r));
		return -EINVAL;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6 && !host[0])
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sslen) < 0)
		goto fail;
	freeaddrinfo(ai);
	ai = NULL;
	if (tcp_url(&ss, sslen, url, url_size) < 0) {
		errno = EINVAL;
		goto fail;
	}
	*ret_fd = fd;
	return 0;
fail:
	r = -errno;
	slog_error("cannot listen on %s: %s", addr, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (ai)
		freeaddrinfo(ai);
	return r;
}

static int listen_unix(const char *path, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		slog_error("unix socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* A socket left behind by a previous run that nobody serves is
	 * replaced; a served one, or any other file, is not. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
		    errno == ECONNREFUSED)
			unlink(path);
		if (probe >= 0)
			close(probe);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, SOMAXCONN) < 0) {
		r = -errno;
		slog_error("cannot listen on unix socket %s: %s", path, strerror(errno));
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* ---- passed sockets (socket activation) ------------------------------ */

#define LISTEN_FDS_START 3

/* A decimal number without sign, blanks or overflow. */
static int parse_env_ulong(const char *s, unsigned long *ret)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	*ret = strtoul(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

int http_passed_sockets(int *fds, unsigned max, char *err, size_t err_size)
{
	const char *pid_s = getenv("LISTEN_PID"), *n_s = getenv("LISTEN_FDS");
	unsigned long pid, n = 0;
	int r = 0;

	if (err_size)
		err[0] = 0;
	if (!pid_s || !n_s)
		goto out;
	if (parse_env_ulong(pid_s, &pid) < 0 || pid == 0) {
		snprintf(err, err_size, "invalid LISTEN_PID '%s'", pid_s);
		r = -EINVAL;
		goto out;
	}
	if (pid != (unsigned long)getpid())
		goto out; /* for another process */
	if (parse_env_ulong(n_s, &n) < 0) {
		snprintf(err, err_size, "invalid LISTEN_FDS '%s'", n_s);
		r = -EINVAL;
		goto out;
	}
	if (n > max) {
		snprintf(err, err_size, "%s sockets passed (LISTEN_FDS), at most %u are supported",
			 n_s, max);
		r = -E2BIG;
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		int fd = LISTEN_FDS_START + (int)i, flags, type = 0, listening = 0;
		socklen_t len = sizeof(type);

		flags = fcntl(fd, F_GETFD);
		if (flags < 0) {
			r = -errno;
			snprintf(err, err_size, "passed fd %d (LISTEN_FDS=%s): %s", fd, n_s,
				 strerror(errno));
			goto out;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
			r = -errno;
			if (errno == ENOTSOCK)
				snprintf(err, err_size, "passed fd %d is not a socket", fd);
			else
				snprintf(err, err_size, "passed fd %d: %s", fd, strerror(errno));
			goto out;
		}
		len = sizeof(listening);
		if (type != SOCK_STREAM ||
		    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 || !listening) {
			r = -EINVAL;
			snprintf(err, err_size, "passed fd %d is not a listening stream socket",
				 fd);
			goto out;
		}
		if (!(flags & FD_CLOEXEC) && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
			r = -errno;
			snprintf(err, err_size, "passed fd %d: cannot set close-on-exec: %s", fd,
				 strerror(errno));
			goto out;
		}
		fds[i] = fd;
	}
	r = (int)n;
out:
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return r;
}

/* The address a passed socket listens on (getsockname), for the log:
 * "http://127.0.0.1:5010/ (passed, fd 3)", "unix:/run/lxkns.sock (passed,
 * fd 4)", "unix:@name" for an abstract one. */
static void passed_url(int fd, char *url, size_t url_size)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char addr[300];

	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &sslen) < 0) {
		snprintf(addr, sizeof(addr), "socket:(%s)", strerror(errno));
	} else if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) {
		if (tcp_url(&ss, sslen, addr, sizeof(addr)) < 0)
			snprintf(addr, sizeof(addr), "tcp:(unknown)");
	} else if (ss.ss_family == AF_UNIX) {
		const struct sockaddr_un *sa = (const struct sockaddr_un *)&ss;
		size_t off = offsetof(struct sockaddr_un, sun_path);
		size_t len = sslen > off ? sslen - off : 0, o;

		if (len > sizeof(sa->sun_path))
			len = sizeof(sa->sun_path);
		o = (size_t)snprintf(addr, sizeof(addr), "unix:");
		if (len && sa->sun_path[0] == 0) /* abstract */
			addr[o++] = '@';
		for (size_t i = len && sa->sun_path[0] == 0 ? 1 : 0;
		     i < len && sa->sun_path[i] && o < sizeof(addr) - 1; i++) {
			unsigned char ch = (unsigned char)sa->sun_path[i];
			addr[o++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
		}
		if (o == 5)
			o += (size_t)snprintf(addr + o, sizeof(addr) - o, "(unnamed)");
		addr[o] = 0;
	} else {
		snprintf(addr, sizeof(addr), "socket:(family %d)", ss.ss_family);
	}
	snprintf(url, url_size, "%s (passed, fd %d)", addr, fd);
}

/* libmicrohttpd without a listening socket: the gate (gate.c) accepts and
 * hands connections over. */
static int start_daemon(struct http_server *s, struct listener *l)
{
	unsigned longest = s->cfg.header_timeout_ms > s->cfg.request_timeout_ms
				   ? s->cfg.header_timeout_ms
				   : s->cfg.request_timeout_ms;
	unsigned timeout_s = (longest + 999) / 1000 + 1;
	struct MHD_OptionItem opts[] = {
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, s },
		/* libmicrohttpd stops accepting at its limit; make_room()
		 * closes idle connections before that. */
		{ MHD_OPTION_CONNECTION_LIMIT,
		  s->cfg.max_connections + LIMIT_SLACK * s->cfg.threads, NULL },
		/* libmicrohttpd's own limit on inactivity: a backstop behind
		 * the reaper's finer deadlines (suspended connections are
		 * exempt). */
		{ MHD_OPTION_CONNECTION_TIMEOUT, timeout_s, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY, NULL },
		{ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, l },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s },
		{ MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s },
		{ MHD_OPTION_END, 0, NULL }, /* the pool size, where there is one */
		{ MHD_OPTION_END, 0, NULL },
	};

	l->server = s;
	if (s->cfg.threads > 1)
		opts[sizeof(opts) / sizeof(opts[0]) - 2] = (struct MHD_OptionItem){
			MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads, NULL
		};

	/* poll(), not epoll: libmicrohttpd 0.9.75's MHD_quiesce_daemon() raced
	 * its epoll workers for the listen socket's removal and aborted the
	 * process when it lost ("Failed to remove listen FD from epoll set",
	 * seen under ASan on SIGTERM). The gate owns the listening sockets now,
	 * but poll() stays: it is what the service was measured with. The ITC
	 * wakes a worker for MHD_add_connection(). */
	l->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC |
					     MHD_USE_NO_LISTEN_SOCKET | MHD_ALLOW_SUSPEND_RESUME |
					     MHD_USE_ERROR_LOG,
				     0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, opts,
				     MHD_OPTION_END);
	if (!l->daemon) {
		slog_error("cannot start the HTTP server");
		return -EIO;
	}
	return 0;
}

/* The connections libmicrohttpd holds for listener i (the gate's limit
 * counts them). */
static unsigned served(void *ctx, unsigned i)
{
	struct http_server *s = ctx;
	unsigned n;

	pthread_mutex_lock(&s->lock);
	n = s->listeners[i].nconns;
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* Appends a NUL-terminated line to the list (as much as fits; the list
 * stays terminated by an empty line). */
static void add_url(char *urls, size_t urls_size, size_t *used, const char *url)
{
	size_t len = strlen(url);

	if (*used + len + 2 > urls_size)
		return;
	memcpy(urls + *used, url, len + 1);
	*used += len + 1;
	urls[*used] = 0;
}

int http_server_start(const struct http_config *cfg, struct coalescer *coal,
		      struct http_server **ret, char *urls, size_t urls_size)
{
	struct gate_listener gl[2 + HTTP_MAX_PASSED];
	struct gate_limits lim;
	struct http_server *s;
	size_t used = 0;
	unsigned ngl = 0;
	int fd = -1, r = 0;

	if (cfg->npassed > HTTP_MAX_PASSED)
		return -E2BIG;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->cfg = *cfg;
	s->coal = coal;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wakeup, &ca);
	pthread_condattr_destroy(&ca);
	atomic_init(&s->draining, false);
	if (urls_size)
		urls[0] = 0;

	/* Each listener: its socket (the gate's once the gate starts) and a
	 * libmicrohttpd daemon without one. */
	if (cfg->http_addr) {
		char url[300];
		r = listen_tcp(cfg->http_addr, &fd, url, sizeof(url));
		if (r < 0)
			goto fail;
		gl[ngl++] = (struct gate_listener){ .fd = fd };
		r = start_daemon(s, &s->listeners[s->nlisteners]);
		if (r < 0)
			goto fail;
		gl[ngl - 1].daemon = s->listeners[s->nlisteners++].daemon;
		add_url(urls, urls_size, &used, url);
	}
	if (cfg->unix_path) {
		char url[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
		r = listen_unix(cfg->unix_path, &fd);
		if (r < 0)
			goto fail;
		gl[ngl++] = (struct gate_listener){ .fd = fd };
		s->listeners[s->nlisteners].unix_path = strdup(cfg->unix_path);
		r = start_daemon(s, &s->listeners[s->nlisteners]);
		if (r < 0) {
			unlink(cfg->unix_path);
			free(s->listeners[s->nlisteners].unix_path);
			s->listeners[s->nlisteners].unix_path = NULL;
			goto fail;
		}
		gl[ngl - 1].daemon = s->listeners[s->nlisteners++].daemon;
		snprintf(url, sizeof(url), "unix:%s", cfg->unix_path);
		add_url(urls, urls_size, &used, url);
	}
	/* Passed sockets are served as they are, and never unlinked. */
	for (unsigned i = 0; i < cfg->npassed; i++) {
		char url[400];
		passed_url(cfg->passed_fds[i], url, sizeof(url));
		gl[ngl++] = (struct gate_listener){ .fd = cfg->passed_fds[i] };
		r = start_daemon(s, &s->listeners[s->nlisteners]);
		if (r < 0)
			goto fail;
		gl[ngl - 1].daemon = s->listeners[s->nlisteners++].daemon;
		add_url(urls, urls_size, &used, url);
	}
	lim = (struct gate_limits){
		.max_connections = cfg->max_connections,
		.max_per_address = cfg->max_per_address,
		.first_byte_timeout_ms = cfg->first_byte_timeout_ms,
		.header_timeout_ms = cfg->header_timeout_ms,
	};
	r = gate_start(&lim, gl, ngl, served, s, &s->gate);
	ngl = 0; /* the gate's now, started or not */
	if (r < 0)
		goto fail;
	r = pthread_create(&s->reaper, NULL, reaper_main, s);
	if (r) {
		r = -r;
		goto fail;
	}
	s->reaper_started = true;
	*ret = s;
	return 0;
fail:
	for (unsigned i = 0; i < ngl; i++)
		close(gl[i].fd);
	http_server_stop(s);
	return r;
}

void http_server_begin_shutdown(struct http_server *s)
{
	atomic_store(&s->draining, true);
	/* no new connections; those without a request line yet go */
	gate_close(s->gate);
	for (unsigned i = 0; i < s->nlisteners; i++) {
		struct listener *l = &s->listeners[i];
		l->quiesced = true;
		if (l->unix_path)
			unlink(l->unix_path);
	}
	pthread_mutex_lock(&s->lock);
	pthread_cond_signal(&s->wakeup);
	pthread_mutex_unlock(&s->lock);
}

void http_server_stop(struct http_server *s)
{
	if (!s)
		return;
	if (s->reaper_started) {
		pthread_mutex_lock(&s->lock);
		s->stopping = true;
		pthread_cond_signal(&s->wakeup);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->reaper, NULL);
	}
	/* before the daemons: it hands connections over to them */
	gate_stop(s->gate);
	for (unsigned i = 0; i < s->nlisteners; i++) {
		struct listener *l = &s->listeners[i];
		MHD_stop_daemon(l->daemon);
		if (l->unix_path && !l->quiesced)
			unlink(l->unix_path);
		free(l->unix_path);
	}
	pthread_cond_destroy(&s->wakeup);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
