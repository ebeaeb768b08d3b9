#!/usr/bin/env bash
# ladder.sh [OUT_DIR] [COMPARE OPTIONS...]: the study of docs/results.md on every rung of the
# ladder of scenarios (examples/ladder-*.json): `edgetune compare` with 5 seeds and 5 validation
# episodes per rung, into OUT_DIR/<rung>/ (default OUT_DIR: out/ladder), then the learning
# curves of each (examples/plot-study.sh, python3 -m edgetune.plot). Options after OUT_DIR go to
# every compare; --seeds and --validation there replace the study's 5 and 5: for example
# `bash examples/ladder.sh out/quick --episodes 300 --seeds 2`. About 15-20 minutes per rung
# on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${EDGETUNE:-$here/../build/edgetune}
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 0
fi
out=${1:-out/ladder}
[ $# -gt 0 ] && shift
[ -x "$bin" ] || { echo "ladder.sh: $bin: no such program (build first: bash scripts/setup.sh)" >&2; exit 2; }
# edgetune refuses an option given twice: the study's own --seeds/--validation only when the
# caller gives none.
own=()
[[ " $* " == *" --seeds "* ]] || own+=(--seeds 5)
[[ " $* " == *" --validation "* ]] || own+=(--validation 5)
for scen in "$here"/ladder-*.json; do
    rung=$(basename "$scen" .json)
    rung=${rung#ladder-}
    echo "ladder.sh: $rung" >&2
    "$bin" compare "$scen" "${own[@]}" "$@" --out "$out/$rung"
    bash "$here/plot-study.sh" "$out/$rung" >/dev/null || echo "ladder.sh: no figures for $rung (python3 -m edgetune.plot needs python3-matplotlib)" >&2
done
echo "ladder.sh: the studies are in $out/<rung>/compare.md" >&2
