#!/usr/bin/env bash
# figures.sh: redraws every figure in docs/img with python3 -m edgetune.plot (docs/figures.md),
# from the repository's root (build/ and out/ are read there):
#   delay_cdf, classes, channel  the default scenario run by greedy and all-server
#                                (out/figures/greedy, out/figures/all-server: a second each)
#   regime                       out/regime (edgetune regime --out out/regime, run when missing:
#                                80 s on 2 cores)
#   ppl_curve, ppl_data          the fitted perplexity model, from build/ppl_curve
#   ladder_<rung>                out/study/<rung>/ (examples/ladder.sh's study: hours), when there
#   sweep-speed-*, sweep-ues-*   out/sweep-speed/, out/sweep-ues/ (docs/sweeps.md), when there
# A figure whose data is missing is kept as it is, and said so.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
py=$(bash "$src/scripts/python-with-numpy.sh")
img=docs/img
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plot() { PYTHONPATH=$src/python "$py" -m edgetune.plot "$@" --format png >/dev/null; }
keep() { echo "figures.sh: $1: no data ($2); $img/$1.png kept as it is" >&2; }

for p in greedy all-server; do build/edgetune run --policy "$p" --out "out/figures/$p" -q; done
plot run out/figures/greedy out/figures/all-server -o "$tmp/run"
plot run out/figures/greedy -o "$tmp/one"
cp "$tmp/run/delay_cdf.png" "$tmp/one/classes.png" "$tmp/one/channel.png" "$img/"
[ -f out/regime/regime.csv ] || build/edgetune regime --out out/regime
plot regime out/regime -o "$img"
plot ppl -o "$img" --tool build/ppl_curve
plot ppl --data -o "$img" --tool build/ppl_curve
for rung in 1-default 2-bursty 3-mobile 4-9ue 5-metro; do
    if [ -f "out/study/$rung/curves.csv" ]; then
        plot study "out/study/$rung" --name "ladder_$rung" -o "$tmp/$rung"
        cp "$tmp/$rung/ladder_$rung.png" "$img/"
    else
        keep "ladder_$rung" "out/study/$rung/curves.csv"
    fi
done
for sweep in sweep-speed sweep-ues; do
    if [ -f "out/$sweep/points.csv" ]; then
        plot sweep "out/$sweep" --prefix "$sweep" -o "$tmp/$sweep"
        cp "$tmp/$sweep/$sweep-mean_delay_s.png" "$tmp/$sweep/$sweep-mean_ppl.png" "$img/"
    else
        keep "$sweep-*" "out/$sweep/points.csv"
    fi
done
echo "figures.sh: $img redrawn" >&2
