"""compare_curves.py: learning curves of several runs side by side, from their train.csv files.

    python3 examples/python/compare_curves.py --run LABEL=DIR[,DIR...] [--run ...]
                                              [--window 20] [--final 50] [--png FILE]

Each --run is one learner, its DIRs its seeds (folders holding the train.csv that `edgetune
train` or examples/python/mappo_torch.py writes). Prints a Markdown table per learner: the mean
return of the first and of the last FINAL episodes of each seed, their mean over seeds and the
range; with --png, draws each learner's return (a moving average over WINDOW episodes, the mean
over seeds, with the band between the lowest and highest seed) into FILE (matplotlib).
"""

import argparse
import csv
import os
import sys

import numpy as np


def returns(folder):
    path = os.path.join(folder, "train.csv")
    try:
        with open(path, newline="") as f:
            return np.array([float(r["return"]) for r in csv.DictReader(f)])
    except (OSError, KeyError, ValueError) as exc:
        sys.exit("compare_curves: %s: expected a train.csv with a 'return' column (%s)"
                 % (path, exc))


def smooth(x, window):
    out = np.empty_like(x)
    for i in range(len(x)):
        out[i] = x[max(0, i - window + 1):i + 1].mean()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", action="append", required=True, metavar="LABEL=DIR[,DIR...]")
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--final", type=int, default=50)
    ap.add_argument("--png")
    a = ap.parse_args()
    runs = []
    for spec in a.run:
        label, sep, dirs = spec.partition("=")
        if not sep or not dirs:
            ap.error("--run %r: expected LABEL=DIR[,DIR...]" % spec)
        curves = [returns(d) for d in dirs.split(",")]
        n = min(len(c) for c in curves)
        runs.append((label, np.stack([c[:n] for c in curves])))
    print("| learner | seeds | episodes | first %d (mean of seeds) | last %d, per seed | last %d, "
          "mean [min, max] |" % (a.final, a.final, a.final))
    print("|---|---|---|---|---|---|")
    for label, c in runs:
        first, last = c[:, :a.final].mean(1), c[:, -a.final:].mean(1)
        print("| %s | %d | %d | %.1f | %s | %.1f [%.1f, %.1f] |" % (
            label, c.shape[0], c.shape[1], first.mean(), ", ".join("%.1f" % x for x in last),
            last.mean(), last.min(), last.max()))
    if a.png:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=100)
        for label, c in runs:
            s = np.stack([smooth(x, a.window) for x in c])
            ep = np.arange(s.shape[1])
            line, = ax.plot(ep, s.mean(0), label="%s (%d seeds)" % (label, c.shape[0]))
            ax.fill_between(ep, s.min(0), s.max(0), color=line.get_color(), alpha=0.2)
        ax.set_xlabel("episode")
        ax.set_ylabel("return (moving mean of %d)" % a.window)
        ax.legend(loc="lower right")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(a.png)
        print("compare_curves: %s" % a.png)


if __name__ == "__main__":
    main()
