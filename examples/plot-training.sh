#!/usr/bin/env bash
# plot-training.sh TRAIN_DIR [TRAIN_DIR ...]: learning curves from train.csv (gnuplot).
# Writes learning_curve.png (episodic return, smoothed over 50 episodes) and
# training_losses.png (entropies and approximate KL) into the first directory.
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
plots=()
i=0
for d in "$@"; do
    # Moving average of the return over the last 50 episodes.
    awk -F, 'NR > 1 { r[NR % 50] = $2; n++; s = 0; m = (n < 50 ? n : 50);
                      for (k in r) s += r[k]; print $1, $2, s / m, $4, $5 }' "$d/train.csv" >"$tmp/c$i"
    label=$(basename "$(cd "$d" && pwd)")
    plots+=("'$tmp/c$i' using 1:3 with lines lw 2 title '$label (mean of 50)'")
    i=$((i + 1))
done
first=$1
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
plot '$first/train.csv' every ::1 using 1:11 with lines title 'entropy (location)', \
     '' every ::1 using 1:12 with lines title 'entropy (keep)', \
     '' every ::1 using 1:13 axes x1y2 with lines title 'approx KL'
GP
echo "plots in $first/: learning_curve.png, training_losses.png" >&2
