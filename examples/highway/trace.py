#!/usr/bin/env python3
"""trace.py: a mobility trace (time_s,ue,x_m,y_m) of vehicles on a straight road.

usage: python3 examples/highway/trace.py SPEED_MIN SPEED_MAX OUT.csv [--ues N] [--seed S]

The road runs along x from -250 m to 2250 m, past the five cells of
platforms/highway-5cell.xml (APs every 500 m from x = 0, 30 m beside the road). Vehicle i
starts at x = -150 + 250 i, drives in lane y = 0 (even i, towards +x) or y = 4 m (odd i,
towards -x) at a constant speed drawn uniformly in [SPEED_MIN, SPEED_MAX] m/s, and when it
leaves the road at one end it enters again at the other (a ring, so that the cells stay
loaded). Rows are written at t = 0, at every wrap (two rows at one time: the jump) and at
the trace's end, 4000 s; the simulator interpolates between them. Standard library only;
the same arguments give the same bytes.
"""
import argparse
import random

ROAD_START_M, ROAD_END_M = -250.0, 2250.0
DURATION_S = 4000.0


def fmt(x):
    return ("%.6f" % x).rstrip("0").rstrip(".")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("speed_min", type=float)
    ap.add_argument("speed_max", type=float)
    ap.add_argument("out")
    ap.add_argument("--ues", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if not 0 <= a.speed_min <= a.speed_max or a.ues < 1:
        ap.error("expected 0 <= SPEED_MIN <= SPEED_MAX and --ues >= 1")
    rng = random.Random(a.seed)
    length = ROAD_END_M - ROAD_START_M
    rows = []
    for i in range(a.ues):
        v = a.speed_min + (a.speed_max - a.speed_min) * rng.random()
        sign = 1.0 if i % 2 == 0 else -1.0
        y = 0.0 if i % 2 == 0 else 4.0
        x = -150.0 + 250.0 * i
        x = ROAD_START_M + (x - ROAD_START_M) % length
        t = 0.0
        rows.append((t, i, x, y))
        while v > 0:
            # Time to the road's end in the direction of travel.
            to_end = (ROAD_END_M - x) / v if sign > 0 else (x - ROAD_START_M) / v
            if t + to_end >= DURATION_S:
                break
            t += to_end
            rows.append((t, i, ROAD_END_M if sign > 0 else ROAD_START_M, y))
            x = ROAD_START_M if sign > 0 else ROAD_END_M
            rows.append((t, i, x, y))
        x_end = x + sign * v * (DURATION_S - t)
        rows.append((DURATION_S, i, x_end, y))
    with open(a.out, "w") as f:
        f.write("time_s,ue,x_m,y_m\n")
        for t, i, x, y in rows:
            f.write("%s,%d,%s,%s\n" % (fmt(t), i, fmt(x), fmt(y)))


if __name__ == "__main__":
    main()
