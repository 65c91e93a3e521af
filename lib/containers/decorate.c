/* SPDX-License-Identifier: Apache-2.0 */
/*
 * decorate.c: what lxkns' decorators add to the containers engines report:
 *   - Docker compose projects (label com.docker.compose.project) become
 *     groups of type com.docker.compose.project, one per engine and project;
 *   - Industrial Edge: the runtime container (edge-iot-core) and app
 *     containers (labels com_mwp_conf_*) get their flavors, app projects too;
 *   - Kubernetes pods become groups "namespace/pod" of type io.kubernetes.pod:
 *     from the pod labels of CRI and containerd containers (containerd's
 *     sandboxes are labelled io.kubernetes.sandbox), and from the names of
 *     dockershim containers k8s_<container>_<pod>_<namespace>_<uid>_<n>;
 *   - podman pods become groups of type io.podman;
 *   - Docker managed plugins (containerd namespace plugins.moby) get the
 *     flavor plugin.docker.com and the plugin's name, from its socket in
 *     its bundle directory or /run/docker/plugins/<id>/, as the engine sees
 *     them;
 *   - devcontainers get lxkns.devcontainer.name (the basename of their local
 *     folder) and codespaces lxkns.codespace.name (from their metadata).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "containers-internal.h"

#define COMPOSE_LABEL "com.docker.compose.project"
#define EDGE_RUNTIME_NAME "edge-iot-core"
#define EDGE_RUNTIME_FLAVOR "com.siemens.industrialedge.runtime"
#define EDGE_APP_FLAVOR "com.siemens.industrialedge.app"
#define EDGE_APP_LABEL_PREFIX "com_mwp_conf_"
#define POD_NAME "io.kubernetes.pod.name"
#define POD_NAMESPACE "io.kubernetes.pod.namespace"
#define POD_UID "io.kubernetes.pod.uid"
#define POD_CONTAINER "io.kubernetes.container.name"
#define POD_SANDBOX "io.kubernetes.sandbox"
#define PLUGIN_PREFIX "plugins.moby/"
#define PLUGIN_FLAVOR "plugin.docker.com"
#define PLUGIN_NAME_LABEL "plugin.docker.com/name"
#define BUNDLE_LABEL "com.docker/engine.bundle.path"

struct deco {
	struct arena *a;
	struct ct_ptrs *groups;
};

/* The group of a type and name on an engine, created on first use. */
static struct lxkns_container_group *group_of(struct deco *d,
					      const struct lxkns_container_engine *e,
					      const char *type, const char *name)
{
	for (size_t i = 0; i < d->groups->count; i++) {
		struct lxkns_container_group *g = d->groups->items[i];
		if (g->engine == e && strcmp(g->type, type) == 0 && strcmp(g->name, name) == 0)
			return g;
	}
	struct lxkns_container_group *g = arena_alloc(d->a, sizeof(*g));
	if (!g || !(g->name = arena_strdup(d->a, name)))
		return NULL;
	g->type = g->flavor = type;
	g->engine = e;
	if (ct_push(d->a, &d->groups->items, &d->groups->count, &d->groups->cap, g) < 0)
		return NULL;
	return g;
}

static int join(struct deco *d, struct lxkns_container *c, const char *type, const char *name)
{
	struct lxkns_container_group *g = group_of(d, c->engine, type, name);
	if (!g)
		return -ENOMEM;
	for (size_t i = 0; i < c->group_count; i++)
		if (c->groups[i] == g)
			return 0;
	return ct_group_add(d->a, g, c);
}

static int compose(struct deco *d, struct lxkns_container_engine *e)
{
	for (size_t i = 0; i < e->container_count; i++) {
		struct lxkns_container *c = e->containers[i];
		const char *project = ct_label_get(&c->labels, COMPOSE_LABEL);
		int r;
		if (project && *project && (r = join(d, c, LXKNS_GROUP_COMPOSE, project)) < 0)
			return r;
	}
	return 0;
}

static int industrial_edge(struct deco *d, struct lxkns_container_engine *e)
{
	bool edge = false;

	(void)d;
	for (size_t i = 0; i < e->container_count && !edge; i++)
		edge = strcmp(e->containers[i]->name, EDGE_RUNTIME_NAME) == 0;
	if (!edge)
		return 0;
	for (size_t i = 0; i < e->container_count; i++) {
		struct lxkns_container *c = e->containers[i];
		if (strcmp(c->name, EDGE_RUNTIME_NAME) == 0) {
			c->flavor = EDGE_RUNTIME_FLAVOR;
			continue;
		}
		bool app = false;
		for (size_t k = 0; k < c->labels.count && !app; k++)
			app = strncmp(c->labels.items[k].key, EDGE_APP_LABEL_PREFIX,
				      strlen(EDGE_APP_LABEL_PREFIX)) == 0;
		if (!app)
			continue;
		c->flavor = EDGE_APP_FLAVOR;
		for (size_t k = 0; k < c->group_count; k++)
			if (strcmp(c->groups[k]->type, LXKNS_GROUP_COMPOSE) == 0)
				c->groups[k]->flavor = EDGE_APP_FLAVOR;
	}
	return 0;
}

/* Pods from the CRI labels (CRI engines and containerd's k8s.io namespace). */
static int pods_from_labels(struct deco *d, struct lxkns_container_engine *e)
{
	for (size_t i = 0; i < e->container_count; i++) {
		struct lxkns_container *c = e->containers[i];
		const char *name = ct_label_get(&c->labels, POD_NAME);
		const char *ns = ct_label_get(&c->labels, POD_NAMESPACE);
		const char *kind = ct_label_get(&c->labels, "io.cri-containerd.kind");
		char pod[1024];
		int r;
		if (!name || !*name || !ns || !*ns)
			continue;
		snprintf(pod, sizeof(pod), "%s/%s", ns, name);
		if ((r = join(d, c, LXKNS_GROUP_K8S_POD, pod)) < 0)
			return r;
		if (kind && strcmp(kind, "sandbox") == 0 &&
		    (r = ct_label_set(d->a, &c->labels, POD_SANDBOX, "")) < 0)
			return r;
	}
	return 0;
}

static bool dns_label(const char *s, size_t len)
{
	if (!len || len > 63)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && !(c == '-' && i > 0 && i + 1 < len))
			return false;
	}
	return true;
}

int ct_parse_dockershim_name(const char *name, struct ct_dockershim *ret)
{
	const char *f[8];
	size_t len[8], n = 0;
	const char *p = name;

	if (strncmp(name, "k8s_", 4) != 0)
		return -EINVAL;
	for (;;) {
		const char *us = strchr(p, '_');
		if (n == 8)
			return -EINVAL;
		f[n] = p;
		len[n++] = us ? (size_t)(us - p) : strlen(p);
		if (!us)
			break;
		p = us + 1;
	}
	if (n != 6 && n != 7)
		return -EINVAL;
	bool sandbox = len[1] == 3 && memcmp(f[1], "POD", 3) == 0;
	if ((!sandbox && !dns_label(f[1], len[1])) || !dns_label(f[2], len[2]) ||
	    !dns_label(f[3], len[3]) || !len[4])
		return -EINVAL;
	for (size_t i = 0; i < len[4]; i++) {
		char c = f[4][i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return -EINVAL;
	}
	*ret = (struct ct_dockershim){ f[1], f[2], f[3], f[4], len[1], len[2], len[3], len[4] };
	return 0;
}

static int dockershim(struct deco *d, struct lxkns_container_engine *e)
{
	for (size_t i = 0; i < e->container_count; i++) {
		struct lxkns_container *c = e->containers[i];
		struct ct_dockershim k;
		char pod[200];
		int r;
		if (ct_parse_dockershim_name(c->name, &k) < 0)
			continue;
		snprintf(pod, sizeof(pod), "%.*s/%.*s", (int)k.ns_len, k.ns, (int)k.pod_len, k.pod);
		if ((r = ct_label_setn(d->a, &c->labels, POD_CONTAINER, strlen(POD_CONTAINER),
				       k.container, k.container_len)) < 0 ||
		    (r = join(d, c, LXKNS_GROUP_K8S_POD, pod)) < 0 ||
		    (r = ct_label_setn(d->a, &c->labels, POD_UID, strlen(POD_UID), k.uid,
				       k.uid_len)) < 0)
			return r;
		if (k.container_len == 3 && memcmp(k.container, "POD", 3) == 0 &&
		    (r = ct_label_set(d->a, &c->labels, POD_SANDBOX, "")) < 0)
			return r;
	}
	return 0;
}

static int podman_pods(struct deco *d, struct lxkns_container_engine *e)
{
	for (size_t i = 0; i < e->container_count; i++) {
		struct lxkns_container *c = e->containers[i];
		int r;
		if (c->pod && *c->pod && (r = join(d, c, LXKNS_GROUP_PODMAN_POD, c->pod)) < 0)
			return r;
	}
	return 0;
}

/* The name of the first *.sock in dir (the engine's view), or NULL. */
static const char *plugin_socket(struct deco *d, const struct lxkns_container_engine *e,
				 const char *dir)
{
	char path[600];
	const char *name = NULL;

	if (e->pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/root%s", (int)e->pid, dir);
	else
		snprintf(path, sizeof(path), "%s", dir);
	DIR *dd = opendir(path);
	if (!dd)
		return NULL;
	struct dirent *de;
	while ((de = readdir(dd))) {
		size_t n = strlen(de->d_name);
		if ((de->d_type != DT_SOCK && de->d_type != DT_UNKNOWN) || n <= 5 ||
		    strcmp(de->d_name + n - 5, ".sock") != 0)
			continue;
		name = arena_strndup(d->a, de->d_name, n - 5);
		break;
	}
	closedir(dd);
	return name;
}

static int docker_plugins(struct deco *d, struct lxkns_container_engine *e)
{
	for (size_t i = 0; i < e->container_count; i++) {
		struct lxkns_container *c = e->containers[i];
		const char *bundle, *base, *name = NULL;
		char dir[512];
		if (strncmp(c->name, PLUGIN_PREFIX, strlen(PLUGIN_PREFIX)) != 0)
			continue;
		c->flavor = PLUGIN_FLAVOR;
		bundle = ct_label_get(&c->labels, BUNDLE_LABEL);
		base = bundle && *bundle ? strrchr(bundle, '/') : NULL;
		base = base ? base + 1 : bundle && *bundle ? bundle : c->id;
		if (!*base || strcmp(base, "..") == 0 || strcmp(base, ".") == 0)
			continue;
		/* the plugin's socket, as the engine sees it: in its bundle
		 * directory (any exec root), else where Docker keeps them */
		if (bundle && bundle[0] == '/')
			name = plugin_socket(d, e, bundle);
		if (!name) {
			snprintf(dir, sizeof(dir), "/run/docker/plugins/%s", base);
			name = plugin_socket(d, e, dir);
		}
		if (!name || !*name)
			continue;
		int r = ct_label_set(d->a, &c->labels, PLUGIN_NAME_LABEL, name);
		if (r < 0)
			return r;
		c->name = name;
	}
	return 0;
}

static int devcontainers(struct deco *d, struct lxkns_container_engine *e)
{
	for (size_t i = 0; i < e->container_count; i++) {
		struct lxkns_container *c = e->containers[i];
		const char *folder = ct_label_get(&c->labels, "devcontainer.local_folder");
		const char *meta = ct_label_get(&c->labels, "devcontainer.metadata");
		int r;
		if (folder && *folder) {
			size_t n = strlen(folder);
			while (n > 1 && folder[n - 1] == '/')
				n--;
			const char *b = folder + n;
			while (b > folder && b[-1] != '/')
				b--;
			size_t blen = (size_t)(folder + n - b);
			if (blen && !(blen == 1 && *b == '.') && !(blen == 1 && *b == '/') &&
			    (r = ct_label_setn(d->a, &c->labels, LXKNS_LABEL_DEVCONTAINER,
					       strlen(LXKNS_LABEL_DEVCONTAINER), b, blen)) < 0)
				return r;
			continue;
		}
		if (meta && *meta) {
			const char *cs = NULL;
			if (ct_parse_devcontainer_metadata(meta, strlen(meta), d->a, &cs) ==
			    -ENOMEM)
				return -ENOMEM;
			if (cs &&
			    (r = ct_label_set(d->a, &c->labels, LXKNS_LABEL_CODESPACE, cs)) < 0)
				return r;
		}
	}
	return 0;
}

/* All decorators in the order they run; the engine-specific ones (a CT_DECO_*
 * bit) only on the engines whose ops ask for them (by engine type: an engine
 * without ops, runc or crun, gets the others). */
static const struct {
	unsigned only; /* CT_DECO_*, 0: every engine */
	int (*fn)(struct deco *d, struct lxkns_container_engine *e);
} decorators[] = {
	{ 0, compose },
	{ 0, industrial_edge },
	{ CT_DECO_K8S_LABELS, pods_from_labels },
	{ CT_DECO_DOCKERSHIM, dockershim },
	{ CT_DECO_PODMAN_PODS, podman_pods },
	{ CT_DECO_DOCKER_PLUGINS, docker_plugins },
	{ 0, devcontainers },
};

int ct_decorate(struct lxkns_result *r, struct arena *a, struct lxkns_container_engine **engines,
		size_t n, struct ct_ptrs *groups_out)
{
	struct deco d = { .a = a, .groups = groups_out };
	int ret = 0;

	(void)r;
	for (size_t i = 0; i < n && ret == 0; i++) {
		struct lxkns_container_engine *e = engines[i];
		const struct ct_engine_ops *ops = ct_engine_ops_of_type(e->type);
		unsigned mine = ops ? ops->decorators : 0;
		for (size_t k = 0; k < ELEMENTSOF(decorators) && ret == 0; k++)
			if (!decorators[k].only || (decorators[k].only & mine))
				ret = decorators[k].fn(&d, e);
	}
	return ret;
}
