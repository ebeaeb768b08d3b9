#!/usr/bin/env bash
# plot.sh OUT_DIR [OUT_DIR ...]: PNG plots of edgetune runs (gnuplot).
#   delay_cdf.png     CDF of task delay, one curve per run directory
#   channel.png       uplink and downlink rate over time for each UE (first run)
#   distance.png      each UE's distance to the access point over time (first run)
# Plots are written into the first OUT_DIR.
set -euo pipefail
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    echo "usage: bash examples/plot.sh OUT_DIR [OUT_DIR ...]" >&2
    exit 2
fi
command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }
first=$1
for d in "$@"; do
    [ -f "$d/tasks.csv" ] || { echo "plot.sh: $d/tasks.csv: no such file (an edgetune run's output?)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Delay CDF: sorted delays with cumulative fraction, per run.
plots=()
i=0
for d in "$@"; do
    awk -F, 'NR > 1 && $18 != "memory" { print $15 }' "$d/tasks.csv" | sort -g >"$tmp/d$i"
    n=$(wc -l <"$tmp/d$i")
    awk -v n="$n" '{ printf "%s %.6f\n", $1, NR / n }' "$tmp/d$i" >"$tmp/cdf$i"
    label=$(basename "$(cd "$d" && pwd)")
    plots+=("'$tmp/cdf$i' using 1:2 with steps lw 2 title '$label'")
    i=$((i + 1))
done
joined=$(IFS=,; echo "${plots[*]}")
gnuplot <<GP
set terminal pngcairo size 900,560 font 'sans,11'
set output '$first/delay_cdf.png'
set title 'Task delay (completed tasks)'
set xlabel 'delay (s)'
set ylabel 'fraction of tasks'
set logscale x
set grid
set key bottom right
plot $joined
GP

if [ -f "$first/channel.csv" ]; then
    ues=$(awk -F, 'NR > 1 { print $3 }' "$first/channel.csv" | sort -n | uniq | head -n 12)
    up=()
    dist=()
    for u in $ues; do
        awk -F, -v u="$u" 'NR > 1 && $3 == u { print $2, $9 / 1e6, $10 / 1e6, $6 }' "$first/channel.csv" >"$tmp/ch$u"
        up+=("'$tmp/ch$u' using 1:2 with lines lw 1.5 title 'UE $u up'")
        dist+=("'$tmp/ch$u' using 1:4 with lines lw 1.5 title 'UE $u'")
    done
    gnuplot <<GP
set terminal pngcairo size 1000,560 font 'sans,11'
set output '$first/channel.png'
set title 'Uplink rate applied to each UE link'
set xlabel 'simulated time (s)'
set ylabel 'rate (Mb/s)'
set grid
set key outside right
plot $(IFS=,; echo "${up[*]}")
set output '$first/distance.png'
set title 'Distance to the access point'
set ylabel 'distance (m)'
plot $(IFS=,; echo "${dist[*]}")
GP
fi
echo "plots in $first/: delay_cdf.png$([ -f "$first/channel.csv" ] && echo ', channel.png, distance.png')" >&2
