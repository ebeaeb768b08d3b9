#!/usr/bin/env bash
# cli_errors.sh EDGETUNE: bad input gives exit status 2, one line on stderr that
# names the file and the key or host at fault, no crash and no output left behind.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
in_scratch

# expect NAME EXPECTED_SUBSTRING -- ARGS...
# Runs edgetune with ARGS over an out/ that holds a previous run's summary.json
# and asserts: exit status 2, exactly one line on stderr containing the
# substring, no crash output, the previous output untouched, nothing else
# written to out/ and no *.tmp file left anywhere in the working directory.
expect() {
    local name=$1 want=$2
    shift 3
    previous_output
    # A bounded wait: an input that blocks (a FIFO) is a failure, not a hang of the suite.
    timeout 120 "$bin" "$@" >stdout.txt 2>stderr.txt
    local rc=$?
    local why=""
    [ "$rc" -eq 2 ] || why="exit status $rc, expected 2"
    [ -z "$why" ] && ! grep -qF -- "$want" stderr.txt && why="stderr lacks '$want'"
    [ -z "$why" ] && [ "$(wc -l <stderr.txt)" -ne 1 ] && why="stderr has $(wc -l <stderr.txt) lines, expected 1"
    [ -z "$why" ] && grep -qE 'Backtrace|Aborted|terminate called|CRITICAL' stderr.txt && why="crash output"
    [ -z "$why" ] && why=$(previous_output_intact)
    if [ -z "$why" ]; then
        ok "$name"
    else
        bad "$name: $why"
        sed 's/^/     | /' stderr.txt
    fi
}

# previous_output: out/ holds a previous run's output (and nothing else).
previous_output() {
    rm -rf out
    mkdir out
    printf '{"previous": true}\n' >out/summary.json
    touch -d '2020-01-01' out/summary.json
}

# previous_output_intact: prints what is wrong (nothing when all is well).
previous_output_intact() {
    if [ "$(cat out/summary.json 2>/dev/null)" != '{"previous": true}' ]; then
        echo "the previous out/summary.json changed"
    elif [ "$(find out -mindepth 1 | wc -l)" -ne 1 ]; then
        echo "left files in out/: $(find out -mindepth 1 ! -name summary.json | head -3 | tr '\n' ' ')"
    elif [ -n "$(find . -name '*.tmp' | head -1)" ]; then
        echo "left a .tmp file: $(find . -name '*.tmp' | head -1)"
    fi
}

scen() { printf '%s\n' "$2" >"$1"; }

cp "$src/platforms/edge-6ue.xml" good.xml
cp "$src/models/opt-1.3b.json" good-model.json

expect missing_scenario "nope.json" -- run nope.json --out out
expect unknown_simgrid_option "option '--cfg=bogus:1': unknown SimGrid option 'bogus'" -- run --cfg=bogus:1 --out out
expect network_model_is_fixed "option '--cfg=network/model:Nope'" -- run --cfg=network/model:Nope --out out
expect network_model_is_fixed_spaced "option '--cfg=network/model:LV08'" -- run --cfg network/model:LV08 --out out
expect option_needs_value "option --seed needs a value" -- run --seed
expect option_of_another_command "unknown option '--episodes'" -- run --episodes 3
scen badrule.json '{ "baselines": { "static_rule": "lokal=x" } }'
expect bad_static_rule "badrule.json: policy 'tuned-static': key 'baselines.static_rule'" -- run badrule.json --policy tuned-static --out out
scen bad.json '{ "seed": 1, '
expect malformed_json "malformed JSON" -- run bad.json --out out
scen unknown.json '{ "platform": "good.xml", "model": "good-model.json", "sed": 3 }'
expect unknown_key "unknown key 'sed'" -- run unknown.json --out out
scen range.json '{ "platform": "good.xml", "model": "good-model.json", "tasks": { "per_ue": 0 } }'
expect out_of_range "key 'tasks.per_ue': expected an integer in [1, 100000], got 0" -- run range.json --out out
scen type.json '{ "platform": "good.xml", "model": "good-model.json", "channel": { "fading": "nakagami" } }'
expect bad_enum "key 'channel.fading': expected one of none|rayleigh|rician" -- run type.json --out out
scen cross.json '{ "platform": "good.xml", "model": "good-model.json", "tasks": { "tokens_min": 1e6, "tokens_max": 1e4 } }'
expect cross_key "key 'tasks.tokens_min'" -- run cross.json --out out
scen burst.json '{ "platform": "good.xml", "model": "good-model.json", "tasks": { "burst_on_s": 10 } }'
expect burst_needs_both "burst.json: key 'tasks.burst_off_s': expected a mean period in [0.01, 1e9] s when tasks.burst_on_s is set (10), got 0" -- run burst.json --out out
scen burst-tiny.json '{ "platform": "good.xml", "model": "good-model.json", "tasks": { "burst_on_s": 0.001, "burst_off_s": 5 } }'
expect burst_too_short "burst-tiny.json: key 'tasks.burst_on_s': expected 0 (no bursts) or a mean period in [0.01, 1e9] s, got 0.001" -- run burst-tiny.json --out out

scen noplat.json '{ "platform": "missing.xml", "model": "good-model.json" }'
expect missing_platform "missing.xml" -- run noplat.json --out out
printf '<?xml version="1.0"?>\n<platform version="4.1">\n<zone id="z" routing="Full">\n' >broken.xml
scen brokenplat.json '{ "platform": "broken.xml", "model": "good-model.json" }'
expect malformed_platform "broken.xml" -- run brokenplat.json --out out
sed 's/<host id="server"/<host foo="1" id="server"/' good.xml >attr.xml
scen attr.json '{ "platform": "attr.xml", "model": "good-model.json" }'
expect unknown_xml_attribute "attr.xml" -- run attr.json --out out
sed 's/value="server"/value="cloud"/' good.xml >noserver.xml
scen noserver.json '{ "platform": "noserver.xml", "model": "good-model.json" }'
expect no_server_role "noserver.xml" -- run noserver.json --out out
scen toomany.json '{ "platform": "good.xml", "model": "good-model.json", "ues": 7 }'
expect too_many_ues "good.xml" -- run toomany.json --out out

scen nomodel.json '{ "platform": "good.xml", "model": "missing-model.json" }'
expect missing_model "missing-model.json" -- run nomodel.json --out out
printf '{ "name": "x", \n "blocks": }\n' >badmodel.json
scen badmodel-s.json '{ "platform": "good.xml", "model": "badmodel.json" }'
expect malformed_model "badmodel.json" -- run badmodel-s.json --out out
sed 's/"blocks": 24/"blocks": -24/' good-model.json >rangemodel.json
scen rangemodel-s.json '{ "platform": "good.xml", "model": "rangemodel.json" }'
expect model_out_of_range "rangemodel.json: key 'blocks'" -- run rangemodel-s.json --out out

scen notrace.json '{ "platform": "good.xml", "model": "good-model.json", "mobility": { "model": "trace", "trace": "gone.csv" } }'
expect missing_trace "gone.csv" -- run notrace.json --out out
printf 'time_s,ue,x_m,y_m\n0,0,1,1\n1,0,abc,1\n' >badtrace.csv
scen badtrace.json '{ "platform": "good.xml", "model": "good-model.json", "mobility": { "model": "trace", "trace": "badtrace.csv" } }'
expect malformed_trace "badtrace.csv:3" -- run badtrace.json --out out

expect unknown_policy "unknown policy 'smart'" -- run --policy smart --out out
expect bad_seed_option "--seed" -- run --seed -4 --out out
expect unknown_option "unknown option '--fast'" -- run --fast
expect unknown_command "unknown command 'walk'" -- walk
expect platform_needs_ues "--ues" -- platform

# Metro platform options: one line naming the option, exit 2, no file left.
expect platform_bad_cells "--cells: expected an integer in [1, 1000], got '0'" -- platform --ues 8 --cells 0 -o m.xml
expect platform_cells_not_a_number "--cells: expected an integer in [1, 1000], got 'many'" -- platform --ues 8 --cells many
expect platform_too_many_cells "--cells: expected an integer in [1, 1000], got '1001'" -- platform --ues 8 --cells 1001
expect platform_bad_isd "--isd: expected metres in [20, 100000], uma or umi, got '-5'" -- platform --ues 8 --cells 2 --isd -5
expect platform_bad_isd_name "--isd: expected metres in [20, 100000], uma or umi, got 'rma'" -- platform --ues 8 --cells 2 --isd rma
expect platform_bad_layout "--layout: expected hex or grid, got 'triangle'" -- platform --ues 8 --cells 2 --layout triangle
expect platform_isd_without_cells "--isd needs --cells K" -- platform --ues 8 --isd uma
expect platform_core_without_shared_server "--core-bps needs --shared-server" -- platform --ues 8 --cells 2 --core-bps 1e10
expect platform_bad_core_bps "--core-bps: expected bits/s in [1, 1e15], got '0'" -- platform --ues 8 --cells 2 --shared-server --core-bps 0
expect platform_bad_core_latency "--core-latency-s: expected seconds in [0, 10], got 'soon'" -- platform --ues 8 --cells 2 --shared-server --core-latency-s soon
expect platform_cells_with_wifi "--cells: metro platforms are OFDMA" -- platform --ues 8 --cells 2 --wifi
expect platform_cells_with_full_routing "--cells: metro platforms use Cluster zones" -- platform --ues 8 --cells 2 --full-routing
expect platform_radius_beyond_isd "cell_radius_m: expected a number <= isd_m, got 600" -- platform --ues 8 --cells 3 --cell-radius 600 -o m.xml
check platform_radius_beyond_isd_leaves_no_file sh -c '[ ! -e m.xml ] && [ -z "$(find . -name "*.tmp")" ]'
expect platform_bad_cell_radius "--cell-radius: expected metres in (10, 100000], got '10'" -- platform --ues 8 --cell-radius 10
expect platform_bad_server_flops "--server-flops: expected FLOP/s in [1, 1e20], got '-3e13'" -- platform --ues 8 --server-flops -3e13
expect platform_bad_server_cores "--server-cores: expected an integer in [1, 100000], got '0'" -- platform --ues 8 --server-cores 0
expect platform_option_needs_value "option --cells needs a value" -- platform --ues 8 --cells

# Platform values SimGrid aborts on or accepts without meaning: one line naming
# the file, the line, the host or link and the attribute; nothing runs.
# badplat NAME SED_EXPRESSION WANT: a copy of good.xml edited by SED_EXPRESSION.
badplat() {
    sed "$2" good.xml >"$1.xml"
    expect "platform_$1" "$1.xml:$3" -- run --platform "$1.xml" --tasks 2 --out out
}
srv='s/<host id="server" speed="30000000000000f" core="1">'
ue0='s/<host id="ue0" speed="1000000000000f"'
wl0='s/<link id="wl_ue0" bandwidth="50000000bps" latency="0.005s"'
badplat server_core_0 "$srv/<host id=\"server\" speed=\"30000000000000f\" core=\"0\">/" "10: host 'server': attribute 'core'"
badplat server_core_negative "$srv/<host id=\"server\" speed=\"30000000000000f\" core=\"-4\">/" "10: host 'server': attribute 'core'"
badplat server_core_fraction "$srv/<host id=\"server\" speed=\"30000000000000f\" core=\"1.5\">/" "10: host 'server': attribute 'core'"
badplat ue_speed_0 "$ue0/<host id=\"ue0\" speed=\"0f\"/" "15: host 'ue0': attribute 'speed'"
badplat ue_speed_negative "$ue0/<host id=\"ue0\" speed=\"-1e12f\"/" "15: host 'ue0': attribute 'speed'"
badplat ue_speed_nan "$ue0/<host id=\"ue0\" speed=\"nanf\"/" "15: host 'ue0': attribute 'speed'"
badplat ue_speed_inf "$ue0/<host id=\"ue0\" speed=\"inff\"/" "15: host 'ue0': attribute 'speed'"
badplat ue_speed_overflow "$ue0/<host id=\"ue0\" speed=\"1e400f\"/" "15: host 'ue0': attribute 'speed'"
badplat ue_speed_empty "$ue0/<host id=\"ue0\" speed=\"\"/" "15: host 'ue0': attribute 'speed'"
badplat ue_speed_no_unit "$ue0/<host id=\"ue0\" speed=\"1e12\"/" "15: host 'ue0': attribute 'speed'"
badplat ue_speed_unknown_unit "$ue0/<host id=\"ue0\" speed=\"1e12Hz\"/" "15: host 'ue0': attribute 'speed'"
badplat ue_pstate_speed_0 "$ue0/<host id=\"ue0\" speed=\"1e12f,0f\"/" "15: host 'ue0': attribute 'speed' (value 2)"
badplat server_pstate_out_of_range "$srv/<host id=\"server\" speed=\"3e13f,1e13f\" pstate=\"2\" core=\"1\">/" "10: host 'server': attribute 'pstate'"
badplat link_bandwidth_0 "$wl0/<link id=\"wl_ue0\" bandwidth=\"0bps\" latency=\"0.005s\"/" "25: link 'wl_ue0': attribute 'bandwidth'"
badplat link_bandwidth_negative "$wl0/<link id=\"wl_ue0\" bandwidth=\"-50Mbps\" latency=\"0.005s\"/" "25: link 'wl_ue0': attribute 'bandwidth'"
badplat link_bandwidth_nan "$wl0/<link id=\"wl_ue0\" bandwidth=\"nanbps\" latency=\"0.005s\"/" "25: link 'wl_ue0': attribute 'bandwidth'"
badplat link_bandwidth_no_unit "$wl0/<link id=\"wl_ue0\" bandwidth=\"50000000\" latency=\"0.005s\"/" "25: link 'wl_ue0': attribute 'bandwidth'"
badplat link_bandwidth_unknown_unit "$wl0/<link id=\"wl_ue0\" bandwidth=\"50Mbit\" latency=\"0.005s\"/" "25: link 'wl_ue0': attribute 'bandwidth'"
badplat link_bandwidth_list "$wl0/<link id=\"wl_ue0\" bandwidth=\"50Mbps,20Mbps\" latency=\"0.005s\"/" "25: link 'wl_ue0': attribute 'bandwidth': expected one bandwidth"
badplat link_latency_negative "$wl0/<link id=\"wl_ue0\" bandwidth=\"50Mbps\" latency=\"-0.005s\"/" "25: link 'wl_ue0': attribute 'latency'"
badplat link_latency_inf "$wl0/<link id=\"wl_ue0\" bandwidth=\"50Mbps\" latency=\"infs\"/" "25: link 'wl_ue0': attribute 'latency'"
badplat link_latency_no_unit "$wl0/<link id=\"wl_ue0\" bandwidth=\"50Mbps\" latency=\"0.005\"/" "25: link 'wl_ue0': attribute 'latency'"
badplat backhaul_bandwidth_0 's/<link id="backhaul" bandwidth="10000000000bps"/<link id="backhaul" bandwidth="0Gbps"/' "13: link 'backhaul': attribute 'bandwidth'"
"$bin" platform --ues 3 --wifi -o wifi.xml
sed '/sharing_policy="WIFI"/s/latency="0s"/latency="1ms"/' wifi.xml >wifilat.xml
expect platform_wifi_latency "wifilat.xml:39: link 'cell_air': attribute 'latency': expected 0" -- run --platform wifilat.xml --tasks 2 --out out
sed 's/\(id="wifi_min_snr_db" value="\)[^",]*,/\11,/' wifi.xml >wifisnr.xml
expect platform_wifi_snr_not_decreasing "property 'wifi_min_snr_db'" -- run --platform wifisnr.xml --tasks 2 --out out
sed '0,/id="memory_bytes" value="[^"]*"/s//id="memory_bytes" value="0"/' good.xml >mem0.xml
expect platform_ue_memory_0 "mem0.xml: host 'ue0': property 'memory_bytes'" -- run --platform mem0.xml --tasks 2 --out out
sed '0,/id="x_m" value="[^"]*"/s//id="x_m" value="nan"/' good.xml >xnan.xml
expect platform_ue_position_nan "xnan.xml: host 'ue0': property 'x_m'" -- run --platform xnan.xml --tasks 2 --out out
# A cell's carrier, AP power and UE power (on the server of a single-cell platform, line 11): the channel
# keys' values, refused with the file, the line, the host and the property.
role='s|<prop id="role" value="server"/>|<prop id="role" value="server"/>'
badplat cell_duplex "$role<prop id=\"duplex\" value=\"half\"/>|" "11: host 'server': property 'duplex': expected one of tdd|fdd, got 'half'"
badplat cell_carrier_in_mhz "$role<prop id=\"carrier_hz\" value=\"100\"/>|" "11: host 'server': property 'carrier_hz': expected a number in [100000, 1e+10]"
badplat cell_carrier_up_0 "$role<prop id=\"carrier_up_hz\" value=\"0\"/>|" "11: host 'server': property 'carrier_up_hz'"
badplat cell_carrier_down_unit "$role<prop id=\"carrier_down_hz\" value=\"80MHz\"/>|" "11: host 'server': property 'carrier_down_hz'"
badplat cell_ap_power_in_mw "$role<prop id=\"ap_tx_power_dbm\" value=\"20000\"/>|" "11: host 'server': property 'ap_tx_power_dbm': expected a number in [-30, 60]"
badplat cell_ap_power_unit "$role<prop id=\"ap_tx_power_dbm\" value=\"46 dBm\"/>|" "11: host 'server': property 'ap_tx_power_dbm'"
badplat cell_ue_power_in_mw "$role<prop id=\"ue_tx_power_dbm\" value=\"200\"/>|" "11: host 'server': property 'ue_tx_power_dbm': expected a number in [-30, 40]"
badplat cell_tdd_pattern "$role<prop id=\"tdd_pattern\" value=\"DDDXU\"/>|" "11: host 'server': property 'tdd_pattern': expected 1 to 80 slots"
badplat cell_tdd_pattern_no_uplink "$role<prop id=\"tdd_pattern\" value=\"DDDD\"/>|" "11: host 'server': property 'tdd_pattern'"
badplat cell_tdd_special_slot "$role<prop id=\"tdd_special_slot\" value=\"10:2:1\"/>|" "11: host 'server': property 'tdd_special_slot'"
sed "$role<prop id=\"tdd_pattern\" value=\"DDDS\"/><prop id=\"tdd_special_slot\" value=\"12:2:0\"/>|" good.xml >tddpair.xml
expect platform_cell_tdd_pair_without_uplink "tddpair.xml: host 'server': property 'tdd_pattern': expected a pattern with time in both directions, got 'DDDS' with tdd_special_slot '12:2:0'" -- run --platform tddpair.xml --tasks 2 --out out
# The pattern alone passes; with the scenario's special slot it leaves the uplink no time.
sed "$role<prop id=\"tdd_pattern\" value=\"DDDS\"/>|" good.xml >tddkey.xml
scen tddkey.json '{ "platform": "tddkey.xml", "model": "good-model.json", "channel": { "tdd_special_slot": "12:2:0" } }'
expect platform_cell_tdd_pattern_with_the_keys_slot "tddkey.xml: cell 'cell': property 'tdd_pattern': expected a TDD pattern and special slot with time in both directions, got pattern 'DDDS' with special slot '12:2:0'" -- run tddkey.json --tasks 2 --out out
sed '0,/<prop id="role" value="ue"\/>/s||<prop id="role" value="ue"/><prop id="ap_tx_power_dbm" value="30"/>|' good.xml >uepower.xml
expect platform_ue_ap_power "uepower.xml: host 'ue0': property 'ap_tx_power_dbm': a cell's radio property belongs on its AP host" -- run --platform uepower.xml --tasks 2 --out out

# SimGrid's --cfg and --log: one line naming the option, never an abort.
# badsg NAME OPTION [WANT]: run with the SimGrid OPTION; the line names it, then WANT.
badsg() { expect "$1" "option '$2'${3:-}" -- run "$2" --out out; }
badsg cfg_without_value --cfg=bogus ": expected --cfg=NAME:VALUE"
badsg cfg_not_supported --cfg=smpi/np:4 ": SimGrid's 'smpi/np' is not supported"
badsg cfg_cpu_model --cfg=cpu/model:Nope
badsg cfg_tracing_is_paje --cfg=tracing:yes ": edgetune sets it for --paje"
badsg cfg_latency_factor --cfg=network/latency-factor:0
badsg cfg_crosstraffic --cfg=network/crosstraffic:1
badsg cfg_precision_negative --cfg=maxmin/precision:-1 ": expected a number"
badsg cfg_precision_nan --cfg=maxmin/precision:nan
badsg cfg_surf_precision_big --cfg=surf/precision:1
badsg cfg_gamma_not_a_number --cfg=network/TCP-gamma:abc
badsg cfg_gamma_negative --cfg=network/TCP-gamma:-5
badsg cfg_factory --cfg=contexts/factory:nope ": expected one of"
badsg cfg_stack_size_0 --cfg=contexts/stack-size:0
badsg cfg_network_optim --cfg=network/optim:TI
badsg cfg_bad_boolean --cfg=cpu/maxmin-selective-update:maybe ": not a boolean"
expect cfg_value_too_long "option --cfg: value longer than 500" -- run --cfg "network/TCP-gamma:$(printf '1%.0s' $(seq 1 600))" --out out
expect cfg_in_train "option '--cfg=bogus:1'" -- train --cfg=bogus:1 --tasks 2 --out out
expect cfg_in_eval "option '--cfg=maxmin/precision:0'" -- eval --policy greedy --cfg=maxmin/precision:0 --tasks 2 --out out
expect cfg_in_regime "option '--cfg=tracing:1'" -- regime --cfg=tracing:1 --tasks 2
badsg log_without_setting --log=bogus
badsg log_bad_threshold --log=root.thres:loud
badsg log_bad_appender --log=root.app:nope
badsg log_file_in_missing_dir --log=root.app:file:/nonexistent/x.log

# Scenario values: the file and the key.
# badscen NAME JSON WANT: NAME.json holding JSON, run with it, WANT after "NAME.json: ".
badscen() {
    scen "$1.json" "$2"
    expect "scenario_$1" "$1.json: $3" -- run "$1.json" --out out
}
badscen smart '{ "policy": "smart" }' "key 'policy': unknown policy 'smart'"
printf '{ "policy": "sm\377art" }\n' >utf.json
expect scenario_policy_not_utf8 "utf.json: key 'policy': unknown policy 'sm\\xFFart'" -- run utf.json --out out
printf '{ "policy": "sm\001art" }\n' >ctrl.json
expect scenario_raw_control_character "ctrl.json:1: a control character (\\x01) in a string" -- run ctrl.json --out out
badscen emptyplat '{ "platform": "" }' "key 'platform': expected a file path"
badscen emptymodel '{ "model": "" }' "key 'model': expected a file path"
scen emptyout.json '{ "out": "" }'
expect scenario_empty_out "emptyout.json: key 'out': expected a file path" -- run emptyout.json
badscen dup '{ "tasks.per_ue": 2, "tasks": { "per_ue": 3 } }' "key 'tasks.per_ue' is given twice"
badscen dup2 '{ "hmppo": { "hidden": 64 }, "hmppo.hidden": 32 }' "key 'hmppo.hidden' is given twice"
badscen seed53 '{ "seed": 9007199254740992 }' "key 'seed': expected a non-negative integer in [0, 9007199254740991]"
badscen seedneg '{ "seed": -1 }' "key 'seed'"
badscen seedfrac '{ "seed": 1.5 }' "key 'seed'"
badscen longpath "{ \"platform\": \"$(printf 'p%.0s' $(seq 1 1100)).xml\" }" "key 'platform': expected a path of at most 1023 characters"
scen outfile.json '{ "out": "out/summary.json" }'
expect scenario_out_is_a_file "outfile.json: key 'out': expected a directory to write into" -- run outfile.json

# Command-line values: the option.
for c in run train eval compare regime; do
    extra=()
    [ "$c" = eval ] && extra=(--policy greedy)
    expect "${c}_seed_above_2_53" "option --seed: key 'seed': expected a non-negative integer in [0, 9007199254740991], got '9223372036854775807'" -- "$c" "${extra[@]}" --seed 9223372036854775807 --out out
done
expect platform_seed_above_2_53 "--seed: expected an integer in [0, 9007199254740991]" -- platform --ues 3 --seed 9007199254740992
expect run_seed_twice "option --seed is given twice" -- run --seed 1 --seed 2 --out out
expect run_tasks_twice "option --tasks is given twice" -- run --tasks 1 --tasks=2 --out out
expect run_out_twice "option --out is given twice" -- run --out out --out out2
expect platform_ues_twice "option --ues is given twice" -- platform --ues 3 --ues 4
expect platform_output_twice "option --output is given twice" -- platform --ues 3 -o a.xml --output b.xml
expect run_policy_option_unknown "option --policy: unknown policy 'smart'" -- run --policy smart --out out
expect run_empty_platform_option "option --platform: expected a path" -- run --platform "" --out out
expect run_empty_model_option "option --model: expected a path" -- run --model "" --out out
expect run_out_too_long "option --out: expected a path of at most 1023 characters, got one of 1204" -- run --out "out/$(printf 'ab/%.0s' $(seq 1 400))"
expect run_out_is_a_file "option --out: expected a directory to write into, got 'out/summary.json' (it is a file)" -- run --out out/summary.json
expect run_out_under_a_file "option --out: expected a directory to write into, got 'out/summary.json/x'" -- run --out out/summary.json/x
expect run_out_unwritable "option --out: expected a directory to write into, got '/proc/x'" -- run --out /proc/x
expect train_out_is_a_file "option --out: expected a directory" -- train --out out/summary.json --tasks 2
expect eval_out_is_a_file "option --out: expected a directory" -- eval --policy greedy --out out/summary.json --tasks 2
expect compare_out_is_a_file "option --out: expected a directory" -- compare --out out/summary.json --tasks 2
expect run_paje_is_a_directory "option --paje: expected a file to write, got 'out'" -- run --platform "$src/platforms/edge-6ue-full.xml" --paje out --out out
expect run_paje_in_missing_dir "option --paje: expected a file to write" -- run --platform "$src/platforms/edge-6ue-full.xml" --paje nodir/x.trace --out out
expect platform_output_is_a_directory "option -o: expected a file to write, got 'out' (it is a directory)" -- platform --ues 3 -o out
expect platform_output_in_missing_dir "option -o: expected a file to write" -- platform --ues 3 -o nodir/x.xml
expect platform_wifi_with_full_routing "--full-routing: a Wi-Fi platform has its own Full world zone" -- platform --ues 3 --wifi --full-routing
expect platform_bad_ues "--ues: expected an integer in [1, 1000000], got '0'" -- platform --ues 0
expect platform_bad_seed "--seed: expected an integer" -- platform --ues 3 --seed -1
expect platform_nan_server_flops "--server-flops: expected FLOP/s in [1, 1e20], got 'nan'" -- platform --ues 3 --server-flops nan
expect platform_unexpected_argument "unexpected argument 'extra'" -- platform --ues 3 extra
expect run_bad_ues "option --ues: key 'ues': expected an integer in [0, 1000000], got '-1'" -- run --ues -1 --out out
expect run_bad_tasks "option --tasks: key 'tasks.per_ue': expected an integer in [1, 100000], got 'many'" -- run --tasks many --out out
expect run_two_scenarios "unexpected argument 'b.json'" -- run a.json b.json --out out
expect run_flag_with_value "unknown option '--no-channel-trace=1'" -- run --no-channel-trace=1 --out out
expect run_option_with_bad_bytes "unknown option '--\\xFF'" -- run "$(printf -- '--\377')" --out out
expect train_bad_episodes "option --episodes: key 'train.episodes': expected an integer in [1, 10000000], got '0'" -- train --episodes 0 --out out
expect train_bad_stop_after "--stop-after: expected an integer" -- train --stop-after -1 --out out
expect train_unknown_policy "option --policy: unknown policy 'smart'" -- train --policy smart --out out
expect train_missing_resume "gone.ckpt: cannot read checkpoint" -- train --resume gone.ckpt --tasks 2 --out out
expect eval_bad_episodes "option --episodes: key 'train.eval_episodes': expected an integer" -- eval --policy greedy --episodes 0 --out out
expect eval_unknown_policy "option --policy: unknown policy 'smart'" -- eval --policy smart --out out
expect eval_checkpoint_is_a_directory "out: cannot read checkpoint" -- eval --checkpoint out --tasks 2 --out out
expect compare_bad_seeds "--seeds: expected an integer in [1, 50], got '51'" -- compare --seeds 51 --out out
expect compare_bad_eval "option --eval: key 'train.eval_episodes': expected an integer" -- compare --eval 0 --out out
expect compare_bad_validation "--validation: expected an integer" -- compare --validation 0 --out out
expect compare_bad_jobs "-j: expected an integer in [1, 1024], got '0'" -- compare -j 0 --out out
expect compare_bad_learners "--learners: expected a comma list" -- compare --learners bogus --tasks 2 --out out
expect regime_bad_episodes "--episodes: expected an integer" -- regime --episodes 0
expect regime_unknown_option "unknown option '--bogus'" -- regime --bogus
expect regime_budget_negative "--budget: expected an integer" -- regime --budget -1
expect keys_unexpected_argument "unexpected argument '--bogus'" -- keys --bogus
expect policies_unexpected_argument "unexpected argument 'extra'" -- policies extra
EDGETUNE_DATA_DIR=$(printf 'd%.0s' $(seq 1 1100)) expect data_dir_too_long "EDGETUNE_DATA_DIR: expected a path of at most" -- run --out out

# Learned policies and checkpoints.
expect run_learned_without_checkpoint "give its checkpoint with --checkpoint" -- run --policy hmppo --out out
expect train_a_baseline "does not learn" -- train --policy greedy --out out
expect eval_needs_checkpoint "--checkpoint FILE is required" -- eval --out out
expect eval_missing_checkpoint "gone.ckpt" -- eval --checkpoint gone.ckpt --out out
head -c 100 /dev/urandom >junk.ckpt
expect eval_not_a_checkpoint "junk.ckpt" -- eval --checkpoint junk.ckpt --out out
"$bin" train --tasks 2 --episodes 1 --out t -q >/dev/null 2>&1
head -c 2000 t/checkpoint.ckpt >cut.ckpt
expect eval_truncated_checkpoint "cut.ckpt: truncated" -- eval --checkpoint cut.ckpt --out out
expect resume_truncated_checkpoint "cut.ckpt: truncated" -- train --resume cut.ckpt --tasks 2 --out out
expect eval_wrong_ue_count "trained for 6 UEs" -- eval --checkpoint t/checkpoint.ckpt --ues 3 --out out
expect resume_other_seed "another seed" -- train --resume t/checkpoint.ckpt --tasks 2 --seed 5 --out out
expect run_checkpoint_with_baseline "conflicting options: --checkpoint t/checkpoint.ckpt holds a learned policy" -- run --checkpoint t/checkpoint.ckpt --policy greedy --tasks 2 --out out
expect run_checkpoint_of_other_learner "holds a hmppo policy, not mappo" -- run --checkpoint t/checkpoint.ckpt --policy mappo --tasks 2 --out out
expect eval_checkpoint_with_baseline "conflicting options: --checkpoint t/checkpoint.ckpt holds a learned policy" -- eval --checkpoint t/checkpoint.ckpt --policy greedy --tasks 2 --out out
expect eval_checkpoint_of_other_learner "holds a hmppo policy, not ippo" -- eval --checkpoint t/checkpoint.ckpt --policy ippo --tasks 2 --out out
scen hidden.json '{ "hmppo": { "hidden": 32 } }'
expect resume_other_hidden "hidden.json: key 'hmppo.hidden': the checkpoint t/checkpoint.ckpt was trained with 64" -- train hidden.json --resume t/checkpoint.ckpt --tasks 2 --out out
scen lr.json '{ "hmppo.lr_actor": 1e-3 }'
expect resume_other_learning_rate "lr.json: key 'hmppo.lr_actor'" -- train lr.json --resume t/checkpoint.ckpt --tasks 2 --out out
# A seed at the maximum reproduces from summary.json: written as exact digits.
max_seed_exact() {
    "$bin" run --seed 9007199254740991 --tasks 2 --out maxseed -q &&
        grep -q '"seed":	9007199254740991,' maxseed/summary.json
}
check summary_writes_the_maximum_seed_exactly max_seed_exact
# The decision log of a learned policy: one row per decision, and no decision changes.
printf '{"output": {"decisions": true}}\n' >dec.json
decision_log() {
    "$bin" run dec.json --checkpoint t/checkpoint.ckpt --tasks 3 --out dlog -q &&
        "$bin" run --checkpoint t/checkpoint.ckpt --tasks 3 --out nolog -q &&
        cmp dlog/tasks.csv nolog/tasks.csv && [ "$(wc -l <dlog/decisions.csv)" -eq 19 ] &&
        head -1 dlog/decisions.csv | grep -q '^episode,ue,task,location,keep,p_local,logp_loc,logp_keep,value,obs_0,' &&
        [ ! -e nolog/decisions.csv ]
}
check decision_log_rows_and_no_change decision_log
# ... and in eval: every evaluation episode's decisions, named by episode; eval.csv unchanged.
eval_decision_log() {
    "$bin" eval dec.json --checkpoint t/checkpoint.ckpt --episodes 2 --tasks 3 --out elog -q &&
        "$bin" eval --checkpoint t/checkpoint.ckpt --episodes 2 --tasks 3 --out enolog -q &&
        cmp elog/eval.csv enolog/eval.csv && [ "$(wc -l <elog/decisions.csv)" -eq 37 ] &&
        [ "$(cut -d, -f1 elog/decisions.csv | sort -u | wc -l)" -eq 3 ] && [ ! -e enolog/decisions.csv ]
}
check eval_decision_log_covers_every_episode eval_decision_log
# A checkpoint path with a double quote stays valid JSON in eval's summary (escaped by cJSON).
cp t/checkpoint.ckpt 'q"c.ckpt'
quoted_path() {
    "$bin" eval --checkpoint 'q"c.ckpt' --episodes 1 --tasks 2 --out evq -q &&
        grep -qF '"checkpoint":	"q\"c.ckpt"' evq/summary.json
}
check eval_summary_escapes_a_quoted_path quoted_path
# Without --policy, run takes the checkpoint's learner (not the scenario's greedy).
check run_checkpoint_infers_its_policy sh -c "'$bin' run --checkpoint t/checkpoint.ckpt --tasks 2 --out inferred | grep -q 'policy hmppo'"

# edgetune sweep: a malformed SPEC is one line naming the SPEC and the key, before any output.
scen sw_bad.json '{ "grid": '
expect sweep_malformed_json "sw_bad.json:1: malformed JSON" -- sweep sw_bad.json --out out
scen sw_unknown.json '{ "grids": { "ues": [1, 2] } }'
expect sweep_unknown_key "sw_unknown.json: unknown key 'grids'" -- sweep sw_unknown.json --out out
scen sw_range.json '{ "grid": { "tasks.per_ue": [2, 0] } }'
expect sweep_scenario_range "sw_range.json: key 'tasks.per_ue': expected an integer in [1, 100000], got 0 (point 1: tasks.per_ue=0)" -- sweep sw_range.json --out out
scen sw_scalar.json '{ "grid": { "ues": 3 } }'
expect sweep_grid_not_array "sw_scalar.json: key 'grid.ues': expected a non-empty array" -- sweep sw_scalar.json --out out
scen sw_gen.json '{ "grid": { "gen.ues": [4, 0] } }'
expect sweep_gen_option "sw_gen.json: key 'gen.ues' (edgetune platform --ues 0)" -- sweep sw_gen.json --out out
scen sw_policy.json '{ "policies": ["greedy", "hmppo"] }'
expect sweep_learned_needs_checkpoint "sw_policy.json: key 'policies[1]': policy 'hmppo' is learned" -- sweep sw_policy.json --out out
scen sw_ckpt.json '{ "policies": [{ "policy": "hmppo", "checkpoint": "none.ckpt" }] }'
expect sweep_missing_checkpoint "sw_ckpt.json: key 'policies[0].checkpoint': cannot read" -- sweep sw_ckpt.json --out out
scen sw_metric.json '{ "metrics": ["mean_delay"] }'
expect sweep_unknown_metric "sw_metric.json: key 'metrics[0]'" -- sweep sw_metric.json --out out
scen sw_seed.json '{ "set": { "seed": 4 } }'
expect sweep_seed_in_set "sw_seed.json: key 'set.seed': the sweep sets it" -- sweep sw_seed.json --out out
expect sweep_missing_spec "nospec.json: cannot read the sweep spec" -- sweep nospec.json --out out
expect sweep_needs_spec "SPEC is required" -- sweep --out out
expect sweep_option_of_run "unknown option '--policy'" -- sweep sw_seed.json --policy greedy

# ---- Issue 18 (reliability, round 3) ----------------------------------------------------------

# 2. A folder that holds a training run is not started over by accident.
expect train_into_a_training_run "t: holds a training run (checkpoint.ckpt); continue it with --resume t/checkpoint.ckpt, or start over with --restart" -- train --tasks 2 --episodes 1 --out t
expect train_resume_and_restart "conflicting options: --resume continues a run, --restart starts over" -- train --resume t/checkpoint.ckpt --restart --tasks 2 --out t
expect restart_of_another_command "unknown option '--restart'" -- run --restart --out out

# 3. An output that is an input, or another output, is refused before anything is opened.
"$bin" platform --ues 6 --full-routing -o fullr.xml
scen keep.json '{ "tasks": { "per_ue": 2 } }'
cp keep.json keep.orig
expect paje_is_an_output "option --paje: 'out/tasks.csv' is also the output tasks.csv" -- run --platform fullr.xml --paje out/tasks.csv --out out
expect paje_is_an_output_spelled_otherwise "is also the output summary.json" -- run --platform fullr.xml --paje ./out/../out//summary.json --out out
expect paje_is_the_scenario "option --paje: 'keep.json' is the scenario" -- run keep.json --platform fullr.xml --paje keep.json --out out
check paje_on_the_scenario_leaves_it cmp keep.json keep.orig
expect paje_is_the_platform "is the platform" -- run --platform fullr.xml --paje fullr.xml --out out
expect log_file_is_an_output "option '--log=root.app:file:out/summary.json': 'out/summary.json' is also the output summary.json" -- run --log=root.app:file:out/summary.json --tasks 2 --out out
expect log_file_is_the_model "is the model profile" -- run --model good-model.json --log=root.app:file:good-model.json --tasks 2 --out out
cp keep.json summary.json
expect scenario_named_like_an_output "the output summary.json: './summary.json' is the scenario" -- run summary.json --out .
check scenario_named_like_an_output_is_kept cmp summary.json keep.orig

# 4. and 8. Platforms SimGrid aborts on, or that stall: one line naming file, line and element.
srv_tag='<host id="server" speed="30000000000000f" core="1">'
badplat2() { # NAME SED WANT [PROFILE_NAME PROFILE_TEXT]
    [ $# -ge 5 ] && printf '%b' "$5" >"$4"
    sed "$2" good.xml >"$1.xml"
    expect "platform_$1" "$1.xml:$3" -- run --platform "$1.xml" --tasks 2 --out out
}
badplat2 server_state_file "s|$srv_tag|<host id=\"server\" speed=\"30000000000000f\" core=\"1\" state_file=\"off.txt\">|" "10: host 'server': attribute 'state_file'" off.txt '0 1\n1 0\n'
badplat2 link_state_file "$wl0/<link id=\"wl_ue0\" bandwidth=\"50000000bps\" latency=\"0.005s\" state_file=\"off.txt\"/" "25: link 'wl_ue0': attribute 'state_file'"
badplat2 speed_file_zero "$ue0/<host id=\"ue0\" speed=\"1000000000000f\" speed_file=\"zero.prof\"/" "15: host 'ue0': speed_file 'zero.prof':2: expected a value > 0, got 0" zero.prof '0 1\n5 0\n'
badplat2 speed_file_garbage "$ue0/<host id=\"ue0\" speed=\"1000000000000f\" speed_file=\"garbage.prof\"/" "15: host 'ue0': speed_file 'garbage.prof':1: expected TIME VALUE" garbage.prof 'stod\n'
badplat2 speed_file_device "$ue0/<host id=\"ue0\" speed=\"1000000000000f\" speed_file=\"\/dev\/zero\"/" "15: host 'ue0': speed_file '/dev/zero': /dev/zero: cannot read a profile: not a regular file"
mkdir -p profdir
badplat2 speed_file_folder "$ue0/<host id=\"ue0\" speed=\"1000000000000f\" speed_file=\"profdir\"/" "15: host 'ue0': speed_file 'profdir': profdir: cannot read a profile: it is a directory"
printf '0 1\nLOOPAFTER 10\n' >ok.prof
sed "$ue0/<host id=\"ue0\" speed=\"1000000000000f\" speed_file=\"ok.prof\"/" good.xml >okprof.xml
check platform_speed_file_that_stays_positive_runs "$bin" run --platform okprof.xml --tasks 2 --out okprof -q
badplat2 none_routing 's/routing="Cluster"/routing="None"/' "9: zone 'edge': routing 'None'"
badplat2 config_element "s|<zone id=\"edge\" routing=\"Cluster\">|<config><prop id=\"contexts/stack-size\" value=\"1\"/></config><zone id=\"edge\" routing=\"Cluster\">|" "9: <config>: SimGrid's configuration is edgetune's to set"
badplat2 inline_trace "s|<zone id=\"edge\" routing=\"Cluster\">|<trace id=\"t\" periodicity=\"1\"><![CDATA[ 0 1 > <\"x ]]></trace><zone id=\"edge\" routing=\"Cluster\">|" "9: <trace>: inline profiles are not supported"
badplat2 duplicate_role_prop 's|<prop id="role" value="server"/>|<prop id="role" value="server"/><prop id="role" value="ue"/>|' "11: prop 'role' is given twice in one element"
printf '<?xml version="1.0"?>\n<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">\n<platform version="4.1">\n<zone id="z" routing="Full">\n</zone>\n</platform>\n' >nohost.xml
expect platform_without_hosts "nohost.xml: no host" -- run --platform nohost.xml --tasks 2 --out out

# 9. SimGrid options: a log file that is a folder; a Paje trace whose temporary is in the way.
expect log_file_is_a_folder "option '--log=root.app:file:profdir': 'root.app:file:profdir': 'profdir' is a directory" -- run --log=root.app:file:profdir --tasks 2 --out out
paje_tmp_in_the_way() { # the temporary is .<name>.<pid>.tmp: made by the process that becomes edgetune
    sh -c 'mkdir ".x.paje.$$.tmp" && exec "$0" run --platform fullr.xml --paje x.paje --tasks 2 --out out' "$bin" 2>err.txt
    local rc=$?
    rmdir .x.paje.*.tmp 2>/dev/null
    [ "$rc" -eq 2 ] && [ "$(lines err.txt)" -eq 1 ] && grep -q "option --paje: expected a file to write, but its temporary '.x.paje.[0-9]*.tmp' is in the way" err.txt && [ ! -e x.paje ]
}
check paje_temporary_in_the_way paje_tmp_in_the_way

# 10. Inputs that block or never end: regular files only, a size cap per kind.
mkfifo fifo.json fifo.xml fifo.csv fifo.ckpt
scen fifomodel.json '{ "model": "fifo.json" }'
scen fifotrace.json '{ "mobility": { "model": "trace", "trace": "fifo.csv" } }'
expect scenario_fifo "fifo.json: cannot read the scenario: not a regular file" -- run fifo.json --out out
expect platform_fifo "fifo.xml: cannot read platform" -- run --platform fifo.xml --out out
expect model_fifo "fifo.json: cannot read the model profile: not a regular file" -- run fifomodel.json --out out
expect trace_fifo "fifo.csv: cannot read mobility trace: not a regular file" -- run fifotrace.json --out out
expect spec_fifo "fifo.json: cannot read the sweep spec: not a regular file" -- sweep fifo.json --out out
expect checkpoint_fifo "fifo.ckpt: cannot read checkpoint: not a regular file" -- eval --checkpoint fifo.ckpt --tasks 2 --out out
expect scenario_dev_zero "/dev/zero: cannot read the scenario: not a regular file" -- run /dev/zero --out out
expect platform_dev_zero "/dev/zero: cannot read platform" -- run --platform /dev/zero --out out
truncate -s 17M huge.json
expect scenario_too_large "huge.json: cannot read the scenario: 17825792 bytes (at most 16777216)" -- run huge.json --out out
truncate -s 1025M huge.csv
scen hugetrace.json '{ "mobility": { "model": "trace", "trace": "huge.csv" } }'
expect trace_too_large "huge.csv: cannot read mobility trace: 1074790400 bytes (at most 1073741824)" -- run hugetrace.json --out out
rm -f huge.json huge.csv

# 14. and 17. Numbers are plain decimals, through the key table.
expect seed_with_a_blank "option --seed: key 'seed': expected a non-negative integer in [0, 9007199254740991], got ' 5'" -- run --seed " 5" --out out
expect seed_with_a_plus "got '+5'" -- run --seed +5 --out out
expect seed_in_hexadecimal "got '0x10'" -- run --seed 0x10 --out out
expect tasks_as_a_fraction "option --tasks: key 'tasks.per_ue': expected an integer in [1, 100000], got '2.5'" -- run --tasks 2.5 --out out
expect jobs_with_a_blank "-j: expected an integer in [1, 1024], got ' 2'" -- compare -j " 2" --out out
expect platform_ues_in_hexadecimal "--ues: expected an integer in [1, 1000000], got '0x10'" -- platform --ues 0x10
expect platform_flops_with_a_blank "--server-flops: expected FLOP/s in [1, 1e20], got ' 3e13'" -- platform --ues 3 --server-flops " 3e13"
scen leading_zero.json '{ "seed": 01 }'
expect scenario_leading_zero "leading_zero.json:1: '01' is not a JSON number" -- run leading_zero.json --out out
scen plus_number.json '{ "seed": +1 }'
expect scenario_plus_number "plus_number.json:1: '+1' is not a JSON number" -- run plus_number.json --out out
scen bare_fraction.json '{ "tuning": { "k_min": .2 } }'
expect scenario_bare_fraction "bare_fraction.json:1: '.2' is not a JSON number" -- run bare_fraction.json --out out
printf '{ "seed\\u0000junk": 3 }\n' >nul_escape.json
expect scenario_escaped_nul "nul_escape.json:1: \\u0000 in a string" -- run nul_escape.json --out out
{ printf '{ "x": '; for _ in $(seq 1 1100); do printf '['; done; for _ in $(seq 1 1100); do printf ']'; done; printf ' }\n'; } >deep.json
expect scenario_nested_too_deep "deep.json:1: nesting deeper than 1000 levels" -- run deep.json --out out
sed '0,/id="memory_bytes" value="[^"]*"/s//id="memory_bytes" value=" 6e9"/' good.xml >memblank.xml
expect platform_memory_with_a_blank "memblank.xml: host 'ue0': property 'memory_bytes'" -- run --platform memblank.xml --tasks 2 --out out
sed '0,/id="memory_bytes" value="[^"]*"/s//id="memory_bytes" value="0x10"/' good.xml >memhex.xml
expect platform_memory_in_hexadecimal "memhex.xml: host 'ue0': property 'memory_bytes'" -- run --platform memhex.xml --tasks 2 --out out
printf 'time_s,ue,x_m,y_m\n0x10,0,1,1\n' >hextime.csv
scen hextime.json '{ "mobility": { "model": "trace", "trace": "hextime.csv" } }'
expect trace_time_in_hexadecimal "hextime.csv:2: column 'time_s': expected a number, got '0x10'" -- run hextime.json --out out
printf 'ti me_s,ue,x_m,y_m\n0,0,1,1\n' >spacedhead.csv
scen spacedhead.json '{ "mobility": { "model": "trace", "trace": "spacedhead.csv" } }'
expect trace_header_with_a_blank_inside "spacedhead.csv:1: expected the header 'time_s,ue,x_m,y_m'" -- run spacedhead.json --out out
printf 'time_s,ue,x_m,y_m\n0,0,1,1\n1,0,\0000,1\n' >nultrace.csv
scen nultrace.json '{ "mobility": { "model": "trace", "trace": "nultrace.csv" } }'
expect trace_with_a_nul_byte "nultrace.csv:3: a NUL byte (offset 30)" -- run nultrace.json --out out
expect cfg_given_twice "option '--cfg=maxmin/precision:1e-6': --cfg=maxmin/precision is given twice" -- run --cfg=maxmin/precision:1e-5 --cfg=maxmin/precision:1e-6 --out out
expect log_unknown_format_directive "unknown format directive '%Z'" -- run --log=root.fmt:%Z --out out
expect log_unknown_category "option '--log=bogus.thres:info': unknown log category 'bogus'" -- run --log=bogus.thres:info --out out
platform_tmp_in_the_way() {
    sh -c 'mkdir ".p.xml.$$.tmp" && exec "$0" platform --ues 3 -o p.xml' "$bin" 2>err.txt
    local rc=$?
    rmdir .p.xml.*.tmp 2>/dev/null
    [ "$rc" -eq 2 ] && [ "$(lines err.txt)" -eq 1 ] && grep -q "p.xml: cannot write: Is a directory (its temporary is in the way)" err.txt && [ ! -e p.xml ]
}
check platform_output_temporary_in_the_way platform_tmp_in_the_way
expect compare_learner_twice "compare: --learners: 'hmppo' is given twice" -- compare --learners hmppo,hmppo --tasks 2 --out out

# 7. Checkpoint training fields out of range (tests/hostile_checkpoint.py rewrites one).
if command -v python3 >/dev/null; then
    scen two.json '{ "train": { "episodes_per_update": 2 } }'
    hostile() { # NAME FIELD VALUE WANT
        python3 "$src/tests/hostile_checkpoint.py" t/checkpoint.ckpt "$1.ckpt" "$2" "$3"
        expect "checkpoint_$1" "$1.ckpt: $4" -- train two.json --resume "$1.ckpt" --episodes 6 --tasks 2 --out out
    }
    hostile negative_episodes episodes_done -3 "checkpoint field 'episodes_done': expected an integer in [0, 10000000], got -3"
    hostile endless_episodes episodes_done 2147483647 "checkpoint field 'episodes_done'"
    hostile negative_updates updates_done -1 "checkpoint field 'updates_done': expected an integer in [0, episodes_done], got -1"
    hostile far_clock clock_s 1e300 "checkpoint field 'clock_s[0]': expected seconds in [0, 1e12], got 1e+300"
    hostile nan_clock clock_s nan "checkpoint field 'clock_s[0]'"
    hostile negative_clock clock_s -1 "checkpoint field 'clock_s[0]'"
    hostile no_ranks ranks 0 "checkpoint field 'ranks': expected an integer in [1, 64], got 0"
    hostile nan_weight weight nan "network 0: parameter 0 is nan (expected a finite number)"
    hostile inf_weight weight inf "network 0: parameter 0 is inf"
    expect eval_nan_weight "nan_weight.ckpt: network 0: parameter 0 is nan" -- eval --checkpoint nan_weight.ckpt --tasks 2 --out out
else
    echo "skip checkpoint fields: no python3 to rewrite a checkpoint"
fi

# 16. Sweep SPECs: gen.* keys are edgetune platform's options of the right kind, base a file.
scen sw_gen_output.json '{ "set": { "gen.ues": 3, "gen.output": "elsewhere.xml" } }'
expect sweep_gen_output "sw_gen_output.json: unknown key 'set.gen.output' (gen.* keys are edgetune platform's options" -- sweep sw_gen_output.json --out out
check sweep_gen_output_writes_nothing test ! -e elsewhere.xml
scen sw_gen_help.json '{ "set": { "gen.help": true } }'
expect sweep_gen_help "unknown key 'set.gen.help'" -- sweep sw_gen_help.json --out out
scen sw_gen_wifi.json '{ "set": { "gen.ues": 3, "gen.wifi": "yes" } }'
expect sweep_gen_flag_not_boolean "sw_gen_wifi.json: key 'set.gen.wifi': expected true or false" -- sweep sw_gen_wifi.json --out out
scen sw_base_dir.json '{ "base": "." }'
expect sweep_base_is_a_folder "sw_base_dir.json: key 'base': " -- sweep sw_base_dir.json --out out
scen sw_ok.json '{ "set": { "tasks.per_ue": 1 } }'
expect sweep_out_unwritable "option --out: expected a directory to write into, got '/proc/x'" -- sweep sw_ok.json --out /proc/x

finish
