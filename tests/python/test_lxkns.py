# SPDX-License-Identifier: Apache-2.0
"""The lxkns module: discovery of the fixture tree (exact values, the same
document dumpns writes), saved documents, options and errors, the tree
commands on saved discoveries; live: user and PID chains, a bind-mounted
network namespace, loose threads and PID translation, with exact inodes."""

import ctypes
import errno
import io
import json
import os
import subprocess
import sys
import threading

import pytest

import lxkns
from linuxns_rel.tools import lshierns
from conftest import (DUMPNS, FIXTURE, INPUTS, children_of, dumpns, live, nsino, nsrel, wait_for,
                      wait_sleep)


@pytest.fixture(scope="module")
def fx():
    return lxkns.discover(procfs=FIXTURE)


def test_fixture_namespaces(fx):
    user = fx.namespaces[4026531837]
    assert (user.type, user.reference, user.user_id, user.user_name) == ("user", ("/proc/1/ns/user",), 0, "root")
    assert [p.pid for p in user.leaders] == [1, 2] and user.ealdorman is fx.processes[1]
    hidden = fx.namespaces[4026532000]
    assert hidden.hidden and hidden.reference == () and hidden.leaders == [] and hidden.ealdorman is None
    assert hidden.parent is user and user.children == [hidden]
    assert (hidden.user_id, hidden.user_name) == (1000, "alice")
    inner = fx.namespaces[4026532001]
    assert inner.parent is hidden and hidden.children == [inner]
    assert inner.owner is None and inner.ealdorman is fx.processes[100]
    pidns = fx.namespaces[4026532010]
    assert pidns.owner is inner and pidns.parent is fx.namespaces[4026531836]
    assert [p.pid for p in pidns.leaders] == [100, 103]
    assert pidns in inner.owned
    assert fx.roots == {"user": [user], "pid": [fx.namespaces[4026531836]]}
    assert fx.initial_namespaces["user"] is user
    assert fx.namespace("pid:[4026532010]") is pidns
    assert fx.namespace("net:[4026532010]") is None
    assert fx.namespace(4026532010) is pidns and fx.namespace("4026532010") is pidns
    with pytest.raises(ValueError):
        fx.namespace("foo:[1]")
    with pytest.raises(ValueError):
        fx.namespace("net:[x]")


def test_fixture_processes_and_loose_threads(fx):
    assert sorted(fx.processes) == [1, 2, 100, 101, 102, 103]
    p100 = fx.processes[100]
    assert p100.namespaces["user"] is fx.namespaces[4026532001]
    assert p100.parent is fx.processes[p100.ppid]
    assert p100 in fx.processes[p100.ppid].children
    net = fx.namespaces[4026532030]
    assert [t.tid for t in net.loose_threads] == [1011]
    t = net.loose_threads[0]
    assert t.namespaces["net"] is net and t.process.namespaces["net"] is not net
    assert t in t.process.tasks
    assert all(task.process is p for p in fx.processes.values() for task in p.tasks)


def test_fixture_document_is_dumpns(fx):
    assert fx.dumps() == dumpns("--proc", FIXTURE)
    assert fx.dumps(compact=True) == dumpns("--proc", FIXTURE, "-c")
    assert fx.dumps(tab=True) == dumpns("--proc", FIXTURE, "--tab")
    with pytest.raises(ValueError):
        fx.dumps(indent=9)


def test_fixture_mounts(fx):
    assert fx.mounts, "the fixture has mount tables"
    for mntns, table in fx.mounts.items():
        assert fx.namespaces[mntns].type == "mnt"
        root = table["/"]
        assert root.parent is None and root.mounts and root.visible_mount is not None
        for mp in table.values():
            assert mp.parent is None or mp in mp.parent.children
            for m in mp.mounts:
                assert m.mountpoint == mp.path


def test_options_and_types():
    d = lxkns.discover(procfs=FIXTURE, types="user,pid", hierarchy=False)
    assert {n.type for n in d.namespaces.values()} <= {"user", "pid", "mnt"}
    assert all(n.parent is None for n in d.namespaces.values())
    assert d.options["with-hierarchy"] is False
    d2 = lxkns.discover(procfs=FIXTURE, types=[0x40000000], ownership=False, mounts=False)
    assert "net" in {n.type for n in d2.namespaces.values()}
    assert all(n.owner is None for n in d2.namespaces.values()) and d2.mounts == {}
    assert set(lxkns.options()) >= {"procs", "tasks", "fds", "sockets", "bindmounts", "hierarchy",
                                     "ownership", "mounts", "pidmap", "task_affinity", "containers"}


def test_option_errors():
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        lxkns.discover(colour=True)
    with pytest.raises(TypeError, match="must be a bool"):
        lxkns.discover(procfs=FIXTURE, tasks="no")
    with pytest.raises(ValueError, match="unknown namespace type"):
        lxkns.discover(types="net,bogus")
    with pytest.raises(ValueError):
        lxkns.discover(threads=-1)
    with pytest.raises(lxkns.DiscoveryError) as e:
        lxkns.discover(procfs="/nonexistent-procfs")
    assert e.value.errno == errno.ENOENT and isinstance(e.value, OSError)


@pytest.mark.parametrize("name", ["basic.json", "nested.json"])
def test_load_saved_documents(name, tmp_path):
    path = os.path.join(INPUTS, name)
    d = lxkns.load(path)
    assert d.dumps() == dumpns("--input", path)
    with open(path) as f:
        assert lxkns.load(f).dumps() == d.dumps()
    with open(path, "rb") as f:
        assert lxkns.loads(f.read()).dumps() == d.dumps()
    out = tmp_path / "again.json"
    lxkns.dump(d, str(out), compact=True)
    assert lxkns.load(str(out)).dumps() == d.dumps()
    buf = io.StringIO()
    d.dump(buf)
    assert buf.getvalue() == d.dumps()


def test_load_shared_inode():
    """One inode as two types (the kernel reused it during a scan): the
    second type's key is "TYPE:[N]"; both namespaces are there, each with
    its process, and namespaces[N] is the plain key's."""
    doc = {"namespaces": {"7": {"nsid": 7, "type": "user", "user-id": 0, "user-name": ""},
                          "net:[7]": {"nsid": 7, "type": "net", "owner": 7}},
           "processes": {"40": {"pid": 40, "ppid": 0, "namespaces": {"net": 7}},
                         "41": {"pid": 41, "ppid": 0, "namespaces": {"user": 7}}}}
    d = lxkns.loads(json.dumps(doc))
    net, user = d.namespace("net:[7]"), d.namespace("user:[7]")
    assert (net.type, user.type) == ("net", "user") and d.namespaces[7] is user
    assert d.processes[40].namespaces["net"] is net and d.processes[41].namespaces["user"] is user
    assert net.owner is user and d.namespaces_of_type("net") == [net]
    assert '"net:[7]": {' in d.dumps()


@pytest.mark.parametrize("name,message", [
    ("user-cycle", "namespace user:[4026532500] has a parent cycle"),
    ("ppid-cycle", "process 7000 has a PPID cycle: 7000 → 7001 → 7000"),
    ("missing-owner", "its owner user:[4026532500] is not in \"namespaces\""),
])
def test_load_broken_refused(name, message):
    with pytest.raises(lxkns.DocumentError, match=message.replace("[", r"\[").replace("]", r"\]")):
        lxkns.load(os.path.join(INPUTS, "broken-%s.json" % name))


def test_load_nested_relations():
    d = lxkns.load(os.path.join(INPUTS, "nested.json"))
    u = d.namespaces[4026532102]
    assert u.hidden and u.parent is d.namespaces[4026532101] and u.user_id == 1001
    assert d.namespaces[4026532101].parent is d.namespaces[4026532100]
    p5 = d.namespaces[4026532241]
    assert p5.reference == ("/proc/1/ns/mnt", "/run/pidns/p5") and p5.parent is d.namespaces[4026532240]
    assert p5.owner is d.namespaces[4026532100]


def test_load_errors():
    with pytest.raises(lxkns.DocumentError, match="line 1, column"):
        lxkns.loads('{"namespaces": ')
    with pytest.raises(ValueError):
        lxkns.loads("[1, 2]")
    with pytest.raises(TypeError):
        lxkns.loads(42)
    with pytest.raises(FileNotFoundError):
        lxkns.load("/nonexistent.json")


def test_closed_discovery(fx):
    d = lxkns.load(os.path.join(INPUTS, "basic.json"))
    with d:
        assert d.dumps()
    with pytest.raises(lxkns.LxknsError, match="closed"):
        d.dumps()
    assert d.namespaces  # the Python objects stay


def test_library_not_found():
    env = dict(os.environ, LXKNS_LIBRARY="/nonexistent/liblxkns.so.0")
    r = subprocess.run([sys.executable, "-c", "import lxkns; lxkns.discover()"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "LibraryNotFoundError: cannot load LXKNS_LIBRARY=/nonexistent/liblxkns.so.0" in r.stderr


def test_lsuserns_lspidns_on_saved(capsys):
    path = os.path.join(INPUTS, "nested.json")
    assert lshierns.lsuserns(["-i", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith('user:[4026531837] process "') and out[0].endswith(' namespace owner "root" (0)')
    assert ' ├── user:[4026532100] process "' in "\n".join(out)
    assert any(l.startswith(" │   └── user:[4026532101] process ") for l in out)
    assert any(l.endswith('user:[4026532102] process (none) namespace owner "%s" (1001)' % (
        lshierns.owner_uid_name(1001, ""))) for l in out)
    assert lshierns.lspidns(["-i", path]) == 0
    out = capsys.readouterr().out
    assert "pid:[4026532241] process (none) owner user:[4026532100] (process " in out
    assert lshierns.lsuserns(["-i", "/nonexistent.json"]) == 1
    assert "No such file or directory" in capsys.readouterr().err


def test_graph_dot_on_saved():
    d = lxkns.load(os.path.join(INPUTS, "nested.json"))
    dot = lshierns.graph_dot(d, details=True)
    assert '"pid-4026532240" -> "pid-4026532241" [dir=back];' in dot
    assert '"pid-4026532241" -> "user-4026532100" [style=dashed constraint=false];' in dot
    assert '"user-4026532101" -> "user-4026532102" [dir=back];' in dot


def test_graphns_svg(tmp_path):
    if not os.path.exists("/usr/bin/dot"):
        pytest.skip("graphviz is not installed")
    out = tmp_path / "g.svg"
    assert lshierns.graphns(["-i", os.path.join(INPUTS, "nested.json"), "-o", str(out)]) == 0
    svg = out.read_text()
    assert svg.lstrip().startswith("<?xml") and "pid:[4026532241]" in svg
    png = tmp_path / "g.png"
    assert lshierns.graphns(["-i", os.path.join(INPUTS, "nested.json"), "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---- live ---------------------------------------------------------------

@live
def test_live_user_chain(procs):
    p = procs.start(["unshare", "-Ur", "unshare", "-Ur", "unshare", "-Ur", "--net", "sleep", "infinity"])
    wait_sleep(p.pid)
    a3 = nsino(p.pid, "user")
    a2, a1, top = nsrel("-c", "/proc/%d/ns/user" % p.pid)
    d = lxkns.discover(mounts=False, containers=False)
    n3, n2, n1 = d.namespaces[a3], d.namespaces[a2], d.namespaces[a1]
    assert n3.parent is n2 and n2.parent is n1 and n1.parent is d.namespaces[top]
    assert n2.hidden and n1.hidden and n2.children == [n3]
    assert n3.reference == ("/proc/%d/ns/user" % p.pid,) and n3.ealdorman is d.processes[p.pid]
    assert n3.user_id == 0 and n3.user_name == "root"
    net = d.namespaces[nsino(p.pid, "net")]
    assert net.owner is n3 and net in n3.owned and d.processes[p.pid].namespaces["net"] is net
    text = lshierns.userns_tree(d)
    assert 'user:[%d] process "sleep (%d)" namespace owner "root" (0)' % (a3, p.pid) in text
    assert "user:[%d] process (none) namespace owner \"root\" (0)" % a2 in text


@live
def test_live_pid_chain_and_translation(procs):
    p = procs.start(["unshare", "--pid", "--fork", "--kill-child", "unshare", "--pid", "--fork",
                     "--kill-child", "sleep", "infinity"])
    mid = procs.track(wait_for(lambda: children_of(p.pid), "fork")[0])
    leaf = procs.track(wait_for(lambda: children_of(mid), "fork")[0])
    wait_sleep(leaf)
    d = lxkns.discover(mounts=False, containers=False)
    mine = d.namespaces[nsino("self", "pid")]
    m, l = d.namespaces[nsino(mid, "pid")], d.namespaces[nsino(leaf, "pid")]
    assert l.parent is m and m.parent is mine and l in m.children
    assert m.ealdorman is d.processes[mid] and l.ealdorman is d.processes[leaf]
    assert d.namespaced_pids(leaf) == [(mine, leaf), (m, 2), (l, 1)]
    assert d.translate_pid(1, l, mine) == leaf
    assert d.translate_pid(leaf, mine, l) == 1
    assert d.translate_pid(2, m, mine) == leaf
    assert d.translate_pid(1, m, l) is None  # mid is not visible in the leaf's namespace
    assert d.process_by_nspid(1, m) is d.processes[mid]
    with pytest.raises(ValueError):
        d.translate_pid(1, d.initial_namespaces["net"], mine)
    pm = json.loads(d.dumps_pidmap())
    assert [{"pid": 1, "nsid": l.id}, {"pid": 2, "nsid": m.id}, {"pid": leaf, "nsid": mine.id}] in pm
    text = lshierns.pidns_tree(d)
    assert 'pid:[%d] process "sleep (%d)" owner user:[%d]' % (l.id, leaf, l.owner.id) in text


@live
def test_live_bind_mounted_netns(tmp_path):
    target = tmp_path / "netns"
    target.write_text("")
    subprocess.run(["unshare", "--net=%s" % target, "true"], check=True)
    try:
        ino = os.stat(target).st_ino
        d = lxkns.discover(types="net,user,mnt", containers=False)
        ns = d.namespaces[ino]
        assert ns.type == "net" and ns.leaders == [] and ns.ealdorman is None
        assert ns.reference[-1] == str(target)
        assert ns.owner is d.namespaces[nsino("self", "user")]
    finally:
        subprocess.run(["umount", str(target)], check=True)


@live
def test_live_loose_thread():
    """A thread of ours in a network namespace of its own is a loose thread."""
    ready, done = threading.Event(), threading.Event()
    info = {}

    def run():
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(0x40000000) != 0:
            info["err"] = ctypes.get_errno()
        info["tid"] = threading.get_native_id()
        info["net"] = os.stat("/proc/thread-self/ns/net").st_ino
        ready.set()
        done.wait(30)

    t = threading.Thread(target=run)
    t.start()
    try:
        ready.wait(10)
        assert "err" not in info and info["net"] != nsino("self", "net")
        d = lxkns.discover(types="net,user", containers=False, mounts=False)
        ns = d.namespaces[info["net"]]
        assert [x.tid for x in ns.loose_threads] == [info["tid"]]
    finally:
        done.set()
        t.join()


def test_color_and_broken_pipe():
    path = os.path.join(INPUTS, "nested.json")
    r = subprocess.run([sys.executable, "-m", "linuxns_rel.tools.lshierns", "-c", "-d", "-i", path],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "\x1b[" in r.stdout and "user:[4026532102]" in r.stdout
    r = subprocess.run("%s -m linuxns_rel.tools.lshierns -i %s | head -n 1" % (sys.executable, path),
                       shell=True, capture_output=True, text=True)
    assert r.stdout.startswith("user:[4026531837]") and r.stderr == ""


def test_saved_document_has_no_nspids():
    """The wire format carries no NSpid lists: a saved discovery translates
    only within one PID namespace."""
    d = lxkns.load(os.path.join(INPUTS, "nested.json"))
    root, child = d.namespaces[4026531836], d.namespaces[4026532210]
    assert d.translate_pid(1001, root, child) is None
    assert d.namespaced_pids(1001) == []
    with pytest.raises(ValueError, match="not a PID namespace"):
        d.translate_pid(1, d.namespaces[4026531837], root)


def test_ctypes_layout_matches_headers(tmp_path):
    """The ctypes structs have the fields, offsets and sizes of the public
    headers (compiled here with gcc), so a header change cannot drift."""
    import shutil
    from conftest import SOURCE_ROOT
    from lxkns import _lib
    if shutil.which("gcc") is None:
        pytest.skip("no gcc")
    structs = {"lxkns_discover_opts": _lib.DiscoverOpts, "lxkns_json_style": _lib.JsonStyle,
               "lxkns_discover_option": _lib.DiscoverOption, "lxkns_diagnostic": _lib.Diagnostic,
               "lxkns_nsid": _lib.NsId}
    lines = ["#include <stdio.h>", "#include <stddef.h>", "#include <lxkns/lxkns.h>",
             "#include <lxkns/options.h>", "int main(void) {"]
    for name, cls in structs.items():
        lines.append('printf("%s %%zu\\n", sizeof(struct %s));' % (name, name))
        for f, _ in cls._fields_:
            lines.append('printf("%s.%s %%zu\\n", offsetof(struct %s, %s));' % (name, f, name, f))
    lines.append("return 0; }")
    src = tmp_path / "layout.c"
    src.write_text("\n".join(lines))
    exe = tmp_path / "layout"
    # the build's include/ too: <lxkns/version.h> is generated there
    build_inc = os.environ.get("LXKNS_BUILD_INCLUDE", os.path.join(SOURCE_ROOT, "build", "include"))
    subprocess.run(["gcc", "-std=gnu17", "-I", os.path.join(SOURCE_ROOT, "include"), "-I", build_inc,
                    "-o", str(exe), str(src)],
                   check=True)
    got = dict(l.split() for l in subprocess.run([str(exe)], capture_output=True, text=True,
                                                   check=True).stdout.splitlines())
    for name, cls in structs.items():
        assert int(got[name]) == ctypes.sizeof(cls), name
        for f, _ in cls._fields_:
            assert int(got["%s.%s" % (name, f)]) == getattr(cls, f).offset, (name, f)
