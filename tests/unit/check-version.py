#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One version: everything that carries the version carries meson's.

  * every tool's and the service's --version ends in it;
  * the installed man pages (generated) say "lxkns VERSION" and the release
    day in their .TH line, and lxkns(3) too, and render without warnings;
    the pages in docs/man hold the placeholders, not a version of their own;
  * the Python package (pyproject.toml, __version__), web/package.json and
    docs/openapi.yaml's info.version repeat it;
  * the built web UI (when there is one) has it in its bundle (About page).

Usage: check-version.py SRCROOT VERSION DATE WEBDIST --man PAGE... --exe EXE...
TAP output.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

n = 0
failed = False


def check(ok, what, detail=""):
    global n, failed
    n += 1
    if not ok:
        failed = True
    print(f"{'ok' if ok else 'not ok'} {n} - {what}" + (f" # {detail}" if detail and not ok else ""))


def skip(what, why):
    global n
    n += 1
    print(f"ok {n} - {what} # SKIP {why}")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    args = sys.argv[1:]
    if len(args) < 4 or "--man" not in args or "--exe" not in args:
        print(__doc__, file=sys.stderr)
        return 2
    src, version, date, webdist = args[:4]
    pages = args[args.index("--man") + 1:args.index("--exe")]
    exes = args[args.index("--exe") + 1:]

    for exe in exes:
        name = os.path.basename(exe)
        p = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=20)
        out = p.stdout.strip()
        check(p.returncode == 0 and len(out.splitlines()) == 1 and out.split()[-1] == version,
              f"{name} --version says {version}", repr(out))

    th = re.compile(r'^\.TH \S+ \d "([^"]*)" "lxkns ([^"]*)"', re.M)
    for page in pages:
        m = th.search(read(page))
        check(m is not None and m.group(1) == date and m.group(2) == version,
              f"{os.path.basename(page)}: .TH of {version}, {date}",
              m.group(0) if m else "no .TH line")
    if shutil.which("man"):
        for page in pages:
            p = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True,
                               env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING=""),
                               timeout=60)
            check(p.returncode == 0 and not p.stderr.strip() and "NAME" in p.stdout,
                  f"{os.path.basename(page)} renders without warnings", p.stderr.strip()[:200])
    else:
        skip("the generated pages render without warnings", "man is not installed")
    srcpages = sorted(glob.glob(os.path.join(src, "docs/man/*.[0-9]")))
    check(len(srcpages) >= len(pages) - 1 and all(
        '"@LXKNS_DATE@" "lxkns @LXKNS_VERSION@"' in read(p) for p in srcpages),
        "the pages in docs/man take version and date from meson (placeholders)")
    installed = {os.path.basename(p) for p in pages}
    check({os.path.basename(p) for p in srcpages} <= installed,
          "every page in docs/man is generated and installed",
          str(sorted({os.path.basename(p) for p in srcpages} - installed)))

    m = re.search(r'^version = "([^"]*)"', read(os.path.join(src, "python/pyproject.toml")), re.M)
    check(m is not None and m.group(1) == version, f"python/pyproject.toml: {version}",
          m.group(0) if m else "no version")
    m = re.search(r'^__version__ = "([^"]*)"',
                  read(os.path.join(src, "python/src/lxkns/__init__.py")), re.M)
    check(m is not None and m.group(1) == version, f"lxkns.__version__: {version}",
          m.group(0) if m else "no __version__")
    m = re.search(r'^  "version": "([^"]*)"', read(os.path.join(src, "web/package.json")), re.M)
    check(m is not None and m.group(1) == version, f"web/package.json: {version}",
          m.group(0) if m else "no version")
    m = re.search(r'^info:\n(?:  .*\n)*?  version: (\S+)', read(os.path.join(src, "docs/openapi.yaml")),
                  re.M)
    check(m is not None and m.group(1) == version, f"docs/openapi.yaml info.version: {version}",
          m.group(0) if m else "no info.version")

    js = glob.glob(os.path.join(webdist, "assets", "*.js")) if webdist else []
    if js:
        quoted = re.compile(r"""["'`]%s["'`]""" % re.escape(version))
        check(any(quoted.search(read(f)) for f in js),
              f"the web UI's bundle carries {version} (About page)")
    else:
        skip(f"the web UI's bundle carries {version}", "no built web UI")
    print(f"1..{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
