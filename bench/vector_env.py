#!/usr/bin/env python3
"""vector_env.py: decisions per second of edgetune.vector_env(n) against the in-process Env.

    python3 bench/vector_env.py [--decisions N] [--sizes 1,2,4] [--rounds R]

Every configuration takes the same action, (SERVER, 0.4), on the default scenario, and runs
N decisions per sub-environment (episodes reset as they end) after one warm-up episode; the
wall time of the stepping alone is measured (not the workers' start-up). Each configuration is
measured R times, interleaved, and the best is kept (the machine is shared: the best run is
the least disturbed). Prints one table row per configuration: decisions per second (over all
sub-environments) and the ratio to the in-process Env. Not a test.
"""

import argparse
import os
import sys
import time

try:
    import edgetune
except ImportError:  # run from the source tree: the package is python/edgetune
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..",
                                    "python"))
    import edgetune
import numpy as np

ACTION = (edgetune.SERVER, 0.4)


def in_process(env, decisions):
    obs, info = env.reset()
    start = time.perf_counter()
    for _ in range(decisions):
        obs, _, _, _, info = env.step(ACTION)
        if not info["waiting"]:
            obs, info = env.reset()
    return decisions / (time.perf_counter() - start)


def vectorised(vec, decisions):
    actions = np.tile(ACTION, (vec.num_envs, 1))
    vec.reset()
    start = time.perf_counter()
    for _ in range(decisions):
        vec.step(actions)
    return vec.num_envs * decisions / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decisions", type=int, default=1500)
    ap.add_argument("--sizes", default="1,2,4")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    env = edgetune.Env()
    warm = env.sim.n_ue * int(env.sim.scenario["tasks.per_ue"])
    in_process(env, warm)
    vecs = {n: edgetune.vector_env(n) for n in sizes}
    try:
        for n, vec in vecs.items():
            vectorised(vec, warm)
        best = {"Env": 0.0, **{n: 0.0 for n in sizes}}
        for _ in range(a.rounds):
            best["Env"] = max(best["Env"], in_process(env, a.decisions))
            for n, vec in vecs.items():
                best[n] = max(best[n], vectorised(vec, a.decisions))
    finally:
        for vec in vecs.values():
            vec.close()
        env.close()
    print("%d CPUs, load average %.2f %.2f %.2f; %d decisions per sub-environment, best of %d"
          % ((os.cpu_count(),) + os.getloadavg() + (a.decisions, a.rounds)))
    print("| environment | decisions per second | vs in-process Env |")
    print("|---|---|---|")
    base = best["Env"]
    print("| in-process `Env` | %.0f | 1.00 |" % base)
    for n in sizes:
        print("| `vector_env(%d)` | %.0f | %.2f |" % (n, best[n], best[n] / base))


if __name__ == "__main__":
    main()
