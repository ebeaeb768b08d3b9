#!/usr/bin/env bash
# cli_outputs.sh EDGETUNE: what a user sees from a normal run: the outputs
# exist with their documented headers, help and version work, the two OFDMA
# platform layouts agree, and a Paje trace is written on request.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
in_scratch

check help "$bin" --help
check version sh -c "'$bin' --version | grep -q '^edgetune [0-9]'"
check run_help sh -c "'$bin' run --help | grep -q -- '--policy'"
check keys sh -c "'$bin' keys | grep -q 'tasks.per_ue'"
check policies sh -c "'$bin' policies | grep -qP '^hmppo\\t' && '$bin' policies | grep -qP '^greedy\\t'"
check run_default "$bin" run --tasks 3 --out run -q
# README.md shows the default run's summary: it is what the shipped default prints (only the
# wall time and the output folder may differ).
check readme_summary_is_the_default_run python3 -c '
import re, subprocess, sys
readme = open(sys.argv[2] + "/README.md").read()
shown = re.search(r"```\n(edgetune: 6 UEs x 50 tasks.*?)```", readme, re.S).group(1)
ran = subprocess.run([sys.argv[1], "run", "--out", "readme_run"], capture_output=True, text=True, check=True).stdout
mask = lambda t: re.sub(r"in [0-9.]+ s wall; outputs in \S+", "in W s wall; outputs in D", t)
assert mask(shown) == mask(ran), "README.md shows:\n" + shown + "the default run prints:\n" + ran' "$bin" "$src"
# getopt_long: "--opt=value" and "--opt value" are the same run; SimGrid's help passes through.
check option_equals_form sh -c "'$bin' run --tasks=3 --out=run_eq -q && cmp run/tasks.csv run_eq/tasks.csv"
check simgrid_help_cfg sh -c "'$bin' run --help-cfg 2>&1 | grep -q 'network/model'"
check simgrid_help_models sh -c "'$bin' run --help-models 2>&1 | grep -q 'CM02'"
check tasks_header sh -c "head -1 run/tasks.csv | grep -q '^episode,ue,ue_name,task,start_s,end_s,location,keep,b,'"
check tasks_rows sh -c "[ \$(wc -l < run/tasks.csv) -eq 19 ]"
check channel_header sh -c "head -1 run/channel.csv | grep -qx 'episode,time_s,ue,x_m,y_m,distance_m,snr_up_db,snr_down_db,rate_up_bps,rate_down_bps,los,cell,ue_name,class,radio'"
# The default UMa cell: every row has a LOS state (1 or 0), both occur, and the serving cell is
# the implicit one of a single-cell platform.
check channel_los_and_cell awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { if (($c["los"] != "0" && $c["los"] != "1") || $c["cell"] != "cell") bad++; n[$c["los"]]++ }
    END { if (bad || !n["0"] || !n["1"]) { print bad " bad rows, " n["0"] " NLOS, " n["1"] " LOS"; exit 1 } }' run/channel.csv
# The outputs stand alone: tasks.csv names each task's cell and server (none for LOCAL),
# channel.csv each row's UE name and class, as tasks.csv does for the same UE index.
check tasks_cell_and_server awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { if ($c["cell"] != "cell" || ($c["location"] == "SERVER") != ($c["server"] == "server")) bad++; n++ }
    END { if (!n || bad) { print bad " of " n " rows name no cell or the wrong server"; exit 1 } }' run/tasks.csv
check channel_names_match_tasks awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
    FILENAME ~ /tasks/ { name[$c[FILENAME, "ue"]] = $c[FILENAME, "ue_name"]; cls[$c[FILENAME, "ue"]] = $c[FILENAME, "device_class"]; next }
    { u = $c[FILENAME, "ue"]; if ((u in name) && ($c[FILENAME, "ue_name"] != name[u] || $c[FILENAME, "class"] != cls[u])) bad++; n++ }
    END { if (!n || bad) { print bad " of " n " rows disagree"; exit 1 } }' run/tasks.csv run/channel.csv
# summary.json's breakdowns per UE, class and cell add up to its totals.
check summary_breakdowns_add_up python3 -c '
import json, sys
r = json.load(open("run/summary.json"))["result"]
for part in (r["per_ue"], list(r["per_class"].values()), list(r["per_cell"].values())):
    assert sum(g["tasks"] for g in part) == r["tasks"], part
    assert sum(g["failed"] for g in part) == r["failed"]
    assert sum(g["late"] for g in part) == r["late"]
    assert sum(g["local"] for g in part) == r["local"]
    assert sum(g["done"] for g in part) == r["tasks"] - r["failed"]
    d = sum(g["mean_delay_s"] * g["tasks"] for g in part if g["tasks"])
    assert abs(d - r["total_delay_s"]) <= 1e-9 * (1 + abs(d)), (d, r["total_delay_s"])
    w = sum(g["mean_reward"] * g["tasks"] for g in part if g["tasks"])
    assert abs(w - r["episodic_reward"]) <= 1e-9 * (1 + abs(w)), (w, r["episodic_reward"])
assert [u["ue"] for u in r["per_ue"]] == list(range(r["ues"]))
assert sum(c["ues"] for c in r["per_class"].values()) == r["ues"]
'
check summary_json sh -c "grep -q '\"episodic_reward\"' run/summary.json && grep -q '\"tasks.per_ue\"' run/summary.json"
check summary_run_metadata sh -c "grep -q '\"simgrid\":' run/summary.json && grep -q '\"blas_kernel\":' run/summary.json && grep -q '\"commit\":' run/summary.json"
# The commit is the one the sources were built from (stamped at build time, with -dirty for
# uncommitted changes), not the one the build directory was configured at.
# (A build stamped before the last commit cannot know it, even if it linked later: then the
# check is skipped. The stamp file is rewritten only when the commit it names changes.)
stamp=$(dirname "$bin")/generated/et_commit.c
if head=$(git -C "$src" rev-parse --short=12 HEAD 2>/dev/null) && [ -f "$stamp" ] &&
    [ "$(stat -c %Y "$stamp")" -ge "$(git -C "$src" log -1 --format=%ct)" ]; then
    check summary_commit_is_the_build_s python3 -c '
import json, re, sys
c = json.load(open("run/summary.json"))["run"]["commit"]
assert re.fullmatch(sys.argv[1] + "(-dirty)?", c), (c, sys.argv[1])' "$head"
fi
# The phases of every task that ran add up to its delay (columns found by header name).
check tasks_phases_sum_to_delay awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { s = $c["query_s"] + $c["download_s"] + $c["upload_s"] + $c["wait_s"] + $c["compute_s"] + $c["result_s"];
      d = s - $c["delay_s"]; if (d < -1e-6 * (1 + $c["delay_s"]) || d > 1e-6 * (1 + $c["delay_s"])) bad++; n++ }
    END { if (!n || bad) { print bad " of " n " rows do not add up"; exit 1 } }' run/tasks.csv
check tasks_device_class sh -c "cut -d, -f20 run/tasks.csv | sort -u | grep -qx phone"
# Version 2 of the model by keys (examples/version2.json): nothing waits for server memory, no
# load query, no deadline, and more jobs run at once than one 24 GB accelerator could hold.
check version2_by_keys sh -c "'$bin' run '$src/examples/version2.json' --tasks 10 --out v2 -q &&
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
      \$c[\"wait_s\"] != 0 || \$c[\"query_s\"] != 0 || \$c[\"deadline_s\"] != 0 || \$c[\"failure\"] == \"deadline\" { bad++ }
      END { exit bad > 0 }' v2/tasks.csv &&
    tr -d ' \t\n' < v2/summary.json | grep -o '\"peak_memory_bytes\":[0-9.e+]*' | cut -d: -f2 |
    awk '{ exit !(\$1 > 24e9) }'"
check no_temporaries sh -c "[ -z \"\$(ls -A run | grep tmp)\" ]"
check full_routing_platform "$bin" platform --ues 6 --full-routing -o full.xml
check layouts_agree sh -c "'$bin' run --tasks 5 --out a -q && '$bin' run --tasks 5 --platform full.xml --out b -q && cmp a/tasks.csv b/tasks.csv"
check paje_trace sh -c "'$bin' run --tasks 2 --platform full.xml --paje t.paje --out p -q && grep -q PajeSetVariable t.paje && [ -z \"\$(find . -maxdepth 1 -name '*.tmp')\" ]"
check big_platform sh -c "'$bin' platform --ues 10000 -o big.xml && [ \$(grep -c 'role\" value=\"ue' big.xml) -eq 10000 ]"
check big_platform_runs "$bin" run --platform big.xml --ues 200 --tasks 1 --no-channel-trace --out big -q

# The metro example of docs/platforms.md section 4.1, run exactly as written there.
metro_cmd=$(grep -m1 '^edgetune platform --ues 70 --cells 7 ' "$src/docs/platforms.md")
check metro_doc_example_is_in_the_docs test -n "$metro_cmd"
check metro_doc_example sh -c "'$bin' ${metro_cmd#edgetune } && [ \$(grep -c 'role\" value=\"ap' metro-umi.xml) -eq 7 ] && [ \$(grep -c 'role\" value=\"ue' metro-umi.xml) -eq 70 ] && [ \$(grep -c 'role\" value=\"server' metro-umi.xml) -eq 1 ]"
check metro_platform_loads_and_runs "$bin" run --platform metro-umi.xml --tasks 1 --no-channel-trace --out metro -q
# A multi-cell run names the cells in tasks.csv and summary.json's per_cell alike.
check metro_cells_named python3 -c '
import csv, json
rows = list(csv.DictReader(open("metro/tasks.csv")))
cells = json.load(open("metro/summary.json"))["result"]["per_cell"]
assert len(cells) == 7 and all(r["cell"] in cells for r in rows), cells
for name, g in cells.items():
    assert g["tasks"] == sum(r["cell"] == name for r in rows), name
'
check metro_help_lists_the_options sh -c "'$bin' platform --help | grep -q -- '--cells K' && '$bin' platform --help | grep -q -- '--server-flops'"

# Two processes, one output folder: the second is refused with one line (exit 2) while the
# first writes; the first's files land whole. (Temporaries carry their process's id.)
two_into_one() { # CMD...: a long first process, then the same command as a second one
    rm -rf cc && mkdir cc
    "$bin" "$@" --seed 1 --out cc -q 2>first.txt &
    local first=$! n=0
    until [ -n "$(ls -A cc)" ] || [ "$n" -ge 400 ]; do
        sleep 0.05
        n=$((n + 1))
    done
    "$bin" "$@" --seed 2 --out cc -q 2>second.txt
    local rc2=$?
    wait "$first"
    local rc1=$?
    [ "$rc1" -eq 0 ] && [ "$rc2" -eq 2 ] && [ "$(wc -l <second.txt)" -eq 1 ] &&
        grep -q '^edgetune: error: cc: another edgetune process is writing into this directory' second.txt &&
        [ -z "$(find cc -name '*.tmp')" ]
}
two_into_one run --tasks 2000 && ok second_run_refused || bad second_run_refused
check first_run_is_whole sh -c "grep -q '\"seed\":	1,' cc/summary.json && [ \$(wc -l < cc/tasks.csv) -eq 12001 ]"
scen2=$(mktemp --suffix=.json)
printf '{ "tasks": { "per_ue": 3 }, "train": { "checkpoint_every": 1 } }\n' >"$scen2"
two_into_one train "$scen2" --episodes 400 --restart && ok second_training_refused ||
    bad second_training_refused
rm -f "$scen2"

# What is traced changes nothing else: the engine's activities (every comm, execution and rate,
# to 17 digits) are the same with channel.csv for every UE, for two of them every third update,
# and without it. A random-waypoint UE's walk must not be stepped by its trace rows.
for tr in 'all:"channel_trace": true' 'none:"channel_trace": false' \
    'some:"channel_ues": 2, "channel_every": 3'; do
    printf '{ "platform": "%s", "model": "%s", "tasks": { "per_ue": 12 },
  "output": { "activity_log": true, %s } }\n' "$src/platforms/edge-6ue.xml" \
        "$src/models/opt-2.7b.json" "${tr#*:}" >"tr_${tr%%:*}.json"
    "$bin" run "tr_${tr%%:*}.json" --out "tr_${tr%%:*}" -q
done
check tracing_changes_no_activity sh -c "cmp tr_all/activities.csv tr_none/activities.csv &&
    cmp tr_all/activities.csv tr_some/activities.csv && cmp tr_all/tasks.csv tr_none/tasks.csv &&
    [ ! -e tr_none/channel.csv ] && [ \$(cut -d, -f3 tr_some/channel.csv | sort -u | wc -l) -eq 3 ]"

# A mixed platform (docs/platforms.md section 8): each UE's radio is its cell's. The Wi-Fi
# cell's stations get its MCS rates times channel.wifi_mac_efficiency (0.85) in both
# directions; the cellular UEs carrier shares, which are not Wi-Fi levels; the radio column
# says which, in both files.
check mixed_runs "$bin" run "$src/examples/mixed.json" --tasks 3 --out mixed -q
check mixed_rates_follow_each_cells_radio awk -F, '
    BEGIN { split("390 351 292.5 263.25 234 175.5 117 87.75 58.5 29.25", m, " ")
            for (k in m) level[sprintf("%.0f", m[k] * 1e6 * 0.85)] = 1 }
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { wifi = $c["cell"] == "cafe"; if ($c["radio"] != (wifi ? "wifi" : "cellular")) bad++
      lv = ($c["rate_up_bps"] in level) + ($c["rate_down_bps"] in level)
      if (wifi) { nw++; if (lv != 2) bad++ } else { nc++; if (lv == 2) bad++ } }
    END { exit !(bad == 0 && nw > 0 && nc > 0) }' mixed/channel.csv
check mixed_tasks_say_each_radio awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { n++; if ($c["radio"] != ($c["cell"] == "cafe" ? "wifi" : "cellular")) bad++ }
    END { exit !(n == 18 && bad == 0) }' mixed/tasks.csv

finish
