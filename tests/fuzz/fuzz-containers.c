/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz targets for the container engine reply parsers (lib/containers/);
 * FUZZ_TARGET selects one:
 *   1 ct-pb       every protobuf reply (containerd, CRI) on the same bytes,
 *                 and a raw walk of the wire format (nested as far as it goes)
 *   2 ct-json     every JSON reply (Docker/podman list, inspect, version,
 *                 events, devcontainer metadata, OCI runtime state)
 *   3 ct-text     /proc/PID/net/unix tables and dockershim container names
 * Each checks the invariants of what it got (spans inside the input, sane
 * PIDs, labels that are NUL-terminated strings).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "containers/containers-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* not FUZZ_CHECK(): the invariants must hold in release builds too */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static inline void check_list(const struct ct_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		const struct lxkns_container *c = l->items[i];
		FUZZ_CHECK(c->id && c->name && c->pid >= 0);
		for (size_t k = 0; k < c->labels.count; k++)
			FUZZ_CHECK(c->labels.items[k].key && c->labels.items[k].value);
	}
}

#if FUZZ_TARGET == 1
static void walk(const uint8_t *data, size_t size, int depth)
{
	struct pb_reader r = pb_reader_of(data, size);
	struct pb_field f;
	int k;
	while ((k = pb_next(&r, &f)) > 0) {
		FUZZ_CHECK(f.num > 0);
		if (f.wire == PB_LEN) {
			FUZZ_CHECK(f.data >= data && f.data + f.len <= data + size);
			if (depth < 8)
				walk(f.data, f.len, depth + 1);
		}
	}
	FUZZ_CHECK(k == 0 || k == -EBADMSG);
}
#endif

#if FUZZ_TARGET == 3
static int on_sock(void *userdata, uint64_t ino, const char *path, size_t plen)
{
	const uint8_t **span = userdata;
	FUZZ_CHECK((const uint8_t *)path >= span[0] && (const uint8_t *)path + plen <= span[1]);
	FUZZ_CHECK(plen > 0 && path[0] == '/');
	(void)ino;
	return 0;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = { 0 };
#if FUZZ_TARGET == 1
	const char *s;
	struct ct_strv nss = { 0 };
	struct ct_list l = { 0 };
	struct ct_tasks t = { 0 };
	char ns[64], topic[64];
	pid_t pid;

	walk(data, size, 0);
	ct_parse_ctrd_version(data, size, &a, &s);
	ct_parse_ctrd_server(data, size, &a, &s);
	ct_parse_ctrd_namespaces(data, size, &a, &nss);
	for (size_t i = 0; i < nss.count; i++)
		FUZZ_CHECK(nss.items[i] && nss.items[i][0]);
	ct_parse_ctrd_containers(data, size, &a, &l);
	check_list(&l);
	if (ct_parse_ctrd_tasks(data, size, &a, &t) == 0)
		for (size_t i = 0; i < t.count; i++)
			FUZZ_CHECK(t.items[i].container_id && t.items[i].pid >= 0 &&
				   t.items[i].status >= 0 &&
				   t.items[i].status <= CTRD_TASK_PAUSING);
	if (ct_parse_ctrd_envelope(data, size, ns, sizeof(ns), topic, sizeof(topic)) == 0)
		FUZZ_CHECK(strlen(ns) < sizeof(ns) && strlen(topic) < sizeof(topic));
	ct_parse_cri_version(data, size, &a, &s);
	l = (struct ct_list){ 0 };
	ct_parse_cri_sandboxes(data, size, &a, &l);
	check_list(&l);
	l = (struct ct_list){ 0 };
	ct_parse_cri_containers(data, size, &a, &l);
	check_list(&l);
	if (ct_parse_cri_status_pid(data, size, &pid) == 0)
		FUZZ_CHECK(pid > 0);
#elif FUZZ_TARGET == 2
	const char *buf = (const char *)data, *s = NULL;
	struct ct_list l = { 0 };
	struct ct_docker_event ev;
	pid_t pid;
	bool paused, running;

	ct_parse_docker_list(buf, size, &a, false, &l);
	check_list(&l);
	l = (struct ct_list){ 0 };
	ct_parse_docker_list(buf, size, &a, true, &l);
	check_list(&l);
	if (ct_parse_docker_inspect(buf, size, &pid, &paused, &running) == 0)
		FUZZ_CHECK(pid >= 0);
	if (ct_parse_json_string(buf, size, "Version", &a, &s) == 0)
		FUZZ_CHECK(s);
	if (ct_parse_docker_event(buf, size, &ev) == 0)
		FUZZ_CHECK(strlen(ev.id) < sizeof(ev.id) && strlen(ev.action) < sizeof(ev.action));
	ct_parse_devcontainer_metadata(buf, size, &a, &s);
	struct lxkns_container *c = ct_container_new(&a);
	if (c && ct_parse_runc_state(buf, size, &a, c) == 0)
		FUZZ_CHECK(c->pid > 0 && c->id && c->id[0]);
	c = ct_container_new(&a);
	if (c && ct_parse_crun_status(buf, size, &a, c, &s) == 0)
		FUZZ_CHECK(c->pid > 0);
	if (c)
		ct_parse_oci_annotations(buf, size, &a, c);
#else
	const uint8_t *span[2] = { data, data + size };
	ct_parse_net_unix((const char *)data, size, on_sock, span);
	char *name = malloc(size + 1);
	struct ct_dockershim k;
	if (name) {
		memcpy(name, data, size);
		name[size] = 0;
		if (ct_parse_dockershim_name(name, &k) == 0)
			FUZZ_CHECK(k.pod_len && k.ns_len && k.uid_len &&
				   k.pod + k.pod_len <= name + strlen(name));
		free(name);
	}
#endif
	arena_free(&a);
	return 0;
}
