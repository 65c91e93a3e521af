/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containers-internal.h: the container model (containers, engines, groups)
 * and the pieces of lib/containers/: the HTTP/gRPC transport (http.c), the
 * protobuf wire codec (pb.c), the pure reply parsers of every engine API
 * (parse-*.c, each with a fuzz target), the engine clients (docker.c,
 * containerd.c, cri.c: each defines its struct ct_engine_ops; ocistate.c),
 * the table of engines and engine discovery in the process table
 * (engines.c), the decorators (decorate.c), the discovery step
 * (containers.c) and the event-synced watcher (watcher.c).
 *
 * Objects are allocated in arenas: a client fills its own arena (clients run
 * in parallel threads), which the step merges into the result's.
 */
#ifndef LXKNS_CONTAINERS_INTERNAL_H
#define LXKNS_CONTAINERS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "bytebuf.h"
#include "lxkns-internal.h"
#include "lxkns/containers.h"

/* ---- the model ---- */

struct ct_label {
	const char *key, *value;
};

/* Labels: an arena-backed array; sorted by key once finalised. */
struct ct_labels {
	struct ct_label *items;
	size_t count, cap;
};

struct lxkns_container {
	const char *id, *name, *type, *flavor;
	pid_t pid; /* the engine's view until translated */
	bool paused;
	struct ct_labels labels;
	struct lxkns_container_engine *engine;
	struct lxkns_container_group **groups;
	size_t group_count, group_cap;
	struct lxkns_process *process;

	/* query time only */
	const char *pod;    /* podman pod name, "" for none */
	uint64_t starttime; /* OCI state: init start time (clock ticks), 0 = unknown */
	bool dropped;
};

struct lxkns_container_engine {
	const char *id, *type, *version, *api;
	pid_t pid;
	struct ct_labels labels;
	struct lxkns_container **containers;
	size_t container_count, container_cap;
	unsigned refid; /* 1-based; the JSON key */

	/* discovery time only */
	int rank;	      /* order of engines of one process */
	const char *encloser; /* name of the container the engine runs in, or NULL */
	struct lxkns_container_engine *encloser_engine;
	const char *prefix;
};

struct lxkns_container_group {
	const char *name, *type, *flavor;
	struct ct_labels labels;
	struct lxkns_container **containers;
	size_t container_count, container_cap;
	unsigned refid;				     /* 1-based; the JSON key */
	const struct lxkns_container_engine *engine; /* decoration time */
};

/* Labels. set replaces an existing key; the strings are copied. 0 or -ENOMEM. */
HIDDEN int ct_label_set(struct arena *a, struct ct_labels *l, const char *key, const char *value);
HIDDEN int ct_label_setn(struct arena *a, struct ct_labels *l, const char *key, size_t klen,
			 const char *value, size_t vlen);
HIDDEN const char *ct_label_get(const struct ct_labels *l, const char *key);
HIDDEN void ct_labels_sort(struct ct_labels *l);
/* Appends to an arena-backed pointer array. 0 or -ENOMEM. */
HIDDEN int ct_push(struct arena *a, void ***items, size_t *count, size_t *cap, void *item);
HIDDEN struct lxkns_container *ct_container_new(struct arena *a);
HIDDEN struct lxkns_container_engine *ct_engine_new(struct arena *a, const char *type);
HIDDEN int ct_engine_add(struct arena *a, struct lxkns_container_engine *e,
			 struct lxkns_container *c);
HIDDEN int ct_group_add(struct arena *a, struct lxkns_container_group *g,
			struct lxkns_container *c);

/* Milliseconds on the monotonic clock. */
HIDDEN int64_t ct_now_ms(void);

/* ---- transport (http.c) ---- */

/* Replies and files are read into the common growable buffer
 * (common/bytebuf.h), capped at CT_MAX_REPLY. */
#define CT_MAX_REPLY (64 * 1024 * 1024)
/* Reads a whole file (at most max bytes, -EFBIG beyond) into b, NUL-terminated. */
HIDDEN int ct_read_file_at(int dirfd, const char *path, size_t max, struct buf *b);

/* The sonames of libcurl, tried in this order: libcurl.so.4 (OpenSSL), then
 * libcurl-gnutls.so.4 (GnuTLS); NULL-terminated. */
HIDDEN extern const char *const ct_curl_sonames[];
/* Loads the first of names (NULL-terminated, dlopen(3) names or paths) that
 * opens and has every function the transport calls, into the transport's
 * table; *handle (if not NULL) gets its dlopen handle. Returns its index, or
 * -ELIBACC when none does. The transport calls it once, on first use, with
 * ct_curl_sonames; tests call it with their own stubs. */
HIDDEN int ct_curl_load(const char *const names[], void **handle);

/* One HTTP/1.1 client over a unix socket; the connection is reused. */
struct ct_http;
HIDDEN struct ct_http *ct_http_new(const char *sockpath);
HIDDEN void ct_http_free(struct ct_http *h);
/* GET path; the whole exchange must end by deadline (ct_now_ms() based).
 * Returns the HTTP status, or -errno (-ETIMEDOUT, -ECONNREFUSED,
 * -EBADMSG for a reply that is not HTTP) with a message in err. */
HIDDEN int ct_http_get(struct ct_http *h, const char *path, int64_t deadline, struct buf *body,
		       char *err, size_t errsize);
/* A header of the last reply (into buf), or NULL. */
HIDDEN const char *ct_http_header(struct ct_http *h, const char *name, char *buf, size_t size);
/* GETs several paths at once (up to 8 connections); statuses[i] and
 * bodies[i] as ct_http_get. Returns 0 or the first transport error. */
HIDDEN int ct_http_get_many(const char *sockpath, const char *const *paths, size_t n,
			    int64_t deadline, int *statuses, struct buf *bodies, char *err,
			    size_t errsize);

/* Stops a stream from another thread (the watcher's shutdown). */
struct ct_stopper {
	pthread_mutex_t lock;
	bool stop;
	void *multi; /* the CURLM of the running stream, to wake it up */
};
HIDDEN void ct_stopper_init(struct ct_stopper *s);
HIDDEN void ct_stopper_stop(struct ct_stopper *s);
HIDDEN void ct_stopper_destroy(struct ct_stopper *s);

/* Streams GET path: calls fn for every chunk until it returns non-zero, the
 * peer closes, the stopper stops it or an error happens (no overall
 * deadline; the reply headers must arrive by first_deadline, and fn is
 * called with len 0 once they did). Returns 0 when stopped by fn or the
 * stopper, else -errno. */
HIDDEN int ct_http_stream(const char *sockpath, const char *path, int64_t first_deadline,
			  int (*fn)(void *userdata, const char *data, size_t len), void *userdata,
			  struct ct_stopper *stop, char *err, size_t errsize);

/* One unary gRPC call over HTTP/2 (prior knowledge, h2c) on a unix socket:
 * method "/pkg.Service/Method", the request message (without the 5-byte
 * frame), optional containerd namespace header. The reply message goes into
 * reply (frame stripped). Returns 0, -EPROTO for a non-zero grpc-status
 * (message in err, code in *ret_status if given), or -errno. */
HIDDEN int ct_grpc_call(const char *sockpath, const char *method, const char *ns, const void *req,
			size_t reqlen, int64_t deadline, struct buf *reply, int *ret_status,
			char *err, size_t errsize);
/* A server-streaming gRPC call: fn gets every reply message (and len 0,
 * msg NULL once the reply headers arrived). */
HIDDEN int ct_grpc_stream(const char *sockpath, const char *method, const void *req, size_t reqlen,
			  int64_t first_deadline,
			  int (*fn)(void *userdata, const uint8_t *msg, size_t len), void *userdata,
			  struct ct_stopper *stop, char *err, size_t errsize);

/* ---- protobuf wire format (pb.c) ---- */

enum { PB_VARINT = 0, PB_I64 = 1, PB_LEN = 2, PB_I32 = 5 };

struct pb_reader {
	const uint8_t *p, *end;
};
struct pb_field {
	uint32_t num;
	int wire;
	uint64_t v;	     /* varint, i32, i64 */
	const uint8_t *data; /* PB_LEN */
	size_t len;
};
/* 1 and the next field, 0 at the end, -EBADMSG on malformed input. */
HIDDEN int pb_next(struct pb_reader *r, struct pb_field *f);
HIDDEN struct pb_reader pb_reader_of(const void *data, size_t len);

/* Protobuf is written into a struct buf (common/bytebuf.h): check oom once
 * at the end. */
HIDDEN void pb_put_varint(struct buf *w, uint32_t field, uint64_t v);
HIDDEN void pb_put_bytes(struct buf *w, uint32_t field, const void *data, size_t len);
HIDDEN void pb_put_string(struct buf *w, uint32_t field, const char *s);

/* ---- reply parsers (parse-json.c (also OCI runtime state), parse-pb.c,
 * parse-netunix.c): pure, bounded, fuzzed. Objects go into the arena. ---- */

/* Docker / podman (Docker-compatible) GET /containers/json. libpod GET
 * /libpod/containers/json also gives Pid and PodName. */
struct ct_list {
	struct lxkns_container **items;
	size_t count, cap;
};
HIDDEN int ct_parse_docker_list(const char *buf, size_t len, struct arena *a, bool libpod,
				struct ct_list *out);
/* GET /containers/ID/json: State.Pid, State.Paused, State.Running. */
HIDDEN int ct_parse_docker_inspect(const char *buf, size_t len, pid_t *ret_pid, bool *ret_paused,
				   bool *ret_running);
/* GET /version ("Version") or /info ("ID"): the string value of key. */
HIDDEN int ct_parse_json_string(const char *buf, size_t len, const char *key, struct arena *a,
				const char **ret);
/* One line of GET /events: Type, Action and the container ID. */
struct ct_docker_event {
	char type[16], action[24];
	char id[80];
};
HIDDEN int ct_parse_docker_event(const char *buf, size_t len, struct ct_docker_event *ev);
/* devcontainer.metadata: the codespace name, or NULL. */
HIDDEN int ct_parse_devcontainer_metadata(const char *buf, size_t len, struct arena *a,
					  const char **ret_codespace);

/* containerd */
HIDDEN int ct_parse_ctrd_version(const uint8_t *msg, size_t len, struct arena *a,
				 const char **ret_version);
HIDDEN int ct_parse_ctrd_server(const uint8_t *msg, size_t len, struct arena *a,
				const char **ret_uuid);
struct ct_strv {
	const char **items;
	size_t count, cap;
};
HIDDEN int ct_parse_ctrd_namespaces(const uint8_t *msg, size_t len, struct arena *a,
				    struct ct_strv *out);
/* Containers/List: id and labels of every container. */
HIDDEN int ct_parse_ctrd_containers(const uint8_t *msg, size_t len, struct arena *a,
				    struct ct_list *out);
/* Tasks/List: the init process of every container (id == container_id). */
enum {
	CTRD_TASK_UNKNOWN,
	CTRD_TASK_CREATED,
	CTRD_TASK_RUNNING,
	CTRD_TASK_STOPPED,
	CTRD_TASK_PAUSED,
	CTRD_TASK_PAUSING
};
struct ct_task {
	const char *container_id;
	pid_t pid;
	int status;
};
struct ct_tasks {
	struct ct_task *items;
	size_t count, cap;
};
HIDDEN int ct_parse_ctrd_tasks(const uint8_t *msg, size_t len, struct arena *a,
			       struct ct_tasks *out);
/* events.v1 Envelope: namespace and topic. */
HIDDEN int ct_parse_ctrd_envelope(const uint8_t *msg, size_t len, char *ns, size_t nssize,
				  char *topic, size_t topicsize);

/* CRI runtime.v1 */
HIDDEN int ct_parse_cri_version(const uint8_t *msg, size_t len, struct arena *a,
				const char **ret_version);
/* ListPodSandbox: READY sandboxes as containers (name = pod name) with the
 * pod labels; ListContainers: RUNNING containers with their sandbox ID in
 * the label "io.kubernetes.sandbox.id" until resolved. */
HIDDEN int ct_parse_cri_sandboxes(const uint8_t *msg, size_t len, struct arena *a,
				  struct ct_list *out);
HIDDEN int ct_parse_cri_containers(const uint8_t *msg, size_t len, struct arena *a,
				   struct ct_list *out);
/* ContainerStatus/PodSandboxStatus (verbose): the "pid" in info["info"]. */
HIDDEN int ct_parse_cri_status_pid(const uint8_t *msg, size_t len, pid_t *ret_pid);

/* OCI runtime state: runc state.json, crun status, an OCI config.json. */
HIDDEN int ct_parse_runc_state(const char *buf, size_t len, struct arena *a,
			       struct lxkns_container *c);
HIDDEN int ct_parse_crun_status(const char *buf, size_t len, struct arena *a,
				struct lxkns_container *c, const char **ret_bundle);
HIDDEN int ct_parse_oci_annotations(const char *buf, size_t len, struct arena *a,
				    struct lxkns_container *c);

/* /proc/PID/net/unix: calls fn for every listening socket with a path. */
HIDDEN int ct_parse_net_unix(const char *buf, size_t len,
			     int (*fn)(void *userdata, uint64_t ino, const char *path, size_t plen),
			     void *userdata);

/* ---- engine clients ---- */

/* What a client needs to know and reports back; runs in its own thread. */
struct ct_query {
	const char *sockpath; /* to connect to */
	const char *api;      /* "unix://..." as reported */
	pid_t engine_pid;     /* in the discovery's view */
	int64_t deadline;
	struct arena *arena;
	/* out: the engines that answered (containerd and its CRI plugin) */
	struct lxkns_container_engine *engines[2];
	size_t engine_count;
	char err[256];
};

/* What an engine's event stream asks the watcher for. */
struct ct_event_sink {
	void *userdata;
	void (*resync)(void *userdata);			 /* list everything again */
	void (*refresh)(void *userdata, const char *id); /* one container changed */
};

/* The engine-specific decorators (decorate.c) an engine's containers get;
 * compose projects, Industrial Edge and devcontainers apply to all. */
enum {
	CT_DECO_K8S_LABELS = 1 << 0, /* pods from the CRI pod labels */
	CT_DECO_DOCKERSHIM = 1 << 1, /* pods from k8s_<c>_<pod>_<ns>_<uid>_<n> names */
	CT_DECO_PODMAN_PODS = 1 << 2,
	CT_DECO_DOCKER_PLUGINS = 1 << 3, /* containerd namespace plugins.moby */
};

/* An engine that is a process serving an API on a unix socket: everything
 * the shared code (engines.c, containers.c, watcher.c, decorate.c) knows
 * of it. Each client file defines its own (docker.c: ct_engine_docker and
 * ct_engine_podman, containerd.c, cri.c). */
struct ct_engine_ops {
	const char *name;    /* its process name (comm), also in diagnostics */
	const char *type;    /* LXKNS_ENGINE_*: the type of the engine it reports */
	const char *socket;  /* basename of its usual API socket, tried first */
	unsigned decorators; /* CT_DECO_* */
	/* Asks the engine at q->sockpath: 0 and q->engines, or -errno with
	 * q->err (also with engines: one of them answered, another not). */
	int (*query)(struct ct_query *q);
	/* The watcher: holds the event stream open and tells sink what
	 * happened, until it breaks (-errno) or stop stops it (0); the reply
	 * headers must arrive by first_deadline. NULL: no event stream, the
	 * watcher polls. */
	int (*watch)(const char *sockpath, int64_t first_deadline, const struct ct_event_sink *sink,
		     struct ct_stopper *stop, char *err, size_t errsize);
	/* The watcher: one container after an event (sink->refresh), or NULL
	 * when it is gone. NULL: every event resyncs. */
	struct lxkns_container *(*inspect)(struct ct_query *q, const char *id);
};

/* The table of engines, one line each: kind and the ops its client file
 * defines. Adding an engine: its client file, a line here, the file in
 * lib/meson.build. */
#define CT_ENGINES(X)                                                                              \
	X(CT_DOCKER, ct_engine_docker)                                                             \
	X(CT_PODMAN, ct_engine_podman)                                                             \
	X(CT_CONTAINERD, ct_engine_containerd)                                                     \
	X(CT_CRI, ct_engine_cri)

#define CT_ENGINE_KIND(kind, ops) kind,
enum ct_kind { CT_ENGINES(CT_ENGINE_KIND) _CT_KIND_MAX };
#undef CT_ENGINE_KIND
#define CT_ENGINE_DECLARE(kind, ops) HIDDEN extern const struct ct_engine_ops ops;
CT_ENGINES(CT_ENGINE_DECLARE)
#undef CT_ENGINE_DECLARE
/* By kind (engines.c). */
HIDDEN extern const struct ct_engine_ops *const ct_engines[_CT_KIND_MAX];
/* The ops of the engines of a type (LXKNS_ENGINE_*), or NULL (runc, crun). */
HIDDEN const struct ct_engine_ops *ct_engine_ops_of_type(const char *type);

/* OCI runtime state directories below root (e.g. "/run/runc"): containers
 * whose init process is alive; NULL engine when the directory is missing. */
HIDDEN int ct_scan_runc(struct lxkns_result *r, struct arena *a, const char *root,
			struct lxkns_container_engine **ret);
HIDDEN int ct_scan_crun(struct lxkns_result *r, struct arena *a, const char *root,
			struct lxkns_container_engine **ret);

/* Asks one engine process, trying its sockets best first: up to two
 * engines (containerd with its CRI plugin) into engines[]. Returns 0, or the
 * first error (with a message; also when containerd's CRI answered but its
 * native API did not); *ret_chosen is the socket that answered (or the
 * first one that failed). */
HIDDEN int ct_probe(enum ct_kind kind, pid_t pid, char *const *sockets, char *const *apis, size_t n,
		    int64_t deadline, struct arena *a, struct lxkns_container_engine **engines,
		    size_t *ret_count, int *ret_chosen, char *err, size_t errsize);

/* ---- engine discovery in the process table (engines.c) ---- */

struct ct_candidate {
	enum ct_kind kind;
	const struct lxkns_process *proc;
	char **sockets; /* API socket paths to try, best first (malloc'ed) */
	size_t socket_count;
	char **apis; /* the same as "unix://..." */
};
struct ct_candidates {
	struct ct_candidate *items;
	size_t count;
};
/* Finds engine processes and their listening unix sockets. self_mntns: the
 * mount namespace of the caller (paths in others go through
 * /proc/PID/root). Engines known() says the caller knows already are
 * listed without sockets (no fds or socket tables read). */
HIDDEN int ct_find_engines(struct lxkns_result *r, int procfd, uint64_t self_mntns,
			   bool (*known)(void *userdata, const struct lxkns_process *p,
					 enum ct_kind kind),
			   void *userdata, struct ct_candidates *out);
HIDDEN void ct_candidates_free(struct ct_candidates *c);

/* ---- the step (containers.c), decorators (decorate.c) ---- */

/* Runs after the PID map is built: fills r->containers, engines, groups. */
HIDDEN int containers_discover(struct lxkns_result *r, int procfd, uint64_t self_mntns,
			       const struct lxkns_discover_opts *opts);
/* Translates PIDs, stacks engines, decorates, links and finalises the
 * engines (and their containers) into r; engines are in r's arena. */
HIDDEN int ct_finish(struct lxkns_result *r, struct lxkns_container_engine **engines, size_t n);
struct ct_ptrs {
	void **items;
	size_t count, cap;
};
HIDDEN int ct_decorate(struct lxkns_result *r, struct arena *a,
		       struct lxkns_container_engine **engines, size_t n,
		       struct ct_ptrs *groups_out);
/* k8s_<container>_<pod>_<namespace>_<uid>_<attempt>: 0 and the fields. */
struct ct_dockershim {
	const char *container, *pod, *ns, *uid;
	size_t container_len, pod_len, ns_len, uid_len;
};
HIDDEN int ct_parse_dockershim_name(const char *name, struct ct_dockershim *ret);

/* ---- the watcher (watcher.c) ---- */

/* Whether the watcher watches this engine process already. */
HIDDEN bool ct_watcher_knows(void *watcher, const struct lxkns_process *p, enum ct_kind kind);
/* Engines from the watcher, for the candidates of this discovery: copies
 * into the arena. */
HIDDEN int ct_watcher_snapshot(struct lxkns_container_watcher *w, struct lxkns_result *r,
			       const struct ct_candidates *cands, unsigned timeout_ms,
			       struct arena *a, struct lxkns_container_engine ***ret,
			       size_t *ret_count);
/* Deep copies into another arena (a container's engine and groups stay
 * unset). */
HIDDEN struct lxkns_container_engine *ct_engine_copy(struct arena *a,
						     const struct lxkns_container_engine *e);
HIDDEN struct lxkns_container *ct_container_copy(struct arena *a, const struct lxkns_container *c);

#endif
