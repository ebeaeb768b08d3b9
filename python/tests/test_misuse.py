"""Misuse is an exception, never a crash or a silent substitute: overrides out of their key's
range, calls on a closed simulator, episodes started or the simulator closed from inside a
callback, actions that are neither LOCAL nor SERVER or a keep that is not finite, callbacks
that fail at the very end (no outputs), an interpreter that exits with an episode open (no
temporary files), and a comma-decimal locale set by the program (the same files as the CLI)."""

import glob
import os
import shutil
import subprocess
import tempfile
import unittest

from tests.support import child, child_json, run_cli, scratch

OVERRIDES = """
import json, edgetune
result = {}
for kwargs in ({"seed": -5}, {"ues": -3}, {"tasks": 0}, {"ues": 2.7}, {"seed": 2**64},
               {"tasks": 200000}, {"seed": True}, {"tasks": "3 "}, {"seed": 2**60},
               {"tasks": 200000, "seed": 2**60}):
    name = ",".join("%s=%r" % kv for kv in kwargs.items())
    try:
        edgetune.Simulator(**kwargs)
        result[name] = "accepted"
    except edgetune.InputError as exc:
        result[name] = str(exc)
try:
    edgetune.Simulator(seed=[1])
except TypeError as exc:
    result["type"] = str(exc)
sim = edgetune.Simulator(tasks=2, seed=7)
result["scenario"] = [sim.scenario["seed"], sim.scenario["tasks.per_ue"]]
for bad in (-1, 2**53, "x"):
    try:
        sim.set_seed(bad)
        result["set_seed %r" % bad] = "accepted"
    except edgetune.InputError as exc:
        result["set_seed %r" % bad] = str(exc)
result["seed_kept"] = sim.scenario["seed"]
for episode in (2**32 + 1, -1, 1.5):
    try:
        sim.run_episode("greedy", episode=episode)
        result["episode %r" % episode] = "accepted"
    except edgetune.InputError as exc:
        result["episode %r" % episode] = str(exc)
print(json.dumps(result))
"""

LIFECYCLE = """
import json, os, sys, edgetune
out = sys.argv[1]
sim = edgetune.Simulator(tasks=2)
result = {}


class Nested:
    def __init__(self, what):
        self.what = what

    def decide(self, ue, obs):
        if self.what == "run":
            sim.run_episode("greedy", episode=3)
        else:
            sim.close()
        return edgetune.SERVER, 0.3

    def feedback(self, ue, reward, done):
        pass


for what in ("run", "close"):
    try:
        sim.run_episode(Nested(what))
        result[what] = "no exception"
    except edgetune.StateError as exc:
        result[what] = [type(exc).__name__, str(exc)]


class Bad:
    def __init__(self, action):
        self.action = action

    def decide(self, ue, obs):
        return self.action

    def feedback(self, ue, reward, done):
        pass


for name, action in (("location", (7, 0.3)), ("keep_nan", (1, float("nan"))),
                     ("keep_inf", (0, float("inf"))), ("keep_big", (0, 1e300)),
                     ("keep_small", (1, 0.05))):
    try:
        sim.run_episode(Bad(action), out=os.path.join(out, name))
        result[name] = "no exception"
    except (ValueError, edgetune.Error) as exc:
        result[name] = [type(exc).__name__, str(exc), sorted(os.listdir(os.path.join(out, name)))
                        if os.path.isdir(os.path.join(out, name)) else []]


class LastFails:
    def __init__(self, where):
        self.where, self.done = where, 0

    def decide(self, ue, obs):
        return edgetune.SERVER, 0.3

    def feedback(self, ue, reward, done):
        self.done += bool(done)
        if self.where == "feedback" and self.done == 6:
            raise ZeroDivisionError("last feedback")

    def episode_end(self):
        if self.where == "episode_end":
            raise KeyError("episode end")


for where in ("feedback", "episode_end"):
    folder = os.path.join(out, where)
    os.makedirs(folder)
    with open(os.path.join(folder, "summary.json"), "w") as f:
        f.write("previous")
    try:
        sim.run_episode(LastFails(where), out=folder)
        result[where] = "no exception"
    except (ZeroDivisionError, KeyError) as exc:
        result[where] = [type(exc).__name__, sorted(os.listdir(folder)),
                         open(os.path.join(folder, "summary.json")).read()]
result["after"] = sim.run_episode("greedy", episode=1)["tasks"]
sim.close()
sim.close()  # twice: nothing
for name, call in (("set_seed", lambda: sim.set_seed(3)), ("companion", lambda: sim.companion("greedy")),
                   ("run", lambda: sim.run_episode("greedy"))):
    try:
        call()
        result["closed_" + name] = "no exception"
    except edgetune.StateError as exc:
        result["closed_" + name] = str(exc)
print(json.dumps(result))
"""

EXIT_WITH_EPISODE_OPEN = """
import sys, edgetune
env = edgetune.Env(tasks=20, out=sys.argv[1])
obs, info = env.reset()
for _ in range(5):
    obs, r, term, trunc, info = env.step((edgetune.SERVER, 0.3))
print("exiting with the episode open", flush=True)
"""

LOCALE = """
import locale, sys, edgetune
locale.setlocale(locale.LC_ALL, "")          # the program's choice: a comma-decimal locale
assert locale.localeconv()["decimal_point"] == ",", locale.localeconv()
sim = edgetune.Simulator(seed=3, tasks=3)    # the shipped platform's "0.005s" must parse
sim.run_episode("greedy", out=sys.argv[1])
print(locale.format_string("%.1f", 2.5))      # the locale is in force for the program
"""


def comma_locale(test):
    """An environment with a comma-decimal locale (de_DE.UTF-8): the system's, or one compiled
    into a temporary folder with localedef (Debian's locales package has its sources);
    skips the test with a message when neither is possible."""
    env = dict(os.environ)
    env.pop("LC_ALL", None)
    have = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    if any(name.lower().replace("-", "") in ("de_de.utf8",) for name in have.split()):
        env["LC_ALL"] = "de_DE.UTF-8"
        return env
    localedef = shutil.which("localedef")
    if not localedef or not os.path.exists("/usr/share/i18n/locales/de_DE"):
        test.skipTest("no de_DE.UTF-8 locale and no way to make one (Debian: apt-get install "
                      "locales; scripts/setup.sh installs it)")
    folder = tempfile.mkdtemp(prefix="edgetune-locale-")
    test.addCleanup(shutil.rmtree, folder, True)
    made = subprocess.run([localedef, "-i", "de_DE", "-f", "UTF-8",
                           os.path.join(folder, "de_DE.UTF-8")], capture_output=True,
                          check=False)
    if made.returncode not in (0, 1) or not os.path.isdir(os.path.join(folder, "de_DE.UTF-8")):
        test.skipTest("localedef could not make de_DE.UTF-8: %s" % made.stderr[-200:])
    env["LOCPATH"] = folder
    env["LC_ALL"] = "de_DE.UTF-8"
    return env


class Misuse(unittest.TestCase):
    def test_overrides_take_their_key_type_and_range(self):
        got = child_json(OVERRIDES)
        want = {"seed=-5": "argument seed: key 'seed': expected a non-negative integer in "
                           "[0, 9007199254740991], got '-5'",
                "ues=-3": "argument ues: key 'ues': expected an integer in [0, 1000000], "
                          "got '-3'",
                "tasks=0": "argument tasks: key 'tasks.per_ue': expected an integer in "
                           "[1, 100000], got '0'",
                "ues=2.7": "got '2.7'",
                "seed=18446744073709551616": "got '18446744073709551616'",
                "tasks=200000": "expected an integer in [1, 100000], got '200000'",
                "seed=True": "got 'true'",
                "tasks='3 '": "got '3 '",
                # issue 19: above the key table's 2^53-1, refused, not written into the struct
                "seed=1152921504606846976": "argument seed: key 'seed': expected a non-negative "
                                            "integer in [0, 9007199254740991], got "
                                            "'1152921504606846976'",
                # both out of range: the first refused names its key (seed is applied first)
                "tasks=200000,seed=1152921504606846976": "argument seed: key 'seed': expected a "
                                                         "non-negative integer in "
                                                         "[0, 9007199254740991], got "
                                                         "'1152921504606846976'"}
        for name, text in want.items():
            self.assertIn(text, got[name], name)
        self.assertIn("seed: expected a number, a string or a path, got list", got["type"])
        self.assertEqual(got["scenario"], [7, 2])
        self.assertIn("key 'seed'", got["set_seed -1"])
        self.assertIn("got '9007199254740992'", got["set_seed 9007199254740992"])
        self.assertIn("got 'x'", got["set_seed 'x'"])
        self.assertEqual(got["seed_kept"], 7)
        for episode in ("4294967297", "-1", "1.5"):
            self.assertIn("episode: expected an integer in [0, 2147483647]",
                          got["episode %s" % episode])

    def test_calls_out_of_turn_are_errors(self):
        tmp = scratch(self)
        got = child_json(LIFECYCLE, tmp)
        self.assertEqual(got["run"][0], "StateError")
        self.assertIn("cannot be started from inside a policy callback", got["run"][1])
        self.assertEqual(got["close"][0], "StateError")
        self.assertIn("close: an episode is running", got["close"][1])
        self.assertEqual(got["location"][0], "ValueError")
        self.assertIn("location 7", got["location"][1])
        # one rule for the whole action: outside the action space is an error naming the
        # value and the range, never clipped (docs/python.md, "Errors")
        for name, text in (("keep_nan", "keep nan"), ("keep_inf", "keep inf"),
                           ("keep_big", "keep 1e+300"), ("keep_small", "keep 0.05")):
            self.assertEqual(got[name][0], "ValueError", name)
            self.assertIn("decide() returned: %s for UE" % text, got[name][1])
            self.assertIn("expected a number in [0.1, 0.5] (tuning.k_min, tuning.k_max)",
                          got[name][1])
            self.assertEqual(got[name][2], [], name)
        for where, exc in (("feedback", "ZeroDivisionError"), ("episode_end", "KeyError")):
            self.assertEqual(got[where], [exc, ["summary.json"], "previous"], where)
        self.assertEqual(got["after"], 12)
        for name in ("set_seed", "companion", "run"):
            self.assertIn("this Simulator is closed", got["closed_" + name], name)

    def test_exit_with_an_episode_open_leaves_no_temporaries(self):
        tmp = scratch(self)
        _, out, _ = child(EXIT_WITH_EPISODE_OPEN, tmp)
        self.assertIn("exiting with the episode open", out)
        self.assertEqual(sorted(os.listdir(tmp)), [])

    def test_a_comma_decimal_locale_changes_nothing(self):
        env = comma_locale(self)
        tmp = scratch(self)
        py_out, cli_out = os.path.join(tmp, "py"), os.path.join(tmp, "cli")
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        try:
            _, out, _ = child(LOCALE, py_out)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        self.assertEqual(out.strip(), "2,5")  # the locale really was in force
        cli = run_cli("run", "--seed", "3", "--tasks", "3", "--out", cli_out)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        for name in ("tasks.csv", "channel.csv"):
            with open(os.path.join(py_out, name)) as a, open(os.path.join(cli_out, name)) as b:
                self.assertEqual(a.read(), b.read(), name)
        self.assertEqual(glob.glob(os.path.join(py_out, "*.tmp")), [])


if __name__ == "__main__":
    unittest.main()
