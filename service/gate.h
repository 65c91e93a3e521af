/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The accept gate: the service accepts on its listening sockets itself and
 * holds each new connection until the start of its request line has come
 * (peeking, never reading). A line libmicrohttpd 0.9.75 could not split
 * (`HELLO`, a leading space, a method that is no token) is answered 400 and
 * closed; every other connection goes to libmicrohttpd
 * (MHD_add_connection()), which reads it from its first byte.
 *
 * While it holds them, the gate applies the service's limits to its
 * connections: the first-byte and header timeouts, the per-address limit
 * (the address's oldest waiting connection goes) and the connection limit
 * per listener (counting libmicrohttpd's connections too; the oldest waiting
 * connection goes). ARCHITECTURE.md, "The service".
 */
#ifndef LXKNS_SERVICE_GATE_H
#define LXKNS_SERVICE_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>

/* Bytes the gate peeks at, at most: empty lines and a method that fill them
 * without a space are bad. */
#define GATE_PEEK_MAX 4096

/* A client's address as the per-address limit compares them (IPv4 mapped
 * into IPv6; family 0: a unix socket, never limited). */
struct conn_addr {
	sa_family_t family;
	uint8_t bytes[16];
};

void conn_addr_from(const struct sockaddr *sa, struct conn_addr *a);
bool conn_addr_same(const struct conn_addr *x, const struct conn_addr *y);

enum gate_verdict {
	GATE_WAIT, /* too little yet to tell */
	GATE_PASS, /* METHOD SP TARGET...: libmicrohttpd takes it from here */
	GATE_BAD,  /* no request line libmicrohttpd could split: 400 */
};

/*
 * What the first len bytes a client sent tell (fuzzed): after any empty
 * lines, a method (one or more token characters), one or more spaces and
 * the first byte of a target pass; anything else on the way is bad. eof: the
 * client sends no more, so what is still incomplete is bad. On GATE_BAD,
 * *why says what was wrong (a static string).
 */
enum gate_verdict gate_classify(const char *buf, size_t len, bool eof, const char **why);

struct gate_listener {
	int fd; /* a listening socket; the gate owns it from gate_start() on */
	struct MHD_Daemon *daemon;
};

struct gate_limits {
	unsigned max_connections; /* per listener, libmicrohttpd's included */
	unsigned max_per_address; /* waiting connections per address; 0: none */
	unsigned first_byte_timeout_ms;
	unsigned header_timeout_ms;
};

/* served(ctx, i): the connections libmicrohttpd holds for listener i. */
typedef unsigned (*gate_served_fn)(void *ctx, unsigned listener);

struct gate;

/* Starts the gate's thread over the n listeners (their sockets are the
 * gate's from here on, closed by gate_stop() even when it fails). */
int gate_start(const struct gate_limits *lim, const struct gate_listener *ls, unsigned n,
	       gate_served_fn served, void *ctx, struct gate **ret);
/* Stops accepting (closes the listening sockets) and closes the
 * connections still waiting for their request line. */
void gate_close(struct gate *g);
/* Connections accepted and waiting for their request line. */
unsigned gate_waiting(struct gate *g);
/* Stops the thread and closes everything it still holds; NULL is fine. */
void gate_stop(struct gate *g);

#endif
