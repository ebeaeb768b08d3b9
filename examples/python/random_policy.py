"""random_policy.py: a random policy, in Python, on one episode of a scenario.

    python3 examples/python/random_policy.py [SCENARIO] [--seed N] [--tasks N] [--out DIR]

Each decision picks the location and the keep fraction uniformly at random.
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
import numpy as np


class RandomPolicy:
    def __init__(self, k_range, seed):
        self.k_range, self.rng = k_range, np.random.default_rng(seed)

    def decide(self, ue, observation):
        return int(self.rng.integers(2)), self.rng.uniform(*self.k_range)

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
    s = sim.run_episode(RandomPolicy(sim.k_range, a.seed), out=a.out)
    print("random: %d tasks (%d local, %d server, %d failed), mean delay %.2f s, reward %.2f"
          % (s["tasks"], s["local"], s["server"], s["failed"], s["mean_delay_s"],
             s["episodic_reward"]))


if __name__ == "__main__":
    main()
