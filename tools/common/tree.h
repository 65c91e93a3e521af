/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tree.h: a tree of labelled nodes with property lines, rendered the way
 * Go lxkns' tools draw them (asciitree): a node's label, then its
 * properties ("⋄─ ..."), then its children, each child indented by three
 * columns behind "├─ " / "└─ ".
 */
#ifndef LXKNS_TOOL_TREE_H
#define LXKNS_TOOL_TREE_H

#include <stddef.h>
#include <stdio.h>

#include "xalloc.h"

/* Deeper nodes are not added; tree_add() returns NULL and the parent gets
 * a "…" marker instead (a malformed saved discovery can describe an
 * arbitrarily deep process tree). */
#define TREE_MAX_DEPTH 1000
/* The JSON form (-J) shows 80 levels: with what a node holds, that keeps
 * every document within the 256 levels of nesting that jq 1.6 parses.
 * A node whose children are cut has "truncated": true. */
#define TREE_JSON_MAX_DEPTH 80

struct tree_node;

struct tree {
	struct tree_node **all; /* every node, for freeing */
	size_t count, cap;
	struct tree_node **roots;
	size_t nroots, cap_roots;
};

#define TREE_INIT                                                                                  \
	{                                                                                          \
		NULL, 0, 0, NULL, 0, 0                                                             \
	}

/* Adds a node under parent (NULL: a new root); takes the malloc'ed label.
 * NULL when the parent is already at TREE_MAX_DEPTH (label is freed). */
struct tree_node *tree_add(struct tree *t, struct tree_node *parent, char *label);
/* Adds a property line to a node; takes the malloc'ed text. */
void tree_prop(struct tree_node *node, char *text);
size_t tree_depth(const struct tree_node *node);
/* The node's members in the JSON form (-J), written with jsonout.h; its
 * "children" (and "truncated") are added when the tree is printed. */
struct buf *tree_json(struct tree_node *node);
/* Writes the tree with the glyphs of the current style. */
void tree_render(const struct tree *t, FILE *out);
/* Writes the tree as JSON: { "ROOTKEY": [ node, ... ] }, each node an
 * object of its members and its "children" array. */
void tree_render_json(const struct tree *t, const char *rootkey, FILE *out);
void tree_free(struct tree *t);

#endif
