/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containerd.c: containerd's native API (gRPC over h2c): the version, the
 * server UUID (introspection), the namespaces, and per namespace the tasks
 * (the PIDs and states of the init processes) and the containers (IDs and
 * labels). Only containers with a live task are reported. The "moby"
 * namespace belongs to Docker (reported by dockerd); "k8s.io" belongs to the
 * CRI, when this containerd's CRI plugin answers. A container's name is its
 * ID (or nerdctl's name label), prefixed by "namespace/" outside "default".
 * Its CRI plugin is asked first (cri.c), so that the native client leaves
 * "k8s.io" to the CRI engine. For the watcher: Events/Subscribe, where every
 * task, container or namespace event means a resync.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "containers-internal.h"

static int call(struct ct_query *q, const char *method, const char *ns, const void *req,
		size_t reqlen, struct buf *reply)
{
	char err[200] = "";
	int ret = ct_grpc_call(q->sockpath, method, ns, req, reqlen, q->deadline, reply, NULL, err,
			       sizeof(err));
	if (ret < 0)
		snprintf(q->err, sizeof(q->err), "%s: %s", method, err);
	return ret;
}

static int list_namespace(struct ct_query *q, struct lxkns_container_engine *e, const char *ns,
			  struct buf *reply)
{
	struct ct_tasks tasks = { 0 };
	struct ct_list list = { 0 };
	size_t alive = 0;
	int ret;

	if ((ret = call(q, "/containerd.services.tasks.v1.Tasks/List", ns, NULL, 0, reply)) < 0)
		return ret;
	if ((ret = ct_parse_ctrd_tasks((const uint8_t *)reply->data, reply->len, q->arena,
				       &tasks)) < 0)
		goto bad;
	for (size_t i = 0; i < tasks.count; i++)
		alive += tasks.items[i].pid > 0;
	if (!alive)
		return 0;
	if ((ret = call(q, "/containerd.services.containers.v1.Containers/List", ns, NULL, 0,
			reply)) < 0)
		return ret;
	if ((ret = ct_parse_ctrd_containers((const uint8_t *)reply->data, reply->len, q->arena,
					    &list)) < 0)
		goto bad;
	for (size_t i = 0; i < list.count; i++) {
		struct lxkns_container *c = list.items[i];
		const struct ct_task *t = NULL;
		for (size_t k = 0; k < tasks.count && !t; k++)
			if (strcmp(tasks.items[k].container_id, c->id) == 0)
				t = &tasks.items[k];
		if (!t || t->pid <= 0 ||
		    (t->status != CTRD_TASK_RUNNING && t->status != CTRD_TASK_PAUSED &&
		     t->status != CTRD_TASK_PAUSING))
			continue;
		c->pid = t->pid;
		c->paused = t->status != CTRD_TASK_RUNNING;
		const char *name = ct_label_get(&c->labels, "nerdctl/name");
		if (!name || !*name)
			name = c->id;
		if (strcmp(ns, "default") != 0) {
			size_t n = strlen(ns) + strlen(name) + 2;
			char *full = arena_alloc(q->arena, n);
			if (!full)
				return -ENOMEM;
			snprintf(full, n, "%s/%s", ns, name);
			name = full;
		}
		c->name = name;
		if ((ret = ct_engine_add(q->arena, e, c)) < 0)
			return ret;
	}
	return 0;
bad:
	snprintf(q->err, sizeof(q->err), "namespace %s: malformed reply", ns);
	return ret;
}

/* The native API; skip_k8s: the CRI plugin reports the k8s.io namespace. */
static int query_native(struct ct_query *q, bool skip_k8s)
{
	struct buf reply = { 0 };
	struct ct_strv nss = { 0 };
	struct lxkns_container_engine *e;
	int ret;

	e = ct_engine_new(q->arena, ct_engine_containerd.type);
	if (!e)
		return -ENOMEM;
	e->pid = q->engine_pid;
	e->api = arena_strdup(q->arena, q->api);
	if (!e->api) {
		ret = -ENOMEM;
		goto out;
	}
	if ((ret = call(q, "/containerd.services.version.v1.Version/Version", NULL, NULL, 0,
			&reply)) < 0)
		goto out;
	if ((ret = ct_parse_ctrd_version((const uint8_t *)reply.data, reply.len, q->arena,
					 &e->version)) < 0) {
		snprintf(q->err, sizeof(q->err), "Version: malformed reply");
		goto out;
	}
	/* the UUID is younger than the rest (1.5): optional */
	if (call(q, "/containerd.services.introspection.v1.Introspection/Server", NULL, NULL, 0,
		 &reply) == 0)
		ct_parse_ctrd_server((const uint8_t *)reply.data, reply.len, q->arena, &e->id);
	q->err[0] = 0;
	if (!e->id)
		e->id = "";
	if ((ret = call(q, "/containerd.services.namespaces.v1.Namespaces/List", NULL, NULL, 0,
			&reply)) < 0)
		goto out;
	if ((ret = ct_parse_ctrd_namespaces((const uint8_t *)reply.data, reply.len, q->arena,
					    &nss)) < 0) {
		snprintf(q->err, sizeof(q->err), "Namespaces/List: malformed reply");
		goto out;
	}
	for (size_t i = 0; i < nss.count; i++) {
		const char *ns = nss.items[i];
		if (strcmp(ns, "moby") == 0 || (skip_k8s && strcmp(ns, "k8s.io") == 0))
			continue;
		if ((ret = list_namespace(q, e, ns, &reply)) < 0)
			goto out;
	}
	q->engines[q->engine_count++] = e;
	ret = 0;
out:
	buf_free(&reply);
	return ret;
}

/* Its CRI plugin first (rank 1: after containerd among the engines of this
 * process), then the native API. An error with an engine: the CRI answered
 * but the native API did not. */
static int query(struct ct_query *q)
{
	int ret = ct_engine_cri.query(q);
	if (ret == 0 && q->engine_count)
		q->engines[0]->rank = 1;
	else if (ret == -ETIMEDOUT || ret == -ENOMEM)
		return ret;
	q->err[0] = 0;
	return query_native(q, q->engine_count > 0);
}

static int on_event(void *userdata, const uint8_t *msg, size_t len)
{
	const struct ct_event_sink *sink = userdata;
	char ns[128], topic[128];
	if (!msg) {
		sink->resync(sink->userdata);
		return 0;
	}
	if (ct_parse_ctrd_envelope(msg, len, ns, sizeof(ns), topic, sizeof(topic)) < 0)
		return 0;
	if (strncmp(topic, "/tasks/", 7) == 0 || strncmp(topic, "/containers/", 12) == 0 ||
	    strncmp(topic, "/namespaces/", 12) == 0)
		sink->resync(sink->userdata);
	return 0;
}

static int watch(const char *sockpath, int64_t first_deadline, const struct ct_event_sink *sink,
		 struct ct_stopper *stop, char *err, size_t errsize)
{
	return ct_grpc_stream(sockpath, "/containerd.services.events.v1.Events/Subscribe", NULL, 0,
			      first_deadline, on_event, (void *)sink, stop, err, errsize);
}

const struct ct_engine_ops ct_engine_containerd = {
	.name = "containerd",
	.type = LXKNS_ENGINE_CONTAINERD,
	.socket = "containerd.sock",
	.decorators = CT_DECO_K8S_LABELS | CT_DECO_DOCKER_PLUGINS,
	.query = query,
	.watch = watch,
};
