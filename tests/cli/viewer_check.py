#!/usr/bin/python3
"""viewer_check.py DOM TASKS_CSV CHANNEL_CSV T: the state the viewer page exposes after loading
at #t=T (its <pre id="state">, in DOM as chromium --dump-dom wrote it) against the run: each UE
where channel.csv puts it at T (linearly between two updates, the last one after them; to the
millimetre) and in the phase tasks.csv gives it at T. Exit 1 on any difference."""
import bisect
import csv
import html
import json
import re
import sys


def main(dom_path, tasks_path, channel_path, t_text):
    t = float(t_text)
    dom = open(dom_path).read()
    if 'data-ready="1"' not in dom or "data-errors=" in dom:
        print("the page did not finish loading, or reported an error:",
              re.findall(r'<div id="errors">([^<]*)', dom))
        return 1
    m = re.search(r'<pre id="state">([^<]*)</pre>', dom)
    state = json.loads(html.unescape(m.group(1)))
    errors = []
    if abs(state["t"] - t) > 1e-9:
        errors.append(f"page time {state['t']}, asked {t}")
    tracks = {}
    with open(channel_path) as f:
        for row in csv.DictReader(f):
            k = tracks.setdefault(int(row["ue"]), ([], [], []))
            k[0].append(float(row["time_s"]))
            k[1].append(float(row["x_m"]))
            k[2].append(float(row["y_m"]))
    phases, ends = {}, {}
    with open(tasks_path) as f:
        for r in csv.DictReader(f):
            ue = int(r["ue"])
            g = {k: float(r[k]) for k in ("start_s", "query_s", "download_s", "upload_s",
                                          "wait_s", "compute_s", "result_s", "end_s")}
            seq = [("query", g["query_s"]), ("download", g["download_s"])]
            seq += ([("local_tuning", g["compute_s"]), ("upload", g["upload_s"])]
                    if r["location"] == "LOCAL" else
                    [("upload", g["upload_s"]), ("queued", g["wait_s"]),
                     ("server_tuning", g["compute_s"]), ("result", g["result_s"])])
            s = g["start_s"]
            for name, d in seq:
                if d > 0:
                    phases.setdefault(ue, []).append((name, s, s + d))
                s += d
            ends[ue] = max(ends.get(ue, 0.0), g["end_s"])
    for u in state["ues"]:
        ue = u["ue"]
        times, xs, ys = tracks[ue]
        i = bisect.bisect_right(times, t) - 1
        if i < 0:
            x, y = xs[0], ys[0]
        elif i >= len(times) - 1 or times[i] == t:
            x, y = xs[i], ys[i]
        else:
            a = (t - times[i]) / (times[i + 1] - times[i])
            x, y = xs[i] + a * (xs[i + 1] - xs[i]), ys[i] + a * (ys[i + 1] - ys[i])
        if abs(u["x"] - x) > 1.5e-3 or abs(u["y"] - y) > 1.5e-3:
            errors.append(f"{u['name']} at ({u['x']}, {u['y']}), channel.csv ({x:.3f}, {y:.3f})")
        want = "done" if t >= ends[ue] else next(
            (n for n, s, e in phases.get(ue, []) if s <= t < e), "idle")
        if u["phase"] != want:
            errors.append(f"{u['name']} in phase {u['phase']}, tasks.csv {want}")
    for e in errors:
        print(e)
    print(f"t = {t}: {len(state['ues'])} UEs checked")
    return 1 if errors or not state["ues"] else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
