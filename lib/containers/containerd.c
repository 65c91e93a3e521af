/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containerd.c: containerd's native API (gRPC over h2c): the version, the
 * server UUID (introspection), the namespaces, and per namespace the tasks
 * (the PIDs and states of the init processes) and the containers (IDs and
 * labels). Only containers with a live task are reported. The "moby"
 * namespace belongs to Docker (reported by dockerd); "k8s.io" belongs to the
 * CRI, when this containerd's CRI plugin answers. A container's name is its
 * ID (or nerdctl's name label), prefixed by "namespace/" outside "default".
 */
#include <errno.h>
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
	if ((ret = ct_parse_ctrd_tasks((const uint8_t *)reply->data, reply->len, q->arena, &tasks)) < 0)
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

int ct_query_containerd(struct ct_query *q)
{
	struct buf reply = { 0 };
	struct ct_strv nss = { 0 };
	struct lxkns_container_engine *e;
	int ret;

	q->engine = NULL;
	e = ct_engine_new(q->arena, LXKNS_ENGINE_CONTAINERD);
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
	if ((ret = ct_parse_ctrd_namespaces((const uint8_t *)reply.data, reply.len, q->arena, &nss)) <
	    0) {
		snprintf(q->err, sizeof(q->err), "Namespaces/List: malformed reply");
		goto out;
	}
	for (size_t i = 0; i < nss.count; i++) {
		const char *ns = nss.items[i];
		if (strcmp(ns, "moby") == 0 || (q->skip_k8s_namespace && strcmp(ns, "k8s.io") == 0))
			continue;
		if ((ret = list_namespace(q, e, ns, &reply)) < 0)
			goto out;
	}
	q->engine = e;
	ret = 0;
out:
	buf_free(&reply);
	return ret;
}
