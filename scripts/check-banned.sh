#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check-banned.sh [SOURCE-ROOT]: no call of a banned C function in any
# git-tracked *.c or *.h. Banned, and what to use instead (CODING_STYLE.md):
#   strcpy, strcat        memcpy with a checked length, snprintf, struct buf
#   sprintf, vsprintf     snprintf, vsnprintf, buf_printf
#   gets                  fgets, getline
#   atoi, atol, atoll     safe_atoi, safe_atou64(_n), safe_atoi64_n (common/strutil.h)
# Comments (/* */ and //) and string and character literals are blanked
# before matching. Prints file:line:text for each call; exits 1 if there is
# any, 0 if there is none.
set -eu
root=${1:-$(dirname "$0")/..}
cd "$root"
# not a git checkout (a release tarball): nothing to list, skip
git rev-parse --git-dir >/dev/null 2>&1 || exit 77
status=0
git ls-files -z -- '*.c' '*.h' | xargs -0 -r awk '
FNR == 1 { incomment = 0 }
{
	line = $0; out = ""; i = 1; n = length(line)
	while (i <= n) {
		c = substr(line, i, 1); c2 = substr(line, i, 2)
		if (incomment) {
			if (c2 == "*/") { incomment = 0; i += 2 } else i++
			continue
		}
		if (c2 == "/*") { incomment = 1; i += 2; out = out " "; continue }
		if (c2 == "//") break
		if (c == "\"" || c == "\047") {
			q = c; i++
			while (i <= n && substr(line, i, 1) != q) {
				if (substr(line, i, 1) == "\\") i++
				i++
			}
			i++; out = out q q; continue
		}
		out = out c; i++
	}
	if (out ~ /(^|[^A-Za-z0-9_])(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll)[ \t]*\(/) {
		printf "%s:%d:%s\n", FILENAME, FNR, $0
		bad = 1
	}
}
END { exit bad ? 1 : 0 }
' || status=1
exit $status
