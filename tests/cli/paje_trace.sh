#!/usr/bin/env bash
# paje_trace.sh EDGETUNE: run --paje on every shipped platform and on generated multi-cell ones;
# each trace is read with pajeng's pj_dump and its task phases, decisions and rates are checked
# against the run's tasks.csv and channel.csv (tests/cli/paje_check.py); the run's own outputs are
# the same bytes with and without --paje. Skipped (77) without pj_dump (Debian's pajeng).
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
command -v pj_dump >/dev/null || { echo "pj_dump not found (apt-get install pajeng): skipped"; exit 77; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3
in_scratch

"$bin" platform --ues 12 --cells 4 -o metro4.xml >/dev/null
"$bin" platform --ues 8 --cells 3 --layout grid --shared-server -o metro3s.xml >/dev/null
"$bin" platform --ues 5 --wifi --seed 3 -o wifi5.xml >/dev/null

# trace NAME ARGS...: one run with and one without --paje; pj_dump must read the trace, and
# tasks.csv, channel.csv and summary.json's result must not change.
trace() {
    local name=$1
    shift
    check "${name}_runs" "$bin" run "$@" --out "$name" --paje "$name.paje" -q
    check "${name}_pj_dump" sh -c "pj_dump '$name.paje' > '$name.dump'"
    check "${name}_phases_decisions_rates" "$py" "$src/tests/cli/paje_check.py" "$name/tasks.csv" \
        "$name/channel.csv" "$name.dump"
    "$bin" run "$@" --out "$name.plain" -q
    check "${name}_outputs_unchanged" sh -c "cmp '$name/tasks.csv' '$name.plain/tasks.csv' &&
        cmp '$name/channel.csv' '$name.plain/channel.csv' &&
        '$py' -c 'import json, sys; a, b = (json.load(open(p))[\"result\"] for p in sys.argv[1:]); sys.exit(a != b)' \
            '$name/summary.json' '$name.plain/summary.json'"
}

for xml in "$src"/platforms/*.xml; do
    trace "$(basename "$xml" .xml)" --platform "$xml" --tasks 3
done
# The mixed platform with its Wi-Fi cell moved after the cellular ones: beyond SimGrid 3.32's
# tracer (docs/platforms.md section 8), so refused before anything runs, with one line naming
# the file, --paje and the WIFI link; the run itself works without --paje.
"$py" - "$src/platforms/mixed-3cell.xml" mixed-late.xml <<'PY'
import sys
s = open(sys.argv[1]).read()
a, b = s.index("    <!-- Wi-Fi cell 'cafe'"), s.index("    <!-- Cellular cell 'macro'")
c = s.index("    <!-- The edge server")
open(sys.argv[2], "w").write(s[:a] + s[b:c] + s[a:b] + s[c:])
PY
"$bin" run --platform mixed-late.xml --tasks 3 --out mixed --paje mixed.paje -q 2>mixed.err
check mixed_late_wifi_paje_refused sh -c "[ $? -eq 2 ] && [ \$(wc -l < mixed.err) -eq 1 ] &&
    grep -q \"mixed-late.xml: --paje: SimGrid 3.32's tracer cannot trace this platform: WIFI link 'cafe_air': its zone is not in the root zone's first zone\" mixed.err &&
    [ ! -e mixed ] && [ ! -e mixed.paje ]"
check mixed_late_wifi_runs_without_paje "$bin" run --platform mixed-late.xml --tasks 3 \
    --out mixed.plain -q
trace metro4 --platform metro4.xml --tasks 3
trace metro3s --platform metro3s.xml --tasks 3
trace wifi5 --platform wifi5.xml --tasks 3
# Local tuning (and its upload), random decisions and static links.
trace all_local --policy all-local --tasks 3
trace random --policy random --tasks 4 --seed 2
echo '{"channel": {"enabled": false}}' > static.json
trace static static.json --tasks 2

# Handover: the highway example (vehicles crossing five cells) with the activity log; each comm
# a handover cancelled (activities.csv kind H) starts a `handover` state of its UE, which lasts
# at most the interruption, and the phases with the handover states folded in are tasks.csv's.
PY=$py highway_scenario "$src" highway.json
check highway_runs "$bin" run highway.json --tasks 4 --out highway --paje highway.paje -q
check highway_pj_dump sh -c "pj_dump highway.paje > highway.dump"
check highway_handover_states "$py" "$src/tests/cli/paje_check.py" highway/tasks.csv \
    highway/channel.csv highway.dump highway/activities.csv 0.05
"$bin" run highway.json --tasks 4 --out highway.plain -q
check highway_outputs_unchanged sh -c "cmp highway/tasks.csv highway.plain/tasks.csv &&
    cmp highway/channel.csv highway.plain/channel.csv && cmp highway/activities.csv highway.plain/activities.csv"

# What the docs say about the metro platform: containers, states and variables are there.
check metro_has_link_rates sh -c "grep -q '^Variable, wl_ue0_UP, rate_bps,' metro-9ue-3cell.dump"
check metro_server_queue sh -c "grep -q '^Variable, server, queue,' metro-9ue-3cell.dump &&
    grep -q '^Variable, server, memory_used_bytes,' metro-9ue-3cell.dump"
check no_platform_copy_left sh -c "! ls \"\${TMPDIR:-/tmp}\"/edgetune-paje-platform-* 2>/dev/null | grep -q ."
finish
