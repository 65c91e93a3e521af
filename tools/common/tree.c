/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "style.h"
#include "xalloc.h"
#include "tree.h"

struct tree_node {
	char *label;
	char **props;
	size_t nprops, cap_props;
	struct tree_node **kids;
	size_t nkids, cap_kids;
	size_t depth;
	bool truncated;	 /* children beyond TREE_MAX_DEPTH were left out */
	struct buf json; /* the members of its JSON object */
};

struct tree_node *tree_add(struct tree *t, struct tree_node *parent, char *label)
{
	struct tree_node *n;

	if (parent && parent->depth + 1 >= TREE_MAX_DEPTH) {
		parent->truncated = true;
		free(label);
		return NULL;
	}
	n = xcalloc(1, sizeof(*n));
	n->label = label;
	n->depth = parent ? parent->depth + 1 : 0;
	xgrow((void **)&t->all, &t->cap, t->count + 1, sizeof(*t->all));
	t->all[t->count++] = n;
	if (parent) {
		xgrow((void **)&parent->kids, &parent->cap_kids, parent->nkids + 1,
		      sizeof(*parent->kids));
		parent->kids[parent->nkids++] = n;
	} else {
		xgrow((void **)&t->roots, &t->cap_roots, t->nroots + 1, sizeof(*t->roots));
		t->roots[t->nroots++] = n;
	}
	return n;
}

void tree_prop(struct tree_node *node, char *text)
{
	xgrow((void **)&node->props, &node->cap_props, node->nprops + 1, sizeof(*node->props));
	node->props[node->nprops++] = text;
}

size_t tree_depth(const struct tree_node *node)
{
	return node->depth;
}

struct buf *tree_json(struct tree_node *node)
{
	return &node->json;
}

static void render_json(const struct tree_node *n, struct buf *doc)
{
	bool cut = n->truncated || (n->nkids && n->depth + 1 >= TREE_JSON_MAX_DEPTH);

	json_open(doc, '{');
	json_members(doc, &n->json);
	json_key(doc, "children");
	json_open(doc, '[');
	for (size_t i = 0; i < n->nkids && n->depth + 1 < TREE_JSON_MAX_DEPTH; i++)
		render_json(n->kids[i], doc);
	json_close(doc, ']');
	if (cut) {
		json_key(doc, "truncated");
		json_bool(doc, true);
	}
	json_close(doc, '}');
}

void tree_render_json(const struct tree *t, const char *rootkey, FILE *out)
{
	struct buf doc = BUF_INIT;

	json_open(&doc, '{');
	json_key(&doc, rootkey);
	json_open(&doc, '[');
	for (size_t i = 0; i < t->nroots; i++)
		render_json(t->roots[i], &doc);
	json_close(&doc, ']');
	json_close(&doc, '}');
	json_print(out, &doc);
	buf_free(&doc);
}

/* first: what goes before the label; rest (in sb): before every other line
 * of this subtree. */
static void render(const struct tree_node *n, const char *first, struct buf *rest, FILE *out)
{
	const struct style_glyphs *g = style_glyphs();
	size_t keep = rest->len;
	bool kids = n->nkids > 0 || n->truncated;

	fputs(first, out);
	fputs(n->label, out);
	fputc('\n', out);
	for (size_t i = 0; i < n->nprops; i++) {
		fputs(xbuf_str(rest), out);
		fputs(kids ? g->nofork : g->blank, out);
		fputs(g->prop, out);
		fputc(' ', out);
		fputs(n->props[i], out);
		fputc('\n', out);
	}
	for (size_t i = 0; i < n->nkids; i++) {
		bool last = i + 1 == n->nkids && !n->truncated;
		struct buf head = BUF_INIT;

		buf_puts(&head, xbuf_str(rest));
		buf_puts(&head, last ? g->last : g->fork);
		buf_puts(rest, last ? g->blank : g->nofork);
		render(n->kids[i], xbuf_str(&head), rest, out);
		buf_truncate(rest, keep);
		buf_free(&head);
	}
	if (n->truncated)
		fprintf(out, "%s%s…\n", xbuf_str(rest), g->last);
}

void tree_render(const struct tree *t, FILE *out)
{
	struct buf rest = BUF_INIT;

	for (size_t i = 0; i < t->nroots; i++) {
		buf_truncate(&rest, 0);
		buf_puts(&rest, "");
		render(t->roots[i], "", &rest, out);
	}
	buf_free(&rest);
}

void tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->count; i++) {
		struct tree_node *n = t->all[i];
		for (size_t k = 0; k < n->nprops; k++)
			free(n->props[k]);
		free(n->props);
		free(n->kids);
		free(n->label);
		buf_free(&n->json);
		free(n);
	}
	free(t->all);
	free(t->roots);
	memset(t, 0, sizeof(*t));
}
