/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"

static const cap_value_t needed[] = {
	CAP_SYS_PTRACE,	     /* /proc/PID/ns entries, /proc/PID/root, pidfd_getfd */
	CAP_SYS_ADMIN,	     /* nsfs ioctls on foreign namespaces, setns */
	CAP_SYS_CHROOT,	     /* setns into mount namespaces */
	CAP_DAC_READ_SEARCH, /* bind-mount paths and /proc files of others */
	CAP_DAC_OVERRIDE,    /* container engine sockets */
	CAP_NET_ADMIN,	     /* SIOCGSKNS: network namespaces held only by sockets */
};

static bool is_needed(cap_value_t c)
{
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (needed[i] == c)
			return true;
	return false;
}

static void append_name(char *out, size_t size, cap_value_t c)
{
	char *name = cap_to_name(c);
	size_t len = strlen(out);

	if (!name || size == 0)
		return;
	snprintf(out + len, size - len, "%s%s", len ? "," : "", name);
	cap_free(name);
}

int caps_trim(char *kept, size_t kept_size, char *missing, size_t missing_size)
{
	cap_t cur, next;
	int r = 0;

	if (kept_size)
		kept[0] = 0;
	if (missing_size)
		missing[0] = 0;
	cur = cap_get_proc();
	if (!cur)
		return -errno;
	next = cap_init();
	if (!next) {
		r = -errno;
		cap_free(cur);
		return r;
	}
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		cap_flag_value_t v = CAP_CLEAR;
		cap_get_flag(cur, needed[i], CAP_PERMITTED, &v);
		if (v == CAP_SET) {
			cap_set_flag(next, CAP_PERMITTED, 1, &needed[i], CAP_SET);
			cap_set_flag(next, CAP_EFFECTIVE, 1, &needed[i], CAP_SET);
			append_name(kept, kept_size, needed[i]);
		} else {
			append_name(missing, missing_size, needed[i]);
		}
	}

	/* The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * the new sets no longer hold. Without it (an unprivileged user with
	 * file capabilities) the bounding set stays as it is, which is
	 * harmless with no_new_privs. */
	for (cap_value_t c = 0; c < cap_max_bits(); c++) {
		if (is_needed(c) || CAP_IS_SUPPORTED(c) == 0)
			continue;
		if (cap_drop_bound(c) < 0 && errno != EPERM && errno != EINVAL) {
			r = -errno;
			goto out;
		}
	}
	/* Ambient capabilities would survive an exec; there is none. */
	if (CAP_AMBIENT_SUPPORTED())
		(void)cap_reset_ambient();
	if (cap_set_proc(next) < 0) {
		r = -errno;
		goto out;
	}
	/* No exec can give back what was dropped (no setuid, no file caps). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = -errno;
out:
	cap_free(next);
	cap_free(cur);
	return r;
}
