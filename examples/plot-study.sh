#!/usr/bin/env bash
# plot-study.sh COMPARE_DIR: learning curves of a study (edgetune compare) with
# their spread over seeds, from COMPARE_DIR/curves.csv (gnuplot). Writes
# COMPARE_DIR/learning_curves.png: per learner, the mean over seeds of the
# return smoothed over 50 episodes, and a band from the lowest to the highest
# seed. The tuned-static and tuned-dynamic baselines' mean evaluation rewards
# are drawn as lines for scale (from compare.csv).
set -euo pipefail
if [ $# -ne 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    echo "usage: bash examples/plot-study.sh COMPARE_DIR" >&2
    exit 2
fi
dir=$1
command -v gnuplot >/dev/null || { echo "plot-study.sh: gnuplot is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }
[ -f "$dir/curves.csv" ] || { echo "plot-study.sh: $dir/curves.csv: no such file" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Smooth each (learner, seed) over 50 episodes, then per learner and episode
# take the mean, min and max over seeds.
awk -F, 'NR > 1 { key = $1 "," $2; buf[key, n[key] % 50] = $4; n[key]++;
                  m = n[key] < 50 ? n[key] : 50; s = 0;
                  for (k = 0; k < m; k++) s += buf[key, k];
                  print $1, $3, s / m }' "$dir/curves.csv" |
    awk '{ k = $1 " " $2; if (!(k in c)) { order[++no] = k; mn[k] = $3; mx[k] = $3 }
           c[k]++; s[k] += $3; if ($3 < mn[k]) mn[k] = $3; if ($3 > mx[k]) mx[k] = $3 }
         END { for (i = 1; i <= no; i++) { k = order[i]; split(k, p, " ");
                 print p[1], p[2], s[k] / c[k], mn[k], mx[k] > ("'"$tmp"'/" p[1] ".dat") } }'
mean_of() { # the mean evaluation reward of a baseline in compare.csv, or nothing
    awk -F, -v p="$1" '$1 == p { s += $4; n++ } END { if (n) printf "%.6f", s / n }' \
        "$dir/compare.csv" 2>/dev/null || true
}
static=$(mean_of tuned-static)
dynamic=$(mean_of tuned-dynamic)
plots=()
for f in "$tmp"/*.dat; do
    name=$(basename "$f" .dat)
    plots+=("'$f' using 2:4:5 with filledcurves fs transparent solid 0.2 notitle")
    plots+=("'$f' using 2:3 with lines lw 2 title '$name (mean over seeds; band: min-max)'")
done
[ -n "$static" ] && plots+=("$static with lines dt 2 lw 2 title 'tuned-static (evaluation)'")
[ -n "$dynamic" ] && plots+=("$dynamic with lines dt 3 lw 2 title 'tuned-dynamic (evaluation)'")
gnuplot <<GP
set terminal pngcairo size 960,560 font 'sans,11'
set output '$dir/learning_curves.png'
set title 'Episodic return during training (sampling policy), smoothed over 50 episodes'
set xlabel 'episode'
set ylabel 'episodic reward'
set grid
set key bottom right
plot $(IFS=,; echo "${plots[*]}")
GP
echo "plot: $dir/learning_curves.png" >&2
