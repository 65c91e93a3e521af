# SPDX-License-Identifier: Apache-2.0
"""Shared helpers of the Python tests (pytest under Debian's /usr/bin/python3).

Environment (set by tests/python/meson.build): LXKNS_LIBRARY (the built
liblxkns.so.0), PYTHONPATH (python/src), LXKNS_SOURCE_ROOT, LXKNS_DUMPNS
(the built dumpns) and LXKNS_NSREL (tests/live's nsrel: ground truth
straight from the ioctls). Live tests need root and skip otherwise; every
process they start is killed and reaped by PID, every mount undone.
"""

import os
import signal
import subprocess
import time
from typing import List

import pytest

SOURCE_ROOT = os.environ.get("LXKNS_SOURCE_ROOT",
                             os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DUMPNS = os.environ.get("LXKNS_DUMPNS", os.path.join(SOURCE_ROOT, "build", "tools", "dumpns"))
NSREL = os.environ.get("LXKNS_NSREL", os.path.join(SOURCE_ROOT, "build", "tests", "live", "nsrel"))
FIXTURE = os.path.join(SOURCE_ROOT, "tests", "fixtures", "proc", "basic")
INPUTS = os.path.join(SOURCE_ROOT, "tests", "golden", "inputs")



def live(obj):
    """Marks a live test (real namespaces; meson's python-live runs them):
    marker "live", skipped without root."""
    return pytest.mark.live(pytest.mark.skipif(os.geteuid() != 0, reason="live tests need root")(obj))


def pytest_configure(config):
    config.addinivalue_line("markers", "live: builds real namespaces (root)")


def nsino(pid, t: str) -> int:
    """The inode of /proc/PID/ns/T ("self" works too)."""
    return os.stat("/proc/%s/ns/%s" % (pid, t)).st_ino


def nsrel(*args: str) -> List[int]:
    """Ground truth from tests/live/nsrel (one inode per output line)."""
    out = subprocess.run([NSREL] + list(args), check=True, capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def dumpns(*args: str) -> str:
    return subprocess.run([DUMPNS] + list(args), check=True, capture_output=True, text=True).stdout


def children_of(pid: int) -> List[int]:
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def wait_for(cond, what: str, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


def exe_of(pid: int) -> str:
    try:
        return os.readlink("/proc/%d/exe" % pid)
    except OSError:
        return ""


class Procs:
    """Processes a test starts; killed (SIGKILL) and reaped by PID."""

    def __init__(self) -> None:
        self.popens: List[subprocess.Popen] = []
        self.pids: List[int] = []

    def start(self, argv: List[str]) -> subprocess.Popen:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, close_fds=True)
        self.popens.append(p)
        return p

    def track(self, pid: int) -> int:
        self.pids.append(pid)
        return pid

    def cleanup(self) -> None:
        for pid in reversed(self.pids):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for p in reversed(self.popens):
            if p.poll() is None:
                p.kill()
            p.wait(timeout=10)


@pytest.fixture
def procs():
    pr = Procs()
    try:
        yield pr
    finally:
        pr.cleanup()


SLEEP = os.path.realpath("/bin/sleep")


def wait_sleep(pid: int) -> int:
    """Waits until pid has exec'ed sleep; returns pid."""
    wait_for(lambda: exe_of(pid) == SLEEP, "pid %d to become sleep" % pid)
    return pid
