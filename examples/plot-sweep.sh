#!/usr/bin/env bash
# plot-sweep.sh SWEEP_DIR [PREFIX]: PNG plots of an edgetune sweep (gnuplot), from points.csv.
#   SWEEP_DIR/plots/METRIC-vs-KEY.png   each metric's mean against each swept key, one line per
#                                       policy (and per value of the other swept keys) with its
#                                       95% interval over seeds as a band
# A key whose values repeat an earlier key's (speed_min = speed_max) is drawn once; keys with
# values that are not numbers are left out. PREFIX names the files PREFIX-METRIC-vs-KEY.png.
set -euo pipefail
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    echo "usage: bash examples/plot-sweep.sh SWEEP_DIR [PREFIX]" >&2
    exit 2
fi
command -v gnuplot >/dev/null || { echo "plot-sweep.sh: gnuplot is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }
dir=$1
prefix=${2:+$2-}
csv=$dir/points.csv
[ -f "$csv" ] || { echo "plot-sweep.sh: $csv: no such file (an edgetune sweep's output?)" >&2; exit 2; }
mkdir -p "$dir/plots"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
header=$(head -1 "$csv")
IFS=, read -r -a cols <<<"$header"
# Swept keys: the columns between "point" and "policy"; metrics: the columns NAME_mean.
keys=()
metrics=()
policy_col=0
for i in "${!cols[@]}"; do
    c=${cols[$i]}
    [ "$c" = policy ] && policy_col=$((i + 1))
    if [ "$policy_col" -eq 0 ] && [ "$i" -gt 0 ]; then keys+=("$((i + 1)):$c"); fi
    case "$c" in *_mean) metrics+=("${c%_mean}") ;; esac
done
[ ${#keys[@]} -gt 0 ] || { echo "plot-sweep.sh: $csv: no swept keys to plot against" >&2; exit 2; }
col_of() { awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) print i }' "$csv"; }

seen=""
n_plots=0
for kc in "${keys[@]}"; do
    k=${kc%%:*}
    key=${kc#*:}
    # Left out: keys with a value that is not a number, and keys that repeat an earlier one.
    values=$(awk -F, -v k="$k" 'NR > 1 { print $k }' "$csv")
    if grep -qvE '^-?[0-9.]+([eE][-+]?[0-9]+)?$' <<<"$values"; then continue; fi
    if grep -qxF -- "$(tr '\n' ' ' <<<"$values")" <<<"$seen"; then continue; fi
    # Keys with the same values as this one move with it: they do not split its lines.
    same=""
    for oc in "${keys[@]}"; do
        o=${oc%%:*}
        [ "$(awk -F, -v k="$o" 'NR > 1 { print $k }' "$csv")" = "$values" ] && same+=" $o"
    done
    seen+=$'\n'"$(tr '\n' ' ' <<<"$values")"
    values=$(tr '\n' ' ' <<<"$values")
    for m in "${metrics[@]}"; do
        mean=$(col_of "${m}_mean")
        lo=$(col_of "${m}_lo")
        hi=$(col_of "${m}_hi")
        # One data file per line: the policy and the other swept keys' values name it.
        rm -f "$tmp"/line-*
        awk -F, -v k="$k" -v same="$same " -v pc="$policy_col" -v mean="$mean" -v lo="$lo" -v hi="$hi" \
            -v tmp="$tmp" 'NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
            $mean != "nan" {
                label = $pc
                for (i = 2; i < pc; i++) if (index(same, " " i " ") == 0) label = label ", " name[i] "=" $i
                if (!(label in id)) { id[label] = ++n; print label > (tmp "/labels") }
                l = ($lo == "nan") ? $mean : $lo
                h = ($hi == "nan") ? $mean : $hi
                print $k, $mean, l, h > (tmp "/line-" id[label])
            }' "$csv"
        [ -f "$tmp/labels" ] || continue
        plots=()
        i=1
        while IFS= read -r label; do
            sort -g "$tmp/line-$i" >"$tmp/sorted-$i"
            plots+=("'$tmp/sorted-$i' using 1:3:4 with filledcurves fs transparent solid 0.18 noborder lc $i notitle")
            plots+=("'$tmp/sorted-$i' using 1:2 with linespoints lw 2 pt 7 lc $i title '${label//\'/}'")
            i=$((i + 1))
        done <"$tmp/labels"
        rm -f "$tmp/labels"
        logx=$(awk '{ for (i = 1; i <= NF; i++) { if (min == "" || $i < min) min = $i; if ($i > max) max = $i } }
            END { print (min > 0 && max / min >= 20) ? "set logscale x" : "" }' <<<"$values")
        joined=$(IFS=,; echo "${plots[*]}")
        gnuplot <<GP
set terminal pngcairo size 900,560 font 'sans,11'
set output '$dir/plots/$prefix$m-vs-$key.png'
set datafile separator whitespace
set title '$m against $key (mean and 95% interval over seeds)' noenhanced
set xlabel '$key' noenhanced
set ylabel '$m' noenhanced
set key below noenhanced
set grid
$logx
plot $joined
GP
        n_plots=$((n_plots + 1))
    done
done
echo "plot-sweep.sh: $n_plots plots in $dir/plots/"
