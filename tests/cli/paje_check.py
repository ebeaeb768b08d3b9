#!/usr/bin/python3
"""paje_check.py TASKS_CSV CHANNEL_CSV DUMP [ACTIVITIES_CSV INTERRUPTION_S]: a Paje trace (read by
pj_dump into DUMP) against the run's tasks.csv and channel.csv (docs/traces.md, "Paje trace").
A `handover` state counts in the phase it interrupts (tasks.csv does). With ACTIVITIES_CSV (a run
with output.activity_log and channel.handover) every comm a handover cancelled (kind H) starts
a `handover` state of its UE at its time, and every `handover` state lasts at most
INTERRUPTION_S. Prints what differs; exit 1 if anything does. Standard library only."""
import csv
import sys

TINY = 2e-6  # phases shorter than this may round to nothing in the trace (6 decimals)


def tol(t):
    # tasks.csv prints %.9g, the trace 6 decimals.
    return 1e-6 + 1e-8 * abs(t)


def expected_phases(row):
    f = {k: float(row[k]) for k in ("start_s", "query_s", "download_s", "upload_s", "wait_s",
                                    "compute_s", "result_s")}
    seq = [("query", f["query_s"]), ("download", f["download_s"])]
    if row["location"] == "LOCAL":
        seq += [("local_tuning", f["compute_s"]), ("upload", f["upload_s"])]
    else:
        seq += [("upload", f["upload_s"]), ("queued", f["wait_s"]),
                ("server_tuning", f["compute_s"]), ("result", f["result_s"])]
    out, t = [], f["start_s"]
    for name, d in seq:
        if d > TINY:
            out.append((name, t, t + d))
        t += d
    return out


def fold_handovers(raw):
    """A UE's phase states in time order with each `handover` state given to the phase it
    interrupts (the one before it) and the pieces of a phase joined again."""
    out = []
    for value, start, end in sorted(raw, key=lambda s: (s[1], s[2])):
        if value == "handover" and out:
            value = out[-1][0]
        if out and out[-1][0] == value and abs(out[-1][2] - start) <= tol(start):
            out[-1] = (value, out[-1][1], end)
        else:
            out.append((value, start, end))
    return out


def main(tasks_path, channel_path, dump_path, activities_path=None, interruption_s=None):
    errors = []
    states, marks, variables, raw, handovers = {}, [], {}, {}, {}
    with open(dump_path) as f:
        for line in f:
            p = [x.strip() for x in line.split(",")]
            if p[0] == "State" and p[2] == "phase":
                start, end, value = float(p[3]), float(p[4]), p[7]
                raw.setdefault(p[1], []).append((value, start, end))
                if value == "handover":
                    handovers.setdefault(p[1], []).append((start, end))
            elif p[0] == "Event" and p[2] == "decision":
                marks.append(p[4])
            elif p[0] == "Variable":
                variables.setdefault((p[1], p[2]), []).append((float(p[3]), float(p[6])))
    for ue, seq in raw.items():
        for value, start, end in fold_handovers(seq):
            if value != "idle" and end - start > TINY:
                states.setdefault(ue, []).append((value, start, end))
    with open(tasks_path) as f:
        tasks = list(csv.DictReader(f))
    n_handover_rows, handover_times = 0, []
    if activities_path:
        names = {r["ue"]: r["ue_name"] for r in tasks}
        starts = {ue: sorted(s for s, _ in h) for ue, h in handovers.items()}
        with open(activities_path) as f:
            for row in csv.DictReader(f):
                if row["kind"] != "H":
                    continue
                n_handover_rows += 1
                ue, t = names[row["ue"]], float(row["time_s"])
                handover_times.append(t)
                if not any(abs(s - t) <= tol(t) for s in starts.get(ue, [])):
                    errors.append(f"{ue}: activities.csv H at {t}, no handover state starts then")
        longest = max((e - s for h in handovers.values() for s, e in h), default=0.0)
        if longest > float(interruption_s) + 1e-6:
            errors.append(f"a handover state lasts {longest} s, the interruption is {interruption_s} s")
        if n_handover_rows == 0 or not handovers:
            errors.append(f"{n_handover_rows} H rows, {len(handovers)} UEs with handover states")
    want = {}
    for row in sorted(tasks, key=lambda r: float(r["start_s"])):
        want.setdefault(row["ue_name"], []).extend(expected_phases(row))
    n_states = 0
    for ue in sorted(set(want) | set(states)):
        w = sorted(want.get(ue, []), key=lambda s: s[1])
        g = sorted(states.get(ue, []), key=lambda s: s[1])
        n_states += len(g)
        if len(w) != len(g):
            errors.append(f"{ue}: tasks.csv gives {len(w)} phases, the trace {len(g)}")
            continue
        for (wn, ws, we), (gn, gs, ge) in zip(w, g):
            if wn != gn or abs(ws - gs) > tol(ws) or abs(we - ge) > tol(we):
                errors.append(f"{ue}: tasks.csv {wn} [{ws:.9f}, {we:.9f}], trace {gn} [{gs:.6f}, {ge:.6f}]")
                break
    # One decision per task, with the task's location and keep.
    want_marks = sorted(f'{r["ue_name"]}|{r["device_class"]}|{r["location"]}|k={float(r["keep"]):.3f}'
                        for r in tasks)
    if sorted(marks) != want_marks:
        errors.append(f"decisions: {len(marks)} marks, {len(tasks)} tasks; first differing: "
                      f"{next((a, b) for a, b in zip(sorted(marks) + [''], want_marks + ['']) if a != b)}")
    # Every UE's rates are in the trace from t = 0 (set by the channel, never the XML's
    # placeholder) and, at each channel update after 0, are what channel.csv wrote (bit/s).
    # At t = 0 every UE starts at once, and a rate set then is changed in the same instant.
    names = {r["ue"]: r["ue_name"] for r in tasks}
    n_rates = n_later = 0
    with open(channel_path) as f:
        for row in csv.DictReader(f):
            t, name = float(row["time_s"]), names[row["ue"]]
            n_later += t > 0
            for d in ("up", "down"):
                series = variables.get((name, f"rate_{d}_bps"), [])
                if not series or series[0][0] != 0:
                    errors.append(f"{name}: rate_{d}_bps does not start at t = 0")
                    continue
                if t == 0:
                    continue
                # pj_dump drops intervals of no length: the value in force just after t.
                at = [v for (s0, v) in series if s0 <= t + 5e-7]
                want_bps = float(row[f"rate_{d}_bps"])
                n_rates += 1
                # channel.csv's rows at a grid time are written before that instant's handovers
                # re-divide the carriers; the trace keeps the value after them.
                if at and any(abs(t - h) <= tol(t) for h in handover_times):
                    continue
                if not at or abs(at[-1] - want_bps) > 1e-6 * want_bps + 1:
                    errors.append(f"{name}: rate_{d}_bps at {t} is {at[-1] if at else None}, "
                                  f"channel.csv {want_bps}")
    # Per server, its jobs queued per device class (queued_<class>) add up to its queue, and
    # those tuning (tuning_<class>) to the UEs in phase server_tuning with it, at every change.
    def at(series, t):
        vals = [v for (s0, v) in series if s0 <= t + 5e-7]
        return vals[-1] if vals else 0.0
    for (c, v), series in variables.items():
        if v != "queue":
            continue
        parts = [s for (c2, v2), s in variables.items() if c2 == c and v2.startswith("queued_")]
        if not parts:
            errors.append(f"{c}: no queued_<class> variable")
        for t, q in series:
            total = sum(at(p, t) for p in parts)
            if total != q:
                errors.append(f"{c}: queue {q} at {t}, queued_<class> add up to {total}")
                break
    servers = [c for (c, v) in variables if v == "queue"]
    if len(servers) == 1:
        tuning = [s for (c2, v2), s in variables.items() if c2 == servers[0] and v2.startswith("tuning_")]
        busy = [(s0, e0) for ue in states for (n, s0, e0) in states[ue] if n == "server_tuning"]
        for t in sorted({s0 for s0, _ in busy}):
            want = sum(1 for s0, e0 in busy if s0 <= t + 5e-7 < e0)
            total = sum(at(p, t) for p in tuning)
            if total != want:
                errors.append(f"{servers[0]}: {want} UEs tuning at {t}, tuning_<class> add up to {total}")
                break
    if not servers or not any(v == "memory_used_bytes" for (_, v) in variables):
        errors.append("no server queue or memory_used_bytes variable")
    for e in errors[:20]:
        print(e)
    print(f"{len(tasks)} tasks, {n_states} phase states, {len(marks)} decisions, "
          f"{n_rates} rates, {len(servers)} servers with a queue, "
          f"{sum(len(h) for h in handovers.values())} handover states, {n_handover_rows} H rows")
    return 1 if errors or not n_states or (n_later and not n_rates) else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
