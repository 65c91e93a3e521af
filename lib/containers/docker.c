/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker.c: the Docker Engine API client (dockerd, and podman's API service
 * through its libpod API, or its Docker-compatible one when libpod is not
 * there). Docker's container list has no PIDs, so every container is
 * inspected too; the inspections run in parallel over up to 8 connections.
 * podman's libpod list has the PIDs (and pod names) in one call. For the
 * watcher: the event stream (GET /events) and single containers after an
 * event. Both engines' ops (ct_engine_docker, ct_engine_podman) are here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containers-internal.h"

static int fail(struct ct_query *q, int err, const char *what, const char *msg)
{
	snprintf(q->err, sizeof(q->err), "%s: %s", what, msg && *msg ? msg : strerror(-err));
	return err;
}

/* GET path expecting 200 and JSON. */
static int get_json(struct ct_query *q, struct ct_http *h, const char *path, struct buf *body)
{
	char err[200] = "";
	int status = ct_http_get(h, path, q->deadline, body, err, sizeof(err));
	if (status < 0)
		return fail(q, status, path, err);
	if (status != 200) {
		snprintf(q->err, sizeof(q->err), "%s: HTTP status %d", path, status);
		return status == 404 ? -ENOENT : -EBADMSG;
	}
	return 0;
}

/* PIDs and paused states of the containers, by inspecting each one. */
static int inspect_all(struct ct_query *q, struct ct_list *list)
{
	size_t n = list->count;
	char **paths = calloc(n ? n : 1, sizeof(char *));
	int *statuses = calloc(n ? n : 1, sizeof(int));
	struct buf *bodies = calloc(n ? n : 1, sizeof(struct buf));
	char err[200] = "";
	int ret = 0;

	if (!paths || !statuses || !bodies) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (asprintf(&paths[i], "/containers/%s/json", list->items[i]->id) < 0) {
			paths[i] = NULL;
			ret = -ENOMEM;
			goto out;
		}
	ret = ct_http_get_many(q->sockpath, (const char *const *)paths, n, q->deadline, statuses,
			       bodies, err, sizeof(err));
	if (ret < 0) {
		fail(q, ret, "inspecting containers", err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct lxkns_container *c = list->items[i];
		bool paused = false, running = false;
		pid_t pid = 0;
		/* 404: gone meanwhile */
		if (statuses[i] != 200 ||
		    ct_parse_docker_inspect(bodies[i].data, bodies[i].len, &pid, &paused,
					    &running) < 0 ||
		    !running || pid <= 0) {
			c->dropped = true;
			continue;
		}
		c->pid = pid;
		c->paused = paused;
	}
out:
	for (size_t i = 0; i < n; i++) {
		if (paths)
			free(paths[i]);
		if (bodies)
			buf_free(&bodies[i]);
	}
	free(paths);
	free(statuses);
	free(bodies);
	return ret;
}

/* dockerd: version, daemon ID and the container list in parallel. */
static int docker_basics(struct ct_query *q, struct lxkns_container_engine *e, struct buf *list)
{
	static const char *const paths[] = { "/version", "/info", "/containers/json" };
	struct buf bodies[3] = { 0 };
	int statuses[3];
	char err[200] = "";
	int ret = ct_http_get_many(q->sockpath, paths, 3, q->deadline, statuses, bodies, err,
				   sizeof(err));
	if (ret < 0) {
		fail(q, ret, "Docker API", err);
		goto out;
	}
	for (int i = 0; i < 3; i++)
		if (statuses[i] != 200) {
			snprintf(q->err, sizeof(q->err), "%s: HTTP status %d", paths[i],
				 statuses[i]);
			ret = -EBADMSG;
			goto out;
		}
	if ((ret = ct_parse_json_string(bodies[0].data, bodies[0].len, "Version", q->arena,
					&e->version)) < 0) {
		fail(q, ret, "/version", "not a Docker API reply");
		goto out;
	}
	if ((ret = ct_parse_json_string(bodies[1].data, bodies[1].len, "ID", q->arena, &e->id)) <
	    0) {
		fail(q, ret, "/info", "not a Docker API reply");
		goto out;
	}
	*list = bodies[2];
	bodies[2] = (struct buf){ 0 };
out:
	for (int i = 0; i < 3; i++)
		buf_free(&bodies[i]);
	return ret;
}

/* podman: its /version and /info take half a second each (it asks its OCI
 * runtime and storage): the version comes from the _ping headers instead,
 * and there is no engine ID. libpod's list has the PIDs. */
static int podman_basics(struct ct_query *q, struct lxkns_container_engine *e, struct buf *list,
			 bool *ret_libpod)
{
	struct ct_http *h = ct_http_new(q->sockpath);
	char version[64];
	int ret;

	*ret_libpod = false;
	if (!h)
		return -ENOMEM;
	if ((ret = get_json(q, h, "/_ping", list)) < 0)
		goto out;
	if (list->len < 2 || memcmp(list->data, "OK", 2) != 0) {
		ret = fail(q, -EBADMSG, "/_ping", "not the Docker API");
		goto out;
	}
	if (ct_http_header(h, "Libpod-Api-Version", version, sizeof(version)) &&
	    !(e->version = arena_strdup(q->arena, version))) {
		ret = -ENOMEM;
		goto out;
	}
	ret = get_json(q, h, "/v4.0.0/libpod/containers/json", list);
	if (ret == 0) {
		*ret_libpod = true;
	} else if (ret == -ENOENT) { /* no libpod API: the Docker-compatible one */
		q->err[0] = 0;
		ret = get_json(q, h, "/containers/json", list);
	}
out:
	ct_http_free(h);
	return ret;
}

static int query(struct ct_query *q, bool podman)
{
	struct buf body = { 0 };
	struct ct_list list = { 0 };
	struct lxkns_container_engine *e;
	bool libpod = false;
	int ret;

	e = ct_engine_new(q->arena, podman ? ct_engine_podman.type : ct_engine_docker.type);
	if (!e)
		return -ENOMEM;
	e->pid = q->engine_pid;
	e->api = arena_strdup(q->arena, q->api);
	if (!e->api) {
		ret = -ENOMEM;
		goto out;
	}
	ret = podman ? podman_basics(q, e, &body, &libpod) : docker_basics(q, e, &body);
	if (ret < 0)
		goto out;
	ret = ct_parse_docker_list(body.data, body.len, q->arena, libpod, &list);
	if (ret < 0) {
		fail(q, ret, "/containers/json", ret == -EBADMSG ? "not a container list" : NULL);
		goto out;
	}
	if (!libpod && (ret = inspect_all(q, &list)) < 0)
		goto out;
	for (size_t i = 0; i < list.count; i++) {
		struct lxkns_container *c = list.items[i];
		if (c->dropped || c->pid <= 0)
			continue;
		if ((ret = ct_engine_add(q->arena, e, c)) < 0)
			goto out;
	}
	q->engines[q->engine_count++] = e;
	ret = 0;
out:
	buf_free(&body);
	return ret;
}

static int query_docker(struct ct_query *q)
{
	return query(q, false);
}

static int query_podman(struct ct_query *q)
{
	return query(q, true);
}

/* The watcher: one container after an event. */
static struct lxkns_container *inspect_one(struct ct_query *q, const char *id, bool podman)
{
	struct ct_http *h = ct_http_new(q->sockpath);
	struct buf body = { 0 };
	struct ct_list list = { 0 };
	struct lxkns_container *c = NULL;
	char path[256], filters[200];

	for (const char *x = id; *x; x++)
		if (!((*x >= '0' && *x <= '9') || (*x >= 'a' && *x <= 'z') ||
		      (*x >= 'A' && *x <= 'Z') || *x == '-' || *x == '_' || *x == '.'))
			id = "";
	if (!h || !*id || strlen(id) > 128) {
		ct_http_free(h);
		return NULL;
	}
	/* the list entry (labels, names) of just this container */
	snprintf(filters, sizeof(filters), "%%7B%%22id%%22%%3A%%5B%%22%s%%22%%5D%%7D", id);
	snprintf(path, sizeof(path), "%s?filters=%s",
		 podman ? "/v4.0.0/libpod/containers/json" : "/containers/json", filters);
	if (get_json(q, h, path, &body) < 0 ||
	    ct_parse_docker_list(body.data, body.len, q->arena, podman, &list) < 0 ||
	    list.count != 1)
		goto out;
	c = list.items[0];
	if (!podman) {
		bool paused = false, running = false;
		pid_t pid = 0;
		snprintf(path, sizeof(path), "/containers/%s/json", id);
		if (get_json(q, h, path, &body) < 0 ||
		    ct_parse_docker_inspect(body.data, body.len, &pid, &paused, &running) < 0 ||
		    !running || pid <= 0) {
			c = NULL;
			goto out;
		}
		c->pid = pid;
		c->paused = paused;
	}
	if (c->pid <= 0)
		c = NULL;
out:
	buf_free(&body);
	ct_http_free(h);
	return c;
}

static struct lxkns_container *inspect_docker(struct ct_query *q, const char *id)
{
	return inspect_one(q, id, false);
}

static struct lxkns_container *inspect_podman(struct ct_query *q, const char *id)
{
	return inspect_one(q, id, true);
}

/* ---- the event stream: GET /events, one JSON object a line ---- */

#define EVENTS_PATH "/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D"
#define MAX_LINE (1024 * 1024)

struct events {
	const struct ct_event_sink *sink;
	char *line;
	size_t linelen;
};

/* A container that started, stopped, paused, ... is refreshed. */
static void on_event(const struct ct_event_sink *sink, const char *line, size_t len)
{
	struct ct_docker_event ev;
	static const char *const actions[] = { "start", "restart", "pause",   "unpause", "rename",
					       "die",	"died",	   "destroy", "remove",	 "kill",
					       "stop",	"oom",	   "update" };
	if (ct_parse_docker_event(line, len, &ev) < 0 || strcmp(ev.type, "container") != 0 ||
	    !ev.id[0])
		return;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(ev.action, actions[i]) == 0) {
			sink->refresh(sink->userdata, ev.id);
			return;
		}
}

static int on_chunk(void *userdata, const char *data, size_t len)
{
	struct events *s = userdata;
	if (!data) { /* (re)connected: what happened meanwhile is unknown */
		s->linelen = 0;
		s->sink->resync(s->sink->userdata);
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n') {
			if (s->linelen)
				on_event(s->sink, s->line, s->linelen);
			s->linelen = 0;
			continue;
		}
		if (s->linelen >= MAX_LINE)
			continue; /* an absurd line: dropped when it ends */
		if (!s->line && !(s->line = malloc(MAX_LINE)))
			return 1;
		s->line[s->linelen++] = data[i];
	}
	return 0;
}

static int watch(const char *sockpath, int64_t first_deadline, const struct ct_event_sink *sink,
		 struct ct_stopper *stop, char *err, size_t errsize)
{
	struct events s = { .sink = sink };
	int ret = ct_http_stream(sockpath, EVENTS_PATH, first_deadline, on_chunk, &s, stop, err,
				 errsize);
	free(s.line);
	return ret;
}

const struct ct_engine_ops ct_engine_docker = {
	.name = "dockerd",
	.type = LXKNS_ENGINE_DOCKER,
	.socket = "docker.sock",
	.decorators = CT_DECO_DOCKERSHIM,
	.query = query_docker,
	.watch = watch,
	.inspect = inspect_docker,
};

/* podman listens only when it runs as the API service (podman system service). */
const struct ct_engine_ops ct_engine_podman = {
	.name = "podman",
	.type = LXKNS_ENGINE_PODMAN,
	.socket = "podman.sock",
	.decorators = CT_DECO_PODMAN_PODS,
	.query = query_podman,
	.watch = watch,
	.inspect = inspect_podman,
};
