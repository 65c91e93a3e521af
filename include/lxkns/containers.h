/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containers.h: containers, the container engines that manage them, and the
 * groups decorators put them in (compose projects, Kubernetes pods, podman
 * pods). A discovery with with_containers finds engines in the process table
 * (dockerd, containerd, crio, a podman API service), asks each over its own
 * API (Docker Engine API, podman's libpod API, containerd's native gRPC API,
 * the Kubernetes CRI), adds containers that only an OCI runtime state
 * directory knows (plain runc and crun), translates every container PID into
 * the PID namespace of the discovery (engines may run inside containers) and
 * links each container to its initial process.
 *
 * Everything is owned by the result (see model.h): pointers stay valid until
 * the last lxkns_result_unref().
 */
#ifndef LXKNS_CONTAINERS_H
#define LXKNS_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <lxkns/model.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lxkns_container;
struct lxkns_container_engine;
struct lxkns_container_group;

/* Engine types (lxkns' names, which the lxkns web UI recognises). */
#define LXKNS_ENGINE_DOCKER "docker.com"
#define LXKNS_ENGINE_CONTAINERD "containerd.io"
#define LXKNS_ENGINE_CRI "k8s.io/cri-api"
#define LXKNS_ENGINE_PODMAN "podman.io"
/* Ours, beyond lxkns: containers known only from an OCI runtime's state
 * directory (/run/runc, /run/crun). */
#define LXKNS_ENGINE_RUNC "runc"
#define LXKNS_ENGINE_CRUN "crun"

/* Group types. */
#define LXKNS_GROUP_COMPOSE "com.docker.compose.project"
#define LXKNS_GROUP_K8S_POD "io.kubernetes.pod"
#define LXKNS_GROUP_PODMAN_POD "io.podman"

/* Labels that decorators and the engine stacking add. */
#define LXKNS_LABEL_PREFIX "turtlefinder/container/prefix"
#define LXKNS_LABEL_ENGINE_ID "turtlefinder/engine/id"
#define LXKNS_LABEL_ENGINE_PARENT_ID "turtlefinder/engine/parent-id"
#define LXKNS_LABEL_DEVCONTAINER "lxkns.devcontainer.name"
#define LXKNS_LABEL_CODESPACE "lxkns.codespace.name"

/* ---- the result's containers, engines and groups ---------------------- */

/* The number of containers (0 without container discovery). */
size_t lxkns_result_container_count(const struct lxkns_result *result);
/* The index-th container, sorted by PID (in the discovery's PID namespace),
 * or NULL when index is out of range. Borrowed. */
const struct lxkns_container *lxkns_result_container_at(const struct lxkns_result *result,
							size_t index);
/* The container whose initial process has pid (in the discovery's PID
 * namespace), or NULL when there is none. Borrowed. */
const struct lxkns_container *lxkns_result_container_by_pid(const struct lxkns_result *result,
							    pid_t pid);

/* The number of container engines found; engines without containers are
 * included. */
size_t lxkns_result_engine_count(const struct lxkns_result *result);
/* The index-th engine, in the order of their "turtlefinder/engine/id" label
 * (1, 2, ...): by engine PID, then type; state-directory engines last. NULL
 * when index is out of range. Borrowed. */
const struct lxkns_container_engine *lxkns_result_engine_at(const struct lxkns_result *result,
							    size_t index);

/* The number of container groups (compose projects, pods). */
size_t lxkns_result_group_count(const struct lxkns_result *result);
/* The index-th group, by type, then name (then engine), or NULL when index
 * is out of range. Borrowed. */
const struct lxkns_container_group *lxkns_result_group_at(const struct lxkns_result *result,
							  size_t index);

/* The container whose initial process proc is, or NULL (also for a NULL
 * proc). Borrowed. */
const struct lxkns_container *lxkns_process_container(const struct lxkns_process *proc);

/* ---- containers -------------------------------------------------------- */

/* The container's ID as its engine gives it (Docker: 64 hex digits); never
 * NULL. Borrowed. */
const char *lxkns_container_id(const struct lxkns_container *c);
/* The name as the engine gives it (Docker: without the leading "/";
 * containerd: "namespace/id" outside the "default" namespace). */
const char *lxkns_container_name(const struct lxkns_container *c);
/* The engine type, e.g. "docker.com". */
const char *lxkns_container_type(const struct lxkns_container *c);
/* The type, unless a decorator knows better (e.g. "plugin.docker.com"). */
const char *lxkns_container_flavor(const struct lxkns_container *c);
/* The PID of the initial process, in the discovery's PID namespace. */
pid_t lxkns_container_pid(const struct lxkns_container *c);
/* Whether the engine reports the container as paused (containerd: its task
 * is not running; runc and crun: its cgroup is frozen). */
bool lxkns_container_paused(const struct lxkns_container *c);
/* The number of labels: the engine's, plus those decorators and the engine
 * stacking add (LXKNS_LABEL_*). */
size_t lxkns_container_label_count(const struct lxkns_container *c);
/* The key of the index-th label, sorted by key (byte order), or NULL when
 * index is out of range. Borrowed. */
const char *lxkns_container_label_key_at(const struct lxkns_container *c, size_t index);
/* The value of the index-th label (may be ""), or NULL when index is out
 * of range. Borrowed. */
const char *lxkns_container_label_value_at(const struct lxkns_container *c, size_t index);
/* The value of a label, or NULL when the container has no such label (or
 * key is NULL). Borrowed. */
const char *lxkns_container_label(const struct lxkns_container *c, const char *key);
/* The engine managing the container; NULL only for a container read from a
 * JSON document that names no engine. Borrowed. */
const struct lxkns_container_engine *lxkns_container_engine(const struct lxkns_container *c);
/* The number of groups the container belongs to (usually 0 or 1). */
size_t lxkns_container_group_count(const struct lxkns_container *c);
/* The index-th group of the container, in the result's group order (for a
 * result read from JSON: the document's), or NULL when index is out of
 * range. Borrowed. */
const struct lxkns_container_group *lxkns_container_group_at(const struct lxkns_container *c,
							     size_t index);
/* The initial process, or NULL when it is not in the process table.
 * Borrowed. */
const struct lxkns_process *lxkns_container_process(const struct lxkns_container *c);
/* The name with the prefix of the enclosing container (for engines inside
 * containers), as the lxkns UI shows it: "[outer]:name", or just the name.
 * Written into the caller's buf (truncated to size, NUL-terminated; left
 * alone when size is 0); returns buf. */
const char *lxkns_container_display_name(const struct lxkns_container *c, char *buf, size_t size);

/* ---- engines ----------------------------------------------------------- */

/* Engine instance ID (Docker's daemon ID, containerd's UUID; may be "").
 * Borrowed. */
const char *lxkns_engine_id(const struct lxkns_container_engine *e);
/* The engine type, one of LXKNS_ENGINE_*. Borrowed. */
const char *lxkns_engine_type(const struct lxkns_container_engine *e);
/* The version the engine reports; "" when unknown (never NULL). Borrowed. */
const char *lxkns_engine_version(const struct lxkns_container_engine *e);
/* The API endpoint, e.g. "unix:///run/docker.sock", or for an engine in
 * another mount namespace "unix:///proc/PID/root/run/docker.sock"; for a
 * state-directory engine its directory ("file:///run/runc"). Borrowed. */
const char *lxkns_engine_api(const struct lxkns_container_engine *e);
/* The engine process (in the discovery's PID namespace), 0 when none. */
pid_t lxkns_engine_pid(const struct lxkns_container_engine *e);
/* The number of the engine's labels (discovery adds LXKNS_LABEL_ENGINE_ID
 * and, for an engine inside a container, LXKNS_LABEL_ENGINE_PARENT_ID). */
size_t lxkns_engine_label_count(const struct lxkns_container_engine *e);
/* The key of the engine's index-th label, sorted by key, or NULL when index
 * is out of range. Borrowed. */
const char *lxkns_engine_label_key_at(const struct lxkns_container_engine *e, size_t index);
/* The value of the engine's index-th label, or NULL when index is out of
 * range. Borrowed. */
const char *lxkns_engine_label_value_at(const struct lxkns_container_engine *e, size_t index);
/* The value of an engine label, or NULL when the engine has no such label
 * (or key is NULL). Borrowed. */
const char *lxkns_engine_label(const struct lxkns_container_engine *e, const char *key);
/* The number of containers the engine manages (may be 0). */
size_t lxkns_engine_container_count(const struct lxkns_container_engine *e);
/* The engine's index-th container, sorted by PID, or NULL when index is out
 * of range. Borrowed. */
const struct lxkns_container *lxkns_engine_container_at(const struct lxkns_container_engine *e,
							size_t index);

/* ---- groups ------------------------------------------------------------ */

/* The group's name: the compose project, "namespace/pod" for Kubernetes,
 * the podman pod. Groups are per engine: one name may occur once per
 * engine. Borrowed. */
const char *lxkns_group_name(const struct lxkns_container_group *g);
/* The group type, one of LXKNS_GROUP_*. Borrowed. */
const char *lxkns_group_type(const struct lxkns_container_group *g);
/* The type, unless a decorator knows better (e.g. an Industrial Edge app
 * project). Borrowed. */
const char *lxkns_group_flavor(const struct lxkns_container_group *g);
/* The number of the group's labels. */
size_t lxkns_group_label_count(const struct lxkns_container_group *g);
/* The key of the group's index-th label, sorted by key, or NULL when index
 * is out of range. Borrowed. */
const char *lxkns_group_label_key_at(const struct lxkns_container_group *g, size_t index);
/* The value of the group's index-th label, or NULL when index is out of
 * range. Borrowed. */
const char *lxkns_group_label_value_at(const struct lxkns_container_group *g, size_t index);
/* The number of containers in the group. */
size_t lxkns_group_container_count(const struct lxkns_container_group *g);
/* The group's index-th container, sorted by PID, or NULL when index is out
 * of range. Borrowed. */
const struct lxkns_container *lxkns_group_container_at(const struct lxkns_container_group *g,
						       size_t index);

/* ---- keeping engines in sync (long-running callers) -------------------- */

/*
 * A watcher keeps the state of every engine it has seen in sync from the
 * engines' event streams (Docker and podman /events, containerd's event
 * service; CRI engines are polled), in background threads. A discovery
 * given a watcher (lxkns_discover_opts.container_watcher) takes its
 * containers from the watcher instead of querying every engine: only
 * engines it has not seen yet are contacted (and waited for, up to the
 * container timeout). One watcher may serve concurrent discoveries.
 */
struct lxkns_container_watcher;

/* 0 and a new watcher, or -errno. */
int lxkns_container_watcher_new(struct lxkns_container_watcher **ret_watcher);
/* Stops the background threads and frees the watcher (NULL is fine).
 * No discovery may be using it any more. */
void lxkns_container_watcher_free(struct lxkns_container_watcher *watcher);

#ifdef __cplusplus
}
#endif
#endif
