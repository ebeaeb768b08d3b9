"""Helpers of the Python tests: one engine per process, so each scenario runs in a child."""

import json
import os
import subprocess
import sys
import tempfile

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(PYTHON_DIR)


def cli():
    """The edgetune command to compare with (ctest passes the freshly built one)."""
    return os.environ.get("EDGETUNE_CLI", os.path.join(ROOT, "build", "edgetune"))


def child(code, *args, check=True):
    """Runs code in a fresh Python process with edgetune importable; returns
    (returncode, stdout, stderr). The last stdout line of a successful child is often JSON."""
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    if check and proc.returncode != 0:
        raise AssertionError("child failed (%d):\n%s\n%s" % (proc.returncode, proc.stdout,
                                                             proc.stderr))
    return proc.returncode, proc.stdout, proc.stderr


def child_json(code, *args):
    return json.loads(child(code, *args)[1].strip().splitlines()[-1])


def run_cli(*args):
    """Runs the CLI quietly; returns its CompletedProcess."""
    return subprocess.run([cli(), *args, "-q"], capture_output=True, text=True, timeout=300,
                          check=False)


def scratch(test):
    """A temporary folder removed after the test."""
    tmp = tempfile.TemporaryDirectory(prefix="edgetune-py-")
    test.addCleanup(tmp.cleanup)
    return tmp.name


def assert_same_tasks(test, tmp):
    """tmp/py/tasks.csv and tmp/cli/tasks.csv are the same, byte for byte."""
    with open(os.path.join(tmp, "py", "tasks.csv"), "rb") as a, \
            open(os.path.join(tmp, "cli", "tasks.csv"), "rb") as b:
        test.assertEqual(a.read(), b.read())


def python_matches_cli(test, code, policy, seed="3"):
    """Runs code with a folder for its outputs (argv[1]) and `edgetune run --policy policy
    --seed seed`, and checks that their tasks.csv are the same, byte for byte; returns the
    scratch folder (tmp/py, tmp/cli)."""
    tmp = scratch(test)
    child(code, os.path.join(tmp, "py"))
    cli = run_cli("run", "--policy", policy, "--seed", seed, "--out", os.path.join(tmp, "cli"))
    test.assertEqual(cli.returncode, 0, cli.stderr)
    assert_same_tasks(test, tmp)
    return tmp
