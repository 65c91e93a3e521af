/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "config.h"
#include "lxkns-internal.h"
#include "strutil.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
	const char *name;
	unsigned long flag;
} species[_LXKNS_NS_TYPE_MAX] = {
	[LXKNS_NS_MNT] = { "mnt", CLONE_NEWNS },	   [LXKNS_NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
	[LXKNS_NS_UTS] = { "uts", CLONE_NEWUTS },	   [LXKNS_NS_IPC] = { "ipc", CLONE_NEWIPC },
	[LXKNS_NS_USER] = { "user", CLONE_NEWUSER },	   [LXKNS_NS_PID] = { "pid", CLONE_NEWPID },
	[LXKNS_NS_NET] = { "net", CLONE_NEWNET },	   [LXKNS_NS_TIME] = { "time", CLONE_NEWTIME },
};

const char *lxkns_version(void)
{
	return LXKNS_VERSION;
}

const char *lxkns_ns_type_name(enum lxkns_ns_type type)
{
	if ((int)type < 0 || type >= _LXKNS_NS_TYPE_MAX)
		return NULL;
	return species[type].name;
}

int lxkns_ns_type_from_name(const char *name)
{
	if (!name)
		return -EINVAL;
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (strcmp(species[t].name, name) == 0)
			return t;
	return -EINVAL;
}

unsigned long lxkns_ns_type_clone_flag(enum lxkns_ns_type type)
{
	if ((int)type < 0 || type >= _LXKNS_NS_TYPE_MAX)
		return 0;
	return species[type].flag;
}

int lxkns_ns_type_from_clone_flag(unsigned long flag)
{
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (species[t].flag == flag)
			return t;
	return -EINVAL;
}

int lxkns_nsid_parse(const char *text, int *ret_type, uint64_t *ret_ino)
{
	const char *name;
	size_t nlen, len;
	uint64_t ino;
	char tname[8];

	if (!text)
		return -EINVAL;
	len = strlen(text);
	if (len && text[0] >= '0' && text[0] <= '9') {
		if (safe_atou64_n(text, len, &ino) < 0 || ino == 0)
			return -EINVAL;
		*ret_type = _LXKNS_NS_TYPE_INVALID;
		*ret_ino = ino;
		return 0;
	}
	if (parse_bracket_ino(text, len, &name, &nlen, &ino) < 0 || ino == 0 ||
	    nlen >= sizeof(tname))
		return -EINVAL;
	memcpy(tname, name, nlen);
	tname[nlen] = 0;
	int t = lxkns_ns_type_from_name(tname);
	if (t < 0)
		return -EINVAL;
	*ret_type = t;
	*ret_ino = ino;
	return 0;
}
