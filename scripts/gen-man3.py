#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# gen-man3.py --out PAGE HEADER...: the C reference page lxkns(3), made from
# the public headers at build time: per header its opening comment, its
# structs (as declared, with their field comments) and every function with
# its prototype and its own doc comment (scripts/check-api-docs.py finds the
# functions; the same parser, so the page lists exactly what it checks).
# gen-man3.py --check PAGE HEADER...: fails unless the page has a section
# for every public function and `man -l` renders it without a warning.
import datetime
import importlib.util
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("apidocs", os.path.join(HERE, "check-api-docs.py"))
apidocs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(apidocs)

# umbrella first, then the order lxkns.h includes them
ORDER = ["lxkns.h", "species.h", "model.h", "discover.h", "options.h", "json.h", "mounts.h",
         "pidmap.h", "ops.h", "nsfs.h", "containers.h"]


def comment_text(block):
    """The words of a /* */ comment: markers and leading stars removed."""
    block = block.strip()
    block = re.sub(r"^/\*+ ?", "", block)
    block = re.sub(r"\*+/$", "", block)
    lines = [re.sub(r"^\s*\* ?", "", ln) for ln in block.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def doc_before(lines, line_no):
    """The comment block ending on the line before line_no (1-based)."""
    end = line_no - 2
    if end < 0 or not lines[end].rstrip().endswith("*/"):
        return []
    start = end
    while start >= 0 and "/*" not in lines[start]:
        start -= 1
    return comment_text("\n".join(lines[start:end + 1]))


def declaration(lines, line_no):
    """The declaration starting at line_no, up to its ';' (or an inline
    definition's '{'), whitespace collapsed."""
    out = []
    for ln in lines[line_no - 1:]:
        code = re.sub(r"/\*.*?\*/", "", ln)
        if "{" in code:
            out.append(code.split("{")[0])
            return " ".join(" ".join(out).split()) + ";"
        out.append(code)
        if ";" in code:
            break
    return " ".join(" ".join(out).split())


def header_comment(text):
    m = re.search(r"/\*\s*SPDX[^*]*\*/\s*(/\*.*?\*/)", text, re.S)
    if not m:
        return []
    body = comment_text(m.group(1))
    # drop the "name.h:" prefix of the first line
    if body:
        body[0] = re.sub(r"^\S+\.h:\s*", "", body[0])
    return body


def structs(text):
    """Public struct definitions with their comments, as written."""
    out = []
    for m in re.finditer(r"^struct (\w+) \{\n(.*?)^\};", text, re.S | re.M):
        out.append((m.group(1), "", m.group(0)))
    return out


def esc(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    if s.startswith((".", "'")):
        s = "\\&" + s
    return s


def para(lines):
    """Comment lines as roff paragraphs; indented or list-like lines kept
    as they are (no fill)."""
    out, nofill = [], False
    for ln in lines:
        if not ln.strip():
            if nofill:
                out.append(".fi")
                nofill = False
            out.append(".PP")
            continue
        literal = ln.startswith((" ", "\t"))
        if literal and not nofill:
            out.append(".nf")
            nofill = True
        elif not literal and nofill:
            out.append(".fi")
            nofill = False
        out.append(esc(ln.strip() if not literal else ln.replace("\t", "    ")))
    if nofill:
        out.append(".fi")
    return out


def headers_sorted(paths):
    rank = {n: i for i, n in enumerate(ORDER)}
    return sorted(paths, key=lambda p: (rank.get(os.path.basename(p), len(ORDER)),
                                        os.path.basename(p)))


def functions_of(text):
    functions, _ = apidocs.check_text(text)
    return functions


def generate(paths, version):
    # the release's day (meson's lxkns_release_date), else SOURCE_DATE_EPOCH
    date = os.environ.get("SOURCE_DATE_EPOCH")
    day = os.environ.get("LXKNS_DATE") or (
        datetime.datetime.fromtimestamp(int(date), datetime.timezone.utc) if date
        else datetime.datetime(2026, 1, 1)).strftime("%Y-%m-%d")
    out = [f'.TH LXKNS 3 "{day}" "lxkns {version}" "liblxkns reference"',
           ".SH NAME", "lxkns \\- Linux\\-kernel namespace discovery library (C API)",
           ".SH SYNOPSIS", ".nf", ".B #include <lxkns/lxkns.h>", ".PP",
           ".B cc ... $(pkg\\-config \\-\\-cflags \\-\\-libs lxkns)", ".fi",
           ".SH DESCRIPTION",
           "This page is generated from the public headers; each section below is one",
           "header, with its structures and every function it declares.",
           "Fallible functions return a value >= 0 on success and a negative errno value",
           "on failure.",
           "Structures that carry a leading",
           ".I size",
           "field grow at their end from one release to the next; see",
           ".BR lxkns_discover_opts_init ().",
           ".PP",
           "Functions (" + str(sum(len(functions_of(open(p, encoding="utf-8").read()))
                                   for p in paths)) + " in all):"]
    for p in headers_sorted(paths):
        text = open(p, encoding="utf-8").read()
        lines = text.split("\n")
        name = os.path.basename(p)
        out += [f'.SH "<lxkns/{name}>"']
        out += para(header_comment(text))
        for sname, _, body in structs(text):
            out += [f".SS struct {sname}", ".nf"]
            out += [esc(ln.replace("\t", "    ")) for ln in body.split("\n")]
            out += [".fi"]
        for line_no, fname in functions_of(text):
            out += [f".SS {fname}()", ".nf", ".B " + esc(declaration(lines, line_no)), ".fi"]
            out += [".PP"] + para(doc_before(lines, line_no))
    out += [".SH SEE ALSO", ".BR dumpns (1),", ".BR lxkns (8),", ".BR namespaces (7),",
            ".BR ioctl_ns (2)"]
    return "\n".join(out) + "\n"


def check(page, paths):
    text = open(page, encoding="utf-8").read()
    sections = set(re.findall(r"^\.SS (\w+)\(\)$", text, re.M))
    want = [f for p in paths for _, f in functions_of(open(p, encoding="utf-8").read())]
    missing = [f for f in want if f not in sections]
    n = 0
    ok = True
    for f in want:
        n += 1
        print(f"{'ok' if f in sections else 'not ok'} {n} - {f} has its section")
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="100")
    r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page], env=env,
                       capture_output=True, text=True)
    n += 1
    clean = r.returncode == 0 and not r.stderr.strip()
    print(f"{'ok' if clean else 'not ok'} {n} - man -l renders it without warnings"
          + ("" if clean else ": " + " | ".join(r.stderr.strip().splitlines()[:5])))
    rendered = r.stdout
    n += 1
    absent = [f for f in want if f not in rendered]
    print(f"{'ok' if not absent else 'not ok'} {n} - every function is in the rendered text"
          + (f" (missing {absent[:5]})" if absent else f" ({len(want)})"))
    import glob
    every = set(glob.glob(os.path.join(os.path.dirname(os.path.abspath(paths[0])), "*.h")))
    unlisted = sorted(os.path.basename(h) for h in every - {os.path.abspath(p) for p in paths})
    n += 1
    print(f"{'ok' if not unlisted else 'not ok'} {n} - every header is an input"
          + (f" (not: {unlisted}; add them to lxkns_public_headers in lib/meson.build)"
             if unlisted else ""))
    print(f"1..{n}")
    ok = not missing and clean and not absent and not unlisted
    return 0 if ok else 1


def main():
    args = sys.argv[1:]
    if len(args) >= 3 and args[0] in ("--out", "--check"):
        mode, page, paths = args[0], args[1], args[2:]
        version = os.environ.get("LXKNS_VERSION", "")
        if mode == "--out":
            with open(page, "w", encoding="utf-8") as f:
                f.write(generate(paths, version))
            return 0
        return check(page, paths)
    print("usage: gen-man3.py --out|--check PAGE HEADER...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
