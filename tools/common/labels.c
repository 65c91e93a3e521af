/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "labels.h"
#include "jsonout.h"
#include "style.h"

static const struct tool_opts *opts;

const enum lxkns_ns_type labels_lexical_types[_LXKNS_NS_TYPE_MAX] = {
	LXKNS_NS_CGROUP, LXKNS_NS_IPC,	LXKNS_NS_MNT,  LXKNS_NS_NET,
	LXKNS_NS_PID,	 LXKNS_NS_TIME, LXKNS_NS_USER, LXKNS_NS_UTS,
};

void labels_setup(const struct tool_opts *o)
{
	opts = o;
}

void label_procname(struct buf *sb, const struct lxkns_process *proc)
{
	const char *argv0 = lxkns_process_cmdline_count(proc) ? lxkns_process_cmdline_at(proc, 0)
							      : NULL;
	const char *name = lxkns_process_name(proc);
	enum tool_procname mode = opts ? opts->procname : TOOL_PROC_NAME;

	if (mode == TOOL_PROC_EXE && argv0 && *argv0) {
		buf_puts(sb, argv0);
		return;
	}
	if (mode == TOOL_PROC_BASENAME && argv0) {
		const char *slash = strrchr(argv0, '/');
		const char *base = slash ? slash + 1 : argv0;
		if (*base) {
			buf_puts(sb, base);
			return;
		}
	}
	if (name && *name)
		buf_puts(sb, name);
	else if (mode == TOOL_PROC_BASENAME)
		buf_printf(sb, "process (%d)", (int)lxkns_process_pid(proc));
}

static bool is_hex64(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

void label_cgroup(struct buf *sb, const char *path)
{
	if (!path)
		return;
	if (opts && opts->cgroup_full) {
		buf_puts(sb, path);
		return;
	}
	for (const char *p = path;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (is_hex64(p, len)) {
			buf_append(sb, p, 12);
			buf_puts(sb, "…");
		} else {
			buf_append(sb, p, len);
		}
		if (!slash)
			break;
		buf_putc(sb, '/');
		p = slash + 1;
	}
}

void label_ref(struct buf *sb, const struct lxkns_namespace *ns)
{
	size_t n = lxkns_namespace_ref_count(ns);

	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(sb, "»");
		buf_puts(sb, lxkns_namespace_ref_at(ns, i));
	}
}

static const char *const icons[_LXKNS_NS_TYPE_MAX] = {
	[LXKNS_NS_MNT] = "📁",  [LXKNS_NS_CGROUP] = "🔧", [LXKNS_NS_UTS] = "💻",
	[LXKNS_NS_IPC] = "✉ ", [LXKNS_NS_USER] = "👤",	[LXKNS_NS_PID] = "🏃",
	[LXKNS_NS_NET] = "⇄ ", [LXKNS_NS_TIME] = "⏲ ",
};

void label_nsid_styled(struct buf *sb, const struct lxkns_namespace *ns, enum style_elem elem)
{
	enum lxkns_ns_type type = lxkns_namespace_type(ns);

	if (opts && opts->icon) {
		buf_puts(sb, icons[type]);
		buf_putc(sb, ' ');
	}
	style_printf(sb, elem, "%s:[%llu]", lxkns_ns_type_name(type),
		     (unsigned long long)lxkns_namespace_id(ns).ino);
}

void label_nsid(struct buf *sb, const struct lxkns_namespace *ns)
{
	label_nsid_styled(sb, ns, (enum style_elem)lxkns_namespace_type(ns));
}

void label_container(struct buf *sb, const struct lxkns_process *proc)
{
	const struct lxkns_container *c = lxkns_process_container(proc);
	char name[512];

	if (!c)
		return;
	buf_puts(sb, "container ");
	style_quote(sb, STYLE_CONTAINER, lxkns_container_display_name(c, name, sizeof(name)));
	buf_putc(sb, ' ');
}

static void process_label(struct buf *sb, const struct lxkns_process *proc)
{
	/* a container's initial process: its container instead of its cgroup */
	const char *cg = lxkns_process_container(proc) ? NULL : lxkns_process_cpu_cgroup(proc);
	struct buf name = BUF_INIT;

	label_procname(&name, proc);
	label_container(sb, proc);
	buf_puts(sb, "process ");
	style_quote(sb, STYLE_PROCESS, xbuf_str(&name));
	buf_printf(sb, " (%d)", (int)lxkns_process_pid(proc));
	if (cg && *cg) {
		buf_truncate(&name, 0);
		label_cgroup(&name, cg);
		buf_puts(sb, " controlled by ");
		style_quote(sb, STYLE_CGROUP, xbuf_str(&name));
	}
	buf_free(&name);
}

void label_nsref(struct buf *sb, const struct lxkns_namespace *ns)
{
	const struct lxkns_process *ealdorman = lxkns_namespace_ealdorman(ns);
	size_t n;

	if (ealdorman) {
		process_label(sb, ealdorman);
		if (!opts || !opts->all_leaders)
			return;
		n = lxkns_namespace_leader_count(ns);
		for (size_t i = 0; i < n; i++) {
			const struct lxkns_process *p = lxkns_namespace_leader_at(ns, i);
			if (p == ealdorman)
				continue;
			buf_puts(sb, ", ");
			process_label(sb, p);
		}
		return;
	}
	n = lxkns_namespace_loose_thread_count(ns);
	if (n) {
		for (size_t i = 0; i < n; i++) {
			const struct lxkns_task *t = lxkns_namespace_loose_thread_at(ns, i);
			const struct lxkns_process *p = lxkns_task_process(t);

			if (i)
				buf_puts(sb, ", ");
			buf_puts(sb, "task ");
			style_quote(sb, STYLE_TASK, lxkns_task_name(t));
			buf_printf(sb, " [%d]", (int)lxkns_task_tid(t));
			if (p) {
				struct buf name = BUF_INIT;
				label_procname(&name, p);
				buf_puts(sb, " of ");
				style_quote(sb, STYLE_PROCESS, xbuf_str(&name));
				buf_printf(sb, " (%d)", (int)lxkns_process_pid(p));
				buf_free(&name);
			}
		}
		return;
	}
	n = lxkns_namespace_ref_count(ns);
	if (n) {
		struct buf ref = BUF_INIT;
		const char *first = lxkns_namespace_ref_at(ns, 0);

		label_ref(&ref, ns);
		/* a single /proc/ path is a process's, task's or fd's; a chain
		 * (mount namespace, then path) is a bind mount */
		buf_puts(sb, n == 1 && first && strncmp(first, "/proc/", 6) == 0
				     ? "referenced from process/task "
				     : "bind-mounted at ");
		style_quote(sb, STYLE_PATH, xbuf_str(&ref));
		buf_free(&ref);
	} else if (lxkns_namespace_held_kind(ns)) {
		/* no path: only the kernel's list, or mounted in such a namespace */
		char held[PATH_MAX + 64];

		lxkns_namespace_held_describe(ns, held, sizeof(held));
		buf_puts(sb, "held by ");
		buf_puts(sb, held);
	}
}

void label_ns(struct buf *sb, const struct lxkns_namespace *ns)
{
	size_t len;

	label_nsid(sb, ns);
	buf_putc(sb, ' ');
	len = sb->len;
	label_nsref(sb, ns);
	if (sb->len == len)
		buf_truncate(sb, len - 1);
}

void label_owner_uid(struct buf *sb, const struct lxkns_namespace *userns)
{
	uid_t uid;
	const char *name;

	buf_puts(sb, "UID ");
	if (!userns || !lxkns_namespace_owner_uid(userns, &uid)) {
		style_puts(sb, STYLE_UNKNOWN, "???");
		return;
	}
	style_printf(sb, STYLE_OWNER, "%u", (unsigned)uid);
	name = lxkns_namespace_user_name(userns);
	if (name && *name) {
		buf_puts(sb, " (");
		style_quote(sb, STYLE_OWNER, name);
		buf_putc(sb, ')');
	}
}

void label_unknown_ns(struct buf *sb, enum lxkns_ns_type type)
{
	enum style_elem elem = (enum style_elem)type;

	style_printf(sb, elem, "%s:[", lxkns_ns_type_name(type));
	style_puts(sb, STYLE_UNKNOWN, "???");
	style_puts(sb, elem, "]");
}

void label_json_process(struct buf *b, const struct lxkns_process *proc)
{
	const struct lxkns_container *c = lxkns_process_container(proc);
	const char *cg = c ? NULL : lxkns_process_cpu_cgroup(proc);
	struct buf s = BUF_INIT;
	char name[512];

	json_open(b, '{');
	json_key(b, "pid");
	json_i64(b, lxkns_process_pid(proc));
	json_key(b, "name");
	label_procname(&s, proc);
	json_str(b, xbuf_str(&s));
	if (c) {
		json_key(b, "container");
		json_str(b, lxkns_container_display_name(c, name, sizeof(name)));
	} else if (cg && *cg) {
		buf_truncate(&s, 0);
		label_cgroup(&s, cg);
		json_key(b, "cgroup");
		json_str(b, xbuf_str(&s));
	}
	buf_free(&s);
	json_close(b, '}');
}

static void json_loose_threads(struct buf *b, const struct lxkns_namespace *ns, size_t n)
{
	json_key(b, "loose-threads");
	json_open(b, '[');
	for (size_t i = 0; i < n; i++) {
		const struct lxkns_task *t = lxkns_namespace_loose_thread_at(ns, i);
		const struct lxkns_process *p = lxkns_task_process(t);

		json_open(b, '{');
		json_key(b, "tid");
		json_i64(b, lxkns_task_tid(t));
		json_key(b, "name");
		json_str(b, lxkns_task_name(t));
		if (p) {
			struct buf name = BUF_INIT;
			label_procname(&name, p);
			json_key(b, "process");
			json_open(b, '{');
			json_key(b, "pid");
			json_i64(b, lxkns_process_pid(p));
			json_key(b, "name");
			json_str(b, xbuf_str(&name));
			json_close(b, '}');
			buf_free(&name);
		}
		json_close(b, '}');
	}
	json_close(b, ']');
}

void label_json_ns(struct buf *b, const struct lxkns_namespace *ns)
{
	const struct lxkns_process *ealdorman = lxkns_namespace_ealdorman(ns);
	size_t n;

	json_key(b, "nsid");
	json_u64(b, lxkns_namespace_id(ns).ino);
	json_key(b, "type");
	json_str(b, lxkns_ns_type_name(lxkns_namespace_type(ns)));
	if (ealdorman) {
		json_key(b, "ealdorman");
		label_json_process(b, ealdorman);
		if (!opts || !opts->all_leaders)
			return;
		json_key(b, "leaders");
		json_open(b, '[');
		label_json_process(b, ealdorman);
		n = lxkns_namespace_leader_count(ns);
		for (size_t i = 0; i < n; i++)
			if (lxkns_namespace_leader_at(ns, i) != ealdorman)
				label_json_process(b, lxkns_namespace_leader_at(ns, i));
		json_close(b, ']');
		return;
	}
	n = lxkns_namespace_loose_thread_count(ns);
	if (n) {
		json_loose_threads(b, ns, n);
		return;
	}
	n = lxkns_namespace_ref_count(ns);
	if (n) {
		const char *first = lxkns_namespace_ref_at(ns, 0);

		json_key(b, "reference");
		json_open(b, '[');
		for (size_t i = 0; i < n; i++)
			json_str(b, lxkns_namespace_ref_at(ns, i));
		json_close(b, ']');
		json_key(b, "bind-mounted");
		json_bool(b, !(n == 1 && first && strncmp(first, "/proc/", 6) == 0));
	}
}

void label_json_owner(struct buf *b, const struct lxkns_namespace *userns)
{
	uid_t uid;
	const char *name;

	json_key(b, "user-id");
	if (!userns || !lxkns_namespace_owner_uid(userns, &uid)) {
		json_null(b);
		return;
	}
	json_u64(b, uid);
	name = lxkns_namespace_user_name(userns);
	if (name && *name) {
		json_key(b, "user-name");
		json_str(b, name);
	}
}
