/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-pb.c: the protobuf replies of containerd's native API and of the
 * Kubernetes CRI (runtime.v1) that lxkns needs, decoded by field number
 * (upstream numbering; unknown fields are skipped, as protobuf wants).
 * Pure: bytes in, arena objects out; malformed input is -EBADMSG.
 *
 *   containerd.services.version.v1.VersionResponse   version=1
 *   containerd.services.introspection.v1.ServerResponse uuid=1
 *   ...namespaces.v1.ListNamespacesResponse  namespaces=1 {name=1}
 *   ...containers.v1.ListContainersResponse  containers=1 {id=1, labels=2}
 *   ...tasks.v1.ListTasksResponse            tasks=1 {container_id=1, id=2, pid=3, status=4}
 *   ...events.v1.Envelope                    namespace=2, topic=3
 *   runtime.v1.VersionResponse   runtime_name=2, runtime_version=3, runtime_api_version=4
 *   runtime.v1.ListPodSandboxResponse items=1 {id=1, metadata=2 {name=1, uid=2,
 *                                namespace=3}, state=3, labels=5, annotations=6}
 *   runtime.v1.ListContainersResponse containers=1 {id=1, pod_sandbox_id=2,
 *                                metadata=3 {name=1}, state=6, labels=8, annotations=9}
 *   runtime.v1.ContainerStatusResponse / PodSandboxStatusResponse info=2
 * Maps (map<string,string>) are repeated {key=1, value=2} entries.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "containers-internal.h"

#define ANNOTATION_PREFIX "annotation.k8s/"

static const char *dup_field(struct arena *a, const struct pb_field *f)
{
	return arena_strndup(a, (const char *)f->data, f->len);
}

/* One string field of a message, "" when absent; -EBADMSG when malformed. */
static int string_field(const uint8_t *msg, size_t len, uint32_t num, struct arena *a,
			const char **ret)
{
	struct pb_reader r = pb_reader_of(msg, len);
	struct pb_field f;
	int k;

	*ret = "";
	while ((k = pb_next(&r, &f)) > 0)
		if (f.num == num && f.wire == PB_LEN && !(*ret = dup_field(a, &f)))
			return -ENOMEM;
	return k;
}

/* A map entry {key=1, value=2}: set as a label, with an optional key prefix. */
static int map_entry(const struct pb_field *entry, struct arena *a, struct ct_labels *l,
		     const char *prefix)
{
	struct pb_reader r = pb_reader_of(entry->data, entry->len);
	struct pb_field f;
	const uint8_t *key = NULL, *val = NULL;
	size_t klen = 0, vlen = 0;
	int k;

	if (entry->wire != PB_LEN)
		return -EBADMSG;
	while ((k = pb_next(&r, &f)) > 0) {
		if (f.wire != PB_LEN)
			continue;
		if (f.num == 1) {
			key = f.data;
			klen = f.len;
		} else if (f.num == 2) {
			val = f.data;
			vlen = f.len;
		}
	}
	if (k < 0)
		return k;
	if (!key)
		key = (const uint8_t *)"";
	if (!val)
		val = (const uint8_t *)"";
	if (!prefix)
		return ct_label_setn(a, l, (const char *)key, klen, (const char *)val, vlen);
	size_t plen = strlen(prefix);
	char *pk = arena_alloc(a, plen + klen + 1);
	if (!pk)
		return -ENOMEM;
	memcpy(pk, prefix, plen);
	memcpy(pk + plen, key, klen);
	return ct_label_setn(a, l, pk, plen + klen, (const char *)val, vlen);
}

/* The string value of key in a map field num, or NULL. */
static int map_lookup(const uint8_t *msg, size_t len, uint32_t num, const char *want,
		      const uint8_t **ret, size_t *ret_len)
{
	struct pb_reader r = pb_reader_of(msg, len);
	struct pb_field f;
	int k;

	*ret = NULL;
	*ret_len = 0;
	while ((k = pb_next(&r, &f)) > 0) {
		if (f.num != num || f.wire != PB_LEN)
			continue;
		struct pb_reader er = pb_reader_of(f.data, f.len);
		struct pb_field ef;
		const uint8_t *val = NULL;
		size_t vlen = 0;
		bool match = false;
		int e;
		while ((e = pb_next(&er, &ef)) > 0) {
			if (ef.wire != PB_LEN)
				continue;
			if (ef.num == 1)
				match = ef.len == strlen(want) &&
					memcmp(ef.data, want, ef.len) == 0;
			else if (ef.num == 2) {
				val = ef.data;
				vlen = ef.len;
			}
		}
		if (e < 0)
			return e;
		if (match) {
			*ret = val ? val : (const uint8_t *)"";
			*ret_len = vlen;
		}
	}
	return k;
}

/* ---- containerd ---- */

int ct_parse_ctrd_version(const uint8_t *msg, size_t len, struct arena *a, const char **ret)
{
	return string_field(msg, len, 1, a, ret);
}

int ct_parse_ctrd_server(const uint8_t *msg, size_t len, struct arena *a, const char **ret)
{
	return string_field(msg, len, 1, a, ret);
}

int ct_parse_ctrd_namespaces(const uint8_t *msg, size_t len, struct arena *a, struct ct_strv *out)
{
	struct pb_reader r = pb_reader_of(msg, len);
	struct pb_field f;
	int k;

	while ((k = pb_next(&r, &f)) > 0) {
		if (f.num != 1 || f.wire != PB_LEN)
			continue;
		const char *name;
		int e = string_field(f.data, f.len, 1, a, &name);
		if (e < 0)
			return e;
		if (!*name)
			continue;
		e = ct_push(a, (void ***)&out->items, &out->count, &out->cap, (void *)name);
		if (e < 0)
			return e;
	}
	return k;
}

int ct_parse_ctrd_containers(const uint8_t *msg, size_t len, struct arena *a, struct ct_list *out)
{
	struct pb_reader r = pb_reader_of(msg, len);
	struct pb_field f;
	int k;

	while ((k = pb_next(&r, &f)) > 0) {
		if (f.num != 1 || f.wire != PB_LEN)
			continue;
		struct lxkns_container *c = ct_container_new(a);
		struct pb_reader cr = pb_reader_of(f.data, f.len);
		struct pb_field cf;
		int e = c ? 0 : -ENOMEM;
		while (e == 0 && (e = pb_next(&cr, &cf)) > 0) {
			e = 0;
			if (cf.num == 1 && cf.wire == PB_LEN) {
				if (!(c->id = dup_field(a, &cf)))
					e = -ENOMEM;
			} else if (cf.num == 2) {
				e = map_entry(&cf, a, &c->labels, NULL);
			}
		}
		if (e < 0)
			return e;
		if (!*c->id)
			continue;
		c->name = c->id;
		e = ct_push(a, (void ***)&out->items, &out->count, &out->cap, c);
		if (e < 0)
			return e;
	}
	return k;
}

int ct_parse_ctrd_tasks(const uint8_t *msg, size_t len, struct arena *a, struct ct_tasks *out)
{
	struct pb_reader r = pb_reader_of(msg, len);
	struct pb_field f;
	int k;

	while ((k = pb_next(&r, &f)) > 0) {
		if (f.num != 1 || f.wire != PB_LEN)
			continue;
		struct pb_reader tr = pb_reader_of(f.data, f.len);
		struct pb_field tf;
		struct ct_task t = { .container_id = "" };
		const char *id = "";
		int e;
		while ((e = pb_next(&tr, &tf)) > 0) {
			if (tf.num == 1 && tf.wire == PB_LEN) {
				if (!(t.container_id = dup_field(a, &tf)))
					return -ENOMEM;
			} else if (tf.num == 2 && tf.wire == PB_LEN) {
				if (!(id = dup_field(a, &tf)))
					return -ENOMEM;
			} else if (tf.num == 3 && tf.wire == PB_VARINT) {
				t.pid = tf.v <= INT32_MAX ? (pid_t)tf.v : 0;
			} else if (tf.num == 4 && tf.wire == PB_VARINT) {
				t.status = tf.v <= CTRD_TASK_PAUSING ? (int)tf.v
								     : CTRD_TASK_UNKNOWN;
			}
		}
		if (e < 0)
			return e;
		/* Tasks/List fills in the task ID (= the container ID) only */
		if (!*t.container_id)
			t.container_id = id;
		else if (*id && strcmp(id, t.container_id) != 0)
			continue; /* an exec'ed process, not the init task */
		if (!*t.container_id)
			continue;
		if (out->count == out->cap) {
			size_t ncap = out->cap ? out->cap * 2 : 16;
			struct ct_task *n = arena_alloc(a, ncap * sizeof(*n));
			if (!n)
				return -ENOMEM;
			if (out->count)
				memcpy(n, out->items, out->count * sizeof(*n));
			out->items = n;
			out->cap = ncap;
		}
		out->items[out->count++] = t;
	}
	return k;
}

int ct_parse_ctrd_envelope(const uint8_t *msg, size_t len, char *ns, size_t nssize, char *topic,
			   size_t topicsize)
{
	struct pb_reader r = pb_reader_of(msg, len);
	struct pb_field f;
	int k;

	if (nssize)
		ns[0] = 0;
	if (topicsize)
		topic[0] = 0;
	while ((k = pb_next(&r, &f)) > 0) {
		if (f.wire != PB_LEN)
			continue;
		if (f.num == 2 && nssize)
			snprintf(ns, nssize, "%.*s", (int)(f.len > 4096 ? 4096 : f.len), f.data);
		else if (f.num == 3 && topicsize)
			snprintf(topic, topicsize, "%.*s", (int)(f.len > 4096 ? 4096 : f.len),
				 f.data);
	}
	return k;
}

/* ---- CRI ---- */

int ct_parse_cri_version(const uint8_t *msg, size_t len, struct arena *a, const char **ret)
{
	const char *name, *version, *api;
	int k = string_field(msg, len, 2, a, &name);
	if (k == 0)
		k = string_field(msg, len, 3, a, &version);
	if (k == 0)
		k = string_field(msg, len, 4, a, &api);
	if (k < 0)
		return k;
	size_t n = strlen(name) + strlen(version) + strlen(api) + 16;
	char *s = arena_alloc(a, n);
	if (!s)
		return -ENOMEM;
	snprintf(s, n, "%s %s [API %s]", name, version, api);
	*ret = s;
	return 0;
}

/* PodSandboxMetadata / ContainerMetadata: name=1, uid=2, namespace=3. */
static int metadata(const struct pb_field *f, struct arena *a, const char **name, const char **uid,
		    const char **ns)
{
	struct pb_reader r = pb_reader_of(f->data, f->len);
	struct pb_field m;
	int k;

	if (f->wire != PB_LEN)
		return -EBADMSG;
	while ((k = pb_next(&r, &m)) > 0) {
		if (m.wire != PB_LEN)
			continue;
		const char **dst = m.num == 1 ? name : m.num == 2 ? uid : m.num == 3 ? ns : NULL;
		if (dst && !(*dst = dup_field(a, &m)))
			return -ENOMEM;
	}
	return k;
}

int ct_parse_cri_sandboxes(const uint8_t *msg, size_t len, struct arena *a, struct ct_list *out)
{
	struct pb_reader r = pb_reader_of(msg, len);
	struct pb_field f;
	int k;

	while ((k = pb_next(&r, &f)) > 0) {
		if (f.num != 1 || f.wire != PB_LEN)
			continue;
		struct lxkns_container *c = ct_container_new(a);
		const char *name = "", *uid = "", *ns = "";
		uint64_t state = 0; /* SANDBOX_READY = 0 */
		struct pb_reader sr = pb_reader_of(f.data, f.len);
		struct pb_field sf;
		int e = c ? 0 : -ENOMEM;
		while (e == 0 && (e = pb_next(&sr, &sf)) > 0) {
			e = 0;
			if (sf.num == 1 && sf.wire == PB_LEN) {
				if (!(c->id = dup_field(a, &sf)))
					e = -ENOMEM;
			} else if (sf.num == 2) {
				e = metadata(&sf, a, &name, &uid, &ns);
			} else if (sf.num == 3 && sf.wire == PB_VARINT) {
				state = sf.v;
			} else if (sf.num == 5) {
				e = map_entry(&sf, a, &c->labels, NULL);
			} else if (sf.num == 6) {
				e = map_entry(&sf, a, &c->labels, ANNOTATION_PREFIX);
			}
		}
		if (e < 0)
			return e;
		if (!*c->id || state != 0)
			continue;
		c->name = *name ? name : c->id;
		c->pod = c->id;
		if ((e = ct_label_set(a, &c->labels, "io.kubernetes.pod.name", name)) < 0 ||
		    (e = ct_label_set(a, &c->labels, "io.kubernetes.pod.namespace", ns)) < 0 ||
		    (e = ct_label_set(a, &c->labels, "io.kubernetes.pod.uid", uid)) < 0 ||
		    (e = ct_label_set(a, &c->labels, "io.kubernetes.sandbox", "")) < 0 ||
		    (e = ct_push(a, (void ***)&out->items, &out->count, &out->cap, c)) < 0)
			return e;
	}
	return k;
}

int ct_parse_cri_containers(const uint8_t *msg, size_t len, struct arena *a, struct ct_list *out)
{
	struct pb_reader r = pb_reader_of(msg, len);
	struct pb_field f;
	int k;

	while ((k = pb_next(&r, &f)) > 0) {
		if (f.num != 1 || f.wire != PB_LEN)
			continue;
		struct lxkns_container *c = ct_container_new(a);
		const char *name = "", *unused1 = "", *unused2 = "";
		uint64_t state = 0; /* CONTAINER_CREATED = 0 */
		struct pb_reader cr = pb_reader_of(f.data, f.len);
		struct pb_field cf;
		int e = c ? 0 : -ENOMEM;
		while (e == 0 && (e = pb_next(&cr, &cf)) > 0) {
			e = 0;
			if (cf.num == 1 && cf.wire == PB_LEN) {
				if (!(c->id = dup_field(a, &cf)))
					e = -ENOMEM;
			} else if (cf.num == 2 && cf.wire == PB_LEN) {
				if (!(c->pod = dup_field(a, &cf)))
					e = -ENOMEM;
			} else if (cf.num == 3) {
				e = metadata(&cf, a, &name, &unused1, &unused2);
			} else if (cf.num == 6 && cf.wire == PB_VARINT) {
				state = cf.v;
			} else if (cf.num == 8) {
				e = map_entry(&cf, a, &c->labels, NULL);
			} else if (cf.num == 9) {
				e = map_entry(&cf, a, &c->labels, ANNOTATION_PREFIX);
			}
		}
		if (e < 0)
			return e;
		if (!*c->id || state != 1) /* CONTAINER_RUNNING */
			continue;
		c->name = *name ? name : c->id;
		if ((e = ct_label_set(a, &c->labels, "io.kubernetes.container.name", name)) < 0 ||
		    (e = ct_push(a, (void ***)&out->items, &out->count, &out->cap, c)) < 0)
			return e;
	}
	return k;
}

int ct_parse_cri_status_pid(const uint8_t *msg, size_t len, pid_t *ret_pid)
{
	const uint8_t *info;
	size_t ilen;
	int k = map_lookup(msg, len, 2, "info", &info, &ilen);

	*ret_pid = 0;
	if (k < 0)
		return k;
	if (!info)
		return -ENOENT;
	json_t *root = json_loadb((const char *)info, ilen, 0, NULL);
	json_t *pid = json_object_get(root, "pid");
	k = -EBADMSG;
	if (json_is_integer(pid) && json_integer_value(pid) > 0 &&
	    json_integer_value(pid) <= INT32_MAX) {
		*ret_pid = (pid_t)json_integer_value(pid);
		k = 0;
	}
	json_decref(root);
	return k;
}
