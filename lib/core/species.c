/* SPDX-License-Identifier: Apache-2.0 */
/*
 * species.c: the one table of namespace types. Every per-type fact lives in
 * species[] below; the rest of the library, the tools and the service ask
 * for it through lxkns_ns_type_*() (include/lxkns/species.h) or the
 * internal species_*() (species-internal.h), never spell it again.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "config.h"
#include "lxkns-internal.h"
#include "species-internal.h"
#include "strutil.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/*
 * One row per type. name is also the type's /proc/PID/ns/ entry, the text
 * before ":[inode]" of its nsfs link, its "type" in the JSON document and its
 * key in a process's "namespaces" object; letter is Go lxkns' filter letter.
 * hierarchical: NS_GET_PARENT applies (a user/PID tree with hidden parents).
 * CH(slot, name): the type's /proc/PID/ns/NAME_for_children entry, and
 * where struct lxkns_process keeps it (for_children[slot]); -1 for none.
 */
#define T(n) .name = n, .name_len = sizeof(n) - 1, .ns_entry = "ns/" n
#define CH(slot, n) .children_slot = slot, .children_name = n, .children_entry = "ns/" n
static const struct {
	const char *name;
	unsigned char name_len;
	const char *ns_entry;
	unsigned long flag;
	char letter;
	bool hierarchical;
	signed char children_slot;
	const char *children_name;
	const char *children_entry;
} species[_LXKNS_NS_TYPE_MAX] = {
	[LXKNS_NS_MNT] = { T("mnt"), .flag = CLONE_NEWNS, .letter = 'm', .children_slot = -1 },
	[LXKNS_NS_CGROUP] = { T("cgroup"), .flag = CLONE_NEWCGROUP, .letter = 'c',
			      .children_slot = -1 },
	[LXKNS_NS_UTS] = { T("uts"), .flag = CLONE_NEWUTS, .letter = 'u', .children_slot = -1 },
	[LXKNS_NS_IPC] = { T("ipc"), .flag = CLONE_NEWIPC, .letter = 'i', .children_slot = -1 },
	[LXKNS_NS_USER] = { T("user"), .flag = CLONE_NEWUSER, .letter = 'U', .hierarchical = true,
			    .children_slot = -1 },
	[LXKNS_NS_PID] = { T("pid"), .flag = CLONE_NEWPID, .letter = 'p', .hierarchical = true,
			   CH(0, "pid_for_children") },
	[LXKNS_NS_NET] = { T("net"), .flag = CLONE_NEWNET, .letter = 'n', .children_slot = -1 },
	[LXKNS_NS_TIME] = { T("time"), .flag = CLONE_NEWTIME, .letter = 't',
			    CH(1, "time_for_children") },
};
#undef T
#undef CH

/* A type bit mask (LXKNS_NS_TYPE_BIT) and a process's set->resolved must hold
 * every type. */
_Static_assert(_LXKNS_NS_TYPE_MAX <= 8, "namespace type bits no longer fit a uint8_t mask");

static bool valid(enum lxkns_ns_type type)
{
	return (int)type >= 0 && type < _LXKNS_NS_TYPE_MAX;
}

const char *lxkns_version(void)
{
	return LXKNS_VERSION;
}

const char *lxkns_ns_type_name(enum lxkns_ns_type type)
{
	return valid(type) ? species[type].name : NULL;
}

int lxkns_ns_type_from_name(const char *name)
{
	return name ? species_from_name_n(name, strlen(name)) : -EINVAL;
}

unsigned long lxkns_ns_type_clone_flag(enum lxkns_ns_type type)
{
	return valid(type) ? species[type].flag : 0;
}

int lxkns_ns_type_from_clone_flag(unsigned long flag)
{
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (species[t].flag == flag)
			return t;
	return -EINVAL;
}

char lxkns_ns_type_letter(enum lxkns_ns_type type)
{
	return valid(type) ? species[type].letter : 0;
}

int lxkns_ns_type_from_letter(char letter)
{
	for (int t = 0; letter && t < _LXKNS_NS_TYPE_MAX; t++)
		if (species[t].letter == letter)
			return t;
	return -EINVAL;
}

int species_from_name_n(const char *name, size_t len)
{
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		if (species[t].name_len == len && memcmp(species[t].name, name, len) == 0)
			return t;
	return -EINVAL;
}

size_t species_name_len(enum lxkns_ns_type type)
{
	return valid(type) ? species[type].name_len : 0;
}

const char *species_ns_entry(enum lxkns_ns_type type)
{
	return valid(type) ? species[type].ns_entry : NULL;
}

bool species_hierarchical(enum lxkns_ns_type type)
{
	return valid(type) && species[type].hierarchical;
}

int species_children_slot(enum lxkns_ns_type type)
{
	return valid(type) ? species[type].children_slot : -1;
}

const char *species_children_name(enum lxkns_ns_type type)
{
	return valid(type) ? species[type].children_name : NULL;
}

const char *species_children_entry(enum lxkns_ns_type type)
{
	return valid(type) ? species[type].children_entry : NULL;
}

enum lxkns_ns_type species_clone_order(int i)
{
	/* the types sorted by their CLONE_NEW* flag; i-th smallest */
	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++) {
		int below = 0;
		for (int u = 0; u < _LXKNS_NS_TYPE_MAX; u++)
			below += species[u].flag < species[t].flag;
		if (below == i)
			return (enum lxkns_ns_type)t;
	}
	return _LXKNS_NS_TYPE_INVALID;
}

int lxkns_nsid_parse(const char *text, int *ret_type, uint64_t *ret_ino)
{
	const char *name;
	size_t nlen, len;
	uint64_t ino;

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
	if (parse_bracket_ino(text, len, &name, &nlen, &ino) < 0 || ino == 0)
		return -EINVAL;
	int t = species_from_name_n(name, nlen);
	if (t < 0)
		return -EINVAL;
	*ret_type = t;
	*ret_ino = ino;
	return 0;
}
