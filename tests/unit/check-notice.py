#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""NOTICE names the third-party code we ship: every runtime package of the
web UI (the packages of web/package-lock.json that are not dev-only, i.e.
what ends up in the bundle the service embeds) with its version and licence;
LICENSE is the Apache-2.0 text.

Usage: check-notice.py SRCROOT      TAP output.
"""
import json
import os
import sys

src = sys.argv[1]
n = 0
failed = False


def check(ok, what):
    global n, failed
    n += 1
    failed |= not ok
    print(f"{'ok' if ok else 'not ok'} {n} - {what}")


with open(os.path.join(src, "NOTICE"), encoding="utf-8") as f:
    notice = f.read()
with open(os.path.join(src, "LICENSE"), encoding="utf-8") as f:
    license_text = f.read()
check("Apache License" in license_text and "Version 2.0, January 2004" in license_text
      and "END OF TERMS AND CONDITIONS" in license_text, "LICENSE is the Apache-2.0 text")
with open(os.path.join(src, "web", "package-lock.json"), encoding="utf-8") as f:
    lock = json.load(f)
runtime = {k.rsplit("node_modules/", 1)[1]: v for k, v in lock.get("packages", {}).items()
           if k and not v.get("dev") and not v.get("devOptional")}
check(len(runtime) > 0, "web/package-lock.json has runtime packages (%d)" % len(runtime))
for name, meta in sorted(runtime.items()):
    check(f'"{name}"' in notice and f" {meta.get('version')} " in notice
          and meta.get("license", "?") in notice,
          f"NOTICE names {name} {meta.get('version')} ({meta.get('license')})")
print(f"1..{n}")
sys.exit(1 if failed else 0)
