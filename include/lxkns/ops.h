/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ops.h: doing things with discovered namespaces: opening them (also those
 * without any process: bind-mounted inside process-less mount namespaces,
 * fd-held, or hidden parents and owners), running a function or a command
 * inside a set of them, and reading a file as another mount namespace sees
 * it. Every open checks the namespace is still the one discovered (same
 * inode), so a namespace that is gone is refused, not confused with another.
 */
#ifndef LXKNS_OPS_H
#define LXKNS_OPS_H

#include <stddef.h>
#include <sys/types.h>

#include <lxkns/model.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Opens the namespace: through its reference (a /proc path, or a chain of
 * bind mounts resolved mount namespace by mount namespace), or for a hidden
 * one through a child or owned namespace and NS_GET_PARENT/NS_GET_USERNS.
 * Returns an O_CLOEXEC fd, or -ESRCH when the namespace is gone (or its
 * inode now names another), -errno otherwise.
 */
int lxkns_namespace_open(const struct lxkns_result *result, const struct lxkns_namespace *ns);

/*
 * Runs fn(userdata) inside the namespaces nss[0..count) (at most one per
 * type). Without a user or PID namespace among them, fn runs in a helper
 * thread of this process and its return value is returned; otherwise in a
 * forked child (setns(user) is impossible for a multi-threaded process, and
 * a PID namespace only applies to children), and the return value is its
 * exit status (0..255). -EINVAL for two namespaces of one type.
 */
int lxkns_namespaces_run(const struct lxkns_result *result,
			 const struct lxkns_namespace *const *nss, size_t count,
			 int (*fn)(void *userdata), void *userdata);

/*
 * Runs the command argv (looked up in PATH as seen after entering) inside
 * the namespaces, waits for it and returns its exit status (128+signal when
 * killed), or -errno when the namespaces cannot be entered (then nothing
 * ran). Standard streams are inherited.
 */
int lxkns_namespaces_exec(const struct lxkns_result *result,
			  const struct lxkns_namespace *const *nss, size_t count,
			  char *const argv[]);

/*
 * Reads the file at path as mount namespace mntns sees it (symlinks are
 * resolved inside it) into a malloc'ed buffer (NUL-terminated, *ret_len
 * without the NUL), at most max bytes (-EFBIG beyond).
 */
int lxkns_mntns_read_file(const struct lxkns_result *result, const struct lxkns_namespace *mntns,
			  const char *path, size_t max, char **ret_buf, size_t *ret_len);

#ifdef __cplusplus
}
#endif
#endif
