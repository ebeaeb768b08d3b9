"""python_decide.py: decisions per second through a Python policy against the C baseline.

    python3 bench/python_decide.py [--episodes N] [--tasks N]

On the default scenario, times whole episodes (engine included) of: the C all-server
baseline; the same decisions from a Python callback (Simulator.run_episode); the same
decisions through the step interface (Env.reset/step); the C greedy baseline. The C and
Python all-server runs do the same engine work, so their difference is the cost of calling
Python, printed per decision. Not a test: figures vary with the machine and its load.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import edgetune  # noqa: E402


class AllServer:
    def __init__(self, keep):
        self.keep = keep

    def decide(self, ue, observation):
        return edgetune.SERVER, self.keep

    def feedback(self, ue, reward, done):
        pass


def measure(runs, episodes):
    """Interleaves the runs episode by episode; per run, the best (least disturbed) episode's
    decisions per second of CPU time (every thread of this process) and of wall time."""
    best = {name: [0.0, 0.0] for name, _ in runs}
    for ep in range(episodes):
        for name, run in runs:
            c0, w0 = time.process_time(), time.perf_counter()
            decisions = run(ep)
            c1, w1 = time.process_time(), time.perf_counter()
            b = best[name]
            b[0] = max(b[0], decisions / max(c1 - c0, 1e-9))
            b[1] = max(b[1], decisions / max(w1 - w0, 1e-9))
    return [(name, best[name]) for name, _ in runs]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=5)
    ap.add_argument("--tasks", type=int)
    a = ap.parse_args()
    sim = edgetune.Simulator(tasks=a.tasks)
    keep = sim.scenario["baselines.keep"]
    env = edgetune.Env(simulator=sim)

    def step_run(ep):
        obs, info = env.reset(options={"episode": ep})
        n = 0
        while info["waiting"]:
            obs, r, term, trunc, info = env.step((edgetune.SERVER, keep))
            n += 1
        return n

    rows = measure([
        ("C all-server", lambda ep: sim.run_episode("all-server", ep)["tasks"]),
        ("Python callback", lambda ep: sim.run_episode(AllServer(keep), ep)["tasks"]),
        ("Python step (Env)", step_run),
        ("C greedy", lambda ep: sim.run_episode("greedy", ep)["tasks"]),
    ], a.episodes)
    base = rows[0][1]
    print("edgetune %s, %d UEs x %d tasks, best of %d episodes each (interleaved)" % (
        edgetune.library_path, sim.n_ue, sim.scenario["tasks.per_ue"], a.episodes))
    print("%-18s %14s %8s %15s %8s"
          % ("policy", "decisions/cpu-s", "vs C", "decisions/wall-s", "vs C"))
    for name, (cpu, wall) in rows:
        print("%-18s %14.0f %7.2fx %15.0f %7.2fx"
              % (name, cpu, cpu / base[0], wall, wall / base[1]))
    for name, (cpu, _) in rows[1:3]:
        print("%s: %+.1f us of CPU per decision over the C baseline's %.1f us (engine included)"
              % (name, 1e6 / cpu - 1e6 / base[0], 1e6 / base[0]))


if __name__ == "__main__":
    main()
