/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pure parts of the service: path cleaning and the UI base behind
 * proxies (as thediveo/spaserve computes it), rewriting index.html, query
 * parameters into discovery options, Cache-Control, listen addresses, JSON
 * escaping of error messages, and the accept gate's verdict on request lines.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "buf.h"
#include "coalesce.h"
#include "gate.h"
#include "http.h"
#include "routes.h"
#include "spa.h"
#include "tap.h"

/* The service binary embeds the built UI; these tests bring their own. */
static const unsigned char index_html[] = "<html><head><base href=\"/\"></head></html>";
const struct asset spa_assets[] = {
	{ "assets/app-1234.js", "text/javascript", (const unsigned char *)"x", 1, NULL, 0, "\"a\"",
	  true },
	{ "index.html", "text/html", index_html, sizeof(index_html) - 1, NULL, 0, "\"b\"", false },
};
const size_t spa_asset_count = 2;

static void clean(const char *in, const char *want)
{
	char out[256];
	spa_clean_path(in, out, sizeof(out));
	CHECK_STR(out, want, in);
}

static void base(const char *path, const char *prefix, const char *uri, const char *want)
{
	char out[256];
	spa_base(path, prefix, uri, out, sizeof(out));
	CHECK(strcmp(out, want) == 0, "base of %s with prefix '%s', uri '%s': got %s, want %s",
	      path, prefix ? prefix : "", uri ? uri : "", out, want);
}

static void line(const char *in, bool eof, enum gate_verdict want, const char *want_why)
{
	const char *why = NULL;
	enum gate_verdict v = gate_classify(in, strlen(in), eof, &why);
	CHECK(v == want && (want != GATE_BAD || (why && !strcmp(why, want_why))),
	      "request line '%s'%s: verdict %d (%s), want %d (%s)", in, eof ? " then EOF" : "", v,
	      v == GATE_BAD && why ? why : "", want, want_why ? want_why : "");
}

static void param(const char *key, const char *value, int want)
{
	struct lxkns_discover_opts o;
	char err[512] = "";
	lxkns_discover_opts_init(&o);
	int r = routes_apply_param(&o, key, value, err, sizeof(err));
	CHECK((r == 0) == (want == 0) && (r == 0 || err[0]), "param %s=%s: %d (%s)", key,
	      value ? value : "(none)", r, err);
}

int main(void)
{
	clean("", "/");
	clean("/", "/");
	clean("//a///b/", "/a/b");
	clean("/a/./b/../c", "/a/c");
	clean("/../../x", "/x");
	clean("/a/..", "/");
	clean("/ab/cd/..", "/ab");
	clean("/a/b/../../..", "/");
	clean("a/b", "/a/b");

	base("/", NULL, NULL, "/");
	base("/pid", NULL, NULL, "/");
	base("/", "/lxkns", NULL, "/lxkns/");
	base("/", "lxkns/", NULL, "/lxkns/");
	base("/mnt", "/lxkns", NULL, "/lxkns/");
	base("/help/lxkns", "/a/b", NULL, "/a/b/");
	base("/pid", NULL, "/lxkns/pid", "/lxkns/");
	base("/pid", NULL, "/other", "/");
	base("/", NULL, "/lxkns", "/lxkns/");
	base("/", NULL, "https://host:1/x/lxkns/?q=/a#f", "/x/lxkns/");
	base("/", NULL, "https://host", "/");
	base("/", NULL, "garbage", "/");
	base("/", "/x\"y", NULL, "/x%22y/");
	base("/", "/a b/<c>", NULL, "/a%20b/%3Cc%3E/");
	base("/", "/ü", NULL, "/%C3%BC/");

	size_t len;
	char *html = spa_rewrite_index((const char *)index_html, sizeof(index_html) - 1, "/lxkns/",
				       &len);
	CHECK_STR(html, "<html><head><base href=\"/lxkns/\"></head></html>", "rewritten index");
	CHECK_INT(len, strlen(html ? html : ""), "rewritten length");
	free(html);
	html = spa_rewrite_index("<p>no base</p>", 14, "/x/", &len);
	CHECK_STR(html, "<p>no base</p>", "index without base: unchanged");
	free(html);
	CHECK(spa_find("index.html") == &spa_assets[1], "find index.html");
	CHECK(spa_find("assets/app-1234.js") == &spa_assets[0], "find an asset");
	CHECK(spa_find("nope") == NULL && spa_find("") == NULL, "unknown files");

	param("tasks", "off", 0);
	param("tasks", NULL, 0);
	param("tasks", "Yes", 0);
	param("tasks", "2", -1);
	param("types", "net,user", 0);
	param("types", "n,U", 0);
	param("types", "net,", -1);
	param("types", ",net", -1);
	param("types", "", -1);
	param("types", "nett", -1);
	param("containers", "off", 0);
	param("containers", "on", doc_have_containers() ? 0 : -1);
	param("unknown", "1", -1);
	param("mounts", "0", 0);
	param("task-affinity", "true", 0);

	struct lxkns_discover_opts o;
	char err[512];
	lxkns_discover_opts_init(&o);
	/* the error texts, built from the type and option tables, byte for byte */
	routes_apply_param(&o, "task", "1", err, sizeof(err));
	CHECK_STR(err,
		  "unknown query parameter 'task' (accepted: types, procs, tasks, fds, sockets, "
		  "bindmounts, hierarchy, ownership, usernames, pidmap, mounts, freezer, affinity, "
		  "task-affinity, containers)",
		  "unknown parameter: the accepted list");
	routes_apply_param(&o, "types", "nett", err, sizeof(err));
	CHECK_STR(
		err,
		"invalid types 'nett': comma-separated cgroup, ipc, mnt, net, pid, time, user, uts "
		"(or c, i, m, n, p, t, U, u)",
		"invalid types: names and letters");
	routes_apply_param(&o, "types", "pid,n", err, sizeof(err));
	routes_apply_param(&o, "fds", "off", err, sizeof(err));
	routes_apply_param(&o, "hierarchy", "0", err, sizeof(err));
	CHECK(o.type_mask == (LXKNS_NS_TYPE_BIT(LXKNS_NS_PID) | LXKNS_NS_TYPE_BIT(LXKNS_NS_NET)) &&
		      !o.from_fds && !o.with_hierarchy && o.from_tasks,
	      "parameters set exactly their options");

	doc_default_opts(DOC_PROCESSES, &o);
	CHECK(o.from_procs && o.from_tasks && o.with_affinity && !o.with_hierarchy &&
		      !o.with_ownership && !o.from_fds && !o.from_bindmounts && !o.with_freezer,
	      "process table defaults: Go's FromProcs + FromTasks + affinity");
	doc_default_opts(DOC_PIDMAP, &o);
	CHECK(o.type_mask == LXKNS_NS_TYPE_BIT(LXKNS_NS_PID) && o.from_tasks && o.with_nspids &&
		      o.with_hierarchy,
	      "PID map defaults: standard discovery + tasks, PID namespaces");
	doc_default_opts(DOC_NAMESPACES, &o);
	CHECK(o.with_task_affinity && o.with_mounts && o.from_tasks, "namespaces defaults: full");

	CHECK(routes_max_age_ms(NULL) == UINT64_MAX, "no Cache-Control");
	CHECK(routes_max_age_ms("no-cache") == 0, "no-cache");
	CHECK(routes_max_age_ms("max-age=0") == 0, "max-age=0");
	CHECK(routes_max_age_ms("public, max-age=30") == 30000, "max-age=30");
	CHECK(routes_max_age_ms("max-age=x") == UINT64_MAX, "bad max-age ignored");
	CHECK(routes_max_age_ms("No-Store") == 0, "no-store");

	char host[64], port[8];
	CHECK(http_split_addr("127.0.0.1:5010", host, sizeof(host), port, sizeof(port)) == 0 &&
		      !strcmp(host, "127.0.0.1") && !strcmp(port, "5010"),
	      "split 127.0.0.1:5010");
	CHECK(http_split_addr("[::1]:0", host, sizeof(host), port, sizeof(port)) == 0 &&
		      !strcmp(host, "::1") && !strcmp(port, "0"),
	      "split [::1]:0");
	CHECK(http_split_addr(":80", host, sizeof(host), port, sizeof(port)) == 0 && !host[0],
	      "split :80");
	CHECK(http_split_addr("localhost:http", host, sizeof(host), port, sizeof(port)) < 0 &&
		      http_split_addr("::1:80", host, sizeof(host), port, sizeof(port)) < 0 &&
		      http_split_addr("host", host, sizeof(host), port, sizeof(port)) < 0 &&
		      http_split_addr("h:65536", host, sizeof(host), port, sizeof(port)) < 0 &&
		      http_split_addr("h:", host, sizeof(host), port, sizeof(port)) < 0,
	      "bad addresses refused");

	/* the accept gate: what libmicrohttpd 0.9.75 would close without an
	 * answer is bad; what it answers itself (505, 414, 400) passes */
	line("GET / HTTP/1.1\r\n", false, GATE_PASS, NULL);
	line("GET /", false, GATE_PASS, NULL);
	line("\r\n\r\nGET  /x", false, GATE_PASS, NULL);
	line("BREW /pot HTCPCP/1.0\r\n", false, GATE_PASS, NULL);
	line("G", false, GATE_WAIT, NULL);
	line("GET", false, GATE_WAIT, NULL);
	line("GET ", false, GATE_WAIT, NULL);
	line("\r\n", false, GATE_WAIT, NULL);
	line("", false, GATE_WAIT, NULL);
	line("HELLO\r\n\r\n", false, GATE_BAD, "no request target");
	line("GET\r\n", false, GATE_BAD, "no request target");
	line("GET  \r\n", false, GATE_BAD, "no request target");
	line(" GET / HTTP/1.1\r\n", false, GATE_BAD, "a space before the method");
	line("\tGET / HTTP/1.1\r\n", false, GATE_BAD, "a space before the method");
	line("\x16\x03\x01\x02", false, GATE_BAD, "no method at its start");
	line("GET\t/ HTTP/1.1", false, GATE_BAD,
	     "a byte in the method that is not a token character");
	line("G(T / HTTP/1.1", false, GATE_BAD,
	     "a byte in the method that is not a token character");
	line("GET", true, GATE_BAD, "the request ends before its target");
	line("GET ", true, GATE_BAD, "no request target");
	line("GET /", true, GATE_PASS, NULL);
	{
		const char *why = NULL;
		char big[GATE_PEEK_MAX + 1];
		memset(big, 'A', sizeof(big));
		CHECK(gate_classify(big, GATE_PEEK_MAX, false, &why) == GATE_BAD && why &&
			      !strcmp(why, "a method too long"),
		      "a %d-byte method: bad", GATE_PEEK_MAX);
		memset(big, '\n', sizeof(big));
		CHECK(gate_classify(big, GATE_PEEK_MAX, false, &why) == GATE_BAD && why &&
			      !strcmp(why, "nothing but empty lines"),
		      "%d empty lines: bad", GATE_PEEK_MAX);
		CHECK(gate_classify("G\0T / HTTP/1.1", 14, false, &why) == GATE_BAD,
		      "a NUL in the method: bad");
	}
	struct conn_addr a4, a6, au;
	struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000002) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	in6.sin6_addr.s6_addr[10] = in6.sin6_addr.s6_addr[11] = 0xff;
	in6.sin6_addr.s6_addr[12] = 127;
	in6.sin6_addr.s6_addr[15] = 2;
	conn_addr_from((struct sockaddr *)&in4, &a4);
	conn_addr_from((struct sockaddr *)&in6, &a6);
	conn_addr_from((struct sockaddr *)&un, &au);
	CHECK(conn_addr_same(&a4, &a6), "127.0.0.2 and ::ffff:127.0.0.2 are one address");
	CHECK(!conn_addr_same(&au, &au), "unix clients have no address to limit");

	struct buf b = { 0 };
	buf_json_string(&b, "a\"b\\c\n<x>&\x01\xc3\xbc");
	CHECK_STR(b.data, "\"a\\\"b\\\\c\\n\\u003cx\\u003e\\u0026\\u0001\\ufffd\\ufffd\"",
		  "JSON escaping of messages");
	buf_free(&b);
	return tap_done();
}
