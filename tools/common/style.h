/* SPDX-License-Identifier: Apache-2.0 */
/*
 * style.h: how the tools look: colour (off, or one of two themes with a
 * style per namespace type and per element such as process names or
 * control groups) and the tree glyphs (Unicode lines or plain ASCII).
 */
#ifndef LXKNS_TOOL_STYLE_H
#define LXKNS_TOOL_STYLE_H

#include <stdbool.h>

#include <lxkns/species.h>

#include "xalloc.h"

/* Styled elements; the first _LXKNS_NS_TYPE_MAX are the namespace types
 * (indexed by enum lxkns_ns_type). */
enum style_elem {
	STYLE_USER_NOCAPS = _LXKNS_NS_TYPE_MAX,
	STYLE_USER_EFFCAPS,
	STYLE_USER_FULLCAPS,
	STYLE_OWNER,
	STYLE_PROCESS,
	STYLE_TASK,
	STYLE_CGROUP,
	STYLE_UNKNOWN,
	STYLE_CONTAINER,
	STYLE_PATH,
	_STYLE_MAX,
};

enum style_theme {
	STYLE_THEME_DARK,
	STYLE_THEME_LIGHT,
};

enum style_tree {
	STYLE_TREE_LINE,
	STYLE_TREE_ASCII,
};

void style_setup(bool colour, enum style_theme theme, enum style_tree tree);
bool style_colour(void);

/* The SGR sequence that starts an element ("" without colour). */
const char *style_sgr(enum style_elem elem);
/* Wraps what is appended between style_begin() and style_end() in the
 * element's colour (no-ops without colour). */
void style_begin(struct buf *sb, enum style_elem elem);
void style_end(struct buf *sb, enum style_elem elem);
/* Appends text, or a Go-quoted string, in the element's colour. */
void style_puts(struct buf *sb, enum style_elem elem, const char *text);
void style_quote(struct buf *sb, enum style_elem elem, const char *text);
void style_printf(struct buf *sb, enum style_elem elem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The colour of an element as "#rrggbb" for other renderers (Graphviz):
 * the background if the theme has one, else the foreground; NULL if none. */
const char *style_theme_rgb(enum style_theme theme, enum style_elem elem);

/* Tree glyphs: a child that has later siblings ("├─ "), the last child
 * ("└─ "), the continuation below a child with later siblings ("│  "),
 * the one below a last child ("   ") and a property marker ("⋄─"). */
struct style_glyphs {
	const char *fork, *last, *nofork, *blank, *prop;
};
const struct style_glyphs *style_glyphs(void);

#endif
