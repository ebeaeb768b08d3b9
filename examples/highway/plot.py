#!/usr/bin/env python3
"""plot.py: the highway speed sweep's figure (matplotlib, /usr/bin/python3).

usage: python3 examples/highway/plot.py SWEEP_DIR OUT.png

Reads SWEEP_DIR/points.csv of `edgetune sweep examples/highway-speed.json` and draws, against
the vehicles' speed (from the trace file's name, speed-V.csv), the handovers per task and the
mean task delay with their 95% intervals over seeds, one line per policy, solid for the
default 50 ms handover interruption and dashed for the other values swept. Prints the
figures as a Markdown table too.
"""
import csv
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: python3 examples/highway/plot.py SWEEP_DIR OUT.png")
    with open(sys.argv[1] + "/points.csv") as f:
        rows = list(csv.DictReader(f))
    lines = {}
    for r in rows:
        speed = float(re.search(r"speed-([0-9.]+)\.csv", r["mobility.trace"]).group(1))
        intr = float(r.get("channel.handover_interruption_s", "0.05"))
        lines.setdefault((r["policy"], intr), []).append((speed, r))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    policies = sorted({policy for policy, _ in lines})
    colour = {p: "C%d" % i for i, p in enumerate(policies)}
    print("| policy | interruption (s) | speed (m/s) | handovers per task | mean delay (s) [95% CI] |")
    print("|---|---|---|---|---|")
    for (policy, intr), pts in sorted(lines.items()):
        pts.sort(key=lambda p: p[0])
        v = [p[0] for p in pts]
        style = "-" if abs(intr - 0.05) < 1e-12 else "--"
        label = "%s, %g s" % (policy, intr)
        for ax, metric in zip(axes, ("handovers_per_task", "mean_delay_s")):
            mean = [float(p[1][metric + "_mean"]) for p in pts]
            lo = [float(p[1][metric + "_lo"]) for p in pts]
            hi = [float(p[1][metric + "_hi"]) for p in pts]
            ax.plot(v, mean, style, marker="o", color=colour[policy], label=label)
            ax.fill_between(v, lo, hi, color=colour[policy], alpha=0.08)
        for speed, r in pts:
            print("| %s | %g | %g | %.2f | %.1f [%.1f, %.1f] |" % (
                policy, intr, speed, float(r["handovers_per_task_mean"]),
                float(r["mean_delay_s_mean"]), float(r["mean_delay_s_lo"]),
                float(r["mean_delay_s_hi"])))
    axes[0].set_ylabel("handovers per task")
    axes[1].set_ylabel("mean task delay (s)")
    for ax in axes:
        ax.set_xlabel("vehicle speed (m/s)")
        ax.grid(alpha=0.3)
    axes[1].legend(fontsize=7)
    fig.suptitle("Highway: 10 vehicles, 5 UMa cells 500 m apart (examples/highway-speed.json)")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
