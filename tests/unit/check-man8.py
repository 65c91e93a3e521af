#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""lxkns(8) covers the service: every long option of lxkns --help, every
endpoint of service/routes.c's table (in ENDPOINTS), the capabilities the
service keeps (in CAPABILITIES, as --help lists them) and the ways to deploy
it (DEPLOYMENT: systemd, setcap, the image and compose, Kubernetes).

Usage: check-man8.py SRCROOT LXKNS      TAP output.
"""
import re
import subprocess
import sys

src, lxkns = sys.argv[1:3]
n = 0
failed = False


def check(ok, what, detail=""):
    global n, failed
    n += 1
    failed |= not ok
    print(f"{'ok' if ok else 'not ok'} {n} - {what}" + (f" # {detail}" if detail and not ok else ""))


with open(f"{src}/docs/man/lxkns.8", encoding="utf-8") as f:
    page = f.read()
plain = page.replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fI", "")


def section(name):
    m = re.search(r"^\.SH " + re.escape(name) + r"\n(.*?)(?=^\.SH |\Z)", plain, re.M | re.S)
    return m.group(1) if m else ""


helptext = subprocess.run([lxkns, "--help"], capture_output=True, text=True, check=True).stdout
opts = sorted(set(re.findall(r"--[a-z][a-z-]+", helptext)))
missing = [o for o in opts if o not in section("OPTIONS")]
check(opts and not missing, f"OPTIONS has every long option of --help ({len(opts)})", str(missing))

with open(f"{src}/service/routes.c", encoding="utf-8") as f:
    routes_c = f.read()
table = re.search(r"routes\[\] = \{(.*?)\};", routes_c, re.S)
paths = re.findall(r'\{ "(/[^"]*)"', table.group(1)) if table else []
endpoints = section("ENDPOINTS")
missing = [p for p in paths if f"GET {p}\n" not in endpoints]
check(paths and not missing, f"ENDPOINTS has every route ({len(paths)})", str(missing))
check("GET /\n" in endpoints, "ENDPOINTS has the web UI (GET /)")

caps = re.search(r"file capabilities\s+([a-z_,\s]+)\+ep", helptext)
caps = re.sub(r"\s", "", caps.group(1)).split(",") if caps else []
capsec = section("CAPABILITIES")
missing = [c for c in caps if c.upper() not in capsec]
check(len(caps) == 6 and not missing, f"CAPABILITIES names the {len(caps)} of --help", str(missing))

deploy = section("DEPLOYMENT")
for what in ("systemctl enable", "setcap ", "compose.yaml", "kubectl apply"):
    check(what in deploy, f"DEPLOYMENT: {what}")
setcap = re.search(r"setcap (\S+)\+ep", deploy.replace("\\e\n", ""))
check(setcap is not None and setcap.group(1).split(",") == caps,
      "DEPLOYMENT's setcap grants exactly the capabilities of --help",
      setcap.group(1) if setcap else "no setcap line")
print(f"1..{n}")
sys.exit(1 if failed else 0)
