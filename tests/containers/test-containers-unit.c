/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of lib/containers/: the protobuf wire codec, the reply parsers
 * of every engine API (Docker/podman JSON, containerd and CRI protobuf, OCI
 * runtime state, /proc/PID/net/unix), dockershim names, the decorators and
 * engine stacking (ct_finish on synthetic engines), and the containers,
 * container-engines and container-groups parts of the wire format (read back
 * and written again byte for byte, labels with odd characters intact).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <lxkns/containers.h>
#include <lxkns/lxkns.h>

#include "cleanup.h"
#include "containers/containers-internal.h"
#include "json-dump.h"
#include "tap.h"

/* ---- helpers ---- */

/* The part of a compact document from key up to (not including) the next
 * top-level key given. */
static char *section(const char *doc, const char *from, const char *to)
{
	const char *a = doc ? strstr(doc, from) : NULL, *b = a ? strstr(a, to) : NULL;
	return a && b ? strndup(a, (size_t)(b - a)) : NULL;
}

#define U8(p) ((const uint8_t *)(p))

/* map entry {key=1, value=2} */
static void put_entry(struct buf *w, uint32_t field, const char *k, const char *v)
{
	struct buf e = { 0 };
	pb_put_string(&e, 1, k);
	pb_put_string(&e, 2, v);
	pb_put_bytes(w, field, e.data, e.len);
	buf_free(&e);
}

static void put_msg(struct buf *w, uint32_t field, struct buf *m)
{
	pb_put_bytes(w, field, m->data, m->len);
	buf_free(m);
}

/* ---- protobuf ---- */

static void test_pb(void)
{
	struct buf w = { 0 };
	struct pb_field f;
	struct pb_reader r;

	pb_put_varint(&w, 1, 0);
	pb_put_varint(&w, 2, 300);
	pb_put_varint(&w, 536870911, UINT64_MAX); /* highest field number, 10-byte varint */
	pb_put_string(&w, 3, "abc");
	pb_put_bytes(&w, 4, "", 0);
	CHECK(!w.oom && w.len > 0, "pb: writer");
	r = pb_reader_of(w.data, w.len);
	CHECK(pb_next(&r, &f) == 1 && f.num == 1 && f.wire == PB_VARINT && f.v == 0,
	      "pb: field 1 = 0");
	CHECK(pb_next(&r, &f) == 1 && f.num == 2 && f.v == 300, "pb: field 2 = 300");
	CHECK(pb_next(&r, &f) == 1 && f.num == 536870911 && f.v == UINT64_MAX,
	      "pb: highest field number, 64-bit varint");
	CHECK(pb_next(&r, &f) == 1 && f.num == 3 && f.wire == PB_LEN && f.len == 3 &&
		      memcmp(f.data, "abc", 3) == 0,
	      "pb: string");
	CHECK(pb_next(&r, &f) == 1 && f.num == 4 && f.len == 0, "pb: empty bytes");
	CHECK(pb_next(&r, &f) == 0, "pb: end");
	buf_free(&w);

	static const struct {
		const char *what;
		const char *bytes;
		size_t len;
		int want;
	} cases[] = {
		{ "truncated varint", "\x08\x80", 2, -EBADMSG },
		{ "11-byte varint", "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12,
		  -EBADMSG },
		{ "varint beyond 64 bits", "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11,
		  -EBADMSG },
		{ "field number 0", "\x00\x01", 2, -EBADMSG },
		{ "length beyond the end",
		  "\x1a\x05"
		  "ab",
		  4, -EBADMSG },
		{ "huge length", "\x1a\xff\xff\xff\xff\x0f", 6, -EBADMSG },
		{ "group start", "\x0b", 1, -EBADMSG },
		{ "wire type 7", "\x0f", 1, -EBADMSG },
		{ "truncated fixed64", "\x09\x01\x02", 3, -EBADMSG },
		{ "truncated fixed32", "\x0d\x01", 2, -EBADMSG },
		{ "fixed32", "\x0d\x01\x00\x00\x80", 5, 1 },
		{ "fixed64", "\x09\x01\x00\x00\x00\x00\x00\x00\x80", 9, 1 },
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		r = pb_reader_of(cases[i].bytes, cases[i].len);
		int got = pb_next(&r, &f);
		CHECK_INT(got, cases[i].want, cases[i].what);
	}
	r = pb_reader_of("\x0d\x01\x00\x00\x80", 5);
	pb_next(&r, &f);
	CHECK(f.v == 0x80000001u, "pb: fixed32 is little-endian");
	r = pb_reader_of(NULL, 0);
	CHECK(pb_next(&r, &f) == 0, "pb: empty message");
}

/* ---- containerd and CRI replies ---- */

static void test_containerd(void)
{
	struct arena a = { 0 };
	struct buf w = { 0 }, m = { 0 };
	const char *s = NULL;

	pb_put_string(&w, 1, "1.6.20~ds1");
	pb_put_string(&w, 2, "rev");
	CHECK(ct_parse_ctrd_version(U8(w.data), w.len, &a, &s) == 0 && strcmp(s, "1.6.20~ds1") == 0,
	      "containerd: version");
	buf_free(&w);

	/* namespaces: {name, labels} x 3, one nameless */
	pb_put_string(&m, 1, "default");
	put_entry(&m, 2, "k", "v");
	put_msg(&w, 1, &m);
	pb_put_string(&m, 2, "x");
	put_msg(&w, 1, &m);
	pb_put_string(&m, 1, "zoo ns");
	put_msg(&w, 1, &m);
	struct ct_strv nss = { 0 };
	CHECK(ct_parse_ctrd_namespaces(U8(w.data), w.len, &a, &nss) == 0 && nss.count == 2 &&
		      strcmp(nss.items[0], "default") == 0 && strcmp(nss.items[1], "zoo ns") == 0,
	      "containerd: namespaces (the nameless one skipped)");
	buf_free(&w);

	/* containers: id, labels (one with odd characters), unknown fields */
	pb_put_string(&m, 1, "c1");
	put_entry(&m, 2, "com.example", "a \"b\" <c> & d\n\xc3\xbc");
	put_entry(&m, 2, "nerdctl/name", "pretty");
	pb_put_string(&m, 3, "image");
	pb_put_varint(&m, 99, 7);
	put_msg(&w, 1, &m);
	pb_put_string(&m, 1, "c2");
	put_msg(&w, 1, &m);
	struct ct_list list = { 0 };
	CHECK(ct_parse_ctrd_containers(U8(w.data), w.len, &a, &list) == 0 && list.count == 2,
	      "containerd: containers");
	if (list.count == 2) {
		CHECK_STR(list.items[0]->id, "c1", "containerd: container id");
		CHECK_STR(ct_label_get(&list.items[0]->labels, "com.example"),
			  "a \"b\" <c> & d\n\xc3\xbc", "containerd: label with odd characters");
		CHECK_INT(list.items[1]->labels.count, 0, "containerd: no labels");
	}
	buf_free(&w);

	/* tasks: init tasks (id only, as Tasks/List has them), an exec'ed
	 * process, a stopped one */
	pb_put_string(&m, 2, "c1");
	pb_put_varint(&m, 3, 4242);
	pb_put_varint(&m, 4, CTRD_TASK_PAUSED);
	put_msg(&w, 1, &m);
	pb_put_string(&m, 1, "c2");
	pb_put_string(&m, 2, "exec1");
	pb_put_varint(&m, 3, 999);
	pb_put_varint(&m, 4, CTRD_TASK_RUNNING);
	put_msg(&w, 1, &m);
	pb_put_string(&m, 1, "c3");
	pb_put_varint(&m, 4, 77); /* unknown status */
	put_msg(&w, 1, &m);
	struct ct_tasks tasks = { 0 };
	CHECK(ct_parse_ctrd_tasks(U8(w.data), w.len, &a, &tasks) == 0 && tasks.count == 2,
	      "containerd: tasks (the exec'ed process skipped)");
	if (tasks.count == 2) {
		CHECK(strcmp(tasks.items[0].container_id, "c1") == 0 &&
			      tasks.items[0].pid == 4242 &&
			      tasks.items[0].status == CTRD_TASK_PAUSED,
		      "containerd: task c1 paused with PID 4242");
		CHECK(strcmp(tasks.items[1].container_id, "c3") == 0 &&
			      tasks.items[1].status == CTRD_TASK_UNKNOWN,
		      "containerd: unknown status");
	}
	buf_free(&w);

	char ns[16], topic[16];
	pb_put_string(&w, 2, "k8s.io");
	pb_put_string(&w, 3, "/tasks/start/and/a/very/long/topic");
	CHECK(ct_parse_ctrd_envelope(U8(w.data), w.len, ns, sizeof(ns), topic, sizeof(topic)) ==
			      0 &&
		      strcmp(ns, "k8s.io") == 0 && strncmp(topic, "/tasks/start/an", 15) == 0,
	      "containerd: event envelope (truncated topic)");
	buf_free(&w);
	CHECK(ct_parse_ctrd_tasks((const uint8_t *)"\x0a\x05\x12\x10", 4, &a, &tasks) == -EBADMSG,
	      "containerd: malformed tasks reply");
	arena_free(&a);
}

static void test_cri(void)
{
	struct arena a = { 0 };
	struct buf w = { 0 }, m = { 0 }, md = { 0 };
	const char *s = NULL;

	pb_put_string(&w, 1, "0.1.0");
	pb_put_string(&w, 2, "cri-o");
	pb_put_string(&w, 3, "1.28.0");
	pb_put_string(&w, 4, "v1");
	CHECK(ct_parse_cri_version(U8(w.data), w.len, &a, &s) == 0 &&
		      strcmp(s, "cri-o 1.28.0 [API v1]") == 0,
	      "cri: version string");
	buf_free(&w);

	/* sandboxes: one ready, one not ready */
	pb_put_string(&m, 1, "sb1");
	pb_put_string(&md, 1, "mypod");
	pb_put_string(&md, 2, "uid-1");
	pb_put_string(&md, 3, "myns");
	put_msg(&m, 2, &md);
	put_entry(&m, 5, "app", "web");
	put_entry(&m, 6, "note", "x");
	put_msg(&w, 1, &m);
	pb_put_string(&m, 1, "sb2");
	pb_put_varint(&m, 3, 1); /* NOTREADY */
	put_msg(&w, 1, &m);
	struct ct_list sbs = { 0 };
	CHECK(ct_parse_cri_sandboxes(U8(w.data), w.len, &a, &sbs) == 0 && sbs.count == 1,
	      "cri: ready sandboxes");
	if (sbs.count == 1) {
		struct lxkns_container *c = sbs.items[0];
		CHECK(strcmp(c->id, "sb1") == 0 && strcmp(c->name, "mypod") == 0, "cri: sandbox");
		CHECK_STR(ct_label_get(&c->labels, "io.kubernetes.pod.namespace"), "myns",
			  "cri: sandbox pod namespace label");
		CHECK_STR(ct_label_get(&c->labels, "io.kubernetes.pod.uid"), "uid-1",
			  "cri: sandbox pod uid label");
		CHECK_STR(ct_label_get(&c->labels, "io.kubernetes.sandbox"), "",
			  "cri: sandbox label");
		CHECK_STR(ct_label_get(&c->labels, "annotation.k8s/note"), "x",
			  "cri: annotations get a prefix");
		CHECK_STR(ct_label_get(&c->labels, "app"), "web", "cri: sandbox labels");
	}
	buf_free(&w);

	/* containers: running, exited */
	pb_put_string(&m, 1, "ct1");
	pb_put_string(&m, 2, "sb1");
	pb_put_string(&md, 1, "app");
	pb_put_varint(&md, 2, 3);
	put_msg(&m, 3, &md);
	pb_put_varint(&m, 6, 1);
	put_entry(&m, 8, "l", "1");
	put_msg(&w, 1, &m);
	pb_put_string(&m, 1, "ct2");
	pb_put_varint(&m, 6, 2);
	put_msg(&w, 1, &m);
	struct ct_list cts = { 0 };
	CHECK(ct_parse_cri_containers(U8(w.data), w.len, &a, &cts) == 0 && cts.count == 1,
	      "cri: running containers");
	if (cts.count == 1) {
		CHECK(strcmp(cts.items[0]->name, "app") == 0 &&
			      strcmp(cts.items[0]->pod, "sb1") == 0,
		      "cri: container name and sandbox");
		CHECK_STR(ct_label_get(&cts.items[0]->labels, "io.kubernetes.container.name"),
			  "app", "cri: container name label");
	}
	buf_free(&w);

	pid_t pid = 0;
	pb_put_bytes(&w, 1, "", 0);
	put_entry(&w, 2, "other", "{}");
	put_entry(&w, 2, "info", "{\"sandboxID\":\"sb1\",\"pid\":1234,\"runtimeSpec\":{}}");
	CHECK(ct_parse_cri_status_pid(U8(w.data), w.len, &pid) == 0 && pid == 1234,
	      "cri: PID from the verbose status");
	buf_free(&w);
	put_entry(&w, 2, "info", "{\"pid\":\"1234\"}");
	CHECK(ct_parse_cri_status_pid(U8(w.data), w.len, &pid) == -EBADMSG,
	      "cri: PID not a number");
	buf_free(&w);
	CHECK(ct_parse_cri_status_pid(NULL, 0, &pid) == -ENOENT, "cri: no info");
	arena_free(&a);
}

/* ---- JSON replies ---- */

static void test_json(void)
{
	struct arena a = { 0 };
	struct ct_list l = { 0 };
	static const char docker_list[] =
		"[{\"Id\":\"aaa\",\"Names\":[\"/zoo-web\"],\"State\":\"running\","
		"\"Labels\":{\"com.docker.compose.project\":\"zoo\",\"n\":1,\"e\":\"\\u00e9\\n\"}},"
		"{\"Id\":\"bbb\",\"Names\":[\"/p\"],\"State\":\"paused\",\"Labels\":null},"
		"{\"Id\":\"ccc\",\"Names\":[\"/x\"],\"State\":\"exited\"},"
		"{\"Names\":[\"/noid\"]},"
		"{\"Id\":\"ddd\",\"Pid\":77}]";
	CHECK(ct_parse_docker_list(docker_list, strlen(docker_list), &a, false, &l) == 0 &&
		      l.count == 3,
	      "docker list: running and paused ones");
	if (l.count == 3) {
		CHECK(strcmp(l.items[0]->name, "zoo-web") == 0 && !l.items[0]->paused,
		      "docker list: name without the slash");
		CHECK_STR(ct_label_get(&l.items[0]->labels, "e"), "\xc3\xa9\n",
			  "docker list: escaped label value");
		CHECK(ct_label_get(&l.items[0]->labels, "n") == NULL,
		      "docker list: non-string label skipped");
		CHECK(l.items[1]->paused, "docker list: paused");
		CHECK(strcmp(l.items[2]->name, "ddd") == 0 && l.items[2]->pid == 0,
		      "docker list: no name means the ID; no PID outside libpod");
	}
	static const char libpod_list[] =
		"[{\"Id\":\"p1\",\"Names\":[\"zoo-podman\"],\"State\":\"running\",\"Pid\":4321,"
		"\"PodName\":\"zoopod\",\"Labels\":{\"a\":\"b\"}}]";
	l = (struct ct_list){ 0 };
	CHECK(ct_parse_docker_list(libpod_list, strlen(libpod_list), &a, true, &l) == 0 &&
		      l.count == 1 && l.items[0]->pid == 4321 &&
		      strcmp(l.items[0]->pod, "zoopod") == 0,
	      "libpod list: PID and pod");
	l = (struct ct_list){ 0 };
	CHECK(ct_parse_docker_list("{\"message\":\"x\"}", 15, &a, false, &l) == -EBADMSG,
	      "docker list: not an array");
	CHECK(ct_parse_docker_list("[{\"Id\":", 7, &a, false, &l) == -EBADMSG,
	      "docker list: truncated");
	CHECK(ct_parse_docker_list(NULL, 0, &a, false, &l) == -EBADMSG, "docker list: nothing");

	pid_t pid = 0;
	bool paused = false, running = false;
	static const char inspect[] =
		"{\"State\":{\"Status\":\"paused\",\"Running\":true,\"Paused\":true,\"Pid\":555}}";
	CHECK(ct_parse_docker_inspect(inspect, strlen(inspect), &pid, &paused, &running) == 0 &&
		      pid == 555 && paused && running,
	      "docker inspect: PID, paused, running");
	CHECK(ct_parse_docker_inspect("{\"State\":{\"Pid\":-1}}", 20, &pid, &paused, &running) ==
		      -EBADMSG,
	      "docker inspect: negative PID");

	const char *s = NULL;
	CHECK(ct_parse_json_string("{\"Version\":\"20.10.24\"}", 22, "Version", &a, &s) == 0 &&
		      strcmp(s, "20.10.24") == 0,
	      "docker version");
	CHECK(ct_parse_json_string("{\"ID\":42}", 9, "ID", &a, &s) == 0 && strcmp(s, "") == 0,
	      "docker info: ID not a string");
	CHECK(ct_parse_json_string("[]", 2, "ID", &a, &s) == -EBADMSG,
	      "docker info: not an object");

	struct ct_docker_event ev;
	static const char event[] =
		"{\"status\":\"pause\",\"id\":\"abc\",\"Type\":\"container\",\"Action\":\"pause\","
		"\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"name\":\"x\"}}}";
	CHECK(ct_parse_docker_event(event, strlen(event), &ev) == 0 &&
		      strcmp(ev.type, "container") == 0 && strcmp(ev.action, "pause") == 0 &&
		      strcmp(ev.id, "abc") == 0,
	      "docker event");
	CHECK(ct_parse_docker_event("{\"status\":\"die\",\"id\":\"old\"}", 27, &ev) == 0 &&
		      strcmp(ev.action, "die") == 0 && strcmp(ev.id, "old") == 0,
	      "docker event, old style");

	const char *cs = NULL;
	static const char meta[] = "[{\"id\":\"x\"},{\"containerEnv\":{\"CODESPACES\":\"true\","
				   "\"RepositoryName\":\"my-space\"}}]";
	CHECK(ct_parse_devcontainer_metadata(meta, strlen(meta), &a, &cs) == 0 && cs &&
		      strcmp(cs, "my-space") == 0,
	      "devcontainer metadata: codespace");
	CHECK(ct_parse_devcontainer_metadata("{}", 2, &a, &cs) == -EBADMSG && !cs,
	      "devcontainer metadata: not an array");

	struct lxkns_container *c = ct_container_new(&a);
	static const char runc[] =
		"{\"id\":\"r1\",\"init_process_pid\":99,\"init_process_start\":1234,"
		"\"config\":{\"labels\":[\"bundle=/b\",\"k=v=w\",\"noequal\",\"=x\",\"e=\"]}}";
	CHECK(ct_parse_runc_state(runc, strlen(runc), &a, c) == 0 && c->pid == 99 &&
		      c->starttime == 1234 && strcmp(c->id, "r1") == 0 && c->labels.count == 2,
	      "runc state.json");
	CHECK_STR(ct_label_get(&c->labels, "k"), "v=w", "runc: annotation with '='");
	CHECK_STR(ct_label_get(&c->labels, "e"), "", "runc: empty annotation");
	c = ct_container_new(&a);
	CHECK(ct_parse_runc_state("{\"id\":\"r\"}", 10, &a, c) == -EBADMSG, "runc: no PID");
	const char *bundle = NULL;
	c = ct_container_new(&a);
	CHECK(ct_parse_crun_status("{\"pid\":12,\"bundle\":\"/b\"}", 24, &a, c, &bundle) == 0 &&
		      c->pid == 12 && bundle && strcmp(bundle, "/b") == 0,
	      "crun status");
	CHECK(ct_parse_oci_annotations("{\"annotations\":{\"a\":\"b\"}}", 25, &a, c) == 0 &&
		      c->labels.count == 1,
	      "OCI config annotations");
	arena_free(&a);
}

struct socks {
	int n;
	char paths[4][64];
	uint64_t inos[4];
};

static int on_sock(void *userdata, uint64_t ino, const char *path, size_t plen)
{
	struct socks *s = userdata;
	if (s->n < 4) {
		snprintf(s->paths[s->n], sizeof(s->paths[0]), "%.*s", (int)plen, path);
		s->inos[s->n++] = ino;
	}
	return 0;
}

static void test_netunix(void)
{
	static const char table[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 20731 /run/docker.sock\n"
		"0000000000000000: 00000003 00000000 00000000 0001 03 20732 /run/docker.sock\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 20733 @abstract\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 20734\n"
		"0000000000000000: 00000002 00000000 00010000 0005 01 20735 /run/a b.sock\n"
		"garbage line\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 99999999999999999999 /x\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 20736 /last";
	struct socks s = { 0 };
	CHECK(ct_parse_net_unix(table, strlen(table), on_sock, &s) == 0 && s.n == 3,
	      "net/unix: three listening sockets with paths");
	CHECK(s.inos[0] == 20731 && strcmp(s.paths[0], "/run/docker.sock") == 0,
	      "net/unix: /run/docker.sock");
	CHECK(strcmp(s.paths[1], "/run/a b.sock") == 0, "net/unix: a path with a space");
	CHECK(s.inos[2] == 20736 && strcmp(s.paths[2], "/last") == 0,
	      "net/unix: last line without a newline");
}

static void test_dockershim(void)
{
	struct ct_dockershim k;
	CHECK(ct_parse_dockershim_name("k8s_app_mypod_myns_1234-abcd_0", &k) == 0 &&
		      k.container_len == 3 && k.pod_len == 5 && k.ns_len == 4 && k.uid_len == 9,
	      "dockershim: container name");
	CHECK(ct_parse_dockershim_name("k8s_POD_mypod_myns_uid_0_extra", &k) == 0,
	      "dockershim: sandbox, 7 fields");
	CHECK(ct_parse_dockershim_name("k8s_App_mypod_myns_uid_0", &k) < 0,
	      "dockershim: not a DNS label");
	CHECK(ct_parse_dockershim_name("k8s_app_-pod_myns_uid_0", &k) < 0,
	      "dockershim: leading dash");
	CHECK(ct_parse_dockershim_name("k8s_app_pod_ns_uid", &k) < 0, "dockershim: 5 fields");
	CHECK(ct_parse_dockershim_name("k8s_a_b_c_d_e_f_g", &k) < 0, "dockershim: 8 fields");
	CHECK(ct_parse_dockershim_name("zoo_app_pod_ns_uid_0", &k) < 0, "dockershim: no k8s_");
	CHECK(ct_parse_dockershim_name("k8s_app_pod_ns_UID_0", &k) < 0, "dockershim: bad UID");
}

/* ---- decorators and stacking on synthetic engines ---- */

/* A process table: 100 dockerd; 200 shim -> 201 "outer" container init ->
 * 300 inner containerd; 400 shim -> 401 inner container; 210 shim -> 202;
 * 203, 204 reparented to PID 1; 500 podman. */
static const char procs_doc[] = "{\"namespaces\":{},\"processes\":{"
				"\"100\":{\"pid\":100,\"ppid\":1,\"name\":\"dockerd\"},"
				"\"200\":{\"pid\":200,\"ppid\":1,\"name\":\"containerd-shim\"},"
				"\"201\":{\"pid\":201,\"ppid\":200,\"name\":\"sh\"},"
				"\"202\":{\"pid\":202,\"ppid\":210,\"name\":\"sh\"},"
				"\"210\":{\"pid\":210,\"ppid\":1,\"name\":\"containerd-shim\"},"
				"\"203\":{\"pid\":203,\"ppid\":1,\"name\":\"sleep\"},"
				"\"204\":{\"pid\":204,\"ppid\":1,\"name\":\"sleep\"},"
				"\"300\":{\"pid\":300,\"ppid\":201,\"name\":\"containerd\"},"
				"\"400\":{\"pid\":400,\"ppid\":300,\"name\":\"containerd-shim\"},"
				"\"401\":{\"pid\":401,\"ppid\":400,\"name\":\"sleep\"},"
				"\"500\":{\"pid\":500,\"ppid\":1,\"name\":\"podman\"}}}";

static struct lxkns_container *mk(struct arena *a, struct lxkns_container_engine *e, const char *id,
				  const char *name, pid_t pid)
{
	struct lxkns_container *c = ct_container_new(a);
	c->id = id;
	c->name = name;
	c->pid = pid;
	ct_engine_add(a, e, c);
	return c;
}

static const struct lxkns_container_group *group_of(const struct lxkns_container *c,
						    const char *type)
{
	for (size_t i = 0; c && i < lxkns_container_group_count(c); i++)
		if (strcmp(lxkns_group_type(lxkns_container_group_at(c, i)), type) == 0)
			return lxkns_container_group_at(c, i);
	return NULL;
}

static void test_finish(void)
{
	struct lxkns_result *r = NULL;
	char err[512];
	char plugdir[] = "/tmp/lxkns-ct-plugin.XXXXXX";

	/* a Docker managed plugin's bundle directory with its socket */
	int sfd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	CHECK(mkdtemp(plugdir) && sfd >= 0, "finish: plugin directory");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/myplug.sock", plugdir);
	CHECK(bind(sfd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "finish: plugin socket");
	close(sfd);

	CHECK(lxkns_result_read_json(procs_doc, strlen(procs_doc), &r, err, sizeof(err)) == 0,
	      "finish: process table document: %s", err[0] ? err : "ok");
	if (!r)
		return;
	/* no engines at all (the usual case on a host without any) */
	CHECK(ct_finish(r, NULL, 0) == 0 && lxkns_result_engine_count(r) == 0 &&
		      lxkns_result_container_count(r) == 0 && lxkns_result_group_count(r) == 0,
	      "finish: no engines");
	struct arena *a = &r->arena;
	struct lxkns_container_engine *docker = ct_engine_new(a, LXKNS_ENGINE_DOCKER);
	struct lxkns_container_engine *inner = ct_engine_new(a, LXKNS_ENGINE_CONTAINERD);
	struct lxkns_container_engine *podman = ct_engine_new(a, LXKNS_ENGINE_PODMAN);
	struct lxkns_container_engine *runc = ct_engine_new(a, LXKNS_ENGINE_RUNC);
	docker->pid = 100;
	inner->pid = 300;
	podman->pid = 500;
	docker->api = "unix:///run/docker.sock";
	struct lxkns_container *outer = mk(a, docker, "o1", "outer", 201);
	struct lxkns_container *web = mk(a, docker, "w1", "web", 202);
	ct_label_set(a, &web->labels, "com.docker.compose.project", "zoo");
	struct lxkns_container *shim = mk(a, docker, "k1", "k8s_POD_mypod_myns_uid-1_0", 203);
	struct lxkns_container *dev = mk(a, docker, "d1", "dev", 204);
	ct_label_set(a, &dev->labels, "devcontainer.local_folder", "/home/me/project/");
	struct lxkns_container *in = mk(a, inner, "i1", "inner", 401);
	ct_label_set(a, &in->labels, "io.kubernetes.pod.name", "p");
	ct_label_set(a, &in->labels, "io.kubernetes.pod.namespace", "n");
	ct_label_set(a, &in->labels, "io.cri-containerd.kind", "sandbox");
	ct_label_set(a, &in->labels, "com.docker.compose.project", "zoo");
	struct lxkns_container_engine *plug = ct_engine_new(a, LXKNS_ENGINE_CONTAINERD);
	plug->api = "unix:///plug.sock"; /* PID 0: paths are ours */
	struct lxkns_container *plugin = mk(a, plug, "plug1", "plugins.moby/plug1", 700);
	ct_label_set(a, &plugin->labels, "com.docker/engine.bundle.path", plugdir);
	struct lxkns_container *pm = mk(a, podman, "pm1", "pm", 600);
	pm->pod = "zoopod";
	struct lxkns_container *dup = mk(a, runc, "r1", "dup-of-web", 202);
	struct lxkns_container *zero = mk(a, runc, "r0", "zero", 0);
	(void)dup;
	(void)zero;
	/* engines arrive in any order */
	struct lxkns_container_engine **engines = arena_alloc(a, 5 * sizeof(*engines));
	engines[0] = runc;
	engines[1] = podman;
	engines[2] = plug;
	engines[3] = inner;
	engines[4] = docker;
	CHECK(ct_finish(r, engines, 5) == 0, "finish: runs");

	CHECK_INT(lxkns_result_engine_count(r), 5, "finish: engines");
	CHECK(lxkns_result_engine_at(r, 0) == docker && lxkns_result_engine_at(r, 1) == inner &&
		      lxkns_result_engine_at(r, 2) == podman &&
		      lxkns_result_engine_at(r, 3) == runc && lxkns_result_engine_at(r, 4) == plug,
	      "finish: engines by PID, PID 0 last");
	CHECK_STR(lxkns_engine_label(inner, LXKNS_LABEL_ENGINE_ID), "2", "finish: engine id label");
	CHECK_STR(lxkns_engine_label(inner, LXKNS_LABEL_ENGINE_PARENT_ID), "1",
		  "finish: the inner engine's parent is Docker");
	CHECK(lxkns_engine_label(docker, LXKNS_LABEL_ENGINE_PARENT_ID) == NULL,
	      "finish: Docker has no parent");
	CHECK_STR(lxkns_container_label(in, LXKNS_LABEL_PREFIX), "outer",
		  "finish: inner container prefix");
	CHECK_STR(lxkns_container_label(web, LXKNS_LABEL_PREFIX), "", "finish: outer prefix empty");
	char buf[64];
	CHECK_STR(lxkns_container_display_name(in, buf, sizeof(buf)), "[outer]:inner",
		  "finish: display name");
	CHECK_INT(lxkns_result_container_count(r), 7,
		  "finish: containers (duplicate, PID 0 dropped)");
	CHECK(lxkns_result_container_by_pid(r, 202) == web, "finish: PID 202 stays with Docker");
	CHECK_INT(lxkns_engine_container_count(runc), 0, "finish: runc lost its duplicate");
	CHECK(lxkns_container_process(outer) &&
		      lxkns_process_pid(lxkns_container_process(outer)) == 201,
	      "finish: container -> process");
	CHECK(lxkns_process_container(lxkns_result_process_by_pid(r, 201)) == outer,
	      "finish: process -> container");
	CHECK(lxkns_container_process(pm) == NULL, "finish: no process for PID 600");

	const struct lxkns_container_group *g = group_of(web, LXKNS_GROUP_COMPOSE);
	CHECK(g && strcmp(lxkns_group_name(g), "zoo") == 0 && lxkns_group_container_count(g) == 1,
	      "finish: compose project group");
	CHECK(group_of(in, LXKNS_GROUP_COMPOSE) && group_of(in, LXKNS_GROUP_COMPOSE) != g,
	      "finish: same project on another engine is another group");
	g = group_of(shim, LXKNS_GROUP_K8S_POD);
	CHECK(g && strcmp(lxkns_group_name(g), "myns/mypod") == 0, "finish: dockershim pod");
	CHECK_STR(lxkns_container_label(shim, "io.kubernetes.sandbox"), "",
		  "finish: dockershim sandbox");
	CHECK_STR(lxkns_container_label(shim, "io.kubernetes.pod.uid"), "uid-1",
		  "finish: dockershim uid");
	g = group_of(in, LXKNS_GROUP_K8S_POD);
	CHECK(g && strcmp(lxkns_group_name(g), "n/p") == 0, "finish: pod from CRI labels");
	CHECK_STR(lxkns_container_label(in, "io.kubernetes.sandbox"), "",
		  "finish: containerd sandbox");
	g = group_of(pm, LXKNS_GROUP_PODMAN_POD);
	CHECK(g && strcmp(lxkns_group_name(g), "zoopod") == 0, "finish: podman pod");
	CHECK_STR(lxkns_container_label(dev, LXKNS_LABEL_DEVCONTAINER), "project",
		  "finish: devcontainer name");
	CHECK_STR(lxkns_container_name(plugin), "myplug",
		  "finish: Docker plugin named by its socket");
	CHECK_STR(lxkns_container_flavor(plugin), "plugin.docker.com",
		  "finish: Docker plugin flavor");
	CHECK_STR(lxkns_container_label(plugin, "plugin.docker.com/name"), "myplug",
		  "finish: Docker plugin name label");
	unlink(sa.sun_path);
	rmdir(plugdir);
	CHECK_INT(lxkns_result_group_count(r), 5, "finish: groups");
	for (size_t i = 1; i < lxkns_result_group_count(r); i++) {
		const struct lxkns_container_group *x = lxkns_result_group_at(r, i - 1),
						   *y = lxkns_result_group_at(r, i);
		int c = strcmp(lxkns_group_type(x), lxkns_group_type(y));
		CHECK(c < 0 || (c == 0 && strcmp(lxkns_group_name(x), lxkns_group_name(y)) <= 0),
		      "finish: groups in order %zu", i);
	}
	for (size_t i = 1; i < lxkns_container_label_count(in); i++)
		CHECK(strcmp(lxkns_container_label_key_at(in, i - 1),
			     lxkns_container_label_key_at(in, i)) < 0,
		      "finish: labels sorted %zu", i);

	/* the document: written, read back, written again: the same bytes */
	char *doc = json_dump(r, true).data, *again = NULL;
	struct lxkns_result *back = NULL;
	CHECK(doc && lxkns_result_read_json(doc, strlen(doc), &back, err, sizeof(err)) == 0,
	      "finish: the document reads back: %s", err[0] ? err : "ok");
	again = back ? json_dump(back, true).data : NULL;
	CHECK(doc && again && strcmp(doc, again) == 0, "finish: round trip byte for byte");
	if (back) {
		const struct lxkns_container *bin = lxkns_result_container_by_pid(back, 401);
		CHECK(bin && strcmp(lxkns_container_name(bin), "inner") == 0 &&
			      lxkns_container_engine(bin) &&
			      strcmp(lxkns_engine_type(lxkns_container_engine(bin)),
				     LXKNS_ENGINE_CONTAINERD) == 0 &&
			      lxkns_container_group_count(bin) == 2,
		      "finish: read back: container, engine, groups");
		CHECK(lxkns_process_container(lxkns_result_process_by_pid(back, 401)) == bin,
		      "finish: read back: process link");
	}
	free(doc);
	free(again);
	lxkns_result_unref(back);
	lxkns_result_unref(r);
}

/* ---- the wire format: exact bytes, odd characters, bad documents ---- */

static const char wire_doc[] =
	"{\"container-engines\":{\"1\":{\"containers\":[42],\"id\":\"e\\\"1\",\"type\":"
	"\"docker.com\",\"version\":\"20.10\",\"api\":\"unix:///run/docker.sock\",\"pid\":7,"
	"\"labels\":{\"turtlefinder/engine/id\":\"1\"}},\"3\":{\"containers\":[],\"id\":\"\","
	"\"type\":\"k8s.io/cri-api\",\"version\":\"\",\"api\":\"\",\"pid\":0,\"labels\":{}}},"
	"\"container-groups\":{\"2\":{\"containers\":[42],\"name\":\"z\\u003co\\u003e\",\"type\":"
	"\"com.docker.compose.project\",\"flavor\":\"com.docker.compose.project\",\"labels\":{}}},"
	"\"containers\":{\"42\":{\"engine\":1,\"groups\":[2],\"id\":\"abc\",\"name\":"
	"\"we\\\"ird \\u0026 n\xc3\xa4me\\n\",\"type\":\"docker.com\",\"flavor\":\"docker.com\","
	"\"pid\":42,\"paused\":true,\"labels\":{\"\":\"empty key\",\"a\\tb\":\"\\u2028\","
	"\"com.docker.compose.project\":\"z\\u003co\\u003e\",\"turtlefinder/container/prefix\":"
	"\"\"}}},\"cpus-online\":[],";

static void test_wire(void)
{
	char doc[4096], err[512];
	struct lxkns_result *r = NULL;

	snprintf(doc, sizeof(doc),
		 "%s\"discovery-options\":{},\"mounts\":{},\"namespaces\":{},\"processes\":{\"42\":"
		 "{\"pid\":42,\"ppid\":1,\"name\":\"sleep\"}}}",
		 wire_doc);
	CHECK(lxkns_result_read_json(doc, strlen(doc), &r, err, sizeof(err)) == 0,
	      "wire: reads: %s", err[0] ? err : "ok");
	if (r) {
		char *out = json_dump(r, true).data,
		     *part = section(out, "{\"container-engines\"", "\"cpus-online\"");
		CHECK(part && strncmp(part, wire_doc, strlen(part)) == 0 &&
			      strlen(part) + strlen("\"cpus-online\":[],") == strlen(wire_doc),
		      "wire: containers, engines and groups written back byte for byte");
		const struct lxkns_container *c = lxkns_result_container_by_pid(r, 42);
		CHECK(c && strcmp(lxkns_container_name(c), "we\"ird & n\xc3\xa4me\n") == 0,
		      "wire: odd name intact");
		CHECK(c && lxkns_container_paused(c), "wire: paused");
		CHECK(c && strcmp(lxkns_container_label(c, "a\tb"), "\xe2\x80\xa8") == 0,
		      "wire: odd label intact");
		CHECK(c && lxkns_process_container(lxkns_container_process(c)) == c,
		      "wire: process link");
		CHECK_INT(lxkns_result_engine_count(r), 2, "wire: engines, one without containers");
		free(part);
		free(out);
		lxkns_result_unref(r);
		r = NULL;
	}

	static const struct {
		const char *what, *containers;
	} bad[] = {
		{ "unknown engine", "\"containers\":{\"1\":{\"pid\":1,\"engine\":9}}" },
		{ "unknown group", "\"containers\":{\"1\":{\"pid\":1,\"groups\":[9]}}" },
		{ "key and pid differ", "\"containers\":{\"1\":{\"pid\":2}}" },
		{ "label not a string", "\"containers\":{\"1\":{\"pid\":1,\"labels\":{\"a\":1}}}" },
		{ "paused not a boolean", "\"containers\":{\"1\":{\"pid\":1,\"paused\":1}}" },
		{ "engine refid 0", "\"container-engines\":{\"0\":{}}" },
		{ "engine member unknown", "\"container-engines\":{\"1\":{\"containers\":[5]}}" },
		{ "containers not an object", "\"containers\":[]" },
		{ "name not a string", "\"containers\":{\"1\":{\"pid\":1,\"name\":[]}}" },
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		snprintf(doc, sizeof(doc), "{%s,\"namespaces\":{},\"processes\":{}}",
			 bad[i].containers);
		int ret = lxkns_result_read_json(doc, strlen(doc), &r, err, sizeof(err));
		CHECK(ret == -EBADMSG && err[0], "wire: rejects %s: %s", bad[i].what,
		      err[0] ? err : "-");
	}
}

/* The table of engines: every entry complete, names (process names) and
 * engine types unique, and found again by type. */
static void test_engine_table(void)
{
	bool complete = true, unique = true, by_type = true;

	for (size_t k = 0; k < _CT_KIND_MAX; k++) {
		const struct ct_engine_ops *e = ct_engines[k];
		complete = complete && e && e->name && *e->name && e->type && *e->type &&
			   e->socket && *e->socket && e->query;
		if (!complete)
			break;
		by_type = by_type && ct_engine_ops_of_type(e->type) == e;
		for (size_t x = 0; x < k; x++)
			unique = unique && strcmp(ct_engines[x]->name, e->name) != 0 &&
				 strcmp(ct_engines[x]->type, e->type) != 0;
	}
	CHECK(complete, "engine table: every entry has a name, type, socket and query");
	CHECK(unique, "engine table: process names and engine types are unique");
	CHECK(by_type, "engine table: every engine found by its type");
	CHECK(ct_engine_ops_of_type(LXKNS_ENGINE_RUNC) == NULL, "engine table: runc has no ops");
}

int main(void)
{
	test_engine_table();
	test_pb();
	test_containerd();
	test_cri();
	test_json();
	test_netunix();
	test_dockershim();
	test_finish();
	test_wire();
	return tap_done();
}
