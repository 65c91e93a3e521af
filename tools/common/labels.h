/* SPDX-License-Identifier: Apache-2.0 */
/*
 * labels.h: the texts the tree tools print for namespaces and processes,
 * following Go lxkns' reference label rules:
 *
 *   - a namespace with processes: its most senior leader,
 *     process "NAME" (PID) controlled by "CGROUP", or for a container's
 *     initial process container "CONTAINER" process "NAME" (PID)
 *     (--all-leaders: every leader, the most senior first, then by PID);
 *   - else, with loose threads: task "NAME" [TID] of "PROC" (PID), ...;
 *   - else, a single reference below /proc/ (a process's or task's ns
 *     link, an fd): referenced from process/task "REF";
 *   - else: bind-mounted at "REF»REF" (the chain of the mount namespace's
 *     reference and the mount point, joined by "»"). Go lxkns tests only
 *     the first element for /proc/, which calls every bind mount
 *     "referenced from process/task" since its chains start with
 *     /proc/1/ns/mnt; we look at the whole reference.
 *   - a hidden namespace (no reference at all) gets no label.
 *
 * Quoted values are quoted like Go's %q, so names with quotes, newlines or
 * escape bytes stay on one line and cannot steer the terminal.
 */
#ifndef LXKNS_TOOL_LABELS_H
#define LXKNS_TOOL_LABELS_H

#include <lxkns/containers.h>
#include <lxkns/lxkns.h>

#include "options.h"
#include "xalloc.h"

/* The namespace types in the order of their names (cgroup, ipc, mnt, net,
 * pid, time, user, uts). */
extern const enum lxkns_ns_type labels_lexical_types[_LXKNS_NS_TYPE_MAX];

/* The options the labels follow (process naming, cgroup names, icons,
 * all leaders); kept by pointer. */
void labels_setup(const struct tool_opts *o);

/* The process name as --proc asks for (comm, basename or argv[0]). */
void label_procname(struct buf *sb, const struct lxkns_process *proc);
/* "container "NAME" " when proc is a container's initial process (with the
 * enclosing container's name as "[prefix]:" for engines in containers, as
 * the lxkns UI shows it), else nothing. */
void label_container(struct buf *sb, const struct lxkns_process *proc);
/* A control group path for display (--cgroup=short cuts 64-hex IDs). */
void label_cgroup(struct buf *sb, const char *path);
/* The reference chain joined by "»". */
void label_ref(struct buf *sb, const struct lxkns_namespace *ns);

/* "[icon ]type:[ino]" in the namespace type's colour. */
void label_nsid(struct buf *sb, const struct lxkns_namespace *ns);
/* Same in another colour (nscaps colours user namespaces by verdict). */
void label_nsid_styled(struct buf *sb, const struct lxkns_namespace *ns, enum style_elem elem);
/* The reference label by the rules above; nothing for a hidden namespace. */
void label_nsref(struct buf *sb, const struct lxkns_namespace *ns);
/* label_nsid, then a space and label_nsref when there is one. */
void label_ns(struct buf *sb, const struct lxkns_namespace *ns);
/* "UID n ("name")" of a user namespace's owner; the name only when
 * known, "UID ???" when the UID is unknown. */
void label_owner_uid(struct buf *sb, const struct lxkns_namespace *userns);
/* "pid:[???]" for a namespace of a type that could not be read. */
void label_unknown_ns(struct buf *sb, enum lxkns_ns_type type);

/*
 * The same in the JSON form (-J), as members of the current object
 * (jsonout.h), following the same rules and options (no colours, no icons):
 *
 *   "nsid": 4026531837, "type": "user", and the reference label as one of
 *   "ealdorman": PROCESS (and with --all-leaders "leaders": [PROCESS...],
 *   the ealdorman first), "loose-threads": [{"tid", "name", "process":
 *   {"pid", "name"}}...], or "reference": ["path"...] with "bind-mounted":
 *   true/false; nothing for a hidden namespace.
 *
 * PROCESS is {"pid", "name" (as --proc asks), and "container" or "cgroup"
 * (as --cgroup asks) when the text shows it}.
 */
void label_json_process(struct buf *b, const struct lxkns_process *proc);
void label_json_ns(struct buf *b, const struct lxkns_namespace *ns);
/* "user-id": UID (null when unknown) and, when known, "user-name". */
void label_json_owner(struct buf *b, const struct lxkns_namespace *userns);

#endif
