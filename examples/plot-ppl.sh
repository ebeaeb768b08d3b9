#!/usr/bin/env bash
# plot-ppl.sh [OUT_PNG]: the fitted perplexity model of every profile in
# models/ against the calibration points it was fitted to (gnuplot).
#   one panel per model: PPL_plug(b) (quality the simulator reports) and
#   PPL_emu(b) (the adapter on its emulator) over the keep fraction b / M,
#   Offsite-Tuning's WikiText-2 points, the anchor PPL(M), k_max = 0.5.
# Default output: docs/img/ppl_curve.png.
# plot-ppl.sh --data [OUT_PNG [MODEL]]: quality against tuning data
#   (docs/models.md section 9) for MODEL (default opt-2.7b): PPL(b, D) over
#   token-epochs D for LOCAL emulators at k = 0.1, 0.3 and k_max = 0.5, the
#   calibration emulator and SERVER (b = M), with the untuned model, the
#   converged values, the default tasks' range of D and Offsite-Tuning's
#   point at the data it was tuned on. Default output: docs/img/ppl_data.png.
# Needs the build's ppl_curve tool: PPL_CURVE=path/to/ppl_curve overrides
# build/ppl_curve.
set -euo pipefail
usage() {
    echo "usage: bash examples/plot-ppl.sh [OUT_PNG]" >&2
    echo "       bash examples/plot-ppl.sh --data [OUT_PNG [MODEL]]" >&2
    exit 2
}
mode=blocks
if [ "${1:-}" = "--data" ]; then
    mode=data
    shift
    [ $# -le 2 ] || usage
elif [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] || [ $# -gt 1 ]; then
    usage
fi
command -v gnuplot >/dev/null || { echo "plot-ppl.sh: gnuplot is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }
src=$(cd "$(dirname "$0")/.." && pwd)
tool=${PPL_CURVE:-$src/build/ppl_curve}
[ -x "$tool" ] || { echo "plot-ppl.sh: $tool: no such program (build the tree, or set PPL_CURVE)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$mode" = data ]; then
    out=${1:-$src/docs/img/ppl_data.png}
    model=${2:-opt-2.7b}
    profile=$src/models/$model.json
    [ -f "$profile" ] || { echo "plot-ppl.sh: $profile: no such profile" >&2; exit 2; }
    "$tool" --points "$profile" >"$tmp/points.csv"
    m=$(awk -F, 'NR == 2 { print $2 }' "$tmp/points.csv")
    # LOCAL emulators at k = 0.1 (k_min), 0.3 and 0.5 (k_max), rounded as the simulator
    # does, the calibration emulator(s), and SERVER (b = M).
    blocks=$(awk -v m="$m" 'function r(x) { return int(x + 0.5) } BEGIN {
        x = 0.1 * m - 1e-9; b1 = int(x); if (b1 < x) b1++; if (b1 < 2) b1 = 2
        print b1; print r(0.3 * m)
        b5 = int(0.5 * m + 1e-9); if (b5 < 2) b5 = 2; print b5; print m }')
    blocks=$(printf '%s\n' $blocks $(awk -F, 'NR > 1 && $5 == "plugged" { print $3 }' "$tmp/points.csv") | sort -n | uniq)
    "$tool" --data "$profile" $blocks >"$tmp/data.csv"
    untuned=$(awk -F, 'NR == 2 { print $7 }' "$tmp/data.csv")
    d_c=$(awk -F, 'NR == 2 { print $8 }' "$tmp/data.csv")
    alpha=$(awk -F, 'NR == 2 { print $9 }' "$tmp/data.csv")
    # Offsite-Tuning's plug-in points at the data they were tuned on: epochs x WikiText-2's
    # 2,088,628 training tokens, 2 epochs with layer drop, 50 distilled (the repository's
    # scripts/table1 and scripts/table2).
    awk -F, 'NR > 1 && $5 == "plugged" { print ($8 == "distilled" ? 50 : 2) * 2088628, $6, $3 }' \
        "$tmp/points.csv" >"$tmp/ot.dat"
    colors=('#9467bd' '#ff7f0e' '#2ca02c' '#8c564b' '#1f77b4' '#e377c2')
    plots=""
    i=0
    for b in $blocks; do
        c=${colors[$((i % ${#colors[@]}))]}
        awk -F, -v b="$b" 'NR > 1 && $3 == b { print $4, $5, $6 }' "$tmp/data.csv" >"$tmp/b$b.dat"
        k=$(awk -v b="$b" -v m="$m" 'BEGIN { printf "%.2f", b / m }')
        if [ "$b" = "$m" ]; then
            label="SERVER, b = M = $m"
        elif grep -q " $b\$" "$tmp/ot.dat"; then
            label="b = $b (k = $k), the Offsite-Tuning emulator"
        else
            label="LOCAL, b = $b (k = $k)"
        fi
        plots+="'$tmp/b$b.dat' using 1:2 with lines lw 2.5 lc rgb '$c' title '$label', "
        plots+="'$tmp/b$b.dat' using 1:3 with lines lw 1 dt 3 lc rgb '$c' notitle, "
        i=$((i + 1))
    done
    gnuplot <<GP
set terminal pngcairo size 1100,700 font 'sans,11'
set output '$out'
set title "$model: quality against tuning data (a fitted model, docs/models.md section 9)\nPPL(b, D) = PPL_0 (PPL_{plug}(b) / PPL_0)^{1 / (1 + (D_c / D)^{/Symbol a})},  D_c = $d_c token-epochs,  {/Symbol a} = $alpha" font 'sans,12'
set xlabel 'tuning data D = tokens x epochs'
set ylabel 'WikiText-2 perplexity, adapter plugged into the full model'
set logscale x
set format x '10^{%T}'
set xrange [100:1e9]
set grid
set key top right box opaque
set yrange [*:$untuned * 1.4]
set object 1 rect from 1e4, graph 0 to 3e5, graph 1 fc rgb '#eeeeee' fs solid 1.0 noborder behind
set label 1 "default tasks:\\n1e4-1e5 tokens x 1-3 epochs" at 1.15e4, graph 0.08 left tc rgb 'gray30'
set arrow 1 from $d_c, graph 0 to $d_c, graph 1 nohead dt 2 lc rgb 'gray50'
set label 2 'D_c: half the log gain' at $d_c * 1.15, graph 0.5 left tc rgb 'gray30'
plot $plots \
     $untuned with lines lw 1.5 dt 2 lc rgb 'black' title 'untuned model PPL_0 (D = 0)', \
     '$tmp/ot.dat' using 1:2 with points pt 7 ps 1.8 lc rgb 'black' title "Offsite-Tuning's plug-in point at the data it was tuned on", \
     NaN with lines lw 1 dt 3 lc rgb 'gray40' title 'converged value PPL_{plug}(b) (D -> {/Symbol \245})'
GP
    echo "plot-ppl.sh: wrote $out" >&2
    exit 0
fi

out=${1:-$src/docs/img/ppl_curve.png}

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
set label 2 at graph 0.02, graph 0.92 left font 'sans,10' "Lines: the model in src/core/fm.c (docs/models.md section 4).\\nPoints: Offsite-Tuning, WikiText-2 (docs/models.md section 4);\\nopt-2.7b has no published row: its point is derived.\\nAnchor A = PPL(M): full fine-tune where published,\\nelse (P - {/Symbol r} E) / (1 - {/Symbol r}), {/Symbol r} = 0.285.\\n{/Symbol g} = 2 for every profile: each has one emulator size,\\nso the shape between the points is assumed, not fitted.\\nSERVER quality is the anchor; LOCAL uses b <= k_{max} M."
plot [0:1] [0:1] NaN notitle
unset multiplot
GP
echo "plot-ppl.sh: wrote $out" >&2
