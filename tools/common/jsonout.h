/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsonout.h: the JSON output of the tree tools (-J). Values are appended
 * compactly to a struct buf (a comma goes in front of a key or value unless
 * the buffer is empty or ends in '{', '[' or ':'), and the finished
 * document is printed indented by two spaces. Strings are escaped as JSON
 * requires; invalid UTF-8 becomes U+FFFD, so the output is always valid
 * JSON, whatever bytes a process name holds.
 */
#ifndef LXKNS_TOOL_JSONOUT_H
#define LXKNS_TOOL_JSONOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "xalloc.h"

void json_key(struct buf *b, const char *key);
void json_str(struct buf *b, const char *s);
void json_u64(struct buf *b, uint64_t v);
void json_i64(struct buf *b, int64_t v);
void json_bool(struct buf *b, bool v);
void json_null(struct buf *b);
/* '{' or '[' (with the comma it needs), and the closing '}' or ']'. */
void json_open(struct buf *b, char c);
void json_close(struct buf *b, char c);
/* Appends members written into another buffer (as with json_key()...). */
void json_members(struct buf *b, const struct buf *members);
/* Prints a compact document indented by two spaces, with a final newline. */
void json_print(FILE *out, const struct buf *doc);

#endif
