"""edgetune.plot: figures for papers from edgetune's output folders (docs/figures.md).

    python3 -m edgetune.plot run OUT_DIR [OUT_DIR ...]     delay CDF, per-class delay and
                                                           perplexity, channel rates
    python3 -m edgetune.plot training TRAIN_DIR [...]      learning curve and losses
    python3 -m edgetune.plot study COMPARE_DIR             learning curves over seeds, evaluation
    python3 -m edgetune.plot sweep SWEEP_DIR               each metric against the swept keys
    python3 -m edgetune.plot regime REGIME_DIR             rewards per class and emulator size
    python3 -m edgetune.plot ppl [--data]                  the fitted perplexity model

Every command writes PNG and PDF (--format), into the first input folder or -o DIR, and prints
the files it wrote. Every figure function returns the matplotlib Figure, so tests and notebooks
can inspect it. Colours are Okabe and Ito's colour-blind-safe palette; no figure carries a title
(captions belong to the paper); axes are labelled by meaning and unit (KEY_LABELS).

Needs matplotlib (Debian's python3-matplotlib); not the simulator library.
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import warnings

# Okabe, M. and Ito, K. (2008), "Color Universal Design": distinguishable with every common
# colour-vision deficiency. Black last; more series than colours cycle the line styles too.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000"]
LINESTYLES = ["-", "--", ":", "-."]

# Scenario keys and summary metrics: what they mean and their unit, for axis labels.
KEY_LABELS = {
    "mobility.speed_min_mps": ("UE speed", "m/s"),
    "mobility.speed_max_mps": ("UE speed", "m/s"),
    "mobility.cell_radius_m": ("cell radius", "m"),
    "gen.ues": ("UEs in the cell", None),
    "gen.cells": ("cells", None),
    "ues": ("UEs", None),
    "tasks.per_ue": ("tasks per UE", None),
    "tasks.gap_mean_s": ("mean idle gap before a task", "s"),
    "tasks.tokens_max": ("largest task data set", "tokens"),
    "tasks.deadline_factor": ("deadline factor", "x best case"),
    "channel.update_interval_s": ("channel update interval", "s"),
    "server.memory_bytes": ("server memory", "bytes"),
    "reward.w_delay": ("delay weight", None),
    "reward.w_ppl": ("perplexity weight", None),
    "reward.w_privacy": ("privacy weight", None),
    "mean_delay_s": ("mean task delay", "s"),
    "mean_delay_ok_s": ("mean delay of tasks in time", "s"),
    "total_delay_s": ("total task delay", "s"),
    "mean_ppl": ("mean task perplexity", None),
    "mean_ppl_ok": ("mean perplexity of tasks in time", None),
    "episodic_reward": ("episodic reward", None),
    "mean_exposure": ("mean privacy exposure", None),
    "local": ("tasks tuned on the UE", "tasks"),
    "server": ("tasks offloaded", "tasks"),
    "failed": ("failed tasks", "tasks"),
    "late": ("tasks past their deadline", "tasks"),
    "tasks": ("tasks", None),
    "makespan_s": ("makespan", "s"),
    "mean_keep": ("mean keep fraction", None),
    "mean_wait_s": ("mean wait at the server", "s"),
    "bytes_up": ("bytes sent", "bytes"),
    "bytes_down": ("bytes received", "bytes"),
    "return": ("episodic reward (sampling policy)", None),
}
# Metrics that count something: their interval bands stop at 0.
COUNTS = {"local", "server", "failed", "late", "tasks", "failed_memory"}


class InputError(Exception):
    """A missing or malformed input: one line, exit status 2."""


def axis_label(key):
    """The axis label of a key or metric: its meaning and unit, or the key itself."""
    label, unit = KEY_LABELS.get(key, (key, None))
    return "%s (%s)" % (label, unit) if unit else label


def _style(i):
    """Colour and line style of the i-th series."""
    return PALETTE[i % len(PALETTE)], LINESTYLES[(i // len(PALETTE)) % len(LINESTYLES)]


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update({"font.size": 10, "axes.grid": True, "grid.alpha": 0.3,
                         "axes.spines.top": False, "axes.spines.right": False,
                         "legend.frameon": False, "savefig.bbox": "tight"})
    return plt


# ---------------------------------------------------------------- inputs


def read_csv(path, need=()):
    """Rows of a CSV file as dicts; InputError naming the file when it is missing, empty or
    lacks a column of need."""
    if os.path.isdir(path) or not os.path.exists(path):
        raise InputError("%s: no such file" % path)
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError("%s: cannot read: %s" % (path, exc)) from None
    if not header:
        raise InputError("%s: empty (expected a CSV header)" % path)
    missing = [c for c in need if c not in header]
    if missing:
        raise InputError("%s: no column %s (expected edgetune's header, docs/traces.md)"
                         % (path, ", ".join("'%s'" % c for c in missing)))
    return rows


def number(text, path="", column=""):
    """A CSV field as a float (empty or nan: NaN); InputError for anything else."""
    if text is None or text == "" or text.lower() == "nan":
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError("%s: column '%s': '%s' is not a number" % (path, column, text)) from None


def column(rows, name, path=""):
    return [number(r[name], path, name) for r in rows]


def read_summary(folder):
    """summary.json of a run folder, or None when there is none."""
    path = os.path.join(folder, "summary.json")
    if not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as exc:
        raise InputError("%s: not JSON: %s" % (path, exc)) from None


def check_folder(folder, files):
    if not os.path.isdir(folder):
        raise InputError("%s: no such folder" % folder)
    for name in files:
        if not os.path.exists(os.path.join(folder, name)):
            raise InputError("%s: no %s in it (an edgetune %s output folder?)"
                             % (folder, name, _WHAT.get(name, "")))


_WHAT = {"tasks.csv": "run", "train.csv": "train", "curves.csv": "compare",
         "points.csv": "sweep", "regime.csv": "regime --out"}


def run_labels(folders):
    """Legend labels of run folders: the policy, and the scenario keys that differ between
    them (the folder's name when there is no summary.json)."""
    summaries = [read_summary(d) for d in folders]
    if any(s is None for s in summaries):
        return [os.path.basename(os.path.normpath(d)) for d in folders]
    scen = [dict(s.get("scenario", {})) for s in summaries]
    keys = sorted(set().union(*scen))
    def shown(v):
        return os.path.basename(v) if isinstance(v, str) and os.path.sep in v else v
    differ = [k for k in keys if k not in ("out", "policy") and not k.startswith("output.")
              and len({json.dumps(shown(s.get(k)), sort_keys=True) for s in scen}) > 1]
    labels = []
    for s in scen:
        parts = [str(s.get("policy", "?"))]
        for k in differ:
            v = shown(s.get(k))
            parts.append("%s = %s" % (KEY_LABELS.get(k, (k,))[0], v))
        labels.append(", ".join(parts))
    return labels


def rolling(values, window):
    """Trailing mean over window values (fewer at the start)."""
    out, total, buf = [], 0.0, []
    for v in values:
        buf.append(v)
        total += v
        if len(buf) > window:
            total -= buf.pop(0)
        out.append(total / len(buf))
    return out


# ---------------------------------------------------------------- run figures


def delay_cdf(runs):
    """Empirical CDF of task delay, one curve per run: runs = [(label, tasks rows)]. Curves
    that coincide are drawn once, their labels joined, so none hides under another."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    groups = []  # (delays, [labels])
    for label, rows in runs:
        d = sorted(column(rows, "delay_s"))
        for g in groups:
            if g[0] == d:
                g[1].append(label)
                break
        else:
            groups.append((d, [label]))
    lo = hi = None
    for i, (d, labels) in enumerate(groups):
        if not d:
            continue
        c, ls = _style(i)
        y = [(k + 1) / len(d) for k in range(len(d))]
        ax.step(d, y, where="post", color=c, linestyle=ls, linewidth=1.8,
                label=" and ".join(labels) + (" (n = %d%s)" % (len(d), ", the same delays"
                                                               if len(labels) > 1 else "")))
        lo = min(d[0], lo) if lo is not None else d[0]
        hi = max(d[-1], hi) if hi is not None else d[-1]
    if lo and hi and lo > 0 and hi / lo > 50:
        ax.set_xscale("log")
    ax.set_xlabel("task delay (s)")
    ax.set_ylabel("fraction of tasks")
    ax.set_ylim(0, 1.02)
    _legend(ax)
    return fig


def _legend(ax, **kw):
    """A legend inside the axes, or below them when its labels are long or many."""
    _, labels = ax.get_legend_handles_labels()
    if len(labels) > 6 or max((len(x) for x in labels), default=0) > 45:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=8, **kw)
    else:
        ax.legend(loc="lower right", fontsize=9, **kw)


def class_delay_ppl(rows):
    """Per device class, the distribution of task delay and of perplexity (boxes: quartiles,
    whiskers: 5th and 95th percentiles, the mean as a diamond)."""
    plt = _pyplot()
    classes = []
    for r in rows:
        if r["device_class"] not in classes:
            classes.append(r["device_class"])
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.6))
    for ax, col in zip(axes, ("delay_s", "ppl")):
        data = [[number(r[col]) for r in rows if r["device_class"] == c] for c in classes]
        box = ax.boxplot(data, whis=(5, 95), showfliers=False, patch_artist=True, widths=0.6,
                         showmeans=True,
                         meanprops={"marker": "D", "markerfacecolor": "white",
                                    "markeredgecolor": "black", "markersize": 5})
        for i, patch in enumerate(box["boxes"]):
            patch.set_facecolor(_style(i)[0])
            patch.set_alpha(0.75)
        for med in box["medians"]:
            med.set_color("black")
        ax.set_xticks(range(1, len(classes) + 1))
        ax.set_xticklabels(["%s\n(n = %d)" % (c or "?", len(d)) for c, d in zip(classes, data)])
        ax.set_xlabel("device class")
        ax.set_ylabel("task delay (s)" if col == "delay_s" else "task perplexity")
        ax.grid(axis="x", visible=False)
    fig.tight_layout()
    return fig


def channel_rates(rows, by=None, max_panels=12):
    """The rate each traced UE gets over time, up and down (Mbit/s, log scale), in small
    multiples labelled by UE name and class; with more UEs than max_panels (or by="class"),
    one panel per device class: the median over its UEs and their interquartile band."""
    plt = _pyplot()
    names, cls_of = [], {}
    for r in rows:
        if r["ue_name"] not in cls_of:
            names.append(r["ue_name"])
            cls_of[r["ue_name"]] = r["class"]
    if by is None:
        by = "ue" if len(names) <= max_panels else "class"
    if by == "ue":
        panels = [(n, "%s (%s)" % (n, cls_of[n]), lambda r, n=n: r["ue_name"] == n)
                  for n in names]
    else:
        classes = list(dict.fromkeys(cls_of[n] for n in names))
        panels = [(c, "%s (%d UEs)" % (c, sum(cls_of[n] == c for n in names)),
                   lambda r, c=c: r["class"] == c) for c in classes]
    n = max(len(panels), 1)
    ncol = min(n, 3)
    nrow = (n + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.2 * ncol, 2.3 * nrow + 0.5), sharex=True,
                             sharey=True, squeeze=False)
    dirs = (("rate_up_bps", "uplink", 0), ("rate_down_bps", "downlink", 1))
    for k, (_, text, keep) in enumerate(panels):
        ax = axes[k // ncol][k % ncol]
        sel = [r for r in rows if keep(r)]
        for col, label, ci in dirs:
            c = PALETTE[ci]
            if by == "ue":
                t = [number(r["time_s"]) / 60 for r in sel]
                v = [number(r[col]) / 1e6 for r in sel]
                ax.plot(t, v, color=c, linewidth=1.0, label=label)
            else:
                by_t = {}
                for r in sel:
                    by_t.setdefault(number(r["time_s"]), []).append(number(r[col]) / 1e6)
                ts = sorted(by_t)
                q = [_quartiles(by_t[x]) for x in ts]
                tm = [x / 60 for x in ts]
                ax.fill_between(tm, [a for a, _, _ in q], [b for _, _, b in q], color=c,
                                alpha=0.25, linewidth=0)
                ax.plot(tm, [m for _, m, _ in q], color=c, linewidth=1.2,
                        label=label + " (median, IQR band)")
        ax.set_yscale("log")
        ax.text(0.02, 0.97, text, transform=ax.transAxes, va="top", ha="left", fontsize=9,
                bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0})
    for k in range(len(panels), nrow * ncol):
        axes[k // ncol][k % ncol].set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("simulated time (min)")
    for row in axes:
        row[0].set_ylabel("rate (Mbit/s)")
    for k in range(len(panels)):  # every visible panel is labelled, shared axes or not
        ax = axes[k // ncol][k % ncol]
        ax.set_xlabel(ax.get_xlabel() or "simulated time (min)")
        ax.set_ylabel(ax.get_ylabel() or "rate (Mbit/s)")
        bottom = k + ncol >= len(panels)  # nothing drawn below it
        ax.xaxis.label.set_visible(bottom)
        ax.xaxis.set_tick_params(labelbottom=bottom)
        ax.yaxis.label.set_visible(k % ncol == 0)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=2, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    return fig


def _quartiles(values):
    v = sorted(x for x in values if not math.isnan(x))
    if not v:
        return math.nan, math.nan, math.nan

    def q(p):
        pos = p * (len(v) - 1)
        i = int(pos)
        j = min(i + 1, len(v) - 1)
        return v[i] + (v[j] - v[i]) * (pos - i)
    return q(0.25), q(0.5), q(0.75)


# ---------------------------------------------------------------- training and studies


def learning_curve(runs, window=50):
    """Return per episode (faint points) and its trailing mean over window episodes (line) with
    +-1 standard deviation over them (band, in the line's colour): runs = [(label, rows)]."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for i, (label, rows) in enumerate(runs):
        c, ls = _style(i)
        ep = column(rows, "episode")
        ret = column(rows, "return")
        w = max(1, min(window, len(ret)))
        mean, lo, hi = [], [], []
        for k in range(len(ret)):
            win = ret[max(0, k - w + 1):k + 1]
            m = sum(win) / len(win)
            sd = math.sqrt(sum((x - m) ** 2 for x in win) / (len(win) - 1)) if len(win) > 1 else 0
            mean.append(m)
            lo.append(m - sd)
            hi.append(m + sd)
        ax.scatter(ep, ret, s=3, color=c, alpha=0.25, linewidths=0)
        ax.fill_between(ep, lo, hi, color=c, alpha=0.2, linewidth=0)
        ax.plot(ep, mean, color=c, linestyle=ls, linewidth=1.8,
                label="%s (mean of %d episodes, band +-1 sd)" % (label, w))
    ax.set_xlabel("training episode")
    ax.set_ylabel(axis_label("return"))
    ax.legend(loc="lower right")
    return fig


LOSSES = (("policy_loss", "policy loss"), ("value_loss", "value loss"),
          ("entropy_loc", "entropy of the location head (nats)"),
          ("entropy_keep", "entropy of the keep head (nats)"),
          ("approx_kl", "approximate KL (nats)"), ("clip_frac", "clipped fraction"))


def training_losses(runs):
    """The learner's diagnostics per update (the episodes followed by one), small multiples."""
    plt = _pyplot()
    fig, axes = plt.subplots(2, 3, figsize=(10, 5.2), sharex=True, squeeze=False)
    for k, (col, text) in enumerate(LOSSES):
        ax = axes[k // 3][k % 3]
        for i, (label, rows) in enumerate(runs):
            c, ls = _style(i)
            pts = [(number(r["episode"]), number(r.get(col, ""))) for r in rows]
            pts = [(e, v) for e, v in pts if not math.isnan(v)]
            ax.plot([e for e, _ in pts], [v for _, v in pts], color=c, linestyle=ls,
                    linewidth=1.2, label=label)
        ax.set_ylabel(text)
        ax.set_xlabel("training episode")
        ax.xaxis.label.set_visible(k >= 3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(4, max(1, len(labels))),
               bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def study_curves(curves, baselines=None, window=50):
    """A study's learning curves (edgetune compare's curves.csv): per learner the mean over
    seeds of each seed's trailing mean over window episodes, and a band from the lowest to the
    highest seed, in the line's colour; baselines {name: mean evaluation reward} as horizontal
    lines."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4))
    series = {}
    for r in curves:
        series.setdefault(r["learner"], {}).setdefault(r["seed"], []).append(
            (number(r["episode"]), number(r["return"])))
    for i, (learner, seeds) in enumerate(series.items()):
        c, ls = _style(i)
        smooth = {}
        for s, pts in seeds.items():
            pts.sort()
            for e, v in zip([e for e, _ in pts], rolling([v for _, v in pts], window)):
                smooth.setdefault(e, []).append(v)
        ep = sorted(smooth)
        mean = [sum(smooth[e]) / len(smooth[e]) for e in ep]
        ax.fill_between(ep, [min(smooth[e]) for e in ep], [max(smooth[e]) for e in ep],
                        color=c, alpha=0.2, linewidth=0)
        ax.plot(ep, mean, color=c, linestyle=ls, linewidth=1.8,
                label="%s (%d seeds)" % (learner, len(seeds)))
    for j, (name, value) in enumerate((baselines or {}).items()):
        ax.axhline(value, color="#555555", linestyle=LINESTYLES[1 + j % 3], linewidth=1.2,
                   label="%s (evaluation mean)" % name)
    ax.set_xlabel("training episode")
    ax.set_ylabel("episodic reward in training")
    # Below the axes, so that no curve hides under it; the title says how lines and bands are made.
    n = len(ax.get_legend_handles_labels()[1])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(3, max(1, n)), fontsize=8,
              title="learners: mean over seeds of each seed's mean over %d episodes; band: "
                    "lowest to highest seed" % window, title_fontsize=8)
    return fig


def study_evaluation(rows):
    """Each policy's mean evaluation reward (compare.csv) with a 95% t-interval over seeds
    (learners) or over evaluation episodes (baselines, one run each)."""
    plt = _pyplot()
    per = {}
    for r in rows:
        per.setdefault(r["policy"], {}).setdefault(r["seed"], []).append(number(r["reward"]))
    names = list(per)
    means, half = [], []
    for p in names:
        seeds = per[p]
        xs = ([sum(v) / len(v) for v in seeds.values()] if len(seeds) > 1
              else next(iter(seeds.values())))
        m = sum(xs) / len(xs)
        sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0
        means.append(m)
        half.append(_t975(len(xs) - 1) * sd / math.sqrt(len(xs)) if len(xs) > 1 else 0)
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(names) + 1.2))
    y = list(range(len(names)))
    ax.barh(y, means, xerr=half, color=[_style(i)[0] for i in y], alpha=0.85, capsize=3)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlabel("episodic reward on the evaluation episodes (mean, 95% interval)")
    ax.set_ylabel("policy")
    ax.grid(axis="y", visible=False)
    return fig


def _t975(df):
    """Student's t quantile 0.975 (the sweep's intervals use the same)."""
    table = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
             9: 2.262, 10: 2.228, 15: 2.131, 20: 2.086, 30: 2.042, 60: 2.000}
    if df <= 0:
        return math.nan
    best = max(k for k in table if k <= df) if df < 120 else None
    return table[best] if best else 1.96


# ---------------------------------------------------------------- sweeps


def sweep_axes(rows, keys):
    """Groups the swept keys that move together (each one's value determines the other's over
    the points): one x axis per group. Returns [[key, ...], ...]."""
    points = {}
    for r in rows:
        points[r["point"]] = tuple(r[k] for k in keys)
    vals = list(points.values())
    groups = []
    for i, k in enumerate(keys):
        for g in groups:
            j = keys.index(g[0])
            a = {}
            b = {}
            if all(a.setdefault(v[i], v[j]) == v[j] and b.setdefault(v[j], v[i]) == v[i]
                   for v in vals):
                g.append(k)
                break
        else:
            groups.append([k])
    return groups


def sweep_figure(rows, keys, group, metric):
    """metric's mean against the axis of group (keys moving together), one line per policy and
    per value of the other swept keys, the 95% interval over seeds as a band (count metrics:
    not below 0)."""
    plt = _pyplot()
    others = [k for k in keys if k not in group]
    x_key = group[0]
    numeric = all(_isnum(r[x_key]) for r in rows)
    order = list(dict.fromkeys(r[x_key] for r in rows))
    lines = {}
    for r in rows:
        label = r["policy"] + "".join(", %s = %s" % (KEY_LABELS.get(k, (k,))[0], r[k])
                                      for k in others)
        x = float(r[x_key]) if numeric else order.index(r[x_key])
        m, lo, hi = (number(r[metric + s]) for s in ("_mean", "_lo", "_hi"))
        if math.isnan(m):
            continue
        lo = m if math.isnan(lo) else lo
        hi = m if math.isnan(hi) else hi
        if metric in COUNTS:
            lo = max(lo, 0.0)
        lines.setdefault(label, []).append((x, m, lo, hi))
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for i, (label, pts) in enumerate(lines.items()):
        pts.sort()
        c, ls = _style(i)
        xs = [p[0] for p in pts]
        ax.fill_between(xs, [p[2] for p in pts], [p[3] for p in pts], color=c, alpha=0.18,
                        linewidth=0)
        ax.plot(xs, [p[1] for p in pts], color=c, linestyle=ls, marker="o", markersize=4,
                linewidth=1.6, label=label)
    labels = {axis_label(k) for k in group}
    ax.set_xlabel(labels.pop() if len(labels) == 1 else " = ".join(axis_label(k) for k in group))
    if numeric:
        xs = [float(v) for v in order]
        if min(xs) > 0 and max(xs) / min(xs) >= 20:
            ax.set_xscale("log")
    else:
        ax.set_xticks(range(len(order)))
        ax.set_xticklabels(order, rotation=30, ha="right")
    ax.set_ylabel(axis_label(metric))
    # Beside the axes: bands of several lines fill the plot.
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8,
              title="line: mean over seeds\nband: 95% interval", title_fontsize=8)
    return fig


def _isnum(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def sweep_keys_metrics(path, rows, header):
    if "point" not in header or "policy" not in header:
        raise InputError("%s: no 'point' and 'policy' columns (an edgetune sweep's points.csv?)"
                         % path)
    keys = header[header.index("point") + 1:header.index("policy")]
    metrics = [c[:-5] for c in header if c.endswith("_mean")]
    if not keys:
        raise InputError("%s: no swept keys to plot against" % path)
    return keys, metrics


# ---------------------------------------------------------------- regime


def regime_figure(rows):
    """edgetune regime's curves: per device class, the reward per task of LOCAL tuning against
    the emulator's size b (sizes where some of the class's tasks do not fit the device's memory
    left out), SERVER as a dashed line in the class's colour; right, the same in the uniform
    worlds (every UE making the choice)."""
    plt = _pyplot()
    capped = {(r["scope"], r["choice"]) for r in rows
              if r["figure"] == "class_capped_tasks" and number(r["value"]) > 0}
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), sharey=False)
    classes = list(dict.fromkeys(r["scope"] for r in rows if r["figure"] == "class_reward_per_task"))
    panels = [(axes[0], "class_reward_per_task", classes),
              (axes[1], "uniform_reward_per_task", ["all"])]
    for ax, fig_name, scopes in panels:
        for i, scope in enumerate(scopes):
            c, _ = _style(i)
            local, server = [], None
            for r in rows:
                if r["figure"] != fig_name or r["scope"] != scope:
                    continue
                v = number(r["value"])
                if r["choice"] == "SERVER":
                    server = v
                elif (r["choice"].startswith("LOCAL b = ") and not math.isnan(v) and
                      (scope, r["choice"]) not in capped):
                    local.append((int(r["choice"][10:]), v))
            local.sort()
            label = scope if scope != "all" else "every UE"
            ax.plot([b for b, _ in local], [v for _, v in local], color=c, marker="o",
                    markersize=3, linewidth=1.6, label=label + ": LOCAL")
            if server is not None:
                ax.axhline(server, color=c, linestyle="--", linewidth=1.2,
                           label=label + ": SERVER")
        ax.set_xlabel("emulator middle blocks b (LOCAL)")
        ax.set_ylabel("reward per task" + (" (per class)" if scopes != ["all"]
                                           else " (uniform world)"))
        ax.legend(fontsize=7, ncol=2 if len(scopes) > 2 else 1)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- perplexity model


def _ppl_tool(tool, args):
    try:
        out = subprocess.run([tool] + args, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise InputError("%s: cannot run: %s (build the tree, or pass --tool)" % (tool, exc.strerror)) from None
    if out.returncode != 0:
        raise InputError("%s: %s" % (tool, (out.stderr.strip().splitlines() or ["failed"])[-1]))
    return list(csv.DictReader(out.stdout.splitlines()))


def ppl_curves(curve_rows, point_rows):
    """The fitted perplexity model per profile: PPL_plug(b) and PPL_emu(b) over the keep
    fraction, with the calibration points it was fitted to (docs/models.md section 4)."""
    plt = _pyplot()
    models = list(dict.fromkeys(r["model"] for r in curve_rows))
    ncol = min(3, len(models))
    nrow = (len(models) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.4 * ncol, 2.8 * nrow + 0.6), squeeze=False)
    for k, m in enumerate(models):
        ax = axes[k // ncol][k % ncol]
        cur = [r for r in curve_rows if r["model"] == m]
        keep = [number(r["keep"]) for r in cur]
        ax.plot(keep, [number(r["ppl_plug"]) for r in cur], color=PALETTE[0], linewidth=1.6,
                label="PPL_plug(b): adapter plugged into the full model (fitted)")
        ax.plot(keep, [number(r["ppl_emu"]) for r in cur], color=PALETTE[3], linestyle="--",
                linewidth=1.6, label="PPL_emu(b): adapter on its emulator (fitted)")
        pts = [r for r in point_rows if r["model"] == m]
        for colname, marker, colour, label in (
                ("plugged", "o", PALETTE[0], "tuned, plugged in (published; hollow: derived)"),
                ("on_emulator", "s", PALETTE[3], "tuned, on the emulator"),
                ("anchor", "D", "black", "anchor PPL(M)")):
            sel = [r for r in pts if r["column"] == colname or
                   (colname == "anchor" and r["column"].startswith("anchor"))]
            for r in sel:
                derived = r.get("derived") == "1"
                ax.plot([number(r["keep"])], [number(r["ppl"])], marker=marker, linestyle="none",
                        markersize=6, color=colour, markerfacecolor="white" if derived else colour,
                        label=label)
        ax.axvline(0.5, color="#777777", linestyle=":", linewidth=1)
        ax.text(0.03, 0.95, m, transform=ax.transAxes, va="top", fontsize=9)
        ax.set_xlabel("keep fraction k = b / M")
        ax.set_ylabel("WikiText-2 perplexity")
        ax.set_xlim(0, 1.02)
    for k in range(len(models), nrow * ncol):
        axes[k // ncol][k % ncol].set_visible(False)
    handles, labels = axes[0][0].get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    fig.legend(list(uniq.values()), list(uniq.keys()), loc="upper center", ncol=2, fontsize=8,
               bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    return fig


# WikiText-2's training tokens, and the epochs Offsite-Tuning tuned its emulators' adapters for
# (2 with layer drop, 50 distilled: its repository's scripts/table1 and scripts/table2).
WIKITEXT2_TOKENS = 2088628
OT_EPOCHS = {"layer_drop": 2, "distilled": 50}


def ppl_data(data_rows, middle_blocks, points=()):
    """Quality against tuning data (docs/models.md section 9): PPL(b, D) over token-epochs D
    for each emulator size b, the converged value PPL_plug(b) dotted in the same colour, the
    untuned model, and Offsite-Tuning's plug-in points (points: ppl_curve --points rows) at the
    data they were tuned on."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    blocks = list(dict.fromkeys(int(r["b"]) for r in data_rows))
    for i, b in enumerate(blocks):
        c, _ = _style(i)
        sel = [r for r in data_rows if int(r["b"]) == b]
        d = [number(r["token_epochs"]) for r in sel]
        ot = [r for r in points if r["column"] == "plugged" and int(r["b"]) == b]
        label = ("SERVER, b = M = %d" % b if b == middle_blocks
                 else "b = %d (k = %.2f), the Offsite-Tuning emulator" % (b, b / middle_blocks)
                 if ot else "LOCAL, b = %d (k = %.2f)" % (b, b / middle_blocks))
        ax.plot(d, [number(r["ppl"]) for r in sel], color=c, linewidth=1.8, label=label)
        ax.axhline(number(sel[0]["ppl_plug"]), color=c, linestyle=":", linewidth=1)
    ax.axhline(number(data_rows[0]["ppl_untuned"]), color="black", linestyle="--", linewidth=1.2,
               label="untuned model (D = 0)")
    ot = [r for r in points if r["column"] == "plugged"]
    if ot:
        ax.plot([OT_EPOCHS.get(r["emulator"], 2) * WIKITEXT2_TOKENS for r in ot],
                [number(r["ppl"]) for r in ot], marker="o", markersize=7, color="black",
                linestyle="none", label="Offsite-Tuning's plug-in point at its tuning data")
    ax.axvspan(1e4, 6e5, color="#dddddd", alpha=0.5, linewidth=0,
               label="default tasks (1e4-2e5 tokens x 1-3 epochs)")
    ax.set_xscale("log")
    ax.set_xlabel("tuning data D (tokens x epochs)")
    ax.set_ylabel("WikiText-2 perplexity, adapter plugged in")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


# ---------------------------------------------------------------- files


def save(fig, folder, name, formats):
    """Writes fig as folder/name.FORMAT for each format; returns the paths."""
    os.makedirs(folder, exist_ok=True)
    paths = []
    for fmt in formats:
        path = os.path.join(folder, "%s.%s" % (name, fmt))
        kwargs = {"dpi": 150} if fmt == "png" else {}
        if fmt == "pdf":
            kwargs["metadata"] = {"CreationDate": None}  # the same bytes for the same data
        fig.savefig(path, **kwargs)
        paths.append(path)
    _pyplot().close(fig)
    return paths


def figures_run(folders, by=None):
    """{name: figure} of run folders: delay_cdf (every run), classes and channel (the first)."""
    runs = []
    for d in folders:
        check_folder(d, ["tasks.csv"])
        runs.append(read_csv(os.path.join(d, "tasks.csv"),
                             need=("delay_s", "ppl", "device_class")))
    figs = {"delay_cdf": delay_cdf(list(zip(run_labels(folders), runs))),
            "classes": class_delay_ppl(runs[0])}
    ch = os.path.join(folders[0], "channel.csv")
    if os.path.exists(ch):
        rows = read_csv(ch, need=("time_s", "ue_name", "class", "rate_up_bps", "rate_down_bps"))
        if rows:
            figs["channel"] = channel_rates(rows, by=by)
    return figs


def figures_training(folders):
    runs = []
    for d in folders:
        check_folder(d, ["train.csv"])
        runs.append((os.path.basename(os.path.normpath(d)),
                     read_csv(os.path.join(d, "train.csv"), need=("episode", "return"))))
    figs = {"learning_curve": learning_curve(runs)}
    if all(c in runs[0][1][0] for c, _ in LOSSES) if runs[0][1] else False:
        figs["training_losses"] = training_losses(runs)
    return figs


def figures_study(folder, window=50):
    check_folder(folder, ["curves.csv"])
    curves = read_csv(os.path.join(folder, "curves.csv"),
                      need=("learner", "seed", "episode", "return"))
    figs = {}
    baselines = {}
    cmp_path = os.path.join(folder, "compare.csv")
    if os.path.exists(cmp_path):
        rows = read_csv(cmp_path, need=("policy", "seed", "reward"))
        for name in ("tuned-static", "tuned-dynamic"):
            v = [number(r["reward"]) for r in rows if r["policy"] == name]
            if v:
                baselines[name] = sum(v) / len(v)
        if rows:
            figs["evaluation"] = study_evaluation(rows)
    figs["learning_curves"] = study_curves(curves, baselines, window)
    return figs


def figures_sweep(folder, prefix=""):
    check_folder(folder, ["points.csv"])
    path = os.path.join(folder, "points.csv")
    rows = read_csv(path)
    with open(path, newline="") as f:
        header = next(csv.reader(f), [])
    keys, metrics = sweep_keys_metrics(path, rows, header)
    groups = sweep_axes(rows, keys)
    figs = {}
    for m in metrics:
        for g in groups:
            name = m if len(groups) == 1 else "%s-vs-%s" % (m, g[0])
            figs[(prefix + "-" if prefix else "") + name] = sweep_figure(rows, keys, g, m)
    return figs


def figures_regime(folder):
    check_folder(folder, ["regime.csv"])
    rows = read_csv(os.path.join(folder, "regime.csv"),
                    need=("figure", "scope", "choice", "value"))
    return {"regime": regime_figure(rows)}


def figures_ppl(tool, root, data=False, model="opt-2.7b"):
    if data:
        profile = os.path.join(root, "models", model + ".json")
        points = _ppl_tool(tool, ["--points", profile])
        m = int(points[0]["middle_blocks"])
        blocks = {max(2, math.ceil(0.1 * m - 1e-9)), int(0.3 * m + 0.5),
                  max(2, int(0.5 * m + 1e-9)), m}
        blocks |= {int(r["b"]) for r in points if r["column"] == "plugged"}
        rows = _ppl_tool(tool, ["--data", profile] + [str(b) for b in sorted(blocks)])
        return {"ppl_data": ppl_data(rows, m, points)}
    models = ["opt-1.3b", "gpt2-xl", "opt-2.7b", "opt-6.7b", "bloom-7.1b"]
    profiles = [os.path.join(root, "models", m + ".json") for m in models]
    return {"ppl_curve": ppl_curves(_ppl_tool(tool, profiles), _ppl_tool(tool, ["--points"] + profiles))}


# ---------------------------------------------------------------- command line


def main(argv=None):
    here = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap = argparse.ArgumentParser(prog="python3 -m edgetune.plot",
                                 description="Figures from edgetune's output folders "
                                             "(docs/figures.md).")
    sub = ap.add_subparsers(dest="kind", required=True)
    p = sub.add_parser("run", help="delay CDF, per-class delay and perplexity, channel rates")
    p.add_argument("dirs", nargs="+")
    p.add_argument("--by", choices=("ue", "class"), help="channel panels (default: per UE up "
                                                          "to 12 UEs, else per class)")
    p = sub.add_parser("training", help="learning curve and losses of train folders")
    p.add_argument("dirs", nargs="+")
    p = sub.add_parser("study", help="an edgetune compare folder's curves and evaluation")
    p.add_argument("dirs", nargs=1)
    p.add_argument("--window", type=int, default=50, help="episodes of the trailing mean")
    p.add_argument("--name", help="write the learning curves under this name")
    p = sub.add_parser("sweep", help="an edgetune sweep folder's metrics")
    p.add_argument("dirs", nargs=1)
    p.add_argument("--prefix", default="", help="prefix of the file names")
    p = sub.add_parser("regime", help="an edgetune regime --out folder")
    p.add_argument("dirs", nargs=1)
    p = sub.add_parser("ppl", help="the fitted perplexity model (needs build/ppl_curve)")
    p.add_argument("--data", action="store_true", help="quality against tuning data")
    p.add_argument("--model", default="opt-2.7b")
    p.add_argument("--tool", default=os.path.join(here, "build", "ppl_curve"))
    p.set_defaults(dirs=None)
    for p in sub.choices.values():
        p.add_argument("-o", "--out", help="folder for the figures (default: the first input "
                                           "folder, a sweep's plots/; ppl: docs/img)")
        p.add_argument("--format", default="png,pdf", help="comma-separated: png, pdf, svg")
    a = ap.parse_args(argv)
    formats = [f for f in a.format.split(",") if f]
    bad = [f for f in formats if f not in ("png", "pdf", "svg")]
    if bad or not formats:
        print("edgetune.plot: --format: expected png, pdf or svg, got '%s'" % a.format,
              file=sys.stderr)
        return 2
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # matplotlib's notices are not the user's business
            if a.kind == "run":
                figs = figures_run(a.dirs, a.by)
            elif a.kind == "training":
                figs = figures_training(a.dirs)
            elif a.kind == "study":
                figs = figures_study(a.dirs[0], a.window)
                if a.name:
                    figs[a.name] = figs.pop("learning_curves")
            elif a.kind == "sweep":
                figs = figures_sweep(a.dirs[0], a.prefix)
            elif a.kind == "regime":
                figs = figures_regime(a.dirs[0])
            else:
                figs = figures_ppl(a.tool, here, a.data, a.model)
            out = a.out or (os.path.join(a.dirs[0], "plots") if a.kind == "sweep" else
                            a.dirs[0] if a.dirs else os.path.join(here, "docs", "img"))
            for name, fig in figs.items():
                for path in save(fig, out, name, formats):
                    print(path)
    except InputError as exc:
        print("edgetune.plot: %s" % exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print("edgetune.plot: %s: %s" % (exc.filename or "", exc.strerror), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
