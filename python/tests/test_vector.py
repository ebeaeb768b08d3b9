"""edgetune.vector_env: n workers behind one batched step give what n separate in-process runs
give; shutdown leaves no process and no shared memory behind, on close, on errors, on a
killed worker and when the parent dies."""

import json
import os
import time
import unittest

from tests.support import child, child_json

STEPS = 25  # crosses the end of the first episode (6 UEs x 3 tasks = 18 decisions)

ACTIONS = """
def action(step, env_index):
    # location and keep vary with the step and the environment (all inside the action space)
    return (step + env_index) % 2, 0.1 + 0.4 * ((3 * step + env_index) % 5) / 4
"""

VECTOR = ACTIONS + """
import json, os, sys, edgetune, numpy as np
if __name__ == "__main__":
    records = [[] for _ in range(2)]
    with edgetune.vector_env(2, tasks=3) as v:
        obs, info = v.reset(seed=7)
        for i in range(2):
            records[i].append([obs[i].tolist(), int(info["waiting"][i])])
        for step in range(%d):
            obs, rewards, term, trunc, info = v.step([action(step, i) for i in range(2)])
            for i in range(2):
                final = info["final"][i]
                records[i].append([obs[i].tolist(), int(info["waiting"][i]),
                                   rewards[i].tolist(), term[i].tolist(),
                                   None if final is None else final["stats"]["episodic_reward"]])
        pids = [p.pid for p in v._procs]
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
    leftovers = [f for f in os.listdir("/dev/shm") if f.startswith("edgetune-vector-")] \\
        if os.path.isdir("/dev/shm") else []
    print(json.dumps({"records": records, "alive": alive, "leftovers": leftovers}))
""" % STEPS

IN_PROCESS = ACTIONS + """
import json, sys, edgetune
i, seed = int(sys.argv[1]), int(sys.argv[2])
env = edgetune.Env(tasks=3)
obs, info = env.reset(seed=seed)
records = [[obs.tolist(), info["waiting"][0]]]
for step in range(%d):
    obs, rewards, term, trunc, info = env.step(action(step, i))
    final = None
    if not info["waiting"]:  # what the vector environment does: reset at once
        final = info["stats"]["episodic_reward"]
        obs, info = env.reset()
    records.append([obs.tolist(), info["waiting"][0], rewards.tolist(), term.tolist(), final])
print(json.dumps(records))
""" % STEPS

FAILURES = """
import json, os, signal, edgetune, numpy as np
def gone(pids):
    out = []
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            out.append(pid)
    return len(out) == len(pids)
if __name__ == "__main__":
    out = {}
    v = edgetune.vector_env(2, tasks=3)
    v.reset(seed=1)
    try:
        v.step([[2, 0.3], [1, 0.3]])
    except ValueError as exc:
        out["bad_action"] = str(exc).splitlines()[0]
    obs, *_ = v.step([[1, 0.3], [1, 0.3]])  # still usable
    out["after_bad"] = list(obs.shape)
    pids = [p.pid for p in v._procs]
    os.kill(pids[0], signal.SIGKILL)
    try:
        v.step([[1, 0.3], [1, 0.3]])
    except edgetune.Error as exc:
        out["killed"] = str(exc)
    out["killed_all_gone"] = gone(pids)
    try:
        v.step([[1, 0.3], [1, 0.3]])
    except RuntimeError as exc:
        out["closed"] = str(exc)
    try:
        edgetune.vector_env(2, tasks=0)
    except edgetune.InputError as exc:
        out["bad_override"] = str(exc).splitlines()[0]
    out["leftovers"] = [f for f in os.listdir("/dev/shm") if f.startswith("edgetune-vector-")] \\
        if os.path.isdir("/dev/shm") else []
    print(json.dumps(out))
"""

ORPHANS = """
import os, edgetune
if __name__ == "__main__":
    v = edgetune.vector_env(2, tasks=3)
    v.reset(seed=1)
    print(" ".join(str(p.pid) for p in v._procs), flush=True)
    os._exit(0)  # the parent dies without closing anything
"""


def running(pid):
    """Whether pid is a live process (a zombie waiting for its reaper is not)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class VectorEnv(unittest.TestCase):
    def test_batched_steps_equal_separate_runs(self):
        got = child_json(VECTOR)
        for i, seed in ((0, 7), (1, 8)):
            alone = json.loads(child(IN_PROCESS, str(i), str(seed))[1].strip().splitlines()[-1])
            self.assertEqual(got["records"][i], alone, "environment %d" % i)
        finals = [r[-1] for r in got["records"][0][1:] if r[-1] is not None]
        self.assertEqual(len(finals), 1)  # one episode ended within the steps, and reset
        self.assertEqual(got["alive"], [])
        self.assertEqual(got["leftovers"], [])

    def test_errors_and_a_killed_worker(self):
        got = child_json(FAILURES)
        self.assertIn("location 2 for UE", got["bad_action"])
        self.assertEqual(got["after_bad"], [2, 6, 15])
        self.assertIn("worker 0 ended unexpectedly", got["killed"])
        self.assertTrue(got["killed_all_gone"])
        self.assertIn("closed", got["closed"])
        self.assertIn("argument tasks", got["bad_override"])
        self.assertEqual(got["leftovers"], [])

    def test_workers_end_when_the_parent_dies(self):
        pids = [int(p) for p in child(ORPHANS)[1].split()]
        self.assertEqual(len(pids), 2)
        deadline = time.monotonic() + 120  # a generous bound: the workers see end-of-file
        alive = pids
        while alive and time.monotonic() < deadline:
            alive = [pid for pid in pids if running(pid)]
            if alive:
                time.sleep(0.2)
        self.assertEqual(alive, [], "workers outlived their parent")
        if os.path.isdir("/dev/shm"):
            self.assertEqual([f for f in os.listdir("/dev/shm")
                              if f.startswith("edgetune-vector-")], [])


if __name__ == "__main__":
    unittest.main()
