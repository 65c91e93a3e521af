/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.c: talking to engines over unix sockets with libcurl: HTTP/1.1 GETs
 * for the Docker Engine API (one connection reused, or several in parallel
 * through a multi handle), unary and server-streaming gRPC calls over
 * HTTP/2 with prior knowledge (h2c) for containerd and the CRI, and
 * streaming GETs for event feeds.
 *
 * Every exchange is bounded: replies are capped at CT_MAX_REPLY and every
 * request carries the caller's deadline, so an engine that accepts and never
 * answers, or answers garbage, costs at most the deadline and an error.
 * libcurl 7.88 breaks reused h2c connections ("Error in the HTTP2 framing
 * layer", curl #10634), so every gRPC call gets a fresh connection; that
 * costs nothing on a unix socket.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containers-internal.h"
#include "strutil.h"

/*
 * libcurl is loaded on first use (dlopen), not linked: it pulls in some
 * twenty libraries (TLS, Kerberos, LDAP, ...) whose relocations alone cost
 * every discovery ~10 M instructions and ~6 MiB of memory, though only a
 * host with container engines ever needs it. The calls below go through
 * this table; its names shadow curl's. Where there is no libcurl.so.4, the
 * GnuTLS flavour's libcurl-gnutls.so.4 serves as well.
 */
static struct {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *e);
	CURLcode (*easy_setopt)(CURL *e, CURLoption opt, ...);
	CURLcode (*easy_getinfo)(CURL *e, CURLINFO info, ...);
	CURLcode (*easy_perform)(CURL *e);
	const char *(*easy_strerror)(CURLcode c);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *m);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *e);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *e);
	CURLMcode (*multi_setopt)(CURLM *m, CURLMoption opt, ...);
	CURLMcode (*multi_perform)(CURLM *m, int *running);
	CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd fds[], unsigned n, int ms, int *ret);
	CURLMcode (*multi_wakeup)(CURLM *m);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
	const char *(*multi_strerror)(CURLMcode c);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
} cu;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_state = -ELIBACC;

/* The OpenSSL flavour (Debian's libcurl4), then the GnuTLS one
 * (libcurl3-gnutls): the same API and ABI under another soname, and the one
 * installed on many hosts that have no libcurl4 (git, apt's https method). */
const char *const ct_curl_sonames[] = { "libcurl.so.4", "libcurl-gnutls.so.4", NULL };

/* Fills the table from one loaded libcurl: 0, or -ELIBACC if a function is
 * missing. */
static int curl_bind(void *h)
{
#define LOAD(field, sym)                                                                           \
	do {                                                                                       \
		*(void **)&cu.field = dlsym(h, sym);                                               \
		if (!cu.field)                                                                     \
			return -ELIBACC;                                                           \
	} while (0)
	LOAD(global_init, "curl_global_init");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(multi_init, "curl_multi_init");
	LOAD(multi_cleanup, "curl_multi_cleanup");
	LOAD(multi_add_handle, "curl_multi_add_handle");
	LOAD(multi_remove_handle, "curl_multi_remove_handle");
	LOAD(multi_setopt, "curl_multi_setopt");
	LOAD(multi_perform, "curl_multi_perform");
	LOAD(multi_poll, "curl_multi_poll");
	LOAD(multi_wakeup, "curl_multi_wakeup");
	LOAD(multi_info_read, "curl_multi_info_read");
	LOAD(multi_strerror, "curl_multi_strerror");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
#undef LOAD
	return 0;
}

int ct_curl_load(const char *const names[], void **handle)
{
	for (int i = 0; names[i]; i++) {
		void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (!h)
			continue;
		if (curl_bind(h) == 0) {
			if (handle)
				*handle = h;
			return i;
		}
		dlclose(h);
	}
	return -ELIBACC;
}

static void curl_global(void)
{
	if (ct_curl_load(ct_curl_sonames, NULL) < 0)
		return;
	curl_state = cu.global_init(CURL_GLOBAL_NOTHING) == CURLE_OK ? 0 : -ENOMEM;
}

/* 0, or -ELIBACC when neither libcurl.so.4 nor libcurl-gnutls.so.4 can be
 * loaded (-ENOMEM: its init). */
static int curl_ready(void)
{
	pthread_once(&curl_once, curl_global);
	return curl_state;
}

/* From here on, curl's names call through the table (curl.h may define
 * some of them as type-checking macros). */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_easy_init cu.easy_init
#define curl_easy_cleanup cu.easy_cleanup
#define curl_easy_setopt cu.easy_setopt
#define curl_easy_getinfo cu.easy_getinfo
#define curl_easy_perform cu.easy_perform
#define curl_easy_strerror cu.easy_strerror
#define curl_multi_init cu.multi_init
#define curl_multi_cleanup cu.multi_cleanup
#define curl_multi_add_handle cu.multi_add_handle
#define curl_multi_remove_handle cu.multi_remove_handle
#define curl_multi_setopt cu.multi_setopt
#define curl_multi_perform cu.multi_perform
#define curl_multi_poll cu.multi_poll
#define curl_multi_wakeup cu.multi_wakeup
#define curl_multi_info_read cu.multi_info_read
#define curl_multi_strerror cu.multi_strerror
#define curl_slist_append cu.slist_append
#define curl_slist_free_all cu.slist_free_all

/* Appends a piece of a reply; false beyond CT_MAX_REPLY or on OOM. */
static bool reply_append(struct buf *b, const char *data, size_t len)
{
	if (len > CT_MAX_REPLY - b->len)
		return false;
	return buf_append(b, data, len) == 0;
}

/* Empties a buffer for the next reply (an earlier OOM forgotten). */
static void reply_reset(struct buf *b)
{
	if (b->oom)
		buf_free(b);
	buf_truncate(b, 0);
}

static size_t write_buf(char *data, size_t size, size_t n, void *userdata)
{
	return reply_append(userdata, data, size * n) ? size * n : 0;
}

static void set_msg(char *err, size_t errsize, const char *msg)
{
	if (err && errsize)
		snprintf(err, errsize, "%s", msg);
}

/* libcurl's verdict as -errno plus a message. */
static int curl_err(CURLcode rc, const char *errbuf, char *err, size_t errsize)
{
	const char *msg = errbuf && *errbuf ? errbuf : curl_easy_strerror(rc);
	set_msg(err, errsize, msg);
	switch (rc) {
	case CURLE_OK:
		return 0;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	case CURLE_WRITE_ERROR:
		return -EFBIG;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return -ECONNRESET;
	default:
		return -EBADMSG;
	}
}

static long remaining(int64_t deadline)
{
	int64_t left = deadline - ct_now_ms();
	return left > 0 ? (long)left : 0;
}

static void common_opts(CURL *e, const char *sockpath, char *errbuf)
{
	curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, sockpath);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(e, CURLOPT_USERAGENT,
			 "lxkns/"
			 "0");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	errbuf[0] = 0;
}

/* ---- HTTP/1.1 ---- */

struct ct_http {
	CURL *easy;
	/* libcurl's CURLOPT_ERRORBUFFER (its API wants one per handle); the
	 * text reaches callers only through their err, errsize */
	char errbuf[CURL_ERROR_SIZE];
	struct buf headers; /* of the last reply, capped */
	char sockpath[];
};

static size_t header_buf(char *data, size_t size, size_t n, void *userdata)
{
	struct buf *b = userdata;
	if (b->len + size * n <= 16384)
		reply_append(b, data, size * n);
	return size * n;
}

const char *ct_http_header(struct ct_http *h, const char *name, char *buf, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = h->headers.data, *end = p ? p + h->headers.len : NULL;
	while (p && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		if ((size_t)(le - p) > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			while (v < le && *v == ' ')
				v++;
			while (le > v && (le[-1] == '\r' || le[-1] == ' '))
				le--;
			snprintf(buf, size, "%.*s", (int)(le - v), v);
			return buf;
		}
		p = eol ? eol + 1 : end;
	}
	return NULL;
}

struct ct_http *ct_http_new(const char *sockpath)
{
	if (curl_ready() < 0)
		return NULL;
	size_t len = strlen(sockpath);
	struct ct_http *h = calloc(1, sizeof(*h) + len + 1);
	if (!h)
		return NULL;
	memcpy(h->sockpath, sockpath, len + 1);
	h->easy = curl_easy_init();
	if (!h->easy) {
		free(h);
		return NULL;
	}
	return h;
}

void ct_http_free(struct ct_http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->easy);
	buf_free(&h->headers);
	free(h);
}

static void get_opts(CURL *e, const char *sockpath, const char *path, long left, char *errbuf,
		     struct buf *body)
{
	char url[2048];
	snprintf(url, sizeof(url), "http://localhost%s", path);
	common_opts(e, sockpath, errbuf);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_buf);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, body);
}

int ct_http_get(struct ct_http *h, const char *path, int64_t deadline, struct buf *body, char *err,
		size_t errsize)
{
	long left = remaining(deadline), status = 0;

	reply_reset(body);
	if (!left) {
		set_msg(err, errsize, "no answer in time");
		return -ETIMEDOUT;
	}
	get_opts(h->easy, h->sockpath, path, left, h->errbuf, body);
	reply_reset(&h->headers);
	curl_easy_setopt(h->easy, CURLOPT_HEADERFUNCTION, header_buf);
	curl_easy_setopt(h->easy, CURLOPT_HEADERDATA, &h->headers);
	CURLcode rc = curl_easy_perform(h->easy);
	if (rc != CURLE_OK)
		return curl_err(rc, h->errbuf, err, errsize);
	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
	return (int)status;
}

int ct_http_get_many(const char *sockpath, const char *const *paths, size_t n, int64_t deadline,
		     int *statuses, struct buf *bodies, char *err, size_t errsize)
{
	CURLM *m;
	CURL **easies;
	char(*errbufs)[CURL_ERROR_SIZE];
	int ret = 0, running = 0;
	long left = remaining(deadline);

	if (!n)
		return 0;
	if (!left) {
		set_msg(err, errsize, "no answer in time");
		return -ETIMEDOUT;
	}
	if (curl_ready() < 0 || !(m = curl_multi_init()))
		return -ENOMEM;
	easies = calloc(n, sizeof(*easies));
	errbufs = calloc(n, sizeof(*errbufs));
	if (!easies || !errbufs) {
		ret = -ENOMEM;
		goto out;
	}
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 8L);
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
	for (size_t i = 0; i < n; i++) {
		statuses[i] = 0;
		reply_reset(&bodies[i]);
		easies[i] = curl_easy_init();
		if (!easies[i]) {
			ret = -ENOMEM;
			goto out;
		}
		get_opts(easies[i], sockpath, paths[i], left, errbufs[i], &bodies[i]);
		curl_easy_setopt(easies[i], CURLOPT_PRIVATE, (void *)&statuses[i]);
		curl_multi_add_handle(m, easies[i]);
	}
	do {
		CURLMcode mc = curl_multi_perform(m, &running);
		if (mc == CURLM_OK && running)
			mc = curl_multi_poll(m, NULL, 0, 100, NULL);
		if (mc != CURLM_OK) {
			set_msg(err, errsize, curl_multi_strerror(mc));
			ret = -EIO;
			break;
		}
		if (ct_now_ms() > deadline + 200) { /* libcurl's own timeouts should fire first */
			set_msg(err, errsize, "no answer in time");
			ret = -ETIMEDOUT;
			break;
		}
	} while (running);
	CURLMsg *msg;
	int q;
	while ((msg = curl_multi_info_read(m, &q))) {
		char *priv = NULL;
		long status = 0;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		if (!priv)
			continue;
		size_t i = (size_t)((int *)(void *)priv - statuses);
		if (i >= n)
			continue;
		if (msg->data.result != CURLE_OK) {
			int e = curl_err(msg->data.result, errbufs[i], err, errsize);
			if (!ret)
				ret = e;
			continue;
		}
		curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
		statuses[i] = (int)status;
	}
out:
	for (size_t i = 0; easies && i < n; i++)
		if (easies[i]) {
			curl_multi_remove_handle(m, easies[i]);
			curl_easy_cleanup(easies[i]);
		}
	free(easies);
	free(errbufs);
	curl_multi_cleanup(m);
	return ret;
}

/* ---- stopping streams ---- */

void ct_stopper_init(struct ct_stopper *s)
{
	pthread_mutex_init(&s->lock, NULL);
	s->stop = false;
	s->multi = NULL;
}

void ct_stopper_stop(struct ct_stopper *s)
{
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	if (s->multi)
		curl_multi_wakeup(s->multi);
	pthread_mutex_unlock(&s->lock);
}

void ct_stopper_destroy(struct ct_stopper *s)
{
	pthread_mutex_destroy(&s->lock);
}

static bool stopped(struct ct_stopper *s)
{
	pthread_mutex_lock(&s->lock);
	bool v = s->stop;
	pthread_mutex_unlock(&s->lock);
	return v;
}

/* ---- gRPC framing ---- */

struct grpc_state {
	struct buf body;
	int status; /* grpc-status, -1 until seen */
	char message[200];
	bool headers_done;
	/* streaming: */
	int (*fn)(void *userdata, const uint8_t *msg, size_t len);
	void *userdata;
	int fn_ret;
	bool bad_frame;
};

/* The value of a "grpc-status:" header line, v[0..len) after the colon:
 * spaces, a decimal number, then only CR/LF or spaces. The line is not
 * NUL-terminated, so the parse is bounded by len; a value that is not a
 * number is gRPC's UNKNOWN (2). */
static int grpc_status_value(const char *v, size_t len)
{
	int64_t st;

	while (len && *v == ' ') {
		v++;
		len--;
	}
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
		len--;
	if (safe_atoi64_n(v, len, &st) < 0 || st < 0 || st > INT32_MAX)
		return 2;
	return (int)st;
}

static size_t grpc_header(char *data, size_t size, size_t n, void *userdata)
{
	struct grpc_state *g = userdata;
	size_t len = size * n;

	if (len <= 2 && (len == 0 || data[0] == '\r' || data[0] == '\n')) {
		if (!g->headers_done && g->fn && g->fn(g->userdata, NULL, 0) != 0)
			g->fn_ret = 1;
		g->headers_done = true;
		return len;
	}
	if (len > 12 && strncasecmp(data, "grpc-status:", 12) == 0) {
		g->status = grpc_status_value(data + 12, len - 12);
	} else if (len > 13 && strncasecmp(data, "grpc-message:", 13) == 0) {
		size_t m = len - 13;
		const char *v = data + 13;
		while (m && (*v == ' ')) {
			v++;
			m--;
		}
		while (m && (v[m - 1] == '\r' || v[m - 1] == '\n'))
			m--;
		if (m >= sizeof(g->message))
			m = sizeof(g->message) - 1;
		memcpy(g->message, v, m);
		g->message[m] = 0;
	}
	return len;
}

/* Takes the complete frames off the front of g->body; false on a bad frame. */
static bool grpc_frames(struct grpc_state *g)
{
	size_t off = 0;
	while (g->body.len - off >= 5) {
		const uint8_t *h = (const uint8_t *)g->body.data + off;
		uint32_t mlen = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 |
				h[4];
		if (h[0] != 0 || mlen > CT_MAX_REPLY) { /* compressed or absurd */
			g->bad_frame = true;
			return false;
		}
		if (g->body.len - off - 5 < mlen)
			break;
		if (g->fn(g->userdata, h + 5, mlen) != 0) {
			g->fn_ret = 1;
			off += 5 + mlen;
			break;
		}
		off += 5 + mlen;
	}
	memmove(g->body.data, g->body.data + off, g->body.len - off);
	buf_truncate(&g->body, g->body.len - off);
	return true;
}

static size_t grpc_write_stream(char *data, size_t size, size_t n, void *userdata)
{
	struct grpc_state *g = userdata;
	if (!reply_append(&g->body, data, size * n) || !grpc_frames(g) || g->fn_ret)
		return 0;
	return size * n;
}

static CURL *grpc_easy(const char *sockpath, const char *method, const char *ns, const void *req,
		       size_t reqlen, struct curl_slist **hdrs, uint8_t **frame, char *errbuf,
		       struct grpc_state *g)
{
	char url[512], nsh[300];
	CURL *e;

	*frame = malloc(reqlen + 5);
	if (!*frame || curl_ready() < 0 || !(e = curl_easy_init()))
		return NULL;
	(*frame)[0] = 0;
	(*frame)[1] = (uint8_t)(reqlen >> 24);
	(*frame)[2] = (uint8_t)(reqlen >> 16);
	(*frame)[3] = (uint8_t)(reqlen >> 8);
	(*frame)[4] = (uint8_t)reqlen;
	if (reqlen)
		memcpy(*frame + 5, req, reqlen);
	snprintf(url, sizeof(url), "http://localhost%s", method);
	*hdrs = curl_slist_append(NULL, "Content-Type: application/grpc");
	*hdrs = curl_slist_append(*hdrs, "TE: trailers");
	if (ns) {
		snprintf(nsh, sizeof(nsh), "containerd-namespace: %s", ns);
		*hdrs = curl_slist_append(*hdrs, nsh);
	}
	common_opts(e, sockpath, errbuf);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, *frame);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)(reqlen + 5));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, grpc_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, g);
	return e;
}

static int grpc_verdict(struct grpc_state *g, long http, char *err, size_t errsize, int *ret_status)
{
	if (ret_status)
		*ret_status = g->status;
	if (g->bad_frame) {
		set_msg(err, errsize, "malformed gRPC frame");
		return -EBADMSG;
	}
	if (g->status > 0) {
		if (err && errsize)
			snprintf(err, errsize, "gRPC status %d: %s", g->status, g->message);
		return -EPROTO;
	}
	if (http != 200) {
		if (err && errsize)
			snprintf(err, errsize, "HTTP status %ld instead of 200", http);
		return -EBADMSG;
	}
	if (g->status < 0) {
		set_msg(err, errsize, "no grpc-status in the reply");
		return -EBADMSG;
	}
	return 0;
}

struct unary {
	struct buf *reply;
	int count;
};

static int unary_msg(void *userdata, const uint8_t *msg, size_t len)
{
	struct unary *u = userdata;
	if (!msg)
		return 0;
	u->count++;
	u->reply->len = 0;
	return reply_append(u->reply, (const char *)msg, len) ? 0 : 1;
}

int ct_grpc_call(const char *sockpath, const char *method, const char *ns, const void *req,
		 size_t reqlen, int64_t deadline, struct buf *reply, int *ret_status, char *err,
		 size_t errsize)
{
	struct grpc_state g = { .status = -1 };
	struct unary u = { .reply = reply };
	struct curl_slist *hdrs = NULL;
	uint8_t *frame = NULL;
	char errbuf[CURL_ERROR_SIZE];
	long left = remaining(deadline), http = 0;
	int ret;

	if (ret_status)
		*ret_status = -1;
	reply_reset(reply);
	if (!left) {
		set_msg(err, errsize, "no answer in time");
		return -ETIMEDOUT;
	}
	g.fn = unary_msg;
	g.userdata = &u;
	CURL *e = grpc_easy(sockpath, method, ns, req, reqlen, &hdrs, &frame, errbuf, &g);
	if (!e) {
		free(frame);
		curl_slist_free_all(hdrs);
		return -ENOMEM;
	}
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, grpc_write_stream);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &g);
	CURLcode rc = curl_easy_perform(e);
	if (rc != CURLE_OK) {
		ret = g.bad_frame ? grpc_verdict(&g, 0, err, errsize, ret_status)
				  : curl_err(rc, errbuf, err, errsize);
	} else {
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &http);
		ret = grpc_verdict(&g, http, err, errsize, ret_status);
		if (ret == 0 && (g.body.len || u.count != 1)) {
			set_msg(err, errsize,
				g.body.len ? "truncated gRPC frame" : "no single reply message");
			ret = -EBADMSG;
		}
	}
	buf_free(&g.body);
	curl_easy_cleanup(e);
	curl_slist_free_all(hdrs);
	free(frame);
	return ret;
}

/* ---- streams ---- */

/* Runs one transfer in a multi handle until done, stopped or (before the
 * headers) past first_deadline. */
static int run_stream(CURL *e, struct ct_stopper *stop, const bool *headers_done,
		      int64_t first_deadline, CURLcode *ret_rc)
{
	CURLM *m = curl_multi_init();
	int running = 1, ret = 0;

	*ret_rc = CURLE_OK;
	if (!m)
		return -ENOMEM;
	curl_multi_add_handle(m, e);
	pthread_mutex_lock(&stop->lock);
	stop->multi = m;
	bool halt = stop->stop;
	pthread_mutex_unlock(&stop->lock);
	while (running && !halt) {
		CURLMcode mc = curl_multi_perform(m, &running);
		if (mc == CURLM_OK && running)
			mc = curl_multi_poll(m, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK) {
			ret = -EIO;
			break;
		}
		if (!*headers_done && ct_now_ms() > first_deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		halt = stopped(stop);
	}
	CURLMsg *msg;
	int q;
	while ((msg = curl_multi_info_read(m, &q)))
		if (msg->msg == CURLMSG_DONE)
			*ret_rc = msg->data.result;
	pthread_mutex_lock(&stop->lock);
	stop->multi = NULL;
	pthread_mutex_unlock(&stop->lock);
	curl_multi_remove_handle(m, e);
	curl_multi_cleanup(m);
	return halt ? 1 : ret;
}

int ct_grpc_stream(const char *sockpath, const char *method, const void *req, size_t reqlen,
		   int64_t first_deadline,
		   int (*fn)(void *userdata, const uint8_t *msg, size_t len), void *userdata,
		   struct ct_stopper *stop, char *err, size_t errsize)
{
	struct grpc_state g = { .status = -1, .fn = fn, .userdata = userdata };
	struct curl_slist *hdrs = NULL;
	uint8_t *frame = NULL;
	char errbuf[CURL_ERROR_SIZE];
	CURLcode rc;
	long http = 0;
	int ret;

	CURL *e = grpc_easy(sockpath, method, NULL, req, reqlen, &hdrs, &frame, errbuf, &g);
	if (!e) {
		free(frame);
		curl_slist_free_all(hdrs);
		return -ENOMEM;
	}
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, remaining(first_deadline) + 1);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, grpc_write_stream);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &g);
	ret = run_stream(e, stop, &g.headers_done, first_deadline, &rc);
	if (ret == 1 || (rc == CURLE_WRITE_ERROR && g.fn_ret)) {
		ret = 0;
	} else if (ret == 0) {
		if (rc != CURLE_OK) {
			ret = g.bad_frame ? grpc_verdict(&g, 0, err, errsize, NULL)
					  : curl_err(rc, errbuf, err, errsize);
		} else {
			curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &http);
			ret = grpc_verdict(&g, http, err, errsize, NULL);
			if (ret == 0) {
				set_msg(err, errsize, "the stream ended");
				ret = -ECONNRESET;
			}
		}
	} else {
		set_msg(err, errsize, ret == -ETIMEDOUT ? "no answer in time" : "stream failed");
	}
	buf_free(&g.body);
	curl_easy_cleanup(e);
	curl_slist_free_all(hdrs);
	free(frame);
	return ret;
}

struct http_stream {
	int (*fn)(void *userdata, const char *data, size_t len);
	void *userdata;
	bool headers_done;
	int fn_ret;
	long status;
	CURL *e;
};

/* cppcheck-suppress constParameter ; curl's CURLOPT_HEADERFUNCTION type */
static size_t stream_header(char *data, size_t size, size_t n, void *userdata)
{
	struct http_stream *s = userdata;
	size_t len = size * n;
	if (len <= 2 && (len == 0 || data[0] == '\r' || data[0] == '\n')) {
		curl_easy_getinfo(s->e, CURLINFO_RESPONSE_CODE, &s->status);
		if (s->status >= 200 && !s->headers_done) {
			s->headers_done = true;
			if (s->status == 200 && s->fn(s->userdata, NULL, 0) != 0)
				s->fn_ret = 1;
		}
	}
	return len;
}

static size_t stream_write(char *data, size_t size, size_t n, void *userdata)
{
	struct http_stream *s = userdata;
	if (s->status != 200 || s->fn_ret)
		return 0;
	if (s->fn(s->userdata, data, size * n) != 0) {
		s->fn_ret = 1;
		return 0;
	}
	return size * n;
}

int ct_http_stream(const char *sockpath, const char *path, int64_t first_deadline,
		   int (*fn)(void *userdata, const char *data, size_t len), void *userdata,
		   struct ct_stopper *stop, char *err, size_t errsize)
{
	struct http_stream s = { .fn = fn, .userdata = userdata };
	char errbuf[CURL_ERROR_SIZE], url[2048];
	CURLcode rc;
	int ret;

	if (curl_ready() < 0 || !(s.e = curl_easy_init()))
		return -ENOMEM;
	snprintf(url, sizeof(url), "http://localhost%s", path);
	common_opts(s.e, sockpath, errbuf);
	curl_easy_setopt(s.e, CURLOPT_URL, url);
	curl_easy_setopt(s.e, CURLOPT_CONNECTTIMEOUT_MS, remaining(first_deadline) + 1);
	curl_easy_setopt(s.e, CURLOPT_HEADERFUNCTION, stream_header);
	curl_easy_setopt(s.e, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(s.e, CURLOPT_WRITEFUNCTION, stream_write);
	curl_easy_setopt(s.e, CURLOPT_WRITEDATA, &s);
	ret = run_stream(s.e, stop, &s.headers_done, first_deadline, &rc);
	if (ret == 1 || (rc == CURLE_WRITE_ERROR && s.fn_ret)) {
		ret = 0;
	} else if (ret == 0) {
		if (s.headers_done && s.status != 200) {
			if (err && errsize)
				snprintf(err, errsize, "HTTP status %ld", s.status);
			ret = -EBADMSG;
		} else if (rc != CURLE_OK) {
			ret = curl_err(rc, errbuf, err, errsize);
		} else {
			set_msg(err, errsize, "the stream ended");
			ret = -ECONNRESET;
		}
	} else {
		set_msg(err, errsize, ret == -ETIMEDOUT ? "no answer in time" : "stream failed");
	}
	curl_easy_cleanup(s.e);
	return ret;
}
