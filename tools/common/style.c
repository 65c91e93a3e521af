/* SPDX-License-Identifier: Apache-2.0 */
/*
 * style.c: the two colour themes (the colours of Go lxkns' default dark and
 * light themes, rendered as xterm 256-colour SGR sequences) and the glyph
 * sets of the tree styles.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "style.h"

struct theme_entry {
	const char *bg, *fg; /* "#rrggbb" or NULL */
	bool bold, italic;
};

/* indexed by enum style_elem; namespace types in enum lxkns_ns_type order
 * (mnt, cgroup, uts, ipc, user, pid, net, time) */
static const struct theme_entry dark[_STYLE_MAX] = {
	[LXKNS_NS_MNT] = { .bg = "#000080" },
	[LXKNS_NS_CGROUP] = { .bg = "#800000" },
	[LXKNS_NS_UTS] = { .bg = "#800080" },
	[LXKNS_NS_IPC] = { .bg = "#808000" },
	[LXKNS_NS_USER] = { .bg = "#404040", .bold = true },
	[LXKNS_NS_PID] = { .bg = "#c0ffff", .fg = "#000000", .bold = true },
	[LXKNS_NS_NET] = { .bg = "#008000" },
	[LXKNS_NS_TIME] = { .bg = "#804000" },
	[STYLE_USER_NOCAPS] = { .bg = "#800000", .fg = "#ffffff" },
	[STYLE_USER_EFFCAPS] = { .bg = "#808000", .fg = "#ffffff" },
	[STYLE_USER_FULLCAPS] = { .bg = "#008000", .fg = "#ffffff" },
	[STYLE_OWNER] = { .fg = "#e0e000" },
	[STYLE_PROCESS] = { .fg = "#00c000" },
	[STYLE_TASK] = { .fg = "#00c000", .italic = true },
	[STYLE_CGROUP] = { .fg = "#ff9900" },
	[STYLE_UNKNOWN] = { .fg = "#ff0000" },
	[STYLE_CONTAINER] = { .fg = "#0099ff", .bold = true },
	[STYLE_PATH] = { .fg = "#009999", .bold = true },
};

static const struct theme_entry light[_STYLE_MAX] = {
	[LXKNS_NS_MNT] = { .bg = "#e6e6ff" },
	[LXKNS_NS_CGROUP] = { .bg = "#ffe6e6" },
	[LXKNS_NS_UTS] = { .bg = "#d9b3ff" },
	[LXKNS_NS_IPC] = { .bg = "#ffffcc" },
	[LXKNS_NS_USER] = { .bg = "#dadada", .fg = "#000000", .bold = true },
	[LXKNS_NS_PID] = { .bg = "#e6ffff", .fg = "#000000", .bold = true },
	[LXKNS_NS_NET] = { .bg = "#ccffdd" },
	[LXKNS_NS_TIME] = { .bg = "#ffcc99" },
	[STYLE_USER_NOCAPS] = { .bg = "#800000", .fg = "#ffffff" },
	[STYLE_USER_EFFCAPS] = { .bg = "#808000", .fg = "#ffffff" },
	[STYLE_USER_FULLCAPS] = { .bg = "#008000", .fg = "#ffffff" },
	[STYLE_OWNER] = { .fg = "#808000" },
	[STYLE_PROCESS] = { .fg = "#004000" },
	[STYLE_TASK] = { .fg = "#004000", .italic = true },
	[STYLE_CGROUP] = { .fg = "#cc7a00" },
	[STYLE_UNKNOWN] = { .fg = "#800000" },
	[STYLE_CONTAINER] = { .fg = "#0099ff", .bold = true },
	[STYLE_PATH] = { .fg = "#009999", .bold = true },
};

static const struct style_glyphs glyphs_line = {
	.fork = "├─ ",
	.last = "└─ ",
	.nofork = "│  ",
	.blank = "   ",
	.prop = "⋄─",
};
static const struct style_glyphs glyphs_ascii = {
	.fork = "\\_ ",
	.last = "\\_ ",
	.nofork = "|  ",
	.blank = "   ",
	.prop = "o-",
};

static bool colour;
static const struct style_glyphs *glyphs = &glyphs_line;
static char sgr[_STYLE_MAX][48];

static unsigned hexval(const char *hex, int shift)
{
	char two[3] = { hex[1 + shift], hex[2 + shift], '\0' };
	return (unsigned)strtoul(two, NULL, 16);
}

static unsigned sq(int v)
{
	return (unsigned)(v * v);
}

/* The nearest xterm 256-colour palette entry: the 6x6x6 cube or the grey
 * ramp, whichever is closer. */
static unsigned xterm256(const char *hex)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int r = (int)hexval(hex, 0), g = (int)hexval(hex, 2), b = (int)hexval(hex, 4);
	int qr = r < 48 ? 0 : r < 115 ? 1 : (r - 35) / 40;
	int qg = g < 48 ? 0 : g < 115 ? 1 : (g - 35) / 40;
	int qb = b < 48 ? 0 : b < 115 ? 1 : (b - 35) / 40;
	int avg = (r + g + b) / 3;
	int gi = avg > 238 ? 23 : (avg - 3) / 10;
	if (gi < 0)
		gi = 0;
	int grey = 8 + 10 * gi;
	unsigned dcube = sq(level[qr] - r) + sq(level[qg] - g) + sq(level[qb] - b);
	unsigned dgrey = sq(grey - r) + sq(grey - g) + sq(grey - b);

	if (dgrey < dcube)
		return 232u + (unsigned)gi;
	return 16u + 36u * (unsigned)qr + 6u * (unsigned)qg + (unsigned)qb;
}

void style_setup(bool on, enum style_theme theme, enum style_tree tree)
{
	const struct theme_entry *t = theme == STYLE_THEME_LIGHT ? light : dark;

	colour = on;
	glyphs = tree == STYLE_TREE_ASCII ? &glyphs_ascii : &glyphs_line;
	for (int i = 0; i < _STYLE_MAX; i++) {
		char *p = sgr[i];
		size_t left = sizeof(sgr[i]);
		int n = 0;
		const char *sep = "";

		sgr[i][0] = '\0';
		if (!on)
			continue;
		n = snprintf(p, left, "\033[");
		p += n, left -= (size_t)n;
		if (t[i].bold) {
			n = snprintf(p, left, "%s1", sep);
			p += n, left -= (size_t)n, sep = ";";
		}
		if (t[i].italic) {
			n = snprintf(p, left, "%s3", sep);
			p += n, left -= (size_t)n, sep = ";";
		}
		if (t[i].fg) {
			n = snprintf(p, left, "%s38;5;%u", sep, xterm256(t[i].fg));
			p += n, left -= (size_t)n, sep = ";";
		}
		if (t[i].bg) {
			n = snprintf(p, left, "%s48;5;%u", sep, xterm256(t[i].bg));
			p += n, left -= (size_t)n, sep = ";";
		}
		if (!*sep)
			sgr[i][0] = '\0'; /* nothing to set */
		else
			snprintf(p, left, "m");
	}
}

bool style_colour(void)
{
	return colour;
}

const char *style_sgr(enum style_elem elem)
{
	return (int)elem >= 0 && elem < _STYLE_MAX ? sgr[elem] : "";
}

void style_begin(struct buf *sb, enum style_elem elem)
{
	const char *s = style_sgr(elem);
	if (*s)
		buf_puts(sb, s);
}

void style_end(struct buf *sb, enum style_elem elem)
{
	if (*style_sgr(elem))
		buf_puts(sb, "\033[0m");
}

void style_puts(struct buf *sb, enum style_elem elem, const char *text)
{
	style_begin(sb, elem);
	buf_puts(sb, text);
	style_end(sb, elem);
}

void style_quote(struct buf *sb, enum style_elem elem, const char *text)
{
	style_begin(sb, elem);
	tool_quote(sb, text);
	style_end(sb, elem);
}

void style_printf(struct buf *sb, enum style_elem elem, const char *fmt, ...)
{
	va_list ap;

	style_begin(sb, elem);
	va_start(ap, fmt);
	buf_vprintf(sb, fmt, ap);
	va_end(ap);
	style_end(sb, elem);
}

const char *style_theme_rgb(enum style_theme theme, enum style_elem elem)
{
	const struct theme_entry *t = theme == STYLE_THEME_LIGHT ? light : dark;

	if ((int)elem < 0 || elem >= _STYLE_MAX)
		return NULL;
	return t[elem].bg ? t[elem].bg : t[elem].fg;
}

const struct style_glyphs *style_glyphs(void)
{
	return glyphs;
}
