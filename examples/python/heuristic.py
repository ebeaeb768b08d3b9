"""heuristic.py: a hand-written rule, in Python, against edgetune's greedy baseline.

    python3 examples/python/heuristic.py [SCENARIO] [--seed N] [--tasks N] [--out DIR]

The rule reads the raw task quantities (Simulator.task): a UE tunes on the device when it
computes at 5 TFLOP/s or more and has 12 GB or more (a laptop, a Jetson-class board), keeping
the largest emulator allowed; the others offload to the shared edge accelerator.
"""

import argparse
import os
import sys

try:
    import edgetune
except ImportError:  # run from the source tree: the package is python/edgetune
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..",
                                    "python"))
    import edgetune


class StrongDeviceRule:
    def __init__(self, sim):
        self.task, self.k_max = sim.task, sim.k_range[1]

    def decide(self, ue, observation):
        t = self.task  # the pending task, a NumPy record over the C buffer
        if t["ue_speed_flops"] >= 5e12 and t["ue_memory_bytes"] >= 12e9:
            return edgetune.LOCAL, self.k_max
        return edgetune.SERVER, self.k_max

    def feedback(self, ue, reward, done):
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tasks", type=int)
    ap.add_argument("--out")
    a = ap.parse_args()
    sim = edgetune.Simulator(a.scenario, seed=a.seed, tasks=a.tasks)
    for name, policy in (("rule", StrongDeviceRule(sim)), ("greedy", "greedy")):
        # Episode 0 for both: the same tasks and channel draws.
        s = sim.run_episode(policy, out=a.out if name == "rule" else None)
        print("%-6s: %d tasks (%d local, %d server, %d failed), mean delay %.2f s, "
              "perplexity %.3f, reward %.2f"
              % (name, s["tasks"], s["local"], s["server"], s["failed"], s["mean_delay_s"],
                 s["mean_ppl"], s["episodic_reward"]))


if __name__ == "__main__":
    main()
