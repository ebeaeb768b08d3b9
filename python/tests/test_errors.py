"""Errors: C's one-line messages as exceptions; a raising callback ends the episode cleanly."""

import os
import platform
import subprocess
import sys
import unittest

from edgetune._numpy_check import DEBIAN_PYTHON, missing_numpy_message, probe
from tests.support import PYTHON_DIR, ROOT, child, child_json, run_cli, scratch

RAISES = """
import json, os, sys, traceback, edgetune
out = sys.argv[1]
sim = edgetune.Simulator(tasks=4)


class Fails:
    def __init__(self, where):
        self.where, self.calls = where, 0

    def decide(self, ue, obs):
        self.calls += 1
        if self.where == "decide" and self.calls == 7:
            raise KeyError("policy bug")
        return edgetune.SERVER, 0.3

    def feedback(self, ue, reward, done):
        if self.where == "feedback":
            raise ZeroDivisionError("feedback bug")


result = {}
for where in ("decide", "feedback"):
    try:
        sim.run_episode(Fails(where), out=os.path.join(out, where))
        result[where] = "no exception"
    except (KeyError, ZeroDivisionError) as exc:
        tb = traceback.format_exception(exc)
        result[where] = {"type": type(exc).__name__, "trace": "".join(tb),
                         "files": sorted(os.listdir(os.path.join(out, where)))}
# the simulator is usable afterwards
result["after"] = sim.run_episode("greedy", episode=1)["tasks"]
print(json.dumps(result))
"""

ERRORS = """
import json, sys, edgetune
result = {}
try:
    edgetune.Simulator(sys.argv[1])
except edgetune.InputError as exc:
    result["scenario"] = [str(exc), exc.code, isinstance(exc, ValueError)]
sim = edgetune.Simulator(tasks=2)
try:
    sim.run_episode("nosuch")
except edgetune.InputError as exc:
    result["policy"] = str(exc)
try:
    edgetune.Simulator(tasks=2)
except edgetune.Error as exc:
    result["second"] = str(exc)
try:
    sim.run_episode(object())
except TypeError as exc:
    result["type"] = str(exc)
try:
    sim.companion("greedy").decide()
except edgetune.InputError as exc:
    result["companion"] = str(exc)
print(json.dumps(result))
"""

INTERRUPT = """
import json, os, signal, time, edgetune
sim = edgetune.Simulator(tasks=20)


class Interrupted:
    calls = 0

    def decide(self, ue, obs):
        self.calls += 1
        if self.calls == 10:
            os.kill(os.getpid(), signal.SIGINT)   # Ctrl-C while the engine runs
            # Hold the engine here until the main thread has taken the KeyboardInterrupt and
            # asked the episode to end (sim._abort), however loaded the machine: the episode
            # cannot end first, and the next decision is the one that stops it.
            deadline = time.monotonic() + 120
            while not sim._abort and time.monotonic() < deadline:
                time.sleep(0.001)
        return edgetune.SERVER, 0.3

    def feedback(self, ue, reward, done):
        pass


p = Interrupted()
try:
    sim.run_episode(p)
    caught = False
except KeyboardInterrupt:
    caught = True
print(json.dumps({"caught": caught, "calls": p.calls,
                  "after": sim.run_episode("greedy", episode=1)["tasks"]}))
"""


class Errors(unittest.TestCase):
    def test_ctrl_c_ends_the_episode(self):
        got = child_json(INTERRUPT)
        self.assertTrue(got["caught"])
        self.assertEqual(got["calls"], 10)  # no decision after the one that saw Ctrl-C
        self.assertEqual(got["after"], 6 * 20)

    def test_raising_callback_ends_episode_and_reraises(self):
        tmp = scratch(self)
        got = child_json(RAISES, tmp)
        self.assertEqual(got["decide"]["type"], "KeyError")
        self.assertIn("KeyError: 'policy bug'", got["decide"]["trace"])
        self.assertIn("in decide", got["decide"]["trace"])
        self.assertIn("episode 0 was ended, no outputs written", got["decide"]["trace"])
        self.assertEqual(got["decide"]["files"], [])
        self.assertEqual(got["feedback"]["type"], "ZeroDivisionError")
        self.assertIn("in feedback", got["feedback"]["trace"])
        self.assertEqual(got["feedback"]["files"], [])
        self.assertEqual(got["after"], 6 * 4)

    def test_c_errors_carry_the_cli_message(self):
        tmp = scratch(self)
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"tasks.per_ue": 0}\n')
        got = child_json(ERRORS, bad)
        cli = run_cli("run", bad)
        self.assertEqual(cli.returncode, 2)
        message, code, is_value_error = got["scenario"]
        self.assertIn(message, cli.stderr)
        self.assertIn("tasks.per_ue", message)
        self.assertEqual(code, 2)
        self.assertTrue(is_value_error)
        self.assertIn("unknown policy 'nosuch'", got["policy"])
        self.assertIn("already loaded", got["second"])
        self.assertIn("decide(ue, observation)", got["type"])
        self.assertIn("no decision in progress", got["companion"])

    def test_import_finds_the_build_tree(self):
        if not os.path.exists(os.path.join(ROOT, "build", "libedgetune.so")):
            self.skipTest("no build/ next to the package")
        code = "import edgetune; print(edgetune.library_path)"
        env_lib = os.environ.pop("EDGETUNE_LIB", None)
        try:
            out = child(code)[1].strip()
        finally:
            if env_lib is not None:
                os.environ["EDGETUNE_LIB"] = env_lib
        self.assertEqual(out, os.path.join(ROOT, "build", "libedgetune.so"))

    def test_missing_library_is_a_clear_import_error(self):
        os.environ["EDGETUNE_LIB"], saved = "/nonexistent/libedgetune.so", \
            os.environ.get("EDGETUNE_LIB")
        try:
            rc, _, err = child("import edgetune", check=False)
        finally:
            if saved is None:
                del os.environ["EDGETUNE_LIB"]
            else:
                os.environ["EDGETUNE_LIB"] = saved
        self.assertNotEqual(rc, 0)
        self.assertIn("EDGETUNE_LIB=/nonexistent/libedgetune.so: no such file", err)


    def test_missing_numpy_names_the_interpreter(self):
        # An interpreter of its own without NumPy (a virtual environment without system
        # packages, as a pyenv one is): the message names it and its version, and points to
        # Debian's /usr/bin/python3 when that one imports NumPy.
        venv = os.path.join(scratch(self), "venv")
        made = subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv],
                              capture_output=True, text=True, timeout=300, check=False)
        if made.returncode != 0:
            self.skipTest("no venv module here: " + made.stderr.strip()[-200:])
        python = os.path.join(venv, "bin", "python3")
        version = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            capture_output=True, text=True, timeout=120, check=True).stdout.strip()
        proc = subprocess.run([python, "-c", "import edgetune"], capture_output=True, text=True,
                              timeout=300, check=False,
                              env=dict(os.environ, PYTHONPATH=PYTHON_DIR,
                                       PYTHONDONTWRITEBYTECODE="1"))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("ImportError: edgetune needs NumPy, which the Python interpreter in use "
                      "cannot import: %s (Python %s)" % (python, version), proc.stderr)
        debian = probe(DEBIAN_PYTHON)
        if debian is not None:
            self.assertIn("Debian's /usr/bin/python3 (Python %s) has NumPy %s: run the command "
                          "with /usr/bin/python3 instead" % debian, proc.stderr)
        else:
            self.assertIn("apt-get install python3-numpy", proc.stderr)

    def test_missing_numpy_without_debian_numpy(self):
        message = missing_numpy_message(ImportError("No module named 'numpy'"),
                                        debian="/nonexistent/python3")
        self.assertIn("cannot import: %s (Python %s): No module named 'numpy'"
                      % (sys.executable, platform.python_version()), message)
        self.assertIn("/nonexistent/python3 (absent) does not import NumPy either", message)
        self.assertIn("`apt-get install python3-numpy` installs NumPy for /nonexistent/python3",
                      message)


if __name__ == "__main__":
    unittest.main()
