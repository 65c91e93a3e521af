#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The lists of discovery options and namespace types agree with their tables.

The option table (lib/discover/options.c) and the type table
(lib/core/species.c), printed by print-tables through the public API, are
compared with every other place that lists them:

  * dumpns --help (the switch lines, the --filter type list), dumpns's
    long options (each switch is accepted and flips its JSON key), the
    discovery-options keys of a dumpns document;
  * docs/man/dumpns.1 (every long option of --help, and nothing else),
    docs/man/lxkns.8 (the query parameters), the type lists of every man
    page, README.md (the query parameter table, the accepted list, the copy
    of dumpns --help), the bash completion of dumpns;
  * the running service (when given): its accepted list, and each query
    switch flipping its JSON key.

Usage: check-options.py SRCROOT PRINT_TABLES DUMPNS FIXTURE [LXKNS]
TAP output.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

SRC, PRINT_TABLES, DUMPNS, FIXTURE = sys.argv[1:5]
LXKNS = sys.argv[5] if len(sys.argv) > 5 else None

n = 0
failed = 0


def check(cond, what, detail=None):
    global n, failed
    n += 1
    if cond:
        print(f"ok {n} - {what}")
    else:
        failed += 1
        print(f"not ok {n} - {what}")
        if detail is not None:
            for line in str(detail).splitlines():
                print(f"# {line}")


def read(rel):
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        return f.read()


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def diff(want, got):
    return f"want: {want}\ngot:  {got}"


# ---- the tables -------------------------------------------------------------
types, options = [], []
for line in run(PRINT_TABLES).stdout.splitlines():
    f = line.split("\t")
    if f[0] == "type":
        types.append({"name": f[1], "letter": f[2]})
    elif f[0] == "option":
        options.append({"query": f[1], "flag": f[2], "json": None if f[3] == "-" else f[3],
                        "default": f[4] == "1", "also": None if f[5] == "-" else f[5],
                        "help": f[6]})
check(len(types) >= 8 and len(options) >= 10, "print-tables prints both tables",
      f"{len(types)} types, {len(options)} options")
by_query = {o["query"]: o for o in options}
check(len(by_query) == len(options) and len({o["flag"] for o in options}) == len(options) and
      len({o["json"] for o in options if o["json"]}) == len([o for o in options if o["json"]]),
      "query names, flags and JSON keys are unique")
check(all(o["also"] in by_query for o in options if o["also"]), "flag_also names an option")
# a switch's flag says which way it goes: no-X turns a default-on option off
check(all(o["flag"].startswith("no-") == o["default"] for o in options),
      "flags starting with no- are exactly those of options on by default",
      [o["flag"] for o in options if o["flag"].startswith("no-") != o["default"]])

names_sorted = sorted(t["name"] for t in types)
letter_of = {t["name"]: t["letter"] for t in types}
queries = [o["query"] for o in options]
accepted = ", ".join(["types"] + queries)

# ---- dumpns --help ----------------------------------------------------------
help_text = run(DUMPNS, "--help").stdout
help_lines = help_text.splitlines()
switch_lines = [ln for ln in help_lines
                if re.match(r"^      --(\S+) ", ln) and ln.split()[0][2:] in {o["flag"] for o in options}]
want_lines = ["      --%-17s%s" % (o["flag"], o["help"]) for o in options]
check(switch_lines == want_lines, "dumpns --help: one line per switch, in table order",
      "\n".join(l for l in want_lines if l not in switch_lines) or "(order)")
# the switches stand together, between --filter and --container-timeout
try:
    first = help_lines.index(want_lines[0])
    check(help_lines[first:first + len(want_lines)] == want_lines,
          "dumpns --help: the switch lines stand together")
except ValueError:
    check(False, "dumpns --help: the switch lines stand together")
check("(" + ",".join(names_sorted) + ")" in help_text, "dumpns --help: the --filter type list",
      names_sorted)
help_longs = sorted(set(re.findall(r"(?<![\w-])--([a-z][a-z-]+)", help_text)))

# ---- dumpns: the flags work, and the JSON keys ------------------------------
base = run(DUMPNS, "--proc", FIXTURE, "-c")
check(base.returncode == 0, "dumpns on the fixture", base.stderr)
doc = json.loads(base.stdout or "{}").get("discovery-options", {})
go_only = {"with-socket-processes", "labels", "scanned-namespace-types"}
want_keys = sorted(go_only | {o["json"] for o in options if o["json"]})
check(sorted(doc) == want_keys, "dumpns document: discovery-options has the table's keys",
      diff(want_keys, sorted(doc)))
check(all(doc.get(o["json"]) == o["default"] for o in options if o["json"]),
      "dumpns document: each key holds the option's default")
check(doc.get("scanned-namespace-types") and
      sorted(doc["scanned-namespace-types"]) == names_sorted,
      "dumpns document: scanned-namespace-types lists every type")
bad = []
for o in options:
    r = run(DUMPNS, "--proc", FIXTURE, "-c", "--" + o["flag"])
    if r.returncode != 0:
        bad.append(f"--{o['flag']}: exit {r.returncode}: {r.stderr.strip()}")
        continue
    got = json.loads(r.stdout)["discovery-options"]
    for q in [o["query"]] + ([o["also"]] if o["also"] else []):
        k = by_query[q]["json"]
        if k and got.get(k) != (not o["default"]):
            bad.append(f"--{o['flag']}: {k} is {got.get(k)}")
check(not bad, "dumpns: every switch's flag is accepted and flips its JSON key", "\n".join(bad))

# ---- man pages --------------------------------------------------------------


def man_section(text, name):
    m = re.search(r"^\.SH " + re.escape(name) + r"\n(.*?)(?=^\.SH |\Z)", text, re.S | re.M)
    return m.group(1) if m else ""


def tag_lines(section):
    """The lines after each .TP (the tags), troff escapes removed."""
    lines = section.splitlines()
    tags = [lines[i + 1] for i, ln in enumerate(lines[:-1]) if ln.startswith(".TP")]
    return [re.sub(r"\\f[BIRP]", "", t).replace("\\-", "-") for t in tags]


dumpns_man = read("docs/man/dumpns.1")
man_longs = sorted(set(re.findall(r"--([a-z][a-z-]+)",
                                  "\n".join(tag_lines(man_section(dumpns_man, "OPTIONS"))))))
check(man_longs == help_longs, "dumpns.1 documents exactly the long options of dumpns --help",
      diff(help_longs, man_longs))

lxkns_man = read("docs/man/lxkns.8")
params = []
for t in tag_lines(man_section(lxkns_man, "QUERY PARAMETERS")):
    t = re.sub(r"^\.B[IR]?\s*", "", t)
    params += [w.split("=")[0] for w in re.findall(r"[a-z][a-z-]*=?", t.split(" TYPE")[0])]
check(params == ["types"] + queries, "lxkns.8 lists the query parameters in table order",
      diff(["types"] + queries, params))

want_pairs = ", ".join(f"\\fB{nm}\\fR/\\fB{letter_of[nm]}\\fR" for nm in names_sorted)
for page in sorted(os.listdir(os.path.join(SRC, "docs/man"))):
    text = read("docs/man/" + page)
    flat = re.sub(r"\s*\n\s*", " ", text)
    lists = re.findall(r"\\fBcgroup\\fR/\\fBc\\fR.*?\\fB\w+\\fR/\\fB\w\\fR(?=[^,]|$)", flat)
    for found in lists:
        check(found == want_pairs, f"{page}: the namespace types and their letters",
              diff(want_pairs, found))

# the tools' help texts (string literals in C, joined)
want_help = "(" + ", ".join(f"{nm}/{letter_of[nm]}" for nm in names_sorted) + ")"
for d, _, files in sorted(os.walk(os.path.join(SRC, "tools"))):
    for fn in sorted(f for f in files if f.endswith(".c")):
        src = open(os.path.join(d, fn), encoding="utf-8").read()
        text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', src)).replace("\\n", " ")
        text = re.sub(r" +", " ", text)
        for found in re.findall(r"\(cgroup/c,[^)]*\)", text):
            check(found == want_help, f"{os.path.relpath(d, SRC)}/{fn}: the --filter help's types",
                  diff(want_help, found))

# ---- README -----------------------------------------------------------------
readme = read("README.md")
rows = re.findall(r"^\| `([a-z-]+)(?:=[^`]*)?` \|[^|]*\| (`[a-z-]+`|–) \|$", readme, re.M)
check([r[0] for r in rows] == ["types"] + queries,
      "README: the query parameter table lists the table's parameters in order",
      diff(["types"] + queries, [r[0] for r in rows]))
want_rows = [("types", "`scanned-namespace-types`")] + \
    [(o["query"], f"`{o['json']}`" if o["json"] else "–") for o in options]
check(rows == want_rows, "README: each parameter's discovery-options key",
      "\n".join(f"{w} != {g}" for w, g in zip(want_rows, rows) if w != g))
m = re.search(r"\(accepted: ([^)]*)\)", readme)
check(m and m.group(1) == accepted, "README: the accepted list of the example",
      diff(accepted, m and m.group(1)))
m = re.search(r"^Usage: dumpns .*?^For more details see dumpns\(1\)\.\n", readme, re.S | re.M)
check(m and m.group(0) == help_text, "README: the copy of dumpns --help",
      "the README's copy differs from dumpns --help")

# ---- bash completion --------------------------------------------------------
comp = read("data/bash-completion/lxkns")
m = re.search(r'dumpns\) opts="([^"]*)"', comp)
comp_longs = sorted(w[2:] for w in (m.group(1).split() if m else []))
check(comp_longs == help_longs, "bash completion offers exactly dumpns's long options",
      diff(help_longs, comp_longs))

# ---- the service ------------------------------------------------------------
if LXKNS:
    p = subprocess.Popen([LXKNS, "--http", "127.0.0.1:0", "--procfs", FIXTURE],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        deadline = time.time() + 20
        while url is None and time.time() < deadline:
            line = p.stdout.readline()
            if not line:
                break
            m = re.search(r"serving on (http://\S+?)/?$", line.strip())
            url = m.group(1) if m else None
        check(url is not None, "the service starts on the fixture")

        def get(query):
            try:
                with urllib.request.urlopen(f"{url}/api/namespaces?{query}", timeout=30) as r:
                    return r.status, r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.read()

        if url:
            st, body = get("no-such-parameter")
            msg = json.loads(body).get("message", "") if st == 400 else ""
            m = re.search(r"\(accepted: ([^)]*)\)", msg)
            check(m and m.group(1) == accepted, "the service's accepted list",
                  diff(accepted, m and m.group(1)))
            bad = []
            for o in options:
                st, body = get(f"{o['query']}={'off' if o['default'] else 'on'}")
                if st != 200:
                    bad.append(f"{o['query']}: {st} {body[:200]!r}")
                elif o["json"]:
                    got = json.loads(body)["discovery-options"].get(o["json"])
                    if got != (not o["default"]):
                        bad.append(f"{o['query']}: {o['json']} is {got}")
            check(not bad, "the service: every query switch is accepted and flips its JSON key",
                  "\n".join(bad))
    finally:
        p.terminate()
        p.wait(timeout=20)

print(f"1..{n}")
sys.exit(1 if failed else 0)
