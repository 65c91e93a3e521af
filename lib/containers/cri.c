/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cri.c: the Kubernetes Container Runtime Interface (runtime.v1, gRPC over
 * h2c), as served by containerd's CRI plugin and by CRI-O: ready pod
 * sandboxes and running containers. The CRI has no PIDs in its lists: each
 * one comes from the verbose status ("pid" in the JSON of info["info"]), one
 * call per sandbox and container. Containers get their pod's labels
 * (io.kubernetes.pod.name, .namespace, .uid) and their annotations as
 * "annotation.k8s/<key>" labels; sandboxes are labelled
 * io.kubernetes.sandbox. The CRI knows no pausing: paused is always false.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "containers-internal.h"

#define SVC "/runtime.v1.RuntimeService/"

static int call(struct ct_query *q, const char *method, const struct buf *req, struct buf *reply,
		int *grpc_status)
{
	char err[200] = "";
	if (req && req->oom)
		return -ENOMEM;
	int ret = ct_grpc_call(q->sockpath, method, NULL, req ? req->data : NULL,
			       req ? req->len : 0, q->deadline, reply, grpc_status, err,
			       sizeof(err));
	if (ret < 0)
		snprintf(q->err, sizeof(q->err), "%s: %s", method, err);
	return ret;
}

/* The PID from a verbose (container or sandbox) status. */
static int status_pid(struct ct_query *q, const char *method, const char *id, struct buf *reply,
		      pid_t *ret_pid)
{
	struct buf req = { 0 };
	int ret;

	pb_put_string(&req, 1, id);
	pb_put_varint(&req, 2, 1); /* verbose */
	ret = call(q, method, &req, reply, NULL);
	buf_free(&req);
	if (ret < 0)
		return ret;
	return ct_parse_cri_status_pid((const uint8_t *)reply->data, reply->len, ret_pid);
}

/* Version: the engine's version; -ENOTSUP when there is no CRI here. */
static int version(struct ct_query *q, struct lxkns_container_engine *e, struct buf *reply)
{
	struct buf req = { 0 };
	int ret, grpc_status = -1;

	pb_put_string(&req, 1, "0.1.0");
	ret = call(q, SVC "Version", &req, reply, &grpc_status);
	buf_free(&req);
	if (ret < 0)
		return ret == -EPROTO && grpc_status == 12 /* UNIMPLEMENTED: no CRI here */
			       ? -ENOTSUP
			       : ret;
	if ((ret = ct_parse_cri_version((const uint8_t *)reply->data, reply->len, q->arena,
					&e->version)) < 0)
		snprintf(q->err, sizeof(q->err), "Version: malformed reply");
	return ret;
}

/* The ready sandboxes and the running containers (without PIDs). */
static int list(struct ct_query *q, struct buf *reply, struct ct_list *sandboxes,
		struct ct_list *containers)
{
	struct buf req = { 0 }, filter = { 0 }, state = { 0 };
	int ret;

	if ((ret = call(q, SVC "ListPodSandbox", NULL, reply, NULL)) < 0)
		return ret;
	if ((ret = ct_parse_cri_sandboxes((const uint8_t *)reply->data, reply->len, q->arena,
					  sandboxes)) < 0) {
		snprintf(q->err, sizeof(q->err), "ListPodSandbox: malformed reply");
		return ret;
	}
	/* ListContainersRequest{filter: {state: {state: CONTAINER_RUNNING}}} */
	pb_put_varint(&state, 1, 1);
	pb_put_bytes(&filter, 2, state.data, state.len);
	pb_put_bytes(&req, 1, filter.data, filter.len);
	if (state.oom || filter.oom)
		ret = -ENOMEM;
	else
		ret = call(q, SVC "ListContainers", &req, reply, NULL);
	if (ret == 0 && (ret = ct_parse_cri_containers((const uint8_t *)reply->data, reply->len,
						       q->arena, containers)) < 0)
		snprintf(q->err, sizeof(q->err), "ListContainers: malformed reply");
	buf_free(&req);
	buf_free(&filter);
	buf_free(&state);
	return ret;
}

/* The sandboxes with a PID into e. */
static int add_sandboxes(struct ct_query *q, struct lxkns_container_engine *e,
			 const struct ct_list *sandboxes, struct buf *reply)
{
	int ret;

	for (size_t i = 0; i < sandboxes->count; i++) {
		struct lxkns_container *c = sandboxes->items[i];
		ret = status_pid(q, SVC "PodSandboxStatus", c->id, reply, &c->pid);
		if (ret == -ETIMEDOUT || ret == -ENOMEM)
			return ret;
		if (ret < 0 || c->pid <= 0)
			continue; /* gone meanwhile, or no PID known */
		if ((ret = ct_engine_add(q->arena, e, c)) < 0)
			return ret;
	}
	return 0;
}

/* The containers of ready sandboxes, with their pod's labels and a PID,
 * into e. */
static int add_containers(struct ct_query *q, struct lxkns_container_engine *e,
			  const struct ct_list *sandboxes, const struct ct_list *containers,
			  struct buf *reply)
{
	static const char *const keys[] = { "io.kubernetes.pod.name", "io.kubernetes.pod.namespace",
					    "io.kubernetes.pod.uid" };
	int ret;

	for (size_t i = 0; i < containers->count; i++) {
		struct lxkns_container *c = containers->items[i];
		const struct lxkns_container *pod = NULL;
		for (size_t k = 0; k < sandboxes->count && !pod; k++)
			if (strcmp(sandboxes->items[k]->id, c->pod) == 0)
				pod = sandboxes->items[k];
		if (!pod)
			continue; /* its sandbox is not ready: not alive */
		for (size_t k = 0; k < 3; k++)
			if ((ret = ct_label_set(q->arena, &c->labels, keys[k],
						ct_label_get(&pod->labels, keys[k]))) < 0)
				return ret;
		ret = status_pid(q, SVC "ContainerStatus", c->id, reply, &c->pid);
		if (ret == -ETIMEDOUT || ret == -ENOMEM)
			return ret;
		if (ret < 0 || c->pid <= 0)
			continue;
		if ((ret = ct_engine_add(q->arena, e, c)) < 0)
			return ret;
	}
	return 0;
}

static int query(struct ct_query *q)
{
	struct buf reply = { 0 };
	struct ct_list sandboxes = { 0 }, containers = { 0 };
	struct lxkns_container_engine *e;
	int ret;

	e = ct_engine_new(q->arena, ct_engine_cri.type);
	if (!e)
		return -ENOMEM;
	e->pid = q->engine_pid;
	e->api = arena_strdup(q->arena, q->api);
	if (!e->api)
		return -ENOMEM;
	if ((ret = version(q, e, &reply)) < 0 ||
	    (ret = list(q, &reply, &sandboxes, &containers)) < 0 ||
	    (ret = add_sandboxes(q, e, &sandboxes, &reply)) < 0 ||
	    (ret = add_containers(q, e, &sandboxes, &containers, &reply)) < 0)
		goto out;
	for (size_t i = 0; i < e->container_count; i++)
		e->containers[i]->pod = "";
	q->engines[q->engine_count++] = e;
	q->err[0] = 0;
	ret = 0;
out:
	buf_free(&reply);
	return ret;
}

/* CRI-O; containerd's CRI plugin is asked by containerd.c. The CRI
 * (runtime.v1) has no event stream here: the watcher polls. */
const struct ct_engine_ops ct_engine_cri = {
	.name = "crio",
	.type = LXKNS_ENGINE_CRI,
	.socket = "crio.sock",
	.decorators = CT_DECO_K8S_LABELS,
	.query = query,
};
