#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""HTTP tests of the lxkns service (TAP): it is started here on 127.0.0.1,
on a free port, against the fixture /proc tree, and killed by PID at the end.

  test-http.py LXKNS TESTS-SRCDIR DUMPNS

The documents are compared byte for byte with what dumpns prints for the
same fixture and options (the golden tests pin dumpns itself).

LXKNS_SERVICE_WRAPPER (e.g. "valgrind --error-exitcode=99 ...") runs the
service under a wrapper; then timings are relaxed. Every service started
must exit 0 on SIGTERM with no sanitizer report on stderr.
"""
import atexit
import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

LXKNS, SRC, DUMPNS = sys.argv[1], sys.argv[2], sys.argv[3]
FIX = os.path.join(SRC, "fixtures/proc/basic")
WRAPPER = shlex.split(os.environ.get("LXKNS_SERVICE_WRAPPER", ""))
SLOW = 6.0 if WRAPPER else 1.0  # timing allowance under valgrind

n = 0
failed = 0
services = []


def check(cond, what, detail=None):
    global n, failed
    n += 1
    if cond:
        print("ok %d - %s" % (n, what))
    else:
        failed += 1
        print("not ok %d - %s" % (n, what))
        if detail is not None:
            for line in str(detail).splitlines()[:30]:
                print("#   " + line)
    sys.stdout.flush()
    return cond


GOLD_ARGS = {
    "basic-compact.json": [],
    "basic-processes.json": ["--processes"],
    "basic-pidmap.json": ["--pidmap"],
    "basic-net-only.json": ["-f", "net", "--no-tasks"],
    "basic-no-hierarchy.json": ["--no-hierarchy", "--no-ownership", "--no-fds"],
}
_gold = {}


def gold(name):
    """What dumpns -c prints for the fixture (golden/expected/dumpns/NAME)."""
    if name not in _gold:
        _gold[name] = subprocess.run([DUMPNS, "--proc", FIX, "-c"] + GOLD_ARGS[name],
                                     capture_output=True, check=True).stdout
    return _gold[name]


class Service:
    """The service on 127.0.0.1:<free port> (and maybe a unix socket)."""

    def __init__(self, *args, procfs=FIX, http="127.0.0.1:0"):
        cmd = WRAPPER + [LXKNS] + (["--http", http] if http is not None else [])
        if procfs:
            cmd += ["--procfs", procfs]
        cmd += list(args)
        self.errf = tempfile.TemporaryFile()
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.errf)
        services.append(self)
        self.urls = []
        deadline = time.time() + 10 * SLOW
        expect = (1 if http is not None else 0) + (1 if "--unix" in args else 0)
        while len(self.urls) < expect and time.time() < deadline:
            line = self.p.stdout.readline().decode()
            if not line:
                break
            m = re.search(r"serving on (\S+)", line)
            if m:
                self.urls.append(m.group(1))
        http_urls = [u for u in self.urls if u.startswith("http://")]
        if http_urls:
            m = re.match(r"http://([0-9.]+):(\d+)/", http_urls[0])
            self.host, self.port = m.group(1), int(m.group(2))

    def conn(self, timeout=10):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout * SLOW)

    def get(self, path, headers=None, method="GET", body=None):
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Signals it; returns (exit code, stderr)."""
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout=timeout * SLOW)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        self.errf.seek(0)
        err = self.errf.read().decode(errors="replace")
        if self in services:
            services.remove(self)
        return rc, err


@atexit.register
def _kill_all():
    for s in list(services):
        if s.p.poll() is None:
            os.kill(s.p.pid, signal.SIGKILL)
            s.p.wait()


def clean_exit(svc, what):
    rc, err = svc.stop()
    bad = re.search(r"AddressSanitizer|LeakSanitizer|runtime error:|ERROR SUMMARY: [1-9]", err)
    check(rc == 0 and not bad, "%s: exits 0 on SIGTERM, no sanitizer or valgrind report" % what,
          "exit %s\n%s" % (rc, err[-3000:]))
    return err


def metric(text, name):
    m = re.search(r"^%s (\S+)$" % re.escape(name), text, re.M)
    return float(m.group(1)) if m else None


def metric_value(svc, name):
    st, _, body = svc.get("/metrics")
    return metric(body.decode(), name) if st == 200 else None


def raw(svc, data, timeout=5):
    """Sends raw bytes, returns everything until the server closes."""
    s = socket.create_connection((svc.host, svc.port), timeout=timeout * SLOW)
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


# ---- the command line -------------------------------------------------

out = subprocess.run([LXKNS, "--version"], capture_output=True, text=True)
check(out.returncode == 0 and re.match(r"^lxkns \d+\.\d+\.\d+\n$", out.stdout), "--version")
out = subprocess.run([LXKNS, "--help"], capture_output=True, text=True)
CONTAINERS = "does not discover containers yet" not in out.stdout
check(out.returncode == 0 and "--no-containers" in out.stdout and "127.0.0.1:5010" in out.stdout
      and "--procfs" not in out.stdout, "--help names the options and the loopback default")
for args, msg in [(["--http", "nohost"], "invalid listen address"),
                  (["--http", "127.0.0.1:99999"], "invalid listen address"),
                  (["--cache", "soon"], "invalid duration"),
                  (["--log-level", "loud"], "invalid log level"),
                  (["--max-connections", "0"], "invalid connection limit"),
                  (["extra"], "unexpected argument")]:
    out = subprocess.run([LXKNS] + args, capture_output=True, text=True, timeout=10)
    check(out.returncode == 1 and msg in out.stderr and out.stderr.count("\n") <= 3,
          "fails cleanly: %s" % " ".join(args), out.stderr)

# ---- documents against the fixture tree --------------------------------

svc = Service()
check(svc.urls and svc.urls[0].startswith("http://127.0.0.1:"), "prints its URL (%s)" %
      (svc.urls[0] if svc.urls else "none"))

st, h, body = svc.get("/api/namespaces?task-affinity=off")
check(st == 200 and body == gold("basic-compact.json"),
      "GET /api/namespaces is dumpns' document byte for byte (compact, trailing newline)",
      "status %d, %d bytes" % (st, len(body)))
check(h.get("content-type") == "application/json", "content type application/json")
check(re.fullmatch(r"\d+", h.get("x-lxkns-discovery-id", "")) and
      "discovery;dur=" in h.get("server-timing", "") and h.get("cache-control") == "no-store",
      "discovery id, Server-Timing and Cache-Control headers", h)

st, h, body = svc.get("/api/namespaces")
want = gold("basic-compact.json").replace(b'"with-task-affinity-scheduling":false',
                                          b'"with-task-affinity-scheduling":true')
check(st == 200 and body == want,
      "default /api/namespaces: Go's full discovery (task affinity on), otherwise the same bytes")
doc = json.loads(body)
check(list(doc) == ["container-engines", "container-groups", "containers", "cpus-online",
                    "discovery-options", "mounts", "namespaces", "processes"],
      "top-level keys in Go's order", list(doc))

st, h, body = svc.get("/api/processes?freezer=on")
check(st == 200 and body == gold("basic-processes.json"),
      "GET /api/processes?freezer=on is dumpns --processes byte for byte")
st, h, body = svc.get("/api/processes")
procs = json.loads(body)
want = json.loads(gold("basic-processes.json"))
for p in want.values():
    p["fridgefrozen"] = False
    for t in p["tasks"]:
        t["fridgefrozen"] = False
check(st == 200 and procs == want,
      "default /api/processes: like Go, no freezer state (fridgefrozen false), else the same")

st, h, body = svc.get("/api/pidmap")
check(st == 200 and body == gold("basic-pidmap.json") and
      body.endswith(b"]\n") and b" " not in body,
      "GET /api/pidmap is dumpns --pidmap (compact)")

# ---- per-request discovery options -----------------------------------------

st, h, body = svc.get("/api/namespaces?types=net&tasks=off&task-affinity=off")
check(st == 200 and body == gold("basic-net-only.json"),
      "?types=net&tasks=off is dumpns -f net --no-tasks byte for byte")
st2, h2, body2 = svc.get("/api/namespaces?types=n&tasks=0&task-affinity=false")
check(st2 == 200 and body2 == body, "Go's type letters and 0/false work the same")
st, h, body = svc.get("/api/namespaces?hierarchy=off&ownership=no&fds=false&task-affinity=off")
check(st == 200 and body == gold("basic-no-hierarchy.json"),
      "?hierarchy=off&ownership=no&fds=false is dumpns --no-hierarchy --no-ownership --no-fds")
st, h, body = svc.get("/api/namespaces?containers=off&task-affinity=off")
d = json.loads(body) if st == 200 else {}
check(st == 200 and d.get("containers") == {} and d["namespaces"] == json.loads(gold("basic-compact.json"))["namespaces"],
      "containers=off is accepted")
if CONTAINERS:
    st, h, body = svc.get("/api/namespaces?containers=on&task-affinity=off")
    check(st == 200 and body == gold("basic-compact.json"), "containers=on is accepted (none on a fixture)")
st, h, body = svc.get("/api/namespaces?types=user,pid&pidmap&usernames=on")
d = json.loads(body) if st == 200 else {}
check(st == 200 and d["discovery-options"]["scanned-namespace-types"] == ["user", "pid"] and
      {n["type"] for n in d["namespaces"].values()} == {"user", "pid"},
      "types=user,pid: only those types; a switch without a value is on")

BAD_QUERIES = [("bogus=1", "unknown query parameter 'bogus'"),
                ("tasks=maybe", "invalid value 'maybe' for tasks"),
                ("types=net,bogus", "invalid types"),
                ("types=", "invalid types")] + \
        ([] if CONTAINERS else [("containers=on", "discovers no containers")])
for q, what in BAD_QUERIES:
    st, h, body = svc.get("/api/namespaces?" + q)
    e = json.loads(body) if h.get("content-type") == "application/json" else {}
    check(st == 400 and e.get("status") == 400 and what in e.get("message", ""),
          "?%s: 400 with a JSON error naming the problem" % q, body)

# ---- paths and methods ------------------------------------------------------

for path in ["/api/foo", "/api", "/api/", "/api/namespaces/", "/api/namespaces/x"]:
    st, h, body = svc.get(path)
    e = json.loads(body) if h.get("content-type") == "application/json" else {}
    check(st == 404 and e.get("error") == "Not Found" and path in e.get("message", ""),
          "GET %s: 404 with a JSON error" % path, body)
for method, path in [("POST", "/api/namespaces"), ("PUT", "/api/processes"),
                     ("DELETE", "/api/pidmap"), ("PATCH", "/healthz"), ("POST", "/metrics"),
                     ("POST", "/"), ("OPTIONS", "/pid")]:
    st, h, body = svc.get(path, method=method, body=b"x=1" if method != "OPTIONS" else None)
    e = json.loads(body) if h.get("content-type") == "application/json" else {}
    check(st == 405 and h.get("allow") == "GET, HEAD" and e.get("status") == 405,
          "%s %s: 405, Allow: GET, HEAD, JSON error" % (method, path), (st, h, body))
st, h, body = svc.get("/api/foo", method="POST", body=b"{}")
check(st == 404, "POST to an unknown /api path: 404")
st, h, body = svc.get("/api/namespaces", method="HEAD")
check(st == 200 and body == b"" and int(h.get("content-length", 0)) > 1000,
      "HEAD /api/namespaces: headers with the length, no body")

st, h, body = svc.get("/healthz")
check(st == 200 and json.loads(body) == {"status": "ok"}, "GET /healthz")

st, h, body = svc.get("/metrics")
text = body.decode()
check(st == 200 and h.get("content-type", "").startswith("text/plain; version=0.0.4"),
      "GET /metrics: Prometheus text format")
check(metric(text, 'lxkns_namespaces{type="net"}') == 5 and
      metric(text, 'lxkns_namespaces{type="user"}') == 3 and
      metric(text, "lxkns_processes") == 6 and metric(text, "lxkns_threads") == 7 and
      metric(text, "lxkns_discovery_diagnostics") is not None,
      "metrics: namespaces by type, processes, threads, diagnostics of the fixture", text[:1500])
check("# TYPE lxkns_containers gauge" in text and
      "# TYPE lxkns_discovery_duration_seconds histogram" in text and
      metric(text, 'lxkns_discovery_duration_seconds_bucket{le="+Inf"}') ==
      metric(text, "lxkns_discovery_duration_seconds_count") and
      metric(text, "lxkns_discovery_duration_seconds_count") >= 10,
      "metrics: containers family, discovery duration histogram")
check(metric(text, 'lxkns_http_requests_total{handler="namespaces",code="400"}') == len(BAD_QUERIES) and
      metric(text, 'lxkns_http_requests_total{handler="other",code="404"}') >= 5 and
      (metric(text, "process_resident_memory_bytes") or 0) > 0,
      "metrics: requests by handler and code, process memory")
ok = all(re.match(r"^(# (HELP|TYPE) \S+ .+|[a-z_]+(\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\})? "
                  r"[-+0-9.e]+(Inf)?)$", l) for l in text.splitlines())
check(ok and text.endswith("\n"), "every metrics line is well-formed")

# ---- the web UI --------------------------------------------------------------

st, h, body = svc.get("/")
html = body.decode()
check(st == 200 and h.get("content-type") == "text/html; charset=utf-8" and
      re.search(r'<base href="/"\s*/?>', html), "GET /: index.html with <base href=\"/\">")
st2, h2, body2 = svc.get("/pid")
check(st2 == 200 and body2 == body, "a UI route (/pid) serves index.html")
refs = re.findall(r'(?:src|href)="\.?/?(assets/[^"]+)"', html)
if refs:
    st, h, js = svc.get("/" + refs[0])
    check(st == 200 and h.get("etag") and "immutable" in h.get("cache-control", ""),
          "an embedded asset: 200, ETag, immutable")
    st, h2, _ = svc.get("/" + refs[0], headers={"If-None-Match": h.get("etag", "x")})
    check(st == 304, "If-None-Match: 304")
    st, h3, gz = svc.get("/" + refs[0], headers={"Accept-Encoding": "gzip"})
    import gzip as gzipmod
    check(st == 200 and h3.get("content-encoding") == "gzip" and gzipmod.decompress(gz) == js,
          "Accept-Encoding: gzip gets the same file compressed")
else:
    check(True, "the UI was built without assets (fallback page) # SKIP")
st, h, body = svc.get("/assets/no-such-file.js")
check(st == 404, "a missing asset: 404, not index.html")

for headers, path, base in [
        ({"X-Forwarded-Prefix": "/lxkns"}, "/", "/lxkns/"),
        ({"X-Forwarded-Prefix": "/lxkns/"}, "/mnt", "/lxkns/"),
        ({"X-Forwarded-Prefix": "a/b"}, "/pid", "/a/b/"),
        ({"X-Forwarded-Uri": "/lxkns/pid"}, "/pid", "/lxkns/"),
        ({"X-Forwarded-Uri": "https://edge.example:8443/x/lxkns/?q=1"}, "/", "/x/lxkns/"),
        ({"X-Forwarded-Uri": "/elsewhere"}, "/pid", "/"),
        ({"X-Forwarded-Prefix": '/"><script>alert(1)</script>'}, "/", None)]:
    st, h, body = svc.get(path, headers=headers)
    m = re.search(r'<base href="([^"]*)"\s*/?>', body.decode())
    got = m.group(1) if m else None
    if base is None:
        check(st == 200 and got and "<" not in got and '"' not in got and
              got.startswith("/%22%3E%3Cscript%3E"), "a hostile prefix is percent-encoded", got)
    else:
        check(st == 200 and got == base, "behind a proxy %s on %s: base %s" % (headers, path, base), got)

# ---- oversized requests ------------------------------------------------------

r = raw(svc, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
check(r.startswith(b"HTTP/1.1 414"), "a 70 KB URL: 414", r[:100])
r = raw(svc, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70000 + b"\r\n\r\n")
check(r.startswith(b"HTTP/1.1 431"), "a 70 KB header: 431", r[:100])
r = raw(svc, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Many: 1\r\n" * 5000 + b"\r\n")
check(r.startswith(b"HTTP/1.1 431"), "5000 headers: 431", r[:100])
r = raw(svc, b"BREW /pot HTCPCP/1.0\r\n\r\n")
check(r.startswith(b"HTTP/1.1 400") or r.startswith(b"HTTP/1.1 505") or r == b"",
      "not HTTP: refused", r[:100])
# a control byte in the target: libmicrohttpd cuts at a NUL and would serve
# what comes before it
for target in [b"/api/namespaces%00", b"/api/namespaces\x00", b"/api/namespaces%00.json",
               b"/healthz%0d%0aX-Injected:%201", b"/api/name\x01spaces", b"/a\tb",
               b"/a%7Fb", b"/api/namespaces?types=net%00", b"/%1b[31m"]:
    r = raw(svc, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    head, _, body = r.partition(b"\r\n\r\n")
    try:
        doc = json.loads(body)
    except ValueError:
        doc = {}
    check(r.startswith(b"HTTP/1.1 400") and doc.get("status") == 400 and
          "control character" in doc.get("message", ""),
          "a control byte in the target (%r): 400 with a JSON error" % target, r[:300])
# malformed request lines: libmicrohttpd 0.9.75 closes these without a word;
# the accept gate (service/gate.c) answers 400 with the JSON error document


def bad_line(r, what, why):
    head, _, body = r.partition(b"\r\n\r\n")
    try:
        doc = json.loads(body)
    except ValueError:
        doc = {}
    check(r.startswith(b"HTTP/1.1 400 Bad Request\r\n") and b"\r\nConnection: close\r\n" in head and
          b"\r\nContent-Type: application/json\r\n" in head and doc.get("status") == 400 and
          doc.get("message") == "malformed request line: %s (expected METHOD TARGET HTTP/VERSION)" % why,
          "a malformed request line (%s): 400 with a JSON error, then the close" % what, r[:400])


before = metric_value(svc, 'lxkns_http_requests_total{handler="other",code="400"}')
for line, why in [(b"HELLO", "no request target"), (b"GET", "no request target"),
                  (b" GET / HTTP/1.1", "a space before the method"),
                  (b"G\x00T / HTTP/1.1", "a byte in the method that is not a token character"),
                  (b"GET\t/healthz HTTP/1.1", "a byte in the method that is not a token character"),
                  (b"\x16\x03\x01\x00\xa5\x01\x00", "no method at its start")]:
    bad_line(raw(svc, line + b"\r\nHost: x\r\n\r\n"), repr(line), why)
# a client that stops sending before its target (half-closed)
s = socket.create_connection((svc.host, svc.port), timeout=5 * SLOW)
s.sendall(b"GET")
s.shutdown(socket.SHUT_WR)
r = b""
while True:
    c = s.recv(65536)
    if not c:
        break
    r += c
s.close()
bad_line(r, "GET, then the end of the stream", "the request ends before its target")
after = metric_value(svc, 'lxkns_http_requests_total{handler="other",code="400"}')
check(after is not None and after - (before or 0) == 7,
      "metrics: the 7 malformed request lines counted as 400 (handler other)", (before, after))
# a request line that comes a byte at a time is waited for, then served
s = socket.create_connection((svc.host, svc.port), timeout=5 * SLOW)
for ch in b"GET /h":
    s.sendall(bytes([ch]))
    time.sleep(0.03)
s.sendall(b"ealthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
r = b""
while True:
    c = s.recv(65536)
    if not c:
        break
    r += c
s.close()
check(r.startswith(b"HTTP/1.1 200"), "a request line sent a byte at a time: 200", r[:100])
# what libmicrohttpd answers itself still reaches it
r = raw(svc, b"GET / HTTP/9.9\r\nHost: x\r\n\r\n")
check(r.startswith(b"HTTP/1.1 505"), "an unknown HTTP version: 505 (libmicrohttpd's own)", r[:100])
r = raw(svc, b"\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check(r.startswith(b"HTTP/1.1 200"), "empty lines before a request are skipped: 200", r[:100])
r = raw(svc, b"GET /api/namespaces%25 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check(not r.startswith(b"HTTP/1.1 400"), "an escaped %% is no control byte", r[:100])
st, h, body = svc.get("/healthz")
check(st == 200, "still healthy after bad requests")
clean_exit(svc, "fixture service")

if CONTAINERS:
    svc = Service("--no-containers")
    st, h, body = svc.get("/api/namespaces?containers=on")
    check(st == 400 and "--no-containers" in json.loads(body)["message"],
          "with --no-containers, containers=on is refused")
    st, h, body = svc.get("/api/namespaces")
    check(st == 200 and json.loads(body)["containers"] == {}, "with --no-containers: no containers")
    clean_exit(svc, "no-containers service")

# ---- coalescing and the cache -----------------------------------------------

svc = Service("--slow-discovery", "400")


def fetch_all(paths):
    res = [None] * len(paths)

    def one(i):
        try:
            res[i] = svc.get(paths[i])
        except Exception as e:  # noqa: BLE001
            res[i] = (0, {}, repr(e).encode())
    ts = [threading.Thread(target=one, args=(i,)) for i in range(len(paths))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return res


res = fetch_all(["/api/namespaces"] * 12)
ids = {r[1].get("x-lxkns-discovery-id") for r in res}
sources = sorted(r[1].get("x-lxkns-discovery-source", "") for r in res)
check(all(r[0] == 200 for r in res) and len(ids) == 1 and
      sources == ["joined"] * 11 + ["started"] and len({r[2] for r in res}) == 1,
      "12 concurrent requests share one discovery (1 started, 11 joined, same body)",
      (ids, sources))
st, h, body = svc.get("/api/namespaces")
check(st == 200 and h.get("x-lxkns-discovery-id") not in ids and "age" not in h,
      "without a cache, the next request discovers anew")
res = fetch_all(["/api/namespaces?types=net", "/api/namespaces?types=pid",
                 "/api/namespaces?types=net", "/api/processes"])
ids = [r[1].get("x-lxkns-discovery-id") for r in res]
check(all(r[0] == 200 for r in res) and ids[0] == ids[2] and len(set(ids)) == 3,
      "different options or documents do not share a discovery", ids)
st, h, text = svc.get("/metrics")
check(metric(text.decode(), "lxkns_requests_coalesced_total") == 12,
      "metrics count the coalesced requests")
clean_exit(svc, "coalescing service")

svc = Service("--cache", "30s")
st, h1, b1 = svc.get("/api/namespaces")
time.sleep(1.1)
st, h2, b2 = svc.get("/api/namespaces")
check(h2.get("x-lxkns-discovery-id") == h1.get("x-lxkns-discovery-id") and b1 == b2 and
      h2.get("x-lxkns-discovery-source") == "cache" and h2.get("age") == "1" and
      float(h2.get("x-lxkns-discovery-age")) >= 1.0,
      "--cache: the next request is answered from the cache, with Age", h2)
st, h3, b3 = svc.get("/api/namespaces", headers={"Cache-Control": "no-cache"})
check(h3.get("x-lxkns-discovery-id") != h1.get("x-lxkns-discovery-id") and "age" not in h3,
      "Cache-Control: no-cache discovers anew")
st, h4, _ = svc.get("/api/namespaces", headers={"Cache-Control": "max-age=0"})
st, h5, _ = svc.get("/api/namespaces", headers={"Cache-Control": "max-age=60"})
check(h4.get("x-lxkns-discovery-id") != h3.get("x-lxkns-discovery-id") and
      h5.get("x-lxkns-discovery-id") == h4.get("x-lxkns-discovery-id"),
      "Cache-Control: max-age=0 discovers, max-age=60 takes the cached one")
st, h6, _ = svc.get("/api/namespaces?types=net")
check(h6.get("x-lxkns-discovery-source") == "started", "other options are not answered from the cache")
st, h, text = svc.get("/metrics")
check(metric(text.decode(), "lxkns_cache_hits_total") >= 2, "metrics count cache hits")
clean_exit(svc, "caching service")

# ---- slow and idle clients -----------------------------------------------------

svc = Service("--header-timeout", "%gms" % (1000 * SLOW), "--max-connections", "6",
              "--http-threads", "1")
slow = []
for i in range(3):
    s = socket.create_connection((svc.host, svc.port), timeout=10 * SLOW)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # never finished
    slow.append(s)
t0 = time.time()
st, h, body = svc.get("/healthz")
check(st == 200 and time.time() - t0 < 0.5 * SLOW, "3 slowloris clients do not delay others")
t0 = time.time()
closed = 0
for s in slow:
    try:
        closed += s.recv(100) == b""
    except OSError:
        closed += 1
took = time.time() - t0
check(closed == 3 and 0.5 * SLOW < took < 3 * SLOW,
      "incomplete headers: closed after the header timeout (%.1fs)" % took)
for s in slow:
    s.close()

idle = [socket.create_connection((svc.host, svc.port), timeout=10 * SLOW) for _ in range(6)]
time.sleep(0.2 * SLOW)
try:
    c = http.client.HTTPConnection(svc.host, svc.port, timeout=2 * SLOW)
    c.request("GET", "/healthz")
    extra = c.getresponse().status
except (OSError, http.client.HTTPException):
    extra = 0
c.close()
check(extra == 200, "with the connection limit reached by idle connections, another is served")


def is_closed(s):
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.setblocking(True)


closed = [is_closed(s) for s in idle]
check(closed == [True, False, False, False, False, False],
      "... and the oldest idle connection was closed for it, no other", closed)
time.sleep(1.5 * SLOW)
st, h, body = svc.get("/healthz")
check(st == 200, "idle connections are reaped by the header timeout; then it serves again")
check(all(is_closed(s) for s in idle), "every idle connection is closed by now")
for s in idle:
    s.close()

st, h, text = svc.get("/metrics", headers={"Cache-Control": "no-cache"})
tt = text.decode()
reaped = sum(metric(tt, 'lxkns_http_connections_timed_out_total{phase="%s"}' % p) or 0
             for p in ("headers", "first-byte"))
check(reaped >= 8 and metric(tt, 'lxkns_http_connections_evicted_total{limit="connections"}') == 1,
      "metrics count the timed-out and the evicted connections",
      [l for l in tt.splitlines() if "timed_out" in l or "evicted" in l])
clean_exit(svc, "header timeout service")

svc = Service("--request-timeout", "%gms" % (1000 * SLOW), "--slow-discovery", "%d" % (2500 * SLOW))
t0 = time.time()
r = raw(svc, b"GET /api/namespaces HTTP/1.1\r\nHost: x\r\n\r\n", timeout=10)
took = time.time() - t0
check(r == b"" and took < 2.5 * SLOW,
      "an answer not sent within the request timeout: connection closed (%.1fs)" % took, r[:100])
st, h, body = svc.get("/healthz")
check(st == 200, "others are served meanwhile")
clean_exit(svc, "request timeout service")

# ---- unix socket, graceful shutdown, a live discovery ------------------------------

tmpdir = tempfile.mkdtemp()
path = os.path.join(tmpdir, "lxkns.sock")
svc = Service("--unix", path, http=None)
check(svc.urls == ["unix:" + path], "--unix alone: serves only there", svc.urls)
u = socket.socket(socket.AF_UNIX)
u.settimeout(10 * SLOW)
u.connect(path)
u.sendall(b"GET /api/namespaces?task-affinity=off HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
r = b""
while True:
    c = u.recv(65536)
    if not c:
        break
    r += c
u.close()
check(r.startswith(b"HTTP/1.1 200") and r.endswith(gold("basic-compact.json")),
      "the API over the unix socket")
u = socket.socket(socket.AF_UNIX)
u.settimeout(10 * SLOW)
u.connect(path)
u.sendall(b"HELLO\r\n\r\n")
r = b""
while True:
    c = u.recv(65536)
    if not c:
        break
    r += c
u.close()
bad_line(r, "HELLO over the unix socket", "no request target")
clean_exit(svc, "unix socket service")
check(not os.path.exists(path), "the unix socket is removed at exit")
os.rmdir(tmpdir)

svc = Service("--slow-discovery", "%d" % (800 * SLOW), "--shutdown", "10s")
result = {}


def slow_get():
    try:
        result["r"] = svc.get("/api/namespaces")
    except Exception as e:  # noqa: BLE001
        result["r"] = (0, {}, repr(e).encode())


t = threading.Thread(target=slow_get)
t.start()
time.sleep(0.3 * SLOW)
t0 = time.time()
svc.p.send_signal(signal.SIGTERM)
time.sleep(0.2 * SLOW)
try:
    socket.create_connection((svc.host, svc.port), timeout=2).close()
    refused = False
except OSError:
    refused = True
t.join()
check(refused, "after SIGTERM no new connections are accepted")
st, h, body = result["r"]
check(st == 200 and h.get("connection") == "close" and body.endswith(b"}\n"),
      "a request in flight at SIGTERM is still answered (Connection: close)", (st, h))
err = clean_exit(svc, "shutdown service")
check(time.time() - t0 < 5 * SLOW and "shutting down" in err, "it stops once the request is answered")

svc = Service("--shutdown", "%dms" % (500 * SLOW), "--header-timeout", "60s", procfs=None)
st, h, body = svc.get("/api/namespaces")
d = json.loads(body) if st == 200 else {}
init = [n for n in d.get("namespaces", {}).values() if n["type"] == "user" and "parent" not in n]
check(st == 200 and len(d.get("processes", {})) > 1 and init,
      "a live discovery of this host (%d namespaces, %d processes)" %
      (len(d.get("namespaces", {})), len(d.get("processes", {}))))
keep = socket.create_connection((svc.host, svc.port))  # an idle keep-alive client
t0 = time.time()
clean_exit(svc, "live service")
check(time.time() - t0 < 3 * SLOW, "an idle connection does not hold up the shutdown")
keep.close()

print("1..%d" % n)
sys.exit(1 if failed else 0)
