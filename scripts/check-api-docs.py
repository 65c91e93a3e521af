#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# check-api-docs.py [SRCROOT]: every function declared in a public header
# (include/lxkns/*.h) must have a doc comment of its own: a /* ... */ block
# that ends on the line just before the declaration (a comment trailing code,
# or one that documents a group from above an earlier declaration, does not
# count). Declarations may span lines, return pointers and carry attributes.
# "Its own" is strict: one comment documents one declaration (a second
# declaration on the same line has none), and a comment that says nothing
# (empty, punctuation, fewer than two words) or is a section divider
# ("/* ---- namespaces ---- */") is no doc comment.
# Prints "file:line: name has no doc comment" for each missing one and exits
# 1; exits 0 with a count otherwise (2 when its own self-test fails).
import glob
import os
import re
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
EXTERN_C = re.compile(r'extern\s+"C"\s*\{')
# identifiers before a "(" that are not the function's name
NOT_NAMES = {"__attribute__", "__attribute", "__declspec", "__asm__", "__asm", "asm",
             "_Alignas", "alignas", "__typeof__", "typeof", "_Static_assert", "sizeof"}


def is_attribute_macro(name):
    # attribute-like macros: FOO(...), _foo_(...), __foo(...)
    return (name in NOT_NAMES or name.startswith("__") or
            (name.startswith("_") and name.endswith("_")) or
            (name.isupper() and len(name) > 1))


def blank(text):
    """Replaces comments, string/char literals and preprocessor lines with
    spaces (keeping newlines), and returns the result and, for every line,
    whether a standalone /* */ comment ends on it (nothing but whitespace
    before the comment's start and after its end)."""
    text = EXTERN_C.sub(lambda m: " " * len(m.group(0)), text)
    out = list(text)
    n = len(text)
    nlines = text.count("\n") + 1
    doc_end = [None] * (nlines + 2)
    line_start = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            line_start.append(i + 1)

    def line_of(pos):
        lo, hi = 0, len(line_start) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_start[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def wipe(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    i = 0
    at_line_start = True
    while i < n:
        ch = text[i]
        if at_line_start and ch in " \t":
            i += 1
            continue
        if at_line_start and ch == "#":
            # preprocessor line, with backslash continuations
            j = i
            while j < n:
                if text[j] == "\n" and text[j - 1] != "\\":
                    break
                j += 1
            wipe(i, j)
            i = j
            continue
        at_line_start = False
        if ch == "\n":
            at_line_start = True
            i += 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            ls = line_start[line_of(i) - 1]
            before = "".join(out[ls:i]).strip()
            le = text.find("\n", j)
            after = text[j:n if le < 0 else le].strip()
            wipe(i, j)
            if not before and not after:
                doc_end[line_of(j - 1)] = text[i:j]
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            wipe(i, j)
            i = j
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            wipe(i + 1, min(j, n))
            i = j + 1
        else:
            i += 1
    return "".join(out), doc_end


DIVIDER = re.compile(r"^\s*[-=*#~_]{2,}.*[-=*#~_]{2,}\s*$", re.S)


def says_something(comment):
    """Whether a comment's text documents anything: at least two words,
    and not a section divider."""
    if not comment:
        return False
    body = comment[2:-2] if comment.endswith("*/") else comment[2:]
    if DIVIDER.match(body.strip()):
        return False
    return len(re.findall(r"[A-Za-z]{2,}", body)) >= 2


def function_name(stmt):
    """The name of the function a top-level statement declares, or None."""
    s = stmt.strip()
    first = IDENT.match(s)
    if first and first.group(0) in ("typedef", "struct", "union", "enum") and \
            not re.search(r"\)\s*$", s):
        return None
    if first and first.group(0) == "typedef":
        return None
    depth = 0
    for m in re.finditer(r"[()]|[A-Za-z_][A-Za-z0-9_]*", s):
        tok = m.group(0)
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        elif depth == 0:
            rest = s[m.end():].lstrip()
            # "int (*name(...))(...)": the "(" opens a declarator, not parameters
            if rest.startswith("(") and not rest[1:].lstrip().startswith("*") and \
                    not is_attribute_macro(tok):
                return tok
        elif depth == 1:
            # int (*name(params))(more): a function returning a function pointer
            before = s[:m.start()].rstrip()
            rest = s[m.end():].lstrip()
            if before.endswith("*") and rest.startswith("("):
                return tok
    return None


def check_text(text):
    """Returns (functions, missing): lists of (line, name)."""
    code, doc_end = blank(text)
    functions, missing = [], []
    used = set()

    def documented(start_line):
        """Whether the comment ending on the line before is a doc comment
        not yet taken by another declaration; takes it."""
        k = start_line - 1
        if k in used or not says_something(doc_end[k]):
            return False
        used.add(k)
        return True

    depth = 0
    start = None  # offset of the current top-level statement's first code char
    i, n = 0, len(code)
    line = 1
    start_line = None
    while i < n:
        ch = code[i]
        if ch == "\n":
            line += 1
        elif ch.isspace():
            pass
        elif depth > 0:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
        else:
            if start is None:
                start, start_line = i, line
            if ch == "{":
                stmt = code[start:i]
                name = function_name(stmt) if re.search(r"\)\s*$", stmt) else None
                if name:
                    # an inline definition: record it, skip its body
                    functions.append((start_line, name))
                    if not documented(start_line):
                        missing.append((start_line, name))
                    d = 1
                    i += 1
                    while i < n and d:
                        if code[i] == "{":
                            d += 1
                        elif code[i] == "}":
                            d -= 1
                        elif code[i] == "\n":
                            line += 1
                        i += 1
                    start = None
                    continue
                depth = 1
            elif ch == "}":
                # the closing brace of extern "C" {
                start = None
            elif ch == ";":
                name = function_name(code[start:i])
                if name:
                    functions.append((start_line, name))
                    if not documented(start_line):
                        missing.append((start_line, name))
                start = None
        i += 1
    return functions, missing


SELF_TEST = """\
/* SPDX */
#ifndef X_H
#define X_H \\
	1
#ifdef __cplusplus
extern "C" {
#endif
struct s;
struct t { int (*cb)(void *p); int a; };
enum e { A, B, };
typedef int (*sink)(void *u, const char *b);
#define M(x) ((x) + 1)

/* Documented here. */
int doc_a(void);
int undoc_b(void);
const struct t *undoc_c(const struct s *s,
			int x);
/*
 * Documented, several lines, returns a pointer.
 */
const char *
doc_d(int x,
      int y);
int x_trailing(void); /* not enough */
/* doc */ int same_line(void);
/* Documented with an attribute. */
__attribute__((warn_unused_result)) int doc_e(void);
__attribute__((nonnull(1))) int undoc_f(const char *s);
/* Documented, returns a function pointer. */
int (*doc_g(int x))(void);
/* Documented inline definition. */
static inline int doc_h(void) { return M(1); }
static inline int undoc_i(void) { return 0; }
extern int variable;
/* "a;b(" in a comment */
int doc_j(const char *s /* (s) */);
/* Two on one line share this comment. */
int doc_k(void); int undoc_l(void);
/* ---- section ---- */
int undoc_m(void);
/* */
int undoc_n(void);
/* x */
int undoc_o(void);

#ifdef __cplusplus
}
#endif
#endif
"""


def self_test():
    functions, missing = check_text(SELF_TEST)
    names = [nm for _, nm in functions]
    want = ["doc_a", "undoc_b", "undoc_c", "doc_d", "x_trailing", "same_line", "doc_e",
            "undoc_f", "doc_g", "doc_h", "undoc_i", "doc_j", "doc_k", "undoc_l", "undoc_m",
            "undoc_n", "undoc_o"]
    want_missing = [(16, "undoc_b"), (17, "undoc_c"), (25, "x_trailing"), (26, "same_line"),
                    (29, "undoc_f"), (34, "undoc_i"), (39, "undoc_l"), (41, "undoc_m"),
                    (43, "undoc_n"), (45, "undoc_o")]
    ok = True
    if names != want:
        print(f"self-test: found {names}, want {want}", file=sys.stderr)
        ok = False
    if missing != want_missing:
        print(f"self-test: missing {missing}, want {want_missing}", file=sys.stderr)
        ok = False
    return ok


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    root = os.path.abspath(root)
    if not self_test():
        return 2
    headers = sorted(glob.glob(os.path.join(root, "include", "lxkns", "*.h")))
    if not headers:
        print(f"no headers under {root}/include/lxkns", file=sys.stderr)
        return 2
    total, bad = 0, 0
    for path in headers:
        with open(path, encoding="utf-8") as f:
            functions, missing = check_text(f.read())
        total += len(functions)
        rel = os.path.relpath(path, root)
        for line, name in missing:
            print(f"{rel}:{line}: {name} has no doc comment")
        bad += len(missing)
    if bad:
        print(f"{bad} of {total} public functions have no doc comment")
        return 1
    print(f"all {total} public functions in {len(headers)} headers have a doc comment")
    return 0


if __name__ == "__main__":
    sys.exit(main())
