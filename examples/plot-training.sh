#!/usr/bin/env bash
# plot-training.sh TRAIN_DIR [TRAIN_DIR ...]: learning curves from train.csv (gnuplot).
# Writes learning_curve.png (every episode's raw return as faint points, the mean over the
# last 50 episodes as a line and +-1 standard deviation over them as a band) and
# training_losses.png (entropies and approximate KL) into the first directory.
# Columns are found by their header names.
set -euo pipefail
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    echo "usage: bash examples/plot-training.sh TRAIN_DIR [TRAIN_DIR ...]" >&2
    exit 2
fi
command -v gnuplot >/dev/null || { echo "plot-training.sh: gnuplot is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }
for d in "$@"; do
    [ -f "$d/train.csv" ] || { echo "plot-training.sh: $d/train.csv: no such file" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# col FILE NAME: the 1-based index of column NAME in FILE's header.
col() {
    local idx
    idx=$(head -1 "$1" | awk -F, -v n="$2" '{ for (i = 1; i <= NF; i++) if ($i == n) print i }')
    [ -n "$idx" ] || { echo "plot-training.sh: $1: no column '$2'" >&2; exit 2; }
    echo "$idx"
}
plots=()
i=0
for d in "$@"; do
    # Raw return, and mean and standard deviation over the last 50 episodes.
    awk -F, -v e="$(col "$d/train.csv" episode)" -v r="$(col "$d/train.csv" return)" \
        'NR > 1 { w[NR % 50] = $r; n++; m = (n < 50 ? n : 50); s = 0; q = 0;
                  for (k in w) s += w[k]; mean = s / m;
                  for (k in w) q += (w[k] - mean) ^ 2;
                  sd = m > 1 ? sqrt(q / (m - 1)) : 0;
                  print $e, $r, mean, mean - sd, mean + sd }' "$d/train.csv" >"$tmp/c$i"
    label=$(basename "$(cd "$d" && pwd)")
    plots+=("'$tmp/c$i' using 1:4:5 with filledcurves fs transparent solid 0.2 lc $((i + 1)) notitle")
    plots+=("'$tmp/c$i' using 1:2 with points pt 7 ps 0.35 lc $((i + 1)) notitle")
    plots+=("'$tmp/c$i' using 1:3 with lines lw 2 lc $((i + 1)) title '$label (mean of 50, band +-1 sd)'")
    i=$((i + 1))
done
first=$1
tc="$first/train.csv"
ce=$(col "$tc" episode)
cl=$(col "$tc" entropy_loc)
ck=$(col "$tc" entropy_keep)
ca=$(col "$tc" approx_kl)
gnuplot <<GP
set terminal pngcairo size 900,560 font 'sans,11'
set output '$first/learning_curve.png'
set title 'Episodic return during training (sampling policy)'
set xlabel 'episode'
set ylabel 'episodic reward'
set grid
set key bottom right
plot $(IFS=,; echo "${plots[*]}")
set output '$first/training_losses.png'
set datafile separator ','
set title 'Policy entropies and approximate KL per update'
set ylabel 'nats'
set y2label 'approx KL'
set y2tics
plot '$tc' every ::1 using $ce:$cl with lines title 'entropy (location)', \\
     '' every ::1 using $ce:$ck with lines title 'entropy (keep)', \\
     '' every ::1 using $ce:$ca axes x1y2 with lines title 'approx KL'
GP
echo "plots in $first/: learning_curve.png, training_losses.png" >&2
