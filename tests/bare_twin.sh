#!/usr/bin/env bash
# bare_twin.sh EDGETUNE BARE_TWIN: keeps bench/bare_twin honest. On a small
# generated platform with the channel on (so the log has peak-raised comm
# starts, server and UE executions and busy-link rate changes), the twin's
# replay of edgetune's activities.csv must end at edgetune's makespan (to
# 1e-6 relative), start exactly as many comms as edgetune did, and start
# every activity within 1e-6 s of its logged instant; and the twin must
# refuse what it cannot replay with one error line.
set -u
bin=$(realpath "$1")
twin=$(realpath "$2")
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
in_scratch
num() { awk -v k="$1" '$1 == k { print $2 }' twin.out; }             # a twin `key value` line
summary() { sed -n "s/.*\"$1\":[[:space:]]*\([-0-9.eE+]*\).*/\1/p" run/summary.json; }

cat >scenario.json <<EOF
{
  "platform": "p8.xml",
  "model": "$src/models/opt-2.7b.json",
  "seed": 1,
  "policy": "greedy",
  "tasks": { "per_ue": 3 },
  "channel": { "enabled": true },
  "server": { "admission": "none" },
  "output": { "activity_log": true, "channel_trace": false }
}
EOF
# (Memory admission is off: a job waiting in the server's queue is a gap between a UE's
# activities that no activity explains, and every_activity_on_time below needs none.)
check platform "$bin" platform --ues 8 -o p8.xml
check run_with_log "$bin" run scenario.json --out run -q
check log_has_every_kind sh -c "cut -d, -f3 run/activities.csv | sort -u | tr -d '\n' | grep -qx BCXkind"
check log_counts_every_comm sh -c "[ \$(grep -c ',C,' run/activities.csv) -eq $(summary comms) ]"
check twin_runs sh -c "'$twin' p8.xml run/activities.csv >twin.out"
check same_comm_count sh -c "[ '$(num twin_comms)' = '$(summary comms)' ]"
check same_end_1e-6 awk -v a="$(num twin_end_s)" -v b="$(summary makespan_s)" \
    'BEGIN { d = a - b; if (d < 0) d = -d; print a, b, d / b; exit !(b > 0 && d / b <= 1e-6) }'
# Stronger than the end: with no idle gaps between tasks (tasks.gap_mean_s 0)
# every activity of a UE starts when its previous one ends, so a replay that
# ends any activity late (or early) starts the next one late (or waits).
check every_activity_on_time awk -v late="$(num twin_max_late_s)" -v wait="$(num twin_max_wait_s)" \
    'BEGIN { print late, wait; exit !(late <= 1e-6 && wait <= 1e-6) }'
check every_rate_change_applied sh -c "[ '$(num twin_rate_changes)' = \$(grep -c ',B,' run/activities.csv) ]"

# A metro platform: two cells, each UE served by its own cell's server.
sed 's/"p8.xml"/"m8.xml"/' scenario.json >metro.json
check metro_platform "$bin" platform --ues 8 --cells 2 -o m8.xml
check metro_run "$bin" run metro.json --out metro -q
check metro_twin_same_end sh -c "'$twin' m8.xml metro/activities.csv >twin-metro.out &&
    awk -v a=\$(awk '\$1 == \"twin_end_s\" { print \$2 }' twin-metro.out) \
        -v b=\$(sed -n 's/.*\"makespan_s\":[[:space:]]*\([-0-9.eE+]*\).*/\1/p' metro/summary.json) \
        'BEGIN { d = a - b; if (d < 0) d = -d; print a, b; exit !(b > 0 && d / b <= 1e-6) }'"

# Handover: the highway example (vehicles crossing five cells, channel.handover) with the
# activity log. Each H row cancels the UE's comm at its instant, as edgetune's handover did;
# the bytes left then agree to 1e-6 and the replay ends at edgetune's makespan to 1e-6.
highway_scenario "$src" highway.json
check highway_run "$bin" run highway.json --tasks 4 --out highway -q
check highway_twin_replays_handovers sh -c "'$twin' '$src/platforms/highway-5cell.xml' \
    highway/activities.csv >twin-highway.out 2>twin-highway.err &&
    ! grep -Ev '^==[0-9]+==WARNING: ASan is ignoring|^False positive error reports|^For details see' twin-highway.err &&
    n=\$(grep -c ',H,' highway/activities.csv) && [ \$n -gt 0 ] &&
    grep -qx \"twin_handovers \$n\" twin-highway.out &&
    awk '\$1 == \"twin_handover_bytes_left_max_rel_diff\" { exit !(\$2 <= 1e-6) }' twin-highway.out &&
    awk -v a=\$(awk '\$1 == \"twin_end_s\" { print \$2 }' twin-highway.out) \
        -v b=\$(sed -n 's/.*\"makespan_s\":[[:space:]]*\([-0-9.eE+]*\).*/\1/p' highway/summary.json) \
        'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d / b <= 1e-6) }'"

# What the twin cannot replay, it refuses with one line and exit status 2.
refuses() { # PATTERN ARGS...
    local pattern=$1
    shift
    "$twin" "$@" >/dev/null 2>err.txt
    local rc=$?
    cat err.txt
    [ "$rc" -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "$pattern" err.txt
}
sed '2s/,C,/,W,/' run/activities.csv >wifi.csv
check refuses_wifi_rows refuses "W row" p8.xml wifi.csv
sed '2s/^0,/-1,/' run/activities.csv >bad.csv
check refuses_bad_row refuses "bad.csv: line 2: bad time_s" p8.xml bad.csv
check refuses_unknown_ue refuses "no such UE" "$src/platforms/edge-6ue.xml" run/activities.csv
check refuses_wifi_platform refuses "Wi-Fi" "$src/platforms/edge-6ue-wifi.xml" run/activities.csv

finish
