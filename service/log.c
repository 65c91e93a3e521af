/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static const char *const level_names[_SLOG_LEVEL_MAX] = {
	[SLOG_ERROR] = "error",
	[SLOG_WARN] = "warn",
	[SLOG_INFO] = "info",
	[SLOG_DEBUG] = "debug",
};

static enum slog_level current = SLOG_INFO;

void slog_set_level(enum slog_level level)
{
	current = level;
}

bool slog_enabled(enum slog_level level)
{
	return level <= current;
}

int slog_level_from_name(const char *name)
{
	for (int i = 0; i < _SLOG_LEVEL_MAX; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	if (strcmp(name, "warning") == 0)
		return SLOG_WARN;
	return -EINVAL;
}

void slog(enum slog_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (!slog_enabled(level))
		return;
	n = snprintf(line, sizeof(line), "lxkns: %s: ", level_names[level]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	/* One line per message: a path with a newline must not forge another. */
	for (char *p = line + n; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	n = (int)strlen(line); /* vsnprintf left room for it */
	line[n] = '\n';
	line[n + 1] = 0;
	/* One write: lines of concurrent threads do not interleave. */
	fputs(line, stderr);
}
