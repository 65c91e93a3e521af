# SPDX-License-Identifier: Apache-2.0
"""pip install --no-build-isolation ./python works offline with Debian's
setuptools, into a throwaway venv (never into the system), and installs the
modules and the commands lsuserns, lspidns-rel (linuxns_rel's lspidns,
renamed next to the C lspidns) and graphns."""

import os
import shutil
import subprocess
import sys

import pytest

from conftest import INPUTS, SOURCE_ROOT


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    base = tmp_path_factory.mktemp("pyinstall")
    src = base / "src"
    shutil.copytree(os.path.join(SOURCE_ROOT, "python"), src,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    v = base / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(v)], check=True)
    r = subprocess.run([str(v / "bin" / "pip"), "install", "--no-build-isolation", "--no-index",
                        "--no-cache-dir", "--disable-pip-version-check", str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    yield v
    shutil.rmtree(base)


def _env():
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def test_installed_modules(venv):
    r = subprocess.run([str(venv / "bin" / "python"), "-c",
                        "import lxkns, linuxns_rel; print(lxkns.__file__); "
                        "print(linuxns_rel.nstype_str(linuxns_rel.get_nstype('/proc/self/ns/net')))"],
                       capture_output=True, text=True, env=_env(), cwd="/")
    assert r.returncode == 0, r.stderr
    path, t = r.stdout.split()
    assert path.startswith(str(venv)) and t == "net"
    typed = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import importlib.resources as r; print(r.files('lxkns').joinpath('py.typed').is_file())"],
                           capture_output=True, text=True, env=_env(), cwd="/")
    assert typed.stdout.strip() == "True"


def test_installed_commands(venv, tmp_path):
    saved = os.path.join(INPUTS, "nested.json")
    for cmd in ("lsuserns", "lspidns-rel", "graphns"):
        exe = venv / "bin" / cmd
        assert exe.exists(), cmd
        r = subprocess.run([str(exe), "--help"], capture_output=True, text=True, env=_env())
        assert r.returncode == 0 and "usage: " + cmd in r.stdout
        bad = subprocess.run([str(exe), "--bogus"], capture_output=True, text=True, env=_env())
        assert bad.returncode == 2 and "unrecognized arguments: --bogus" in bad.stderr
    r = subprocess.run([str(venv / "bin" / "lsuserns"), "-d", "-i", saved], capture_output=True,
                       text=True, env=_env())
    assert r.returncode == 0 and r.stdout.startswith("user:[4026531837] process ")
    assert not (venv / "bin" / "lspidns").exists(), "lspidns is the C tool's name"
    r = subprocess.run([str(venv / "bin" / "lspidns-rel"), "-i", saved], capture_output=True,
                       text=True, env=_env())
    assert r.returncode == 0 and r.stdout.startswith("pid:[4026531836] process "), r.stdout
    r = subprocess.run([str(venv / "bin" / "graphns"), "--dot", "-i", saved], capture_output=True,
                       text=True, env=_env())
    assert r.returncode == 0 and r.stdout.startswith("digraph namespaces {")


def test_pip_refuses_system_install_by_default():
    """PEP 668: Debian's pip refuses the system interpreter without a venv,
    which is why the tests use one (nothing is installed here)."""
    if not os.path.exists("/usr/lib/python3.11/EXTERNALLY-MANAGED"):
        pytest.skip("no EXTERNALLY-MANAGED marker")
    r = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--no-index", "--dry-run",
                        "--no-build-isolation", "nonexistent-package-xyz"], capture_output=True, text=True)
    assert r.returncode != 0 and "externally-managed-environment" in r.stderr
