/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lsallns: a table of all namespaces, sorted by inode, printed through
 * libsmartcols like lsns(8), with lsns's columns, options and meanings
 * (NS TYPE PATH NPROCS PID PPID COMMAND UID USER NETNSID NSFS PNS ONS;
 * -p, a namespace argument, -T owner|parent, -P, -u, -W, -l) next to our
 * own (NAMESPACE CONTAINER SENIOR PROCESS COMMENT OWNERUID OWNERUSER
 * REFERENCE LEADERS). The default output is Go lxkns's lsallns example:
 * NAMESPACE TYPE CONTAINER PID PROCESS/[TASK] COMMENT, its PID being the
 * most senior process (the SENIOR column).
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <libsmartcols/libsmartcols.h>
#include <lxkns/lxkns.h>

#include "labels.h"
#include "options.h"
#include "tool-common.h"
#include "u64map.h"

enum col {
	/* lsns's columns, with lsns's meanings */
	COL_NS,
	COL_TYPE,
	COL_PATH,
	COL_NPROCS,
	COL_PID,
	COL_PPID,
	COL_COMMAND,
	COL_UID,
	COL_USER,
	COL_NETNSID,
	COL_NSFS,
	COL_PNS,
	COL_ONS,
	/* ours */
	COL_NAMESPACE,
	COL_CONTAINER,
	COL_SENIOR,
	COL_PROCESS,
	COL_COMMENT,
	COL_OWNERUID,
	COL_OWNERUSER,
	COL_REFERENCE,
	COL_LEADERS,
	_COL_MAX,
};

static const struct colinfo {
	const char *name;   /* for -o, and the JSON key (lower case) */
	const char *header; /* the table heading */
	double whint;
	int flags;
	int json_type;
	const char *help;
} infos[_COL_MAX] = {
	[COL_NS] = { "NS", "NS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		     "namespace identifier (inode number)" },
	[COL_TYPE] = { "TYPE", "TYPE", 5, 0, SCOLS_JSON_STRING, "namespace type" },
	[COL_PATH] = { "PATH", "PATH", 0, 0, SCOLS_JSON_STRING,
		       "/proc/PID/ns/TYPE of the PID column's process (empty without one)" },
	[COL_NPROCS] = { "NPROCS", "NPROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			 "number of processes in the namespace" },
	[COL_PID] = { "PID", "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		      "lowest PID in the namespace (as lsns)" },
	[COL_PPID] = { "PPID", "PPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "PPID of that PID" },
	[COL_COMMAND] = { "COMMAND", "COMMAND", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			  "command line of that PID (its name without one)" },
	[COL_UID] = { "UID", "UID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		      "UID of that PID (without a process: the namespace's owner's)" },
	[COL_USER] = { "USER", "USER", 0, 0, SCOLS_JSON_STRING, "user name of that UID" },
	[COL_NETNSID] = { "NETNSID", "NETNSID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			  "ID of a network namespace in ours (live only)" },
	[COL_NSFS] = { "NSFS", "NSFS", 0, SCOLS_FL_WRAP, SCOLS_JSON_STRING,
		       "its bind mounts in our mount namespace (live only)" },
	[COL_PNS] = { "PNS", "PNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		      "parent namespace (user and pid; 0 for none)" },
	[COL_ONS] = { "ONS", "ONS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		      "owner user namespace (0 for none)" },
	[COL_NAMESPACE] = { "NAMESPACE", "NAMESPACE", 10, 0, SCOLS_JSON_NUMBER,
			    "namespace identifier, left-aligned" },
	[COL_CONTAINER] = { "CONTAINER", "CONTAINER", 0.1, 0, SCOLS_JSON_STRING,
			    "container of the SENIOR process" },
	[COL_SENIOR] = { "SENIOR", "PID", 5, 0, SCOLS_JSON_NUMBER,
			 "most senior process (or loose thread) in the namespace" },
	[COL_PROCESS] = { "PROCESS", "PROCESS/[TASK]", 0.2, 0, SCOLS_JSON_STRING,
			  "its name ([name] for a thread)" },
	[COL_COMMENT] = { "COMMENT", "COMMENT", 0.3, 0, SCOLS_JSON_STRING,
			  "cgroup:CGROUP of the process, bound:REF without a process, ??? when "
			  "hidden" },
	[COL_OWNERUID] = { "OWNERUID", "OWNERUID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			   "UID of the owner (of the owning user namespace)" },
	[COL_OWNERUSER] = { "OWNERUSER", "OWNERUSER", 0.1, 0, SCOLS_JSON_STRING,
			    "user name of that owner" },
	[COL_REFERENCE] = { "REFERENCE", "REFERENCE", 0.3, 0, SCOLS_JSON_STRING,
			    "where the namespace is referenced (chain joined by »)" },
	[COL_LEADERS] = { "LEADERS", "LEADERS", 0.1, 0, SCOLS_JSON_STRING,
			  "PIDs of all leader processes" },
};

/* Other names for columns: lsallns's OWNER and PARENT of old. */
static const struct {
	const char *name;
	enum col col;
} aliases[] = {
	{ "OWNER", COL_ONS },
	{ "PARENT", COL_PNS },
};

static const enum col default_cols[] = {
	COL_NAMESPACE, COL_TYPE, COL_CONTAINER, COL_SENIOR, COL_PROCESS, COL_COMMENT,
};
/* the processes of a namespace (a namespace argument), as lsns */
static const enum col default_proc_cols[] = { COL_PID, COL_PPID, COL_USER, COL_COMMAND };

enum tree_mode {
	TREE_NONE,
	TREE_OWNER,
	TREE_PARENT,
	TREE_PROCESS, /* the processes of a namespace (a namespace argument) */
};

static void usage(FILE *out)
{
	fputs("Usage: lsallns [OPTIONS] [NAMESPACE]\n"
	      "\n"
	      "Lists all namespaces, sorted by their identifier; with a NAMESPACE (an inode\n"
	      "number or TYPE:[INODE]) the processes in it, as a process tree unless -l.\n"
	      "Takes lsns(8)'s options and columns.\n"
	      "\n"
	      "  -o, --output LIST      columns to print (+LIST adds to the default);\n"
	      "                         case-insensitive\n"
	      "      --output-all       all columns\n"
	      "  -J, --json             JSON output\n"
	      "  -r, --raw              raw output\n"
	      "  -n, --noheadings       no column headings\n"
	      "  -l, --list             a flat list (the default for namespaces)\n"
	      "  -T, --tree[=RELATION]  nest the namespaces by owner (the default) or parent\n"
	      "  -p, --task PID         only the namespaces of this process (as lsns; the\n"
	      "                         common --task[=on|off] is --threads here)\n"
	      "  -P, --persistent       only namespaces without processes\n"
	      "  -t, --type TYPE[,TYPE] only these namespace types (same as --filter)\n"
	      "  -u, --notruncate       do not truncate text in columns\n"
	      "  -W, --nowrap           do not wrap: NSFS comma-separated on one line\n"
	      "  -H, --list-columns     list the columns and exit\n"
	      "      --threads[=on|off] discover threads too (default on)\n"
	      "\n",
	      out);
	tool_opts_usage(out);
	fputs("\nColumns (lsns's first; OWNER and PARENT are other names for ONS and PNS):\n", out);
	for (size_t i = 0; i < _COL_MAX; i++)
		fprintf(out, " %11s  %s\n", infos[i].name, infos[i].help);
	fputs("\nThe default columns are NAMESPACE TYPE CONTAINER SENIOR PROCESS COMMENT\n"
	      "(SENIOR headed PID, PROCESS headed PROCESS/[TASK]), for a NAMESPACE\n"
	      "PID PPID USER COMMAND. JSON keys are the lower-case column names.\n",
	      out);
}

struct cols {
	enum col list[64];
	size_t n;
};

static int lookup_column(const char *name)
{
	for (size_t i = 0; i < _COL_MAX; i++)
		if (strcasecmp(name, infos[i].name) == 0)
			return (int)i;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(name, aliases[i].name) == 0)
			return (int)aliases[i].col;
	return -1;
}

/* 0, or 1 after the message */
static int parse_columns(const char *arg, struct cols *cols)
{
	char *copy, *save = NULL;

	if (*arg == '+')
		arg++;
	else
		cols->n = 0;
	copy = xstrdup(arg);
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int i = lookup_column(tok);
		if (i < 0) {
			tool_fail("unknown column '%s'", tok);
			free(copy);
			return 1;
		}
		if (cols->n == sizeof(cols->list) / sizeof(cols->list[0])) {
			tool_fail("too many columns");
			free(copy);
			return 1;
		}
		cols->list[cols->n++] = (enum col)i;
	}
	free(copy);
	if (cols->n == 0)
		return tool_fail("no columns in '%s'", arg);
	return 0;
}

/* The loose thread that started first (then the lowest TID). */
static const struct lxkns_task *first_loose_thread(const struct lxkns_namespace *ns)
{
	const struct lxkns_task *best = NULL;

	for (size_t i = 0; i < lxkns_namespace_loose_thread_count(ns); i++) {
		const struct lxkns_task *t = lxkns_namespace_loose_thread_at(ns, i);
		if (!best || lxkns_task_starttime(t) < lxkns_task_starttime(best))
			best = t;
	}
	return best;
}

/* What the cells need besides the namespace. */
struct ctx {
	const struct lxkns_result *result;
	/* keyed by the namespace object, not its inode: two namespaces of
	 * different types can share an inode in one discovery (the kernel
	 * reused it during the scan) */
	struct u64map nprocs; /* namespace -> number of processes */
	struct u64map lowest; /* namespace -> the process with the lowest PID */
	struct u64map users;  /* uid + 1 -> user name (strdup'd; "" when none) */
	struct u64map nsfs;   /* ino -> mount points, '\n'-separated (strdup'd) */
	char **owned;	      /* the strings the maps point to */
	size_t nowned, capowned;
	bool live; /* a discovery here and now: NETNSID, NSFS, getpwuid */
	bool nowrap;
	int nlfd; /* rtnetlink socket for NETNSID, -1 until needed, -2 failed */
};

/* Puts s (malloc'd) into map m under key; freed at the end. */
static void put_owned(struct ctx *x, struct u64map *m, uint64_t key, char *s)
{
	xgrow((void **)&x->owned, &x->capowned, x->nowned + 1, sizeof(*x->owned));
	x->owned[x->nowned++] = s;
	if (u64map_put(m, key, s) < 0) {
		fprintf(stderr, "%s: out of memory\n", tool_name());
		exit(1);
	}
}

/* The user name of a UID: from the owners of user namespaces in the
 * discovery (read from the initial mount namespace's /etc/passwd), live
 * also from ours; NULL when unknown. */
static const char *user_name(struct ctx *x, uid_t uid)
{
	char *name = u64map_get(&x->users, (uint64_t)uid + 1);

	if (!name) {
		struct passwd pw, *res = NULL;
		char pwbuf[4096];

		name = xstrdup("");
		if (x->live && getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res) {
			free(name);
			name = xstrdup(res->pw_name);
		}
		put_owned(x, &x->users, (uint64_t)uid + 1, name);
	}
	return *name ? name : NULL;
}

static void user_names_from_result(struct ctx *x)
{
	for (size_t i = 0; i < lxkns_result_namespace_count(x->result, LXKNS_NS_USER); i++) {
		const struct lxkns_namespace *u = lxkns_result_namespace_at(x->result,
									    LXKNS_NS_USER, i);
		const char *name = lxkns_namespace_user_name(u);
		uid_t uid;

		if (!*name || !lxkns_namespace_owner_uid(u, &uid) ||
		    u64map_get(&x->users, (uint64_t)uid + 1))
			continue;
		put_owned(x, &x->users, (uint64_t)uid + 1, xstrdup(name));
	}
}

/* One mountinfo field, \NNN octal escapes decoded, in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* NSFS: the nsfs mounts of our own mount namespace (as lsns), by inode. */
static void read_nsfs(struct ctx *x)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char *field[5], *save = NULL, *sep = strstr(line, " - ");
		size_t n = 0;

		if (!sep || strncmp(sep, " - nsfs ", 8) != 0)
			continue;
		*sep = '\0';
		for (char *tok = strtok_r(line, " ", &save); tok && n < 5;
		     tok = strtok_r(NULL, " ", &save))
			field[n++] = tok;
		if (n < 5)
			continue;
		/* the root: "net:[4026532000]" */
		char *lb = strchr(field[3], '[');
		uint64_t ino;
		char *end;
		if (!lb)
			continue;
		errno = 0;
		ino = strtoull(lb + 1, &end, 10);
		if (errno || *end != ']' || !ino)
			continue;
		unescape(field[4]);
		char *old = u64map_get(&x->nsfs, ino);
		struct buf sb = BUF_INIT;
		if (old) {
			buf_puts(&sb, old);
			buf_putc(&sb, '\n');
		}
		buf_puts(&sb, field[4]);
		put_owned(x, &x->nsfs, ino, xbuf_take(&sb));
	}
	free(line);
	fclose(f);
}

/* NETNSID: the ID our network namespace has for the one behind nsfd (as
 * lsns: RTM_GETNSID with NETNSA_FD). The ID, -1 for none ("unassigned"),
 * or -errno. */
static int netnsid(struct ctx *x, int nsfd)
{
	struct {
		struct nlmsghdr n;
		struct rtgenmsg g;
		char attrs[64];
	} req;
	uint32_t resp[1024]; /* (aligned for the header) */
	struct nlmsghdr *h = (struct nlmsghdr *)resp;
	struct rtattr *rta;
	ssize_t len;

	if (x->nlfd == -1) {
		x->nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (x->nlfd < 0)
			x->nlfd = -2;
	}
	if (x->nlfd < 0)
		return -ENOTSUP;
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtgenmsg));
	req.n.nlmsg_type = RTM_GETNSID;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = 1;
	req.g.rtgen_family = AF_UNSPEC;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.n.nlmsg_len));
	rta->rta_type = NETNSA_FD;
	rta->rta_len = RTA_LENGTH(sizeof(uint32_t));
	uint32_t fd32 = (uint32_t)nsfd;
	memcpy(RTA_DATA(rta), &fd32, sizeof(fd32));
	req.n.nlmsg_len = NLMSG_ALIGN(req.n.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	if (send(x->nlfd, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	len = recv(x->nlfd, &resp, sizeof(resp), 0);
	if (len < 0)
		return -errno;
	if (!NLMSG_OK(h, (size_t)len))
		return -EBADMSG;
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);
		return e->error ? e->error : -EBADMSG;
	}
	if (h->nlmsg_type != RTM_NEWNSID)
		return -EBADMSG;
	int alen = (int)h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	rta = (struct rtattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	for (; RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
		if (rta->rta_type == NETNSA_NSID && RTA_PAYLOAD(rta) >= sizeof(int32_t)) {
			int32_t id;
			memcpy(&id, RTA_DATA(rta), sizeof(id));
			return id < 0 ? -1 : id;
		}
	}
	return -1;
}

static void add_nsid(struct buf *sb, const struct lxkns_namespace *ns)
{
	if (ns)
		buf_printf(sb, "%llu", (unsigned long long)lxkns_namespace_id(ns).ino);
	else
		buf_putc(sb, '0');
}

/* The owner user namespace as lsns has it (NS_GET_USERNS): of a user
 * namespace its parent. */
static const struct lxkns_namespace *owner_of(const struct lxkns_namespace *ns)
{
	const struct lxkns_namespace *o = lxkns_namespace_owner(ns);

	if (!o && lxkns_namespace_type(ns) == LXKNS_NS_USER)
		o = lxkns_namespace_parent(ns);
	return o;
}

static void set(struct libscols_line *ln, size_t cell, struct buf *sb)
{
	if (sb->len)
		scols_line_refer_data(ln, cell, xbuf_take(sb));
}

/*
 * Fills a row: of the namespace ns, or with proc_row of the process proc in
 * it (a namespace argument). For a namespace row, proc is lsns's process:
 * the lowest PID in it (NULL for none); SENIOR, PROCESS, CONTAINER and
 * COMMENT tell of the most senior process instead.
 */
static void fill(struct libscols_line *ln, const struct cols *cols, struct ctx *x,
		 const struct lxkns_namespace *ns, const struct lxkns_process *proc, bool proc_row,
		 bool colour)
{
	const struct lxkns_process *senior = proc_row ? proc : lxkns_namespace_ealdorman(ns);
	const struct lxkns_task *loose = senior ? NULL : first_loose_thread(ns);
	enum lxkns_ns_type type = lxkns_namespace_type(ns);
	const struct lxkns_namespace *userns = type == LXKNS_NS_USER ? ns
								     : lxkns_namespace_owner(ns);
	uint64_t ino = lxkns_namespace_id(ns).ino;
	struct buf sb = BUF_INIT;

	for (size_t i = 0; i < cols->n; i++) {
		const char *s;
		uid_t uid;
		bool have_uid;

		switch (cols->list[i]) {
		case COL_NS:
		case COL_NAMESPACE:
			buf_printf(&sb, "%llu", (unsigned long long)ino);
			break;
		case COL_TYPE:
			buf_puts(&sb, lxkns_ns_type_name(type));
			break;
		case COL_PATH:
			if (proc)
				buf_printf(&sb, "/proc/%d/ns/%s", (int)lxkns_process_pid(proc),
					   lxkns_ns_type_name(type));
			break;
		case COL_NPROCS:
			buf_printf(&sb, "%zu",
				   (size_t)(uintptr_t)u64map_get(&x->nprocs, (uintptr_t)ns));
			break;
		case COL_PID:
			if (proc)
				buf_printf(&sb, "%d", (int)lxkns_process_pid(proc));
			break;
		case COL_PPID:
			if (proc)
				buf_printf(&sb, "%d", (int)lxkns_process_ppid(proc));
			break;
		case COL_COMMAND:
			/* as lsns: the arguments joined by spaces, else the name */
			if (!proc)
				break;
			for (size_t k = 0; k < lxkns_process_cmdline_count(proc); k++) {
				if (k)
					buf_putc(&sb, ' ');
				buf_puts(&sb, lxkns_process_cmdline_at(proc, k));
			}
			if (!sb.len)
				buf_puts(&sb, lxkns_process_name(proc));
			break;
		case COL_UID:
		case COL_USER:
			/* as lsns: the process's, without one the owner's */
			if (proc)
				have_uid = lxkns_process_uid(proc, &uid);
			else
				have_uid = userns && lxkns_namespace_owner_uid(userns, &uid);
			if (!have_uid)
				break;
			if (cols->list[i] == COL_UID || !(s = user_name(x, uid)))
				buf_printf(&sb, "%u", (unsigned)uid);
			else
				buf_puts(&sb, s);
			break;
		case COL_NETNSID:
			if (type != LXKNS_NS_NET || !x->live)
				break;
			{
				int fd = lxkns_namespace_open(x->result, ns);
				int id = fd >= 0 ? netnsid(x, fd) : fd;
				if (fd >= 0)
					close(fd);
				if (id >= 0)
					buf_printf(&sb, "%d", id);
				else if (id == -1)
					buf_puts(&sb, "unassigned");
			}
			break;
		case COL_NSFS:
			s = x->live ? u64map_get(&x->nsfs, ino) : NULL;
			for (; s && *s; s++)
				buf_putc(&sb, *s == '\n' && x->nowrap ? ',' : *s);
			break;
		case COL_PNS:
			add_nsid(&sb, lxkns_namespace_parent(ns));
			break;
		case COL_ONS:
			add_nsid(&sb, owner_of(ns));
			break;
		case COL_CONTAINER:
			if (senior && lxkns_process_container(senior)) {
				char name[512];
				buf_puts(&sb, lxkns_container_display_name(lxkns_process_container(
										   senior),
									   name, sizeof(name)));
			}
			break;
		case COL_SENIOR:
			if (senior)
				buf_printf(&sb, "%d", (int)lxkns_process_pid(senior));
			else if (loose)
				buf_printf(&sb, "%d", (int)lxkns_task_tid(loose));
			break;
		case COL_PROCESS:
			if (senior) {
				label_procname(&sb, senior);
			} else if (loose) {
				buf_putc(&sb, '[');
				buf_puts(&sb, lxkns_task_name(loose));
				buf_putc(&sb, ']');
			}
			break;
		case COL_COMMENT:
			if (senior || loose) {
				buf_puts(&sb, "cgroup:");
				label_cgroup(&sb, senior ? lxkns_process_cpu_cgroup(senior)
							 : lxkns_task_cpu_cgroup(loose));
			} else if (lxkns_namespace_ref_count(ns)) {
				buf_puts(&sb, "bound:");
				label_ref(&sb, ns);
			} else {
				buf_puts(&sb, "???");
			}
			break;
		case COL_OWNERUID:
			if (userns && lxkns_namespace_owner_uid(userns, &uid))
				buf_printf(&sb, "%u", (unsigned)uid);
			break;
		case COL_OWNERUSER:
			if (userns)
				buf_puts(&sb, lxkns_namespace_user_name(userns));
			break;
		case COL_REFERENCE:
			label_ref(&sb, ns);
			break;
		case COL_LEADERS:
			for (size_t k = 0; k < lxkns_namespace_leader_count(ns); k++)
				buf_printf(&sb, "%s%d", k ? "," : "",
					   (int)lxkns_process_pid(
						   lxkns_namespace_leader_at(ns, k)));
			break;
		default:
			break;
		}
		if (colour && (cols->list[i] == COL_NAMESPACE || cols->list[i] == COL_NS ||
			       cols->list[i] == COL_TYPE))
			scols_cell_set_color(scols_line_get_cell(ln, i),
					     style_sgr((enum style_elem)type));
		set(ln, i, &sb);
	}
	buf_free(&sb);
}

/* A row of the table: a namespace, or a process of the namespace. */
struct row {
	const struct lxkns_namespace *ns;
	const struct lxkns_process *proc;
	uint64_t key;		    /* ino, or the PID for process rows: the order */
	uint64_t id;		    /* the namespace object, or the PID: the index */
	struct libscols_line *line; /* once made */
	bool making;		    /* cycle guard */
};

struct table {
	struct libscols_table *tb;
	struct row *rows;
	size_t n;
	struct u64map index; /* id -> row + 1 */
	enum tree_mode tree;
	const struct cols *cols;
	struct ctx *x;
	bool colour;
};

static struct row *row_of(struct table *t, uint64_t id)
{
	uintptr_t i = (uintptr_t)u64map_get(&t->index, id);
	return i ? &t->rows[i - 1] : NULL;
}

/* The row this one nests below in the tree (NULL: a root). */
static struct row *up_of(struct table *t, const struct row *r)
{
	const struct lxkns_namespace *rel = NULL;

	switch (t->tree) {
	case TREE_OWNER:
		rel = owner_of(r->ns);
		break;
	case TREE_PARENT:
		rel = lxkns_namespace_parent(r->ns);
		break;
	case TREE_PROCESS: {
		const struct lxkns_process *pp = lxkns_process_parent(r->proc);
		return pp ? row_of(t, (uint64_t)lxkns_process_pid(pp)) : NULL;
	}
	default:
		return NULL;
	}
	return rel ? row_of(t, (uintptr_t)rel) : NULL;
}

/* Makes a row's line, its tree parent's first (the order of the roots and
 * of the children is the order of the rows). 0 or -ENOMEM. */
static int make_line(struct table *t, struct row *r)
{
	struct row *up;

	if (r->line)
		return 0;
	r->making = true;
	up = up_of(t, r);
	if (up && up->making)
		up = NULL; /* a cycle: make it a root */
	if (up && make_line(t, up) < 0)
		return -ENOMEM;
	r->line = scols_table_new_line(t->tb, up ? up->line : NULL);
	r->making = false;
	if (!r->line)
		return -ENOMEM;
	fill(r->line, t->cols, t->x, r->ns, r->proc, t->tree == TREE_PROCESS, t->colour);
	return 0;
}

/* A row for ns (key: its inode) or for a process of ns (key: its PID). */
static void add_row(struct table *t, size_t *cap, const struct lxkns_namespace *ns,
		    const struct lxkns_process *proc, bool proc_row)
{
	uint64_t key = proc_row ? (uint64_t)lxkns_process_pid(proc) : lxkns_namespace_id(ns).ino;
	uint64_t id = proc_row ? key : (uintptr_t)ns;

	if (u64map_get(&t->index, id))
		return;
	xgrow((void **)&t->rows, cap, t->n + 1, sizeof(*t->rows));
	t->rows[t->n] = (struct row){ .ns = ns, .proc = proc, .key = key, .id = id };
	t->n++;
	if (u64map_put(&t->index, id, (void *)(uintptr_t)t->n) < 0) {
		fprintf(stderr, "%s: out of memory\n", tool_name());
		exit(1);
	}
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *ra = a, *rb = b;
	if (ra->key != rb->key)
		return (ra->key > rb->key) - (ra->key < rb->key);
	/* one inode, two types (reused during the scan): by type */
	return (int)lxkns_namespace_type(ra->ns) - (int)lxkns_namespace_type(rb->ns);
}

/* The tree column: NS or NAMESPACE (or COMMAND for processes), else the
 * first. */
static size_t tree_column(const struct cols *cols, enum tree_mode tree)
{
	for (size_t i = 0; i < cols->n; i++)
		if (tree == TREE_PROCESS
			    ? cols->list[i] == COL_COMMAND
			    : (cols->list[i] == COL_NS || cols->list[i] == COL_NAMESPACE))
			return i;
	return 0;
}

enum {
	OPT_OUTPUT_ALL = 0x300,
	OPT_THREADS,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "list", no_argument, NULL, 'l' },
		{ "tree", optional_argument, NULL, 'T' },
		{ "task", required_argument, NULL, 'p' }, /* lsns's: before the common --task */
		{ "persistent", no_argument, NULL, 'P' },
		{ "notruncate", no_argument, NULL, 'u' },
		{ "nowrap", no_argument, NULL, 'W' },
		{ "type", required_argument, NULL, 't' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "threads", optional_argument, NULL, OPT_THREADS },
		TOOL_COMMON_LONGOPTS,
		{ 0 },
	};
	struct tool_opts o;
	struct lxkns_result *result = NULL;
	struct cols cols;
	const char *outputs[32];
	size_t noutputs = 0;
	bool json = false, raw = false, noheadings = false, list_columns = false, colour;
	bool output_all = false, persistent = false, notruncate = false, list = false;
	enum tree_mode tree = TREE_NONE;
	int task_pid = 0;
	const char *nsarg = NULL;
	struct ctx x = { .nlfd = -1 };
	struct table t = { 0 };
	size_t caprows = 0;
	int c, r;

	tool_init("lsallns");
	tool_opts_init(&o, usage);
	while ((c = getopt_long(argc, argv, "o:JrnlT::p:PuWHt:" TOOL_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		switch (c) {
		case 'o':
			if (noutputs == sizeof(outputs) / sizeof(outputs[0])) {
				tool_fail("too many --output options");
				return tool_usage_hint();
			}
			outputs[noutputs++] = optarg;
			break;
		case OPT_OUTPUT_ALL:
			output_all = true;
			break;
		case 'J':
			json = true;
			break;
		case 'r':
			raw = true;
			break;
		case 'n':
			noheadings = true;
			break;
		case 'l': /* the last of -l and -T counts */
			tree = TREE_NONE;
			list = true;
			break;
		case 'T':
			if (!optarg || strcmp(optarg, "owner") == 0) {
				tree = TREE_OWNER;
			} else if (strcmp(optarg, "parent") == 0) {
				tree = TREE_PARENT;
			} else if (strcmp(optarg, "process") == 0) {
				tree = TREE_NONE; /* lsns's process nesting: not ours */
			} else {
				tool_fail("invalid tree relation '%s' (owner, parent)", optarg);
				return tool_usage_hint();
			}
			list = false;
			break;
		case 'p':
			if (tool_parse_int(optarg, 1, INT32_MAX, &task_pid) < 0) {
				tool_fail("invalid PID '%s'", optarg);
				return tool_usage_hint();
			}
			break;
		case 'P':
			persistent = true;
			break;
		case 'u':
			notruncate = true;
			break;
		case 'W':
			x.nowrap = true;
			break;
		case 'H':
			list_columns = true;
			break;
		case OPT_THREADS: /* the common --task[=on|off] */
			if (!optarg || strcmp(optarg, "on") == 0 || strcmp(optarg, "true") == 0) {
				o.task = true;
			} else if (strcmp(optarg, "off") == 0 || strcmp(optarg, "false") == 0) {
				o.task = false;
			} else {
				tool_fail("invalid --threads value '%s' (on, off)", optarg);
				return tool_usage_hint();
			}
			break;
		case 't':
			c = 'f';
			/* fall through */
		default:
			r = tool_opts_handle(&o, c, optarg);
			if (r != 0)
				return r > 0 ? r - 1 : tool_usage_hint();
		}
	}
	if (optind < argc)
		nsarg = argv[optind++];
	if (optind < argc) {
		tool_fail("unexpected argument '%s'", argv[optind]);
		return tool_usage_hint();
	}
	if (json && raw) {
		tool_fail("--json and --raw exclude each other");
		return tool_usage_hint();
	}
	if (persistent && task_pid) {
		tool_fail("--persistent and --task exclude each other");
		return tool_usage_hint();
	}
	if (nsarg && (task_pid || persistent)) {
		tool_fail("a NAMESPACE excludes --task and --persistent");
		return tool_usage_hint();
	}
	if (nsarg && tool_check_ns_arg(nsarg, -1) < 0)
		return tool_usage_hint();
	/* the processes of a namespace: a process tree unless -l */
	if (nsarg)
		tree = list ? TREE_NONE : TREE_PROCESS;

	if (output_all) {
		cols.n = _COL_MAX;
		for (size_t i = 0; i < _COL_MAX; i++)
			cols.list[i] = (enum col)i;
	} else if (nsarg) {
		cols.n = sizeof(default_proc_cols) / sizeof(default_proc_cols[0]);
		memcpy(cols.list, default_proc_cols, sizeof(default_proc_cols));
	} else {
		cols.n = sizeof(default_cols) / sizeof(default_cols[0]);
		memcpy(cols.list, default_cols, sizeof(default_cols));
	}
	for (size_t i = 0; i < noutputs; i++)
		if (parse_columns(outputs[i], &cols))
			return tool_usage_hint();

	setlocale(LC_ALL, "");
	tool_opts_finish(&o);
	labels_setup(&o);
	colour = style_colour() && !json && !raw;

	if (list_columns) {
		for (size_t i = 0; i < _COL_MAX; i++)
			printf("%s\t%s\n", infos[i].name, infos[i].help);
		return tool_finish_output();
	}
	if (tool_opts_load(&o, 0, &result) < 0)
		return 1;
	x.result = result;
	x.live = !o.input && !o.procfs;
	user_names_from_result(&x);
	if (x.live)
		read_nsfs(&x);

	/* processes per namespace (NPROCS) and the lowest PID in each: the
	 * process table is sorted by PID */
	for (size_t i = 0; i < lxkns_result_process_count(result); i++) {
		const struct lxkns_process *p = lxkns_result_process_at(result, i);
		for (int type = 0; type < _LXKNS_NS_TYPE_MAX; type++) {
			const struct lxkns_namespace *ns = lxkns_process_namespace(p, type);
			uint64_t key = (uintptr_t)ns;
			if (!ns)
				continue;
			if (u64map_put(&x.nprocs, key,
				       (void *)((uintptr_t)u64map_get(&x.nprocs, key) + 1)) < 0 ||
			    (!u64map_get(&x.lowest, key) &&
			     u64map_put(&x.lowest, key, (void *)p) < 0)) {
				r = tool_fail("out of memory");
				goto out;
			}
		}
	}

	t.tree = tree;
	t.cols = &cols;
	t.x = &x;
	t.colour = colour;
	if (nsarg) {
		const struct lxkns_namespace *ns = tool_lookup_ns(result, nsarg, -1);
		if (!ns) {
			r = tool_usage_hint();
			goto out;
		}
		enum lxkns_ns_type type = lxkns_namespace_type(ns);
		for (size_t i = 0; i < lxkns_result_process_count(result); i++) {
			const struct lxkns_process *p = lxkns_result_process_at(result, i);
			if (lxkns_process_namespace(p, type) == ns)
				add_row(&t, &caprows, ns, p, true);
		}
	} else if (task_pid) {
		const struct lxkns_process *p = lxkns_result_process_by_pid(result, task_pid);
		if (!p) {
			tool_fail("no process with PID %d", task_pid);
			r = tool_usage_hint();
			goto out;
		}
		for (int type = 0; type < _LXKNS_NS_TYPE_MAX; type++) {
			const struct lxkns_namespace *ns = lxkns_process_namespace(p, type);
			if (ns && tool_opts_shows(&o, type))
				add_row(&t, &caprows, ns, u64map_get(&x.lowest, (uintptr_t)ns),
					false);
		}
	} else {
		for (int type = 0; type < _LXKNS_NS_TYPE_MAX; type++) {
			if (!tool_opts_shows(&o, type))
				continue;
			for (size_t i = 0; i < lxkns_result_namespace_count(result, type); i++) {
				const struct lxkns_namespace *ns = lxkns_result_namespace_at(result,
											     type,
											     i);
				if (persistent && u64map_get(&x.nprocs, (uintptr_t)ns))
					continue;
				add_row(&t, &caprows, ns, u64map_get(&x.lowest, (uintptr_t)ns),
					false);
			}
		}
	}
	if (t.n) {
		qsort(t.rows, t.n, sizeof(*t.rows), cmp_row);
		u64map_free(&t.index);
		memset(&t.index, 0, sizeof(t.index));
		for (size_t i = 0; i < t.n; i++)
			if (u64map_put(&t.index, t.rows[i].id, (void *)(uintptr_t)(i + 1)) < 0) {
				r = tool_fail("out of memory");
				goto out;
			}
	}

	t.tb = scols_new_table();
	if (!t.tb) {
		r = tool_fail("out of memory");
		goto out;
	}
	scols_table_set_name(t.tb, "namespaces");
	scols_table_enable_json(t.tb, json);
	scols_table_enable_raw(t.tb, raw);
	scols_table_enable_noheadings(t.tb, noheadings);
	scols_table_enable_colors(t.tb, colour);
	scols_table_enable_nowrap(t.tb, x.nowrap);
	size_t treecol = tree_column(&cols, tree);
	for (size_t i = 0; i < cols.n; i++) {
		const struct colinfo *ci = &infos[cols.list[i]];
		int flags = ci->flags;
		char key[32];
		size_t k;

		if (notruncate)
			flags &= ~SCOLS_FL_TRUNC;
		if (tree != TREE_NONE && i == treecol)
			flags = (flags & ~SCOLS_FL_RIGHT) | SCOLS_FL_TREE;
		if (cols.list[i] == COL_NSFS && x.nowrap)
			flags &= ~SCOLS_FL_WRAP;
		/* JSON keys are the lower-case column names */
		for (k = 0; json && ci->name[k] && k + 1 < sizeof(key); k++)
			key[k] = (char)(ci->name[k] | 0x20);
		key[json ? k : 0] = '\0';
		struct libscols_column *cl = scols_table_new_column(t.tb, json ? key : ci->header,
								    ci->whint, flags);
		if (!cl) {
			r = tool_fail("out of memory");
			goto out;
		}
		if (json)
			scols_column_set_json_type(cl, ci->json_type);
		if (cols.list[i] == COL_NSFS && !x.nowrap) {
			/* one mount point a line, as lsns */
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						  scols_wrapnl_nextchunk, NULL);
			scols_column_set_safechars(cl, "\n");
		}
	}
	for (size_t i = 0; i < t.n; i++)
		if (make_line(&t, &t.rows[i]) < 0) {
			r = tool_fail("out of memory");
			goto out;
		}
	scols_print_table(t.tb);
	r = tool_finish_output();
out:
	if (t.tb)
		scols_unref_table(t.tb);
	free(t.rows);
	u64map_free(&t.index);
	u64map_free(&x.nprocs);
	u64map_free(&x.lowest);
	u64map_free(&x.users);
	for (size_t i = 0; i < x.nowned; i++)
		free(x.owned[i]);
	free(x.owned);
	u64map_free(&x.nsfs);
	if (x.nlfd >= 0)
		close(x.nlfd);
	lxkns_result_unref(result);
	return r;
}
