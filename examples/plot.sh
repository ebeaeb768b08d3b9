#!/usr/bin/env bash
# plot.sh OUT_DIR [OUT_DIR ...]: PNG plots of edgetune runs (gnuplot).
#   delay_cdf.png     CDF of task delay, one curve per run directory
#   channel.png       uplink and downlink rate over time for each UE (first run), two panels
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
# Columns are found by their header names, so new columns never shift a plot.
# cols FILE NAME...: prints "awk-var=index" options for awk.
cols() {
    local file=$1
    shift
    local header
    header=$(head -1 "$file")
    for name in "$@"; do
        local idx
        idx=$(awk -F, -v n="$name" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) print i }' <<<"$header")
        [ -n "$idx" ] || { echo "plot.sh: $file: no column '$name'" >&2; exit 2; }
        printf -- '-v %s=%s ' "$name" "$idx"
    done
}
# The policy a run used, from its summary.json (empty if none).
policy_of() {
    [ -f "$1/summary.json" ] && sed -n 's/^[[:space:]]*"policy":[[:space:]]*"\([^"]*\)".*/\1/p' "$1/summary.json" | head -1
}

# Delay CDF: sorted delays with cumulative fraction, per run.
plots=()
i=0
for d in "$@"; do
    # Every task, a failed one at the time its failure was known (a CDF of completed tasks
    # only would flatter the policies that fail).
    # shellcheck disable=SC2046
    awk -F, $(cols "$d/tasks.csv" delay_s) 'NR > 1 { print $delay_s }' "$d/tasks.csv" | sort -g >"$tmp/d$i"
    n=$(wc -l <"$tmp/d$i")
    awk -v n="$n" '{ printf "%s %.6f\n", $1, NR / n }' "$tmp/d$i" >"$tmp/cdf$i"
    label=$(basename "$(cd "$d" && pwd)")
    pol=$(policy_of "$d")
    [ -n "$pol" ] && label="$label ($pol)"
    plots+=("'$tmp/cdf$i' using 1:2 with steps lw 2 title '$label'")
    i=$((i + 1))
done
joined=$(IFS=,; echo "${plots[*]}")
gnuplot <<GP
set terminal pngcairo size 900,560 font 'sans,11'
set output '$first/delay_cdf.png'
set title 'Task delay, every task (failed ones when the failure was known)'
set xlabel 'delay (s)'
set ylabel 'fraction of tasks'
set logscale x
set grid
set key bottom right
plot $joined
GP

if [ -f "$first/channel.csv" ]; then
    ch="$first/channel.csv"
    # shellcheck disable=SC2046
    ues=$(awk -F, $(cols "$ch" ue) 'NR > 1 { print $ue }' "$ch" | sort -n | uniq | head -n 12)
    up=()
    down=()
    dist=()
    for u in $ues; do
        # shellcheck disable=SC2046
        awk -F, -v u="$u" $(cols "$ch" ue time_s rate_up_bps rate_down_bps distance_m) \
            'NR > 1 && $ue == u { print $time_s, $rate_up_bps / 1e6, $rate_down_bps / 1e6, $distance_m }' \
            "$ch" >"$tmp/ch$u"
        up+=("'$tmp/ch$u' using 1:2 with lines lw 1.5 title 'UE $u'")
        down+=("'$tmp/ch$u' using 1:3 with lines lw 1.5 title 'UE $u'")
        dist+=("'$tmp/ch$u' using 1:4 with lines lw 1.5 title 'UE $u'")
    done
    pol=$(policy_of "$first")
    gnuplot <<GP
set terminal pngcairo size 1000,900 font 'sans,11'
set output '$first/channel.png'
set multiplot layout 2,1 title 'Link rates applied to each UE ($(basename "$(cd "$first" && pwd)")${pol:+, policy $pol})'
set xlabel 'simulated time (s)'
set ylabel 'uplink (Mb/s)'
set grid
set key outside right
plot $(IFS=,; echo "${up[*]}")
set ylabel 'downlink (Mb/s)'
plot $(IFS=,; echo "${down[*]}")
unset multiplot
set terminal pngcairo size 1000,560 font 'sans,11'
set output '$first/distance.png'
set title 'Distance to the access point'
set ylabel 'distance (m)'
plot $(IFS=,; echo "${dist[*]}")
GP
fi
echo "plots in $first/: delay_cdf.png$([ -f "$first/channel.csv" ] && echo ', channel.png, distance.png')" >&2
