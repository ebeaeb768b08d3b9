#!/usr/bin/env bash
# plot-ppl.sh [OUT_PNG]: the fitted perplexity model of every profile in
# models/ against the calibration points it was fitted to (gnuplot).
#   one panel per model: PPL_plug(b) (quality the simulator reports) and
#   PPL_emu(b) (the adapter on its emulator) over the keep fraction b / M,
#   Offsite-Tuning's WikiText-2 points, the anchor PPL(M), k_max = 0.5.
# Default output: docs/img/ppl_curve.png. Needs the build's ppl_curve tool:
# PPL_CURVE=path/to/ppl_curve overrides build/ppl_curve.
set -euo pipefail
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] || [ $# -gt 1 ]; then
    echo "usage: bash examples/plot-ppl.sh [OUT_PNG]" >&2
    exit 2
fi
command -v gnuplot >/dev/null || { echo "plot-ppl.sh: gnuplot is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/docs/img/ppl_curve.png}
tool=${PPL_CURVE:-$src/build/ppl_curve}
[ -x "$tool" ] || { echo "plot-ppl.sh: $tool: no such program (build the tree, or set PPL_CURVE)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

models=(opt-1.3b gpt2-xl opt-2.7b opt-6.7b bloom-7.1b)
profiles=()
for m in "${models[@]}"; do profiles+=("$src/models/$m.json"); done
"$tool" "${profiles[@]}" >"$tmp/curve.csv"
"$tool" --points "${profiles[@]}" >"$tmp/points.csv"

panels=""
for m in "${models[@]}"; do
    awk -F, -v m="$m" 'NR > 1 && $1 == m { print $4, $5, $6 }' "$tmp/curve.csv" >"$tmp/$m.curve"
    for col in on_emulator plugged; do
        awk -F, -v m="$m" -v c="$col" 'NR > 1 && $1 == m && $5 == c { print $4, $6 }' "$tmp/points.csv" >"$tmp/$m.$col"
    done
    awk -F, -v m="$m" 'NR > 1 && $1 == m && $5 ~ /^anchor/ { print $4, $6 }' "$tmp/points.csv" >"$tmp/$m.anchor"
    anchor=$(awk -F, -v m="$m" 'NR > 1 && $1 == m && $5 ~ /^anchor/ { sub("anchor_", "", $5); print $5 }' "$tmp/points.csv")
    zero=$(awk -F, -v m="$m" 'NR > 1 && $1 == m && $5 == "full_zero_shot" { printf "%.2f", $6 }' "$tmp/points.csv")
    derived=$(awk -F, -v m="$m" 'NR > 1 && $1 == m && $5 == "plugged" && $7 == 1 { print "DERIVED points, " }' "$tmp/points.csv")
    case $anchor in
    full_ft) anchor_text="anchor = full fine-tune" ;;
    derived) anchor_text="anchor derived (rho)" ;;
    *) anchor_text="anchor = tuned on full model" ;;
    esac
    title="$m: ${derived}${anchor_text}${zero:+, full zero-shot $zero}"
    panels+="
set title '$title'
plot '$tmp/$m.curve' using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'PPL_{plug}(b) (model)', \\
     '$tmp/$m.curve' using 1:3 with lines lw 2 dt 2 lc rgb '#d62728' title 'PPL_{emu}(b) (model)', \\
     '$tmp/$m.plugged' using 1:2 with points pt 7 ps 1.6 lc rgb '#1f77b4' title 'tuned, plugged in', \\
     '$tmp/$m.on_emulator' using 1:2 with points pt 6 ps 1.6 lw 2 lc rgb '#d62728' title 'tuned, on emulator', \\
     '$tmp/$m.anchor' using 1:2 with points pt 5 ps 1.4 lc rgb 'black' title 'anchor PPL(M)'
"
done

gnuplot <<GP
set terminal pngcairo size 1500,900 font 'sans,10'
set output '$out'
set multiplot layout 2,3 title "Fitted perplexity model (not a measurement): PPL(b) = A (1 + {/Symbol b} (1 - b/M)^{/Symbol g}), against Offsite-Tuning's WikiText-2 points (Xiao, Lin, Han 2023)" font 'sans,12'
set xlabel 'keep fraction k = b / M'
set ylabel 'WikiText-2 perplexity'
set xrange [0:1.02]
set grid
set key top right
set arrow 1 from 0.5, graph 0 to 0.5, graph 1 nohead dt 3 lc rgb 'gray40'
set label 1 'k_{max}' at 0.51, graph 0.05 tc rgb 'gray40'
$panels
# Sixth cell: how to read the panels.
unset title; unset key; unset arrow 1; unset label 1; unset xlabel; unset ylabel
unset border; unset tics; unset grid
set label 2 at graph 0.02, graph 0.92 left font 'sans,10' "Lines: the model in src/fm.c (docs/models.md section 4).\\nPoints: Offsite-Tuning, WikiText-2 (docs/models.md section 4);\\nopt-2.7b has no published row: its point is derived.\\nAnchor A = PPL(M): full fine-tune where published,\\nelse (P - {/Symbol r} E) / (1 - {/Symbol r}), {/Symbol r} = 0.285.\\n{/Symbol g} = 2 for every profile: each has one emulator size,\\nso the shape between the points is assumed, not fitted.\\nSERVER quality is the anchor; LOCAL uses b <= k_{max} M."
plot [0:1] [0:1] NaN notitle
unset multiplot
GP
echo "plot-ppl.sh: wrote $out" >&2
