/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cri-pod: a tiny CRI client for the tests (there is no crictl in Debian 12),
 * built on lxkns' own gRPC transport and protobuf writer:
 *
 *   cri-pod SOCK run-pod NAME NAMESPACE UID CGROUP-PARENT
 *       RunPodSandbox with host networking (no CNI needed), label
 *       lxkns.test=pod; prints the sandbox ID
 *   cri-pod SOCK run-container SANDBOX NAME IMAGE POD NAMESPACE UID CGROUP-PARENT
 *       CreateContainer + StartContainer, annotation lxkns.note; prints the ID
 *   cri-pod SOCK remove-pod SANDBOX
 *       StopPodSandbox + RemovePodSandbox (its containers go with it)
 */
#include <stdio.h>
#include <string.h>

#include "containers/containers-internal.h"

static int call(const char *sock, const char *method, struct buf *req, struct buf *reply)
{
	char err[256] = "";
	int r = ct_grpc_call(sock, method, NULL, req->data, req->len, ct_now_ms() + 60000, reply,
			     NULL, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "%s: %s\n", method, err);
	return r;
}

static void put_msg(struct buf *w, uint32_t field, struct buf *m)
{
	pb_put_bytes(w, field, m->data, m->len);
	buf_free(m);
}

static void put_entry(struct buf *w, uint32_t field, const char *k, const char *v)
{
	struct buf e = { 0 };
	pb_put_string(&e, 1, k);
	pb_put_string(&e, 2, v);
	put_msg(w, field, &e);
}

/* PodSandboxConfig: metadata, labels, linux {cgroup_parent, security_context
 * {namespace_options {network: NODE}}} */
static void sandbox_config(struct buf *w, const char *name, const char *ns, const char *uid,
			   const char *cgroup)
{
	struct buf md = { 0 }, linux_ = { 0 }, sec = { 0 }, nso = { 0 };
	pb_put_string(&md, 1, name);
	pb_put_string(&md, 2, uid);
	pb_put_string(&md, 3, ns);
	put_msg(w, 1, &md);
	put_entry(w, 6, "lxkns.test", "pod");
	pb_put_varint(&nso, 1, 2); /* network: NODE */
	put_msg(&sec, 1, &nso);
	pb_put_string(&linux_, 1, cgroup);
	put_msg(&linux_, 2, &sec);
	put_msg(w, 8, &linux_);
}

/* The first string field of a reply (the ID), printed. */
static int print_id(struct buf *reply)
{
	struct pb_reader r = pb_reader_of(reply->data, reply->len);
	struct pb_field f;
	while (pb_next(&r, &f) > 0)
		if (f.num == 1 && f.wire == PB_LEN) {
			printf("%.*s\n", (int)f.len, f.data);
			return 0;
		}
	fprintf(stderr, "no ID in the reply\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct buf req = { 0 }, m = { 0 }, sub = { 0 };
	struct buf reply = { 0 };
	int ret = 2;

	if (argc < 4)
		goto usage;
	const char *sock = argv[1], *cmd = argv[2];
	if (strcmp(cmd, "run-pod") == 0 && argc == 7) {
		sandbox_config(&m, argv[3], argv[4], argv[5], argv[6]);
		put_msg(&req, 1, &m);
		ret = call(sock, "/runtime.v1.RuntimeService/RunPodSandbox", &req, &reply) < 0
			      ? 1
			      : print_id(&reply);
	} else if (strcmp(cmd, "run-container") == 0 && argc == 10) {
		pb_put_string(&req, 1, argv[3]);
		pb_put_string(&sub, 1, argv[4]);
		put_msg(&m, 1, &sub); /* metadata */
		pb_put_string(&sub, 1, argv[5]);
		put_msg(&m, 2, &sub); /* image */
		put_entry(&m, 10, "lxkns.note", "a <b> & \"c\"");
		put_msg(&req, 2, &m);
		sandbox_config(&m, argv[6], argv[7], argv[8], argv[9]);
		put_msg(&req, 3, &m);
		if (call(sock, "/runtime.v1.RuntimeService/CreateContainer", &req, &reply) < 0) {
			ret = 1;
		} else {
			struct pb_reader r = pb_reader_of(reply.data, reply.len);
			struct pb_field f;
			char id[256] = "";
			while (pb_next(&r, &f) > 0)
				if (f.num == 1 && f.wire == PB_LEN)
					snprintf(id, sizeof(id), "%.*s", (int)f.len, f.data);
			buf_free(&req);
			pb_put_string(&req, 1, id);
			ret = call(sock, "/runtime.v1.RuntimeService/StartContainer", &req,
				   &reply) < 0;
			if (!ret)
				printf("%s\n", id);
		}
	} else if (strcmp(cmd, "remove-pod") == 0 && argc == 4) {
		pb_put_string(&req, 1, argv[3]);
		ret = call(sock, "/runtime.v1.RuntimeService/StopPodSandbox", &req, &reply) < 0;
		ret |= call(sock, "/runtime.v1.RuntimeService/RemovePodSandbox", &req, &reply) < 0;
	} else {
		goto usage;
	}
	buf_free(&req);
	buf_free(&m);
	buf_free(&sub);
	buf_free(&reply);
	return ret;
usage:
	fprintf(stderr, "usage: cri-pod SOCK run-pod NAME NAMESPACE UID CGROUP-PARENT\n"
			"       cri-pod SOCK run-container SANDBOX NAME IMAGE POD NAMESPACE UID "
			"CGROUP-PARENT\n"
			"       cri-pod SOCK remove-pod SANDBOX\n");
	return 2;
}
