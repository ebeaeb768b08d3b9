#!/usr/bin/env bash
# cli_limits.sh EDGETUNE: what a run may cost is bounded, and a run's outputs are
# committed together. A scenario expected to exceed limits.sim_time_s or
# limits.output_bytes is refused before it starts (exit 2, the key named), and what the
# platform's UE count alone decides is refused before SimGrid loads the platform; one that
# reaches a limit while it runs stops (exit 3, the key named) and leaves the previous
# outputs as they were; when summary.json cannot be written, none of the new files
# replaces an old one and no temporary file remains.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
in_scratch

# scenario FILE JSON-MEMBERS: the default platform and model plus the members given.
scenario() {
    echo "{ \"platform\": \"$src/platforms/edge-6ue.xml\", \"model\": \"$src/models/opt-2.7b.json\"$2 }" >"$1"
}
# refused NAME WANT-STATUS KEY COMMAND...: fails with WANT-STATUS and one error line naming KEY
# (a warning may come before it).
refused() {
    local name=$1 want=$2 key=$3
    shift 3
    "$@" >out.txt 2>err.txt
    local rc=$?
    if [ "$rc" -eq "$want" ] && [ "$(grep -c '^edgetune: error: ' err.txt)" -eq 1 ] &&
        grep -q "^edgetune: error: .*: key '$key'" err.txt; then
        ok "$name"
    else
        bad "$name (status $rc)"
        sed 's/^/     | /' err.txt | head -5
    fi
}

# 1. Refused up front: the adversarial scenarios of issue 9.
scenario gap.json ', "tasks": { "gap_mean_s": 1e9 }'
refused gap_at_its_maximum_is_refused 2 limits.sim_time_s "$bin" run gap.json --out x -q
scenario bytes.json ', "tasks": { "bytes_per_token": 1e6, "tokens_min": 1e12, "tokens_max": 1e12 }'
refused huge_data_sets_are_refused 2 limits.sim_time_s "$bin" run bytes.json --out x -q
refused training_refuses_them_too 2 limits.sim_time_s "$bin" train bytes.json --episodes 2 --out x -q
scenario trace.json ', "tasks": { "gap_mean_s": 1e5 }'
refused a_huge_channel_trace_is_refused 2 limits.output_bytes "$bin" run trace.json --out x -q
check nothing_was_created test ! -e x
# ... and run when the limit is lifted or the trace thinned (only checked to start: -q and
# a tiny episode).
scenario thin.json ', "tasks": { "gap_mean_s": 1e5, "per_ue": 2 }, "output": { "channel_every": 1000 }'
check a_thinned_trace_runs "$bin" run thin.json --out thin -q

# 2. Stopped while running: the previous outputs stay.
"$bin" run --tasks 5 --out r -q && md5sum r/* >before.md5 || bad previous_run
scenario time.json ', "limits": { "sim_time_s": 3000 }'
refused sim_time_limit_stops_the_run 3 limits.sim_time_s "$bin" run time.json --out r -q
check sim_time_limit_leaves_the_previous_outputs sh -c "md5sum -c --quiet before.md5"
check sim_time_limit_leaves_no_tmp no_tmp r
scenario bytes-cap.json ', "limits": { "output_bytes": 1.5e6 }'
refused output_limit_stops_the_run 3 limits.output_bytes "$bin" run bytes-cap.json --out r -q
check output_limit_leaves_the_previous_outputs sh -c "md5sum -c --quiet before.md5"
check output_limit_leaves_no_tmp no_tmp r
# A run near a limit is warned about (and runs).
# (The default episode lasts 4,945 s; it is expected to last at least 1,310 s.)
scenario near.json ', "limits": { "sim_time_s": 8000 }'
check near_a_limit_warns sh -c "'$bin' run near.json --out near -q 2>near.txt && grep -q '^edgetune: warning: .*limits.sim_time_s' near.txt && [ -f near/summary.json ]"
refused eval_stops_at_the_limit 3 limits.sim_time_s "$bin" eval time.json --policy greedy --episodes 2 --out e -q
check eval_leaves_no_tmp sh -c "[ ! -e e ] || [ -z \"\$(ls -A e)\" ]"

# 3. All outputs or none: summary.json cannot be written (a directory where its temporary
#    goes: .summary.json.<pid>.tmp, made by the process that then becomes edgetune).
sh -c 'mkdir "r/.summary.json.$$.tmp" && exec "$0" run --tasks 5 --seed 2 --out r -q' "$bin" 2>err.txt
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'summary.json' err.txt && md5sum -c --quiet before.md5; then
    ok unwritable_summary_keeps_every_previous_output
else
    bad "unwritable_summary_keeps_every_previous_output (status $rc)"
    sed 's/^/     | /' err.txt
fi
rmdir r/.summary.json.*.tmp
check unwritable_summary_leaves_no_tmp no_tmp r
# A directory where summary.json goes: refused before any file is replaced.
mkdir -p d && "$bin" run --tasks 5 --out d -q && rm d/summary.json && mkdir d/summary.json &&
    md5sum d/tasks.csv d/channel.csv >d.md5
"$bin" run --tasks 5 --seed 2 --out d -q 2>err.txt
if [ $? -eq 1 ] && md5sum -c --quiet d.md5 && no_tmp d; then ok summary_in_the_way_keeps_the_others; else
    bad summary_in_the_way_keeps_the_others
    sed 's/^/     | /' err.txt
fi
# A file-size limit (ulimit -f): the write fails, one line names the file and the reason
# (exit 1), the temporaries go, the previous files stay.
(ulimit -f 20 && exec "$bin" run --tasks 40 --seed 3 --out r -q) 2>err.txt
rc=$?
if [ "$rc" -eq 1 ] && [ "$(lines err.txt)" -eq 1 ] &&
    grep -q '^edgetune: error: r/[a-z]*\.csv: cannot write: File too large$' err.txt &&
    md5sum -c --quiet before.md5 && no_tmp r; then
    ok file_size_limit_is_one_line_and_no_temporaries
else
    bad "file_size_limit_is_one_line_and_no_temporaries (status $rc)"
    sed 's/^/     | /' err.txt
fi
# An address-space limit (ulimit -v) too small for the episode's actors: one line, exit 1,
# not SimGrid's abort ("Failed to allocate stack"), and the process ends (OpenBLAS's threads
# would otherwise retry their allocation forever).
# (Not under AddressSanitizer, which maps terabytes of shadow memory before main.) 150,000 KiB:
# the default episode's 8 actors need 64 MiB of stacks beside the 85 MiB the process uses.
if grep -qa __asan_init "$bin"; then
    echo "skip address_space_limit_is_one_line: a sanitizer build cannot run under ulimit -v"
    rc=skip
else
    (ulimit -v 150000 && exec timeout -s KILL 60 "$bin" run --tasks 5 --out r -q) 2>err.txt
    rc=$?
fi
if [ "$rc" = skip ]; then
    :
elif [ "$rc" -eq 1 ] && [ "$(lines err.txt)" -eq 1 ] &&
    grep -q '^edgetune: error: not enough address space for the episode' err.txt &&
    md5sum -c --quiet before.md5 && no_tmp r; then
    ok address_space_limit_is_one_line
else
    bad "address_space_limit_is_one_line (status $rc)"
    sed 's/^/     | /' err.txt | head -5
fi
# One actor per UE (docs/simulation.md, "Actors"): 20,000 UEs run under Linux's default
# 65,530 memory mappings with guard pages, where two actors per UE aborted SimGrid ("Failed to
# protect stack"). One idle-heavy task each and no channel: a few seconds. An episode whose
# actors' guard pages would pass vm.max_map_count is refused before the platform loads: one
# line, exit 1, naming the option that lifts it.
maps=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
# (Not under a sanitizer: its allocator maps the stacks its own way, and 20,000 actors there are slow.)
if grep -qa __asan_init "$bin"; then
    echo "skip twenty_thousand_ues_run_under_the_mapping_limit, mapping_limit_is_one_line: a sanitizer build"
elif [ "$maps" -gt 0 ] && [ "$maps" -le 1000000 ]; then
    "$bin" platform --ues 20000 --cells 200 -o p20k.xml >/dev/null 2>&1
    echo "{ \"platform\": \"p20k.xml\", \"model\": \"$src/models/opt-2.7b.json\", \"tasks\": { \"per_ue\": 1 }, \"channel\": { \"enabled\": false } }" >p20k.json
    check twenty_thousand_ues_run_under_the_mapping_limit sh -c "'$bin' run p20k.json --out r20k -q && [ \$(wc -l <r20k/tasks.csv) -eq 20001 ]"
    rm -f p20k.xml
    n=$((maps / 2 + 1000))
    "$bin" platform --ues "$n" --cells $(((n + 99) / 100)) -o pmaps.xml >/dev/null 2>&1
    sed 's/p20k.xml/pmaps.xml/' p20k.json >pmaps.json
    "$bin" run pmaps.json --out rmaps -q >out.txt 2>err.txt
    rc=$?
    if [ "$rc" -eq 1 ] && [ "$(lines err.txt)" -eq 1 ] && [ ! -e rmaps/tasks.csv ] &&
        grep -q "^edgetune: error: not enough memory mappings for the episode's $((n + 2)) actors: .*--cfg=contexts/guard-size:0" err.txt; then
        ok mapping_limit_is_one_line
    else
        bad "mapping_limit_is_one_line (status $rc)"
        sed 's/^/     | /' err.txt | head -5
    fi
    rm -f pmaps.xml
else
    echo "skip twenty_thousand_ues_run_under_the_mapping_limit, mapping_limit_is_one_line: vm.max_map_count is $maps"
fi
# Training that stops at a limit writes nothing (no header-only train.csv).
refused training_stops_at_the_limit 3 limits.sim_time_s "$bin" train time.json --episodes 2 --out tl -q
check training_at_the_limit_leaves_no_log sh -c '[ ! -e tl/train.csv ] && [ ! -e tl/checkpoint.ckpt ] && [ -z "$(find tl -name "*.tmp")" ]'
# A platform latency counts in the up-front estimate: 1e9 s links are refused before the run.
sed 's|<link id="backhaul" bandwidth="10000000000bps" latency="0.002s"|<link id="backhaul" bandwidth="10000000000bps" latency="1000000000s"|' \
    "$src/platforms/edge-6ue.xml" >slow.xml
refused a_huge_latency_is_refused_up_front 2 limits.sim_time_s "$bin" run --platform slow.xml --out x -q

# 4. Refused before the platform is loaded. What the UE count decides (the tasks.csv rows, the
#    actors' stacks) is checked from the platform file's pre-check, before SimGrid loads it:
#    loading 200,000 UEs takes SimGrid seconds and 1.5 GB, more than an address space of 1 GB
#    holds, where the old order ended in "out of memory for 200000 UEs" (exit 1). A behaviour
#    check, no timing: under ulimit -v 1 GB the refusal is still the one line, and nothing is
#    written.
scenario count.json ', "tasks": { "per_ue": 100 }, "output": { "channel_trace": false }, "limits": { "output_bytes": 5e4 }'
refused six_ues_times_their_tasks_are_refused_from_the_count 2 limits.output_bytes "$bin" run count.json --out x -q
check the_count_is_the_platforms grep -q "write at least 1.2e+05 bytes (6 UEs x tasks.per_ue 100 tasks.csv rows" err.txt
refused the_count_follows_the_ues_key 2 limits.output_bytes "$bin" run count.json --ues 4 --out x -q
check the_count_is_the_ues_keys grep -q "(4 UEs x tasks.per_ue 100 tasks.csv rows" err.txt
check nothing_was_created_for_them test ! -e x
"$bin" platform --ues 200000 -o big.xml || bad big_platform_generated
echo "{ \"platform\": \"$work/big.xml\", \"model\": \"$src/models/opt-2.7b.json\", \"tasks\": { \"per_ue\": 50 } }" >big.json
echo "{ \"platform\": \"$work/big.xml\", \"model\": \"$src/models/opt-2.7b.json\", \"tasks\": { \"per_ue\": 1 } }" >big1.json
if grep -qa __asan_init "$bin"; then
    echo "skip big_platform_*_under_1_GB: a sanitizer build cannot run under ulimit -v"
    refused big_platform_output_is_refused_before_loading 2 limits.output_bytes "$bin" run big.json --out big -q
else
    refused big_platform_output_is_refused_before_loading_under_1_GB 2 limits.output_bytes \
        sh -c 'ulimit -v 1000000 && exec "$0" run big.json --out big -q' "$bin"
    check big_platform_refusal_names_its_count grep -q "(200000 UEs x tasks.per_ue 50 tasks.csv rows" err.txt
    # The memory: 200,000 UEs hold at least 20 kB each (measured), 3.7 GiB, more than 1 GB
    # (exit 1, before the load, naming what they need).
    sh -c 'ulimit -v 1000000 && exec "$0" run big1.json --out big -q' "$bin" 2>err.txt
    rc=$?
    if [ "$rc" -eq 1 ] && [ "$(lines err.txt)" -eq 1 ] &&
        grep -q "200000 UEs need at least 3.73 GiB of memory (20 kB per UE, the least measured), more than the 0.954 GiB of the process's address-space limit" err.txt; then
        ok big_platform_memory_is_refused_before_loading_under_1_GB
    else
        bad "big_platform_memory_is_refused_before_loading_under_1_GB (status $rc)"
        sed 's/^/     | /' err.txt | head -5
    fi
    # The actors' stacks: 20,002 of them (one per UE) cannot fit in 1 GB, though the UEs' own
    # memory would (exit 1, as when the episode finds it, but before the load).
    "$bin" platform --ues 20000 -o mid.xml || bad mid_platform_generated
    echo "{ \"platform\": \"$work/mid.xml\", \"model\": \"$src/models/opt-2.7b.json\", \"tasks\": { \"per_ue\": 1 } }" >mid1.json
    for cmd in run train; do
        sh -c 'ulimit -v 1000000 && exec "$0" "$1" mid1.json --out big -q' "$bin" $cmd 2>err.txt
        rc=$?
        if [ "$rc" -eq 1 ] && [ "$(lines err.txt)" -eq 1 ] &&
            grep -q "^edgetune: error: not enough address space for the episode's 20002 actors" err.txt; then
            ok "big_platform_stacks_are_refused_before_loading_under_1_GB ($cmd)"
        else
            bad "big_platform_stacks_are_refused_before_loading_under_1_GB ($cmd, status $rc)"
            sed 's/^/     | /' err.txt | head -5
        fi
    done
fi
check nothing_was_written_for_the_big_platform test ! -e big
rm -f big.xml mid.xml

# 5. Tracing that scales (output.channel_sampling auto): above 64 UEs, a run that leaves
#    output.channel_ues and output.channel_every alone traces 64 UEs, says so on stderr and in
#    summary.json; "all" or either key chooses otherwise; 64 UEs or fewer are traced whole.
"$bin" platform --ues 100 -o p100.xml || bad p100_generated
echo "{ \"platform\": \"$work/p100.xml\", \"model\": \"$src/models/opt-2.7b.json\", \"tasks\": { \"per_ue\": 1 } }" >p100.json
check auto_sampling_traces_64_of_100 sh -c "'$bin' run p100.json --out a100 -q 2>err.txt && [ \$(awk -F, 'NR > 1 { u[\$3] = 1 } END { print length(u) }' a100/channel.csv) -eq 64 ]"
check auto_sampling_is_said_on_stderr grep -q '^edgetune: channel.csv traces 64 of the 100 UEs, every 1 update (output.channel_sampling auto' err.txt
check auto_sampling_is_in_the_summary python3 -c '
import json
c = json.load(open("a100/summary.json"))["result"]["channel_sampling"]
assert c == {"rule": "auto", "ues": 64, "of_ues": 100, "every": 1}, c'
sed 's/"per_ue": 1 }/"per_ue": 1 }, "output": { "channel_sampling": "all" }/' p100.json >p100all.json
check sampling_all_traces_every_ue sh -c "'$bin' run p100all.json --out all100 -q 2>err.txt && [ \$(awk -F, 'NR > 1 { u[\$3] = 1 } END { print length(u) }' all100/channel.csv) -eq 100 ] && ! grep -q '\"channel_sampling\"' all100/summary.json && ! grep -q 'channel.csv traces' err.txt"
sed 's/"per_ue": 1 }/"per_ue": 1 }, "output": { "channel_ues": 10 }/' p100.json >p100ten.json
check a_key_set_is_obeyed sh -c "'$bin' run p100ten.json --out ten100 -q && [ \$(awk -F, 'NR > 1 { u[\$3] = 1 } END { print length(u) }' ten100/channel.csv) -eq 10 ] && ! grep -q '\"channel_sampling\"' ten100/summary.json"
check sampling_changes_no_task_here cmp a100/tasks.csv all100/tasks.csv
check six_ues_are_traced_whole sh -c "'$bin' run --tasks 1 --out six -q 2>err.txt && [ \$(awk -F, 'NR > 1 { u[\$3] = 1 } END { print length(u) }' six/channel.csv) -eq 6 ] && ! grep -q '\"channel_sampling\"' six/summary.json && ! grep -q 'channel.csv traces' err.txt"
# The likely estimate warns (shared resources: one server for 100 UEs) where the optimistic one
# lets the run through.
sed 's/"per_ue": 1 }/"per_ue": 1 }, "output": { "channel_sampling": "all" }, "limits": { "output_bytes": 2e6 }/' p100.json >p100warn.json
check likely_output_is_warned_about sh -c "'$bin' run p100warn.json --out warn100 -q 2>err.txt; grep -q '^edgetune: warning: the run is expected to write .* set by shared resources, up to the tasks. deadlines; limits.output_bytes: 2e+06; the run may stop there' err.txt"
rm -f p100.xml

# Afterwards every file is replaced together.
check a_good_run_replaces_them_all sh -c "'$bin' run --tasks 5 --seed 2 --out r -q && ! md5sum -c --quiet before.md5 2>/dev/null && [ \$(md5sum -c before.md5 2>/dev/null | grep -c ': OK') -eq 0 ]"

finish
