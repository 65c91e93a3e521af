/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h: leveled log lines on stderr ("lxkns: warn: ..."), thread-safe.
 */
#ifndef LXKNS_SERVICE_LOG_H
#define LXKNS_SERVICE_LOG_H

#include <stdbool.h>

enum slog_level {
	SLOG_ERROR,
	SLOG_WARN,
	SLOG_INFO,
	SLOG_DEBUG,
	_SLOG_LEVEL_MAX,
};

void slog_set_level(enum slog_level level);
bool slog_enabled(enum slog_level level);
/* "error", "warn", "info", "debug"; the level or -EINVAL. */
int slog_level_from_name(const char *name);
void slog(enum slog_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define slog_error(...) slog(SLOG_ERROR, __VA_ARGS__)
#define slog_warn(...) slog(SLOG_WARN, __VA_ARGS__)
#define slog_info(...) slog(SLOG_INFO, __VA_ARGS__)
#define slog_debug(...) slog(SLOG_DEBUG, __VA_ARGS__)

#endif
