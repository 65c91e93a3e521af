/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The accept gate (gate.h): one thread polls the listening sockets and the
 * connections waiting for their request line. A waiting connection is
 * peeked at (MSG_PEEK: libmicrohttpd later reads every byte itself) when
 * input comes; one that sent part of a line is peeked at again RECHECK_MS
 * later (its bytes stay queued, so polling it for input would spin).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "gate.h"
#include "log.h"
#include "metrics.h"

/* A connection that sent part of its request line is peeked at again after
 * this long. */
#define RECHECK_MS 20
/* Connections accepted from one listener per round. */
#define ACCEPT_BURST 64
/* Out of fds or memory: no accepting for this long. */
#define ACCEPT_PAUSE_MS 100
/* The longest poll() without a deadline. */
#define TICK_MAX_MS 1000

struct waiting {
	int fd; /* -1: gone (dropped or passed), removed by compact() */
	unsigned listener;
	bool tcp;
	bool spoke;
	uint64_t seq; /* order of arrival */
	int64_t since_ms;
	int64_t recheck_ms; /* 0: polled for input */
	struct conn_addr addr;
	struct sockaddr_storage ss;
	socklen_t sslen;
};

struct gate {
	struct gate_limits lim;
	struct gate_listener *ls;
	unsigned nls;
	gate_served_fn served;
	void *ctx;
	int wake; /* eventfd: gate_close(), gate_stop() */
	pthread_t thread;
	bool started;
	atomic_bool closing, stopping;
	atomic_uint nwaiting;
	struct waiting *w;
	size_t nw, capw;
	struct pollfd *pfd;
	size_t cappfd;
	uint64_t seq;
	int64_t paused_until;
	char peek[GATE_PEEK_MAX];
};

void conn_addr_from(const struct sockaddr *sa, struct conn_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		a->family = AF_INET6;
		a->bytes[10] = a->bytes[11] = 0xff;
		memcpy(a->bytes + 12, &in->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		a->family = AF_INET6;
		memcpy(a->bytes, &in6->sin6_addr, 16);
	}
}

bool conn_addr_same(const struct conn_addr *x, const struct conn_addr *y)
{
	return x->family && x->family == y->family && !memcmp(x->bytes, y->bytes, 16);
}

/* ---- the request line -------------------------------------------------- */

/* RFC 9110 tchar: what a method is made of. */
static bool tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

enum gate_verdict gate_classify(const char *buf, size_t len, bool eof, const char **why)
{
	size_t i = 0, m, t;
	const char *w;

	/* libmicrohttpd skips empty lines before a request, as RFC 9112 asks */
	while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
		i++;
	for (m = i; m < len && tchar((unsigned char)buf[m]); m++)
		;
	if (m == len) {
		if (len >= GATE_PEEK_MAX)
			w = i == len ? "nothing but empty lines" : "a method too long";
		else if (eof)
			w = "the request ends before its target";
		else
			return GATE_WAIT;
	} else if (m == i) {
		w = buf[m] == ' ' || buf[m] == '\t' ? "a space before the method"
						    : "no method at its start";
	} else if (buf[m] == '\r' || buf[m] == '\n') {
		w = "no request target";
	} else if (buf[m] != ' ') {
		w = "a byte in the method that is not a token character";
	} else {
		for (t = m; t < len && buf[t] == ' '; t++)
			;
		if (t < len && buf[t] != '\r' && buf[t] != '\n')
			return GATE_PASS;
		if (t == len && !eof && len < GATE_PEEK_MAX)
			return GATE_WAIT;
		w = "no request target";
	}
	if (why)
		*why = w;
	return GATE_BAD;
}

/* ---- waiting connections ---------------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop(struct gate *g, struct waiting *w)
{
	if (w->fd < 0)
		return;
	close(w->fd);
	w->fd = -1;
	atomic_fetch_sub(&g->nwaiting, 1);
}

static void compact(struct gate *g)
{
	size_t o = 0;

	for (size_t i = 0; i < g->nw; i++)
		if (g->w[i].fd >= 0)
			g->w[o++] = g->w[i];
	g->nw = o;
}

/* libmicrohttpd takes the connection (and closes it, even when it refuses
 * it). */
static void pass(struct gate *g, struct waiting *w)
{
	int fd = w->fd;

	w->fd = -1;
	atomic_fetch_sub(&g->nwaiting, 1);
	if (MHD_add_connection(g->ls[w->listener].daemon, fd, (const struct sockaddr *)&w->ss,
			       w->sslen) != MHD_YES)
		slog_debug("libmicrohttpd did not take a connection: %s", strerror(errno));
}

/* An HTTP date (RFC 9110), in English whatever the locale. */
static void http_date(char *out, size_t size)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11) {
		snprintf(out, size, "Thu, 01 Jan 1970 00:00:00 GMT");
		return;
	}
	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* 400 with the service's JSON error document, then the close. What the
 * client sent is read first: closing with unread bytes would reset the
 * connection and could lose the answer. */
static void answer_bad(struct gate *g, struct waiting *w, const char *why)
{
	char body[256], date[40], msg[640];
	int blen, mlen;
	size_t drained = 0;
	ssize_t n;

	blen = snprintf(body, sizeof(body),
			"{\"status\":400,\"error\":\"Bad Request\",\"message\":\"malformed request "
			"line: %s (expected METHOD TARGET HTTP/VERSION)\"}\n",
			why);
	http_date(date, sizeof(date));
	mlen = snprintf(msg, sizeof(msg),
			"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nDate: %s\r\n"
			"Content-Type: application/json\r\nCache-Control: no-store\r\n"
			"X-Content-Type-Options: nosniff\r\nContent-Length: %d\r\n\r\n%s",
			date, blen, body);
	while (drained < 64 * 1024 && (n = recv(w->fd, g->peek, sizeof(g->peek), MSG_DONTWAIT)) > 0)
		drained += (size_t)n;
	if (mlen > 0 && (size_t)mlen < sizeof(msg))
		(void)!send(w->fd, msg, (size_t)mlen, MSG_NOSIGNAL | MSG_DONTWAIT);
	shutdown(w->fd, SHUT_WR);
	metrics_request(MH_OTHER, 400);
	slog_debug("400 to a malformed request line: %s", why);
	drop(g, w);
}

/* Input (or its end) on a waiting connection. */
static void examine(struct gate *g, struct waiting *w, short revents, int64_t now)
{
	const char *why = "";
	ssize_t n = recv(w->fd, g->peek, sizeof(g->peek), MSG_PEEK | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) { /* closed (or reset) before a request line */
		drop(g, w);
		return;
	}
	w->spoke = true;
	switch (gate_classify(g->peek, (size_t)n, (revents & (POLLRDHUP | POLLHUP)) != 0, &why)) {
	case GATE_PASS:
		pass(g, w);
		break;
	case GATE_BAD:
		answer_bad(g, w, why);
		break;
	case GATE_WAIT:
		w->recheck_ms = now + RECHECK_MS;
		break;
	}
}

/* The oldest waiting connection that matches (same address, or same
 * listener), or NULL. */
static struct waiting *oldest(struct gate *g, const struct conn_addr *addr, unsigned listener,
			      unsigned *count)
{
	struct waiting *o = NULL;

	*count = 0;
	for (size_t i = 0; i < g->nw; i++) {
		struct waiting *w = &g->w[i];
		if (w->fd < 0 || (addr ? !conn_addr_same(&w->addr, addr) : w->listener != listener))
			continue;
		(*count)++;
		if (!o || w->seq < o->seq)
			o = w;
	}
	return o;
}

/* Makes room for a new connection of listener li from addr, as make_room()
 * does in http.c for libmicrohttpd's connections. */
static void make_room_waiting(struct gate *g, unsigned li, const struct conn_addr *addr)
{
	unsigned same, mine;
	struct waiting *o;

	if (g->lim.max_per_address && addr->family) {
		o = oldest(g, addr, li, &same);
		if (o && same >= g->lim.max_per_address) {
			drop(g, o);
			metrics_evicted(true);
			slog_debug(
				"closed the oldest waiting connection of an address at its limit "
				"(%u)",
				g->lim.max_per_address);
		}
	}
	if (g->lim.max_connections) {
		o = oldest(g, NULL, li, &mine);
		if (o && g->served(g->ctx, li) + mine + 1 > g->lim.max_connections) {
			drop(g, o);
			metrics_evicted(false);
			slog_debug("closed the oldest waiting connection: at the connection limit "
				   "(%u)",
				   g->lim.max_connections);
		}
	}
}

static int admit(struct gate *g, unsigned li, int fd, const struct sockaddr_storage *ss,
		 socklen_t sslen, int64_t now)
{
	struct waiting *w;

	if (g->nw == g->capw) {
		size_t cap = g->capw ? 2 * g->capw : 64;
		struct waiting *nw = realloc(g->w, cap * sizeof(*nw));
		if (!nw)
			return -ENOMEM;
		g->w = nw;
		g->capw = cap;
	}
	w = &g->w[g->nw];
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->listener = li;
	w->ss = *ss;
	w->sslen = sslen;
	conn_addr_from((const struct sockaddr *)ss, &w->addr);
	w->tcp = w->addr.family != 0;
	w->seq = ++g->seq;
	w->since_ms = now;
	make_room_waiting(g, li, &w->addr);
	g->nw++; /* after make_room_waiting(): it does not count itself */
	atomic_fetch_add(&g->nwaiting, 1);
	return 0;
}

static void accept_some(struct gate *g, unsigned li, int64_t now)
{
	for (int k = 0; k < ACCEPT_BURST; k++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd = accept4(g->ls[li].fd, (struct sockaddr *)&ss, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				slog_warn("cannot accept connections for now: %s", strerror(errno));
				g->paused_until = now + ACCEPT_PAUSE_MS;
			}
			return;
		}
		if (len > sizeof(ss))
			len = sizeof(ss);
		if (admit(g, li, fd, &ss, len, now) < 0) {
			close(fd);
			g->paused_until = now + ACCEPT_PAUSE_MS;
			return;
		}
	}
}

/* Timeouts, and when to wake up next. */
static int64_t expire(struct gate *g, int64_t now)
{
	int64_t next = now + TICK_MAX_MS;

	for (size_t i = 0; i < g->nw; i++) {
		struct waiting *w = &g->w[i];
		int64_t age = now - w->since_ms;
		bool first_byte = !w->spoke && w->tcp && g->lim.first_byte_timeout_ms;
		if (w->fd < 0)
			continue;
		if (first_byte && age >= g->lim.first_byte_timeout_ms) {
			drop(g, w);
			metrics_reaped_first_byte();
			slog_debug("closed a connection: no byte within %u ms",
				   g->lim.first_byte_timeout_ms);
			continue;
		}
		if (g->lim.header_timeout_ms && age >= g->lim.header_timeout_ms) {
			drop(g, w);
			metrics_reaped(true);
			slog_debug("closed a connection: no request line within %u ms",
				   g->lim.header_timeout_ms);
			continue;
		}
		if (w->recheck_ms && now >= w->recheck_ms)
			w->recheck_ms = 0; /* polled for input again: it is there */
		if (first_byte && w->since_ms + g->lim.first_byte_timeout_ms < next)
			next = w->since_ms + g->lim.first_byte_timeout_ms;
		if (g->lim.header_timeout_ms && w->since_ms + g->lim.header_timeout_ms < next)
			next = w->since_ms + g->lim.header_timeout_ms;
		if (w->recheck_ms && w->recheck_ms < next)
			next = w->recheck_ms;
	}
	if (g->paused_until > now && g->paused_until < next)
		next = g->paused_until;
	return next;
}

static void close_listeners(struct gate *g)
{
	for (unsigned i = 0; i < g->nls; i++) {
		if (g->ls[i].fd >= 0)
			close(g->ls[i].fd);
		g->ls[i].fd = -1;
	}
}

static void drop_all(struct gate *g)
{
	for (size_t i = 0; i < g->nw; i++)
		drop(g, &g->w[i]);
	g->nw = 0;
}

static int grow_pollfds(struct gate *g, size_t n)
{
	struct pollfd *p;

	if (n <= g->cappfd)
		return 0;
	p = realloc(g->pfd, n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	g->pfd = p;
	g->cappfd = n;
	return 0;
}

static void *gate_main(void *arg)
{
	struct gate *g = arg;
	bool listening = true;

	while (!atomic_load(&g->stopping)) {
		int64_t now = now_ms(), next;
		size_t np = 0, lbase, wbase, nw;
		bool accepting;
		int r;

		if (listening && atomic_load(&g->closing)) {
			close_listeners(g);
			drop_all(g);
			listening = false;
		}
		next = expire(g, now);
		compact(g);
		if (grow_pollfds(g, 1 + g->nls + g->nw) < 0) {
			/* no memory for the poll set: wait, then try again */
			usleep(ACCEPT_PAUSE_MS * 1000);
			continue;
		}
		g->pfd[np++] = (struct pollfd){ .fd = g->wake, .events = POLLIN };
		lbase = np;
		accepting = listening && now >= g->paused_until;
		for (unsigned i = 0; accepting && i < g->nls; i++)
			g->pfd[np++] = (struct pollfd){ .fd = g->ls[i].fd, .events = POLLIN };
		wbase = np;
		nw = g->nw;
		for (size_t i = 0; i < nw; i++)
			g->pfd[np++] = (struct pollfd){
				.fd = g->w[i].fd,
				.events = (short)(g->w[i].recheck_ms ? POLLRDHUP
								     : POLLIN | POLLRDHUP),
			};
		r = poll(g->pfd, np, (int)(next > now ? next - now : 0));
		if (r < 0) {
			if (errno != EINTR) {
				slog_warn("accept gate: poll: %s", strerror(errno));
				usleep(ACCEPT_PAUSE_MS * 1000);
			}
			continue;
		}
		if (g->pfd[0].revents) {
			uint64_t v;
			(void)!read(g->wake, &v, sizeof(v));
		}
		now = now_ms();
		/* connections first: accepting may move the array */
		for (size_t i = 0; i < nw; i++)
			if (g->pfd[wbase + i].revents && g->w[i].fd >= 0)
				examine(g, &g->w[i], g->pfd[wbase + i].revents, now);
		for (unsigned i = 0; accepting && i < g->nls; i++)
			if (g->pfd[lbase + i].revents)
				accept_some(g, i, now);
		compact(g);
	}
	close_listeners(g);
	drop_all(g);
	return NULL;
}

static void wake(struct gate *g)
{
	uint64_t one = 1;

	(void)!write(g->wake, &one, sizeof(one));
}

int gate_start(const struct gate_limits *lim, const struct gate_listener *ls, unsigned n,
	       gate_served_fn served, void *ctx, struct gate **ret)
{
	struct gate *g = calloc(1, sizeof(*g));
	int r;

	if (g)
		g->ls = calloc(n ? n : 1, sizeof(*g->ls));
	if (!g || !g->ls) {
		for (unsigned i = 0; i < n; i++)
			close(ls[i].fd);
		free(g);
		return -ENOMEM;
	}
	g->lim = *lim;
	memcpy(g->ls, ls, n * sizeof(*ls));
	/* accept4() in a loop until EAGAIN: a passed socket may block */
	for (unsigned i = 0; i < n; i++) {
		int fl = fcntl(ls[i].fd, F_GETFL);
		if (fl >= 0 && !(fl & O_NONBLOCK))
			fcntl(ls[i].fd, F_SETFL, fl | O_NONBLOCK);
	}
	g->nls = n;
	g->served = served;
	g->ctx = ctx;
	atomic_init(&g->closing, false);
	atomic_init(&g->stopping, false);
	atomic_init(&g->nwaiting, 0);
	g->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g->wake < 0) {
		r = -errno;
		gate_stop(g);
		return r;
	}
	r = pthread_create(&g->thread, NULL, gate_main, g);
	if (r) {
		gate_stop(g);
		return -r;
	}
	g->started = true;
	*ret = g;
	return 0;
}

void gate_close(struct gate *g)
{
	if (!g)
		return;
	atomic_store(&g->closing, true);
	wake(g);
}

unsigned gate_waiting(struct gate *g)
{
	return g ? atomic_load(&g->nwaiting) : 0;
}

void gate_stop(struct gate *g)
{
	if (!g)
		return;
	if (g->started) {
		atomic_store(&g->stopping, true);
		wake(g);
		pthread_join(g->thread, NULL);
	}
	close_listeners(g);
	drop_all(g);
	if (g->wake >= 0)
		close(g->wake);
	free(g->w);
	free(g->pfd);
	free(g->ls);
	free(g);
}
