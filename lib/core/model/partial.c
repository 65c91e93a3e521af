/* SPDX-License-Identifier: Apache-2.0 */
/*
 * partial.c: the one-line summary of a partial view (what the discovery
 * could not see for lack of privilege), from the result's diagnostics.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <lxkns/model.h>

/* The capability that would have given what a diagnostic's source lost
 * (what it read); CAP_SYS_PTRACE for the rest: a process's /proc files. */
static const struct {
	const char *what;
	const char *cap;
	int bit;
} cap_of[] = {
	{ "socket", "CAP_NET_ADMIN", CAP_NET_ADMIN },
	{ "containers", "CAP_DAC_READ_SEARCH", CAP_DAC_READ_SEARCH },
	{ "", "CAP_SYS_PTRACE", CAP_SYS_PTRACE },
};
#define NCAPS 4

static size_t needs(const char *what)
{
	size_t i = 0;
	while (i + 1 < sizeof(cap_of) / sizeof(cap_of[0]) && strcmp(what, cap_of[i].what) != 0)
		i++;
	return i; /* the last row, CAP_SYS_PTRACE, for the rest */
}

/* Whether this process holds the capability (effective): then a denial was
 * not for the lack of it (another user namespace above ours, a security
 * module, a process that is not dumpable), and saying "needs" would send
 * the user after the wrong fix. */
static bool holds(int bit)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return (d[bit / 32].effective >> (bit % 32)) & 1;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return x < y ? -1 : x > y;
}

int lxkns_result_partial_view(const struct lxkns_result *result, char *buf, size_t size)
{
	size_t n = lxkns_result_diagnostic_count(result), npids = 0, sources = 0, processes = 0;
	size_t caps[NCAPS];
	size_t ncaps = 0;
	pid_t *pids;
	int len;

	if (size)
		buf[0] = 0;
	pids = malloc((n ? n : 1) * sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct lxkns_diagnostic *d = lxkns_result_diagnostic_at(result, i);
		const char *what = d->what ? d->what : "";
		if (d->err != EPERM && d->err != EACCES)
			continue;
		/* the kernel's namespace list is a cross-check of the view, not
		 * one of its sources (scan-kernel.c): refused, it is a
		 * diagnostic of its own, not a partial view */
		if (strcmp(what, "kernel list") == 0)
			continue;
		/* a process's (PID 1's fallbacks included), or another source's */
		if (d->pid > 0)
			pids[npids++] = d->pid;
		else
			sources++;
		size_t cap = needs(what);
		size_t k = 0;
		while (k < ncaps && caps[k] != cap)
			k++;
		if (k == ncaps && ncaps < NCAPS)
			caps[ncaps++] = cap;
	}
	/* a process counts once, however many of its reads failed */
	qsort(pids, npids, sizeof(*pids), cmp_pid);
	for (size_t i = 0; i < npids; i++)
		processes += i == 0 || pids[i] != pids[i - 1];
	free(pids);
	if (!processes && !sources)
		return 0;

	char part[2][96] = { "", "" }, need[128] = "";
	if (processes)
		snprintf(part[0], sizeof(part[0]), "%zu process%s could not be read", processes,
			 processes == 1 ? "" : "es");
	if (sources)
		snprintf(part[1], sizeof(part[1]), "%s%zu other source%s %s lost",
			 processes ? ", " : "", sources, sources == 1 ? "" : "s",
			 sources == 1 ? "was" : "were");
	/* " (needs A, B; denied despite C)": what is missing first */
	for (int held = 0; held < 2; held++) {
		bool first = true;
		for (size_t k = 0; k < ncaps; k++) {
			if (holds(cap_of[caps[k]].bit) != held)
				continue;
			size_t used = strlen(need);
			snprintf(need + used, sizeof(need) - used, "%s%s",
				 !first	    ? ", "
				 : !need[0] ? (held ? " (denied despite " : " (needs ")
					    : "; denied despite ",
				 cap_of[caps[k]].cap);
			first = false;
		}
	}
	if (ncaps) {
		size_t used = strlen(need);
		snprintf(need + used, sizeof(need) - used, ")");
	}
	len = snprintf(buf, size, "%s%s%s", part[0], part[1], need);
	return len < 0 ? -EINVAL : len;
}
