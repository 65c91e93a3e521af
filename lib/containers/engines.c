/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engines.c: the table of engines (ct_engines: one line per engine in
 * containers-internal.h, the ops in each client file) and the engines in the
 * process table. An engine is a process with the name of an engine in the
 * table (dockerd, containerd, crio, podman) that listens on unix sockets: its
 * socket fds are matched against /proc/PID/net/unix of its own network
 * namespace. The socket paths are as the engine sees them; for an engine in
 * another mount namespace (an engine inside a container) they are reached
 * through /proc/PID/root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "containers-internal.h"
#include "strutil.h"

#define CT_ENGINE_ENTRY(kind, ops) [kind] = &ops,
const struct ct_engine_ops *const ct_engines[_CT_KIND_MAX] = { CT_ENGINES(CT_ENGINE_ENTRY) };
#undef CT_ENGINE_ENTRY

const struct ct_engine_ops *ct_engine_ops_of_type(const char *type)
{
	for (size_t k = 0; k < _CT_KIND_MAX; k++)
		if (strcmp(ct_engines[k]->type, type) == 0)
			return ct_engines[k];
	return NULL;
}

int ct_read_file_at(int dirfd, const char *path, size_t max, struct buf *b)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	buf_truncate(b, 0);
	for (;;) {
		if (buf_reserve(b, 4096) < 0)
			return -ENOMEM;
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->data[b->len] = 0;
		if (b->len > max)
			return -EFBIG;
	}
	return 0;
}

struct sockset {
	uint64_t *inos;
	size_t count, cap;
};

static int collect_sockets(int procfd, pid_t pid, struct sockset *s)
{
	char path[32];
	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	int dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		char link[64];
		uint64_t ino;
		const char *name;
		size_t namelen;
		if (de->d_name[0] == '.')
			continue;
		ssize_t n = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (parse_bracket_ino(link, (size_t)n, &name, &namelen, &ino) < 0 || namelen != 6 ||
		    memcmp(name, "socket", 6) != 0)
			continue;
		if (s->count == s->cap) {
			size_t ncap = s->cap ? s->cap * 2 : 32;
			uint64_t *nn = realloc(s->inos, ncap * sizeof(*nn));
			if (!nn) {
				closedir(d);
				return -ENOMEM;
			}
			s->inos = nn;
			s->cap = ncap;
		}
		s->inos[s->count++] = ino;
	}
	closedir(d);
	return 0;
}

struct listening {
	const struct sockset *set;
	char **paths;
	size_t count;
	int err;
};

static int on_listening(void *userdata, uint64_t ino, const char *path, size_t plen)
{
	struct listening *l = userdata;
	bool mine = false;
	for (size_t i = 0; i < l->set->count && !mine; i++)
		mine = l->set->inos[i] == ino;
	if (!mine || plen >= 4096)
		return 0;
	for (size_t i = 0; i < l->count; i++) /* the same path twice (dual-stack?) */
		if (strlen(l->paths[i]) == plen && memcmp(l->paths[i], path, plen) == 0)
			return 0;
	char **n = realloc(l->paths, (l->count + 1) * sizeof(*n));
	if (!n) {
		l->err = -ENOMEM;
		return 1;
	}
	l->paths = n;
	if (!(l->paths[l->count] = strndup(path, plen))) {
		l->err = -ENOMEM;
		return 1;
	}
	l->count++;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Not API endpoints: containerd's ttrpc and debug sockets, metrics. */
static bool skip_socket(const char *path)
{
	const char *b = base_name(path);
	return ends_with(path, ".ttrpc") || strcmp(b, "debug.sock") == 0 ||
	       strcmp(b, "metrics.sock") == 0;
}

/* The usual API socket first, then by path. */
static bool before(const char *x, const char *y, const char *preferred)
{
	bool px = strcmp(base_name(x), preferred) == 0, py = strcmp(base_name(y), preferred) == 0;
	if (px != py)
		return px;
	return strcmp(x, y) < 0;
}

static void sort_sockets(char **paths, size_t n, const char *preferred)
{
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && before(paths[k], paths[k - 1], preferred); k--) {
			char *t = paths[k];
			paths[k] = paths[k - 1];
			paths[k - 1] = t;
		}
}

void ct_candidates_free(struct ct_candidates *c)
{
	for (size_t i = 0; i < c->count; i++) {
		for (size_t k = 0; k < c->items[i].socket_count; k++) {
			free(c->items[i].sockets[k]);
			free(c->items[i].apis[k]);
		}
		free(c->items[i].sockets);
		free(c->items[i].apis);
	}
	free(c->items);
	*c = (struct ct_candidates){ 0 };
}

/* add_candidate(), step 1: the paths of the API sockets p listens on, best
 * first (malloc'ed, also on error). 0 also when there are none or p is gone
 * (with a diagnostic where that says something), or -ENOMEM. */
static int listening_sockets(struct lxkns_result *r, int procfd, const struct lxkns_process *p,
			     enum ct_kind kind, struct listening *l)
{
	struct sockset set = { 0 };
	struct buf unix_table = { 0 };
	char path[48];
	int ret;

	l->set = &set;
	ret = collect_sockets(procfd, p->pid, &set);
	if (ret < 0) {
		if (ret != -ENOENT) /* gone: nothing to say */
			result_diag(r, p->pid, ret, "containers",
				    "cannot list the fds of container engine %s (PID %d): %s",
				    ct_engines[kind]->name, (int)p->pid, strerror(-ret));
		ret = ret == -ENOMEM ? ret : 0;
		goto out;
	}
	if (!set.count)
		goto out;
	snprintf(path, sizeof(path), "%d/net/unix", (int)p->pid);
	ret = ct_read_file_at(procfd, path, 64 * 1024 * 1024, &unix_table);
	if (ret < 0) {
		if (ret != -ENOENT)
			result_diag(r, p->pid, ret, "containers",
				    "cannot read /proc/%d/net/unix of container engine %s: %s",
				    (int)p->pid, ct_engines[kind]->name, strerror(-ret));
		ret = ret == -ENOMEM ? ret : 0;
		goto out;
	}
	ct_parse_net_unix(unix_table.data, unix_table.len, on_listening, l);
	if ((ret = l->err) < 0)
		goto out;
	/* keep the API candidates, best first */
	size_t n = 0;
	for (size_t i = 0; i < l->count; i++) {
		if (skip_socket(l->paths[i]))
			free(l->paths[i]);
		else
			l->paths[n++] = l->paths[i];
	}
	l->count = n;
	sort_sockets(l->paths, n, ct_engines[kind]->socket);
out:
	l->set = NULL;
	free(set.inos);
	buf_free(&unix_table);
	return ret;
}

/* Step 2: a candidate with the sockets at paths (as p sees them) that we
 * can connect to, unless there are none. */
static int push_candidate(struct lxkns_result *r, uint64_t self_mntns,
			  const struct lxkns_process *p, enum ct_kind kind, char *const *paths,
			  size_t n, struct ct_candidates *out)
{
	struct ct_candidate *nc = realloc(out->items, (out->count + 1) * sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	out->items = nc;
	struct ct_candidate *c = &out->items[out->count];
	*c = (struct ct_candidate){ .kind = kind, .proc = p };
	c->sockets = calloc(n, sizeof(char *));
	c->apis = calloc(n, sizeof(char *));
	out->count++; /* freed by ct_candidates_free from here on */
	if (!c->sockets || !c->apis)
		return -ENOMEM;
	const struct lxkns_namespace *mnt = pc_ns(&p->c, LXKNS_NS_MNT);
	bool same_mnt = mnt && mnt->id.ino == self_mntns;
	for (size_t i = 0; i < n; i++) {
		char *sock, *api;
		if (same_mnt) {
			sock = strdup(paths[i]);
		} else if (asprintf(&sock, "/proc/%d/root%s", (int)p->pid, paths[i]) < 0) {
			sock = NULL;
		}
		if (!sock || asprintf(&api, "unix://%s", sock) < 0) {
			free(sock);
			return -ENOMEM;
		}
		if (strlen(sock) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			result_diag(r, p->pid, ENAMETOOLONG, "containers",
				    "the API socket %s of container engine %s (PID %d) is too long "
				    "to connect to",
				    sock, ct_engines[kind]->name, (int)p->pid);
			free(sock);
			free(api);
			continue;
		}
		c->sockets[c->socket_count] = sock;
		c->apis[c->socket_count++] = api;
	}
	if (!c->socket_count) {
		free(c->sockets);
		free(c->apis);
		out->count--;
	}
	return 0;
}

/* An engine process with its API sockets, if it has any. */
static int add_candidate(struct lxkns_result *r, int procfd, uint64_t self_mntns,
			 const struct lxkns_process *p, enum ct_kind kind,
			 struct ct_candidates *out)
{
	struct listening l = { 0 };
	int ret = listening_sockets(r, procfd, p, kind, &l);

	if (ret == 0 && l.count)
		ret = push_candidate(r, self_mntns, p, kind, l.paths, l.count, out);
	for (size_t i = 0; i < l.count; i++)
		free(l.paths[i]);
	free(l.paths);
	return ret;
}

/* A candidate without sockets: an engine the caller already knows. */
static int add_known(const struct lxkns_process *p, enum ct_kind kind, struct ct_candidates *out)
{
	struct ct_candidate *nc = realloc(out->items, (out->count + 1) * sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	out->items = nc;
	out->items[out->count++] = (struct ct_candidate){ .kind = kind, .proc = p };
	return 0;
}

int ct_find_engines(struct lxkns_result *r, int procfd, uint64_t self_mntns,
		    bool (*known)(void *userdata, const struct lxkns_process *p, enum ct_kind kind),
		    void *userdata, struct ct_candidates *out)
{
	*out = (struct ct_candidates){ 0 };
	for (size_t i = 0; i < r->proc_count; i++) {
		const struct lxkns_process *p = r->procs[i];
		if (!p->c.name)
			continue;
		for (enum ct_kind k = 0; k < _CT_KIND_MAX; k++) {
			if (strcmp(p->c.name, ct_engines[k]->name) != 0)
				continue;
			int ret = known && known(userdata, p, k)
					  ? add_known(p, k, out)
					  : add_candidate(r, procfd, self_mntns, p, k, out);
			if (ret < 0) {
				ct_candidates_free(out);
				return ret;
			}
			break;
		}
	}
	return 0;
}
