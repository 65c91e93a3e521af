/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-json.c: the JSON replies of the Docker Engine API (also podman's
 * Docker-compatible and libpod APIs), their event lines, and the JSON inside
 * labels (devcontainer metadata). Pure: bytes in, arena objects out;
 * anything unexpected is -EBADMSG, nothing is trusted to be well-formed.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "containers-internal.h"

static json_t *load(const char *buf, size_t len)
{
	return buf ? json_loadb(buf, len, 0, NULL) : NULL;
}

static const char *str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Copies a labels object {"k": "v"} (non-string values are skipped). */
static int copy_labels(struct arena *a, json_t *labels, struct ct_labels *out)
{
	const char *k;
	json_t *v;

	if (!json_is_object(labels))
		return 0;
	json_object_foreach (labels, k, v) {
		if (!json_is_string(v))
			continue;
		int r = ct_label_setn(a, out, k, strlen(k), json_string_value(v),
				      json_string_length(v));
		if (r < 0)
			return r;
	}
	return 0;
}

int ct_parse_docker_list(const char *buf, size_t len, struct arena *a, bool libpod,
			 struct ct_list *out)
{
	json_t *root = load(buf, len), *item;
	size_t i;
	int r = 0;

	if (!json_is_array(root)) {
		json_decref(root);
		return -EBADMSG;
	}
	json_array_foreach (root, i, item) {
		const char *id = str_of(item, "Id"), *state = str_of(item, "State");
		json_t *names = json_object_get(item, "Names");
		const char *name = json_is_array(names)
					   ? json_string_value(json_array_get(names, 0))
					   : NULL;
		if (!id || !*id)
			continue;
		/* only alive ones: running or paused */
		if (state && strcmp(state, "running") != 0 && strcmp(state, "paused") != 0)
			continue;
		struct lxkns_container *c = ct_container_new(a);
		if (!c) {
			r = -ENOMEM;
			break;
		}
		if (name && name[0] == '/')
			name++;
		c->id = arena_strdup(a, id);
		c->name = arena_strdup(a, name && *name ? name : id);
		c->paused = state && strcmp(state, "paused") == 0;
		if (libpod) {
			json_t *pid = json_object_get(item, "Pid");
			if (json_is_integer(pid) && json_integer_value(pid) > 0 &&
			    json_integer_value(pid) <= INT32_MAX)
				c->pid = (pid_t)json_integer_value(pid);
			const char *pod = str_of(item, "PodName");
			if (pod)
				c->pod = arena_strdup(a, pod);
		}
		if (!c->id || !c->name || !c->pod) {
			r = -ENOMEM;
			break;
		}
		r = copy_labels(a, json_object_get(item, "Labels"), &c->labels);
		if (r == 0)
			r = ct_push(a, (void ***)&out->items, &out->count, &out->cap, c);
		if (r < 0)
			break;
	}
	json_decref(root);
	return r;
}

int ct_parse_docker_inspect(const char *buf, size_t len, pid_t *ret_pid, bool *ret_paused,
			    bool *ret_running)
{
	json_t *root = load(buf, len);
	json_t *state = json_object_get(root, "State");
	json_t *pid = json_object_get(state, "Pid");
	int r = -EBADMSG;

	if (json_is_object(state) && json_is_integer(pid) && json_integer_value(pid) >= 0 &&
	    json_integer_value(pid) <= INT32_MAX) {
		*ret_pid = (pid_t)json_integer_value(pid);
		*ret_paused = json_is_true(json_object_get(state, "Paused"));
		*ret_running = json_is_true(json_object_get(state, "Running"));
		r = 0;
	}
	json_decref(root);
	return r;
}

int ct_parse_json_string(const char *buf, size_t len, const char *key, struct arena *a,
			 const char **ret)
{
	json_t *root = load(buf, len);
	int r = -EBADMSG;

	if (json_is_object(root)) {
		const char *v = str_of(root, key);
		*ret = arena_strdup(a, v ? v : "");
		r = *ret ? 0 : -ENOMEM;
	}
	json_decref(root);
	return r;
}

static void copy_field(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

int ct_parse_docker_event(const char *buf, size_t len, struct ct_docker_event *ev)
{
	json_t *root = load(buf, len);
	int r = -EBADMSG;

	memset(ev, 0, sizeof(*ev));
	if (json_is_object(root)) {
		const char *type = str_of(root, "Type"), *action = str_of(root, "Action");
		const char *id = str_of(json_object_get(root, "Actor"), "ID");
		/* old-style events only have "status" and "id" */
		copy_field(ev->type, sizeof(ev->type), type ? type : "container");
		copy_field(ev->action, sizeof(ev->action),
			   action ? action : str_of(root, "status"));
		copy_field(ev->id, sizeof(ev->id), id ? id : str_of(root, "id"));
		r = 0;
	}
	json_decref(root);
	return r;
}

int ct_parse_devcontainer_metadata(const char *buf, size_t len, struct arena *a,
				   const char **ret_codespace)
{
	json_t *root = load(buf, len), *block;
	size_t i;
	int r = 0;

	*ret_codespace = NULL;
	if (!json_is_array(root)) {
		json_decref(root);
		return -EBADMSG;
	}
	json_array_foreach (root, i, block) {
		json_t *env = json_object_get(block, "containerEnv");
		const char *cs = str_of(env, "CODESPACES"), *repo = str_of(env, "RepositoryName");
		if (cs && strcmp(cs, "true") == 0 && repo && *repo) {
			*ret_codespace = arena_strdup(a, repo);
			if (!*ret_codespace)
				r = -ENOMEM;
		}
	}
	json_decref(root);
	return r;
}

/* ---- OCI runtime state ---- */

int ct_parse_runc_state(const char *buf, size_t len, struct arena *a, struct lxkns_container *c)
{
	json_t *root = load(buf, len);
	json_t *pid = json_object_get(root, "init_process_pid");
	json_t *start = json_object_get(root, "init_process_start");
	json_t *labels = json_object_get(json_object_get(root, "config"), "labels"), *l;
	const char *id = str_of(root, "id");
	size_t i;
	int r = -EBADMSG;

	if (!id || !*id || !json_is_integer(pid) || json_integer_value(pid) <= 0 ||
	    json_integer_value(pid) > INT32_MAX)
		goto out;
	c->id = c->name = arena_strdup(a, id);
	if (!c->id) {
		r = -ENOMEM;
		goto out;
	}
	c->pid = (pid_t)json_integer_value(pid);
	c->starttime = json_is_integer(start) && json_integer_value(start) > 0
			       ? (uint64_t)json_integer_value(start)
			       : 0;
	r = 0;
	/* OCI annotations as "key=value"; runc adds "bundle=<dir>" */
	json_array_foreach (labels, i, l) {
		const char *kv = json_string_value(l), *eq = kv ? strchr(kv, '=') : NULL;
		if (!eq || eq == kv || (eq - kv == 6 && strncmp(kv, "bundle", 6) == 0))
			continue;
		r = ct_label_setn(a, &c->labels, kv, (size_t)(eq - kv), eq + 1,
				  json_string_length(l) - (size_t)(eq - kv) - 1);
		if (r < 0)
			break;
	}
out:
	json_decref(root);
	return r;
}

int ct_parse_crun_status(const char *buf, size_t len, struct arena *a, struct lxkns_container *c,
			 const char **ret_bundle)
{
	json_t *root = load(buf, len);
	json_t *pid = json_object_get(root, "pid");
	json_t *start = json_object_get(root, "process-start-time");
	const char *bundle = str_of(root, "bundle");
	int r = -EBADMSG;

	*ret_bundle = NULL;
	if (!json_is_integer(pid) || json_integer_value(pid) <= 0 ||
	    json_integer_value(pid) > INT32_MAX)
		goto out;
	c->pid = (pid_t)json_integer_value(pid);
	c->starttime = json_is_integer(start) && json_integer_value(start) > 0
			       ? (uint64_t)json_integer_value(start)
			       : 0;
	r = 0;
	if (bundle && *bundle) {
		*ret_bundle = arena_strdup(a, bundle);
		if (!*ret_bundle)
			r = -ENOMEM;
	}
out:
	json_decref(root);
	return r;
}

int ct_parse_oci_annotations(const char *buf, size_t len, struct arena *a,
			     struct lxkns_container *c)
{
	json_t *root = load(buf, len);
	int r = -EBADMSG;

	if (json_is_object(root))
		r = copy_labels(a, json_object_get(root, "annotations"), &c->labels);
	json_decref(root);
	return r;
}
