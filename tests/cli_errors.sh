#!/usr/bin/env bash
# cli_errors.sh EDGETUNE: bad input gives exit status 2, one line on stderr that
# names the file and the key or host at fault, no crash and no output left behind.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# expect NAME EXPECTED_SUBSTRING -- ARGS...
expect() {
    local name=$1 want=$2
    shift 3
    rm -rf out
    "$bin" "$@" >stdout.txt 2>stderr.txt
    local rc=$?
    local lines
    lines=$(wc -l <stderr.txt)
    local why=""
    [ "$rc" -eq 2 ] || why="exit status $rc, expected 2"
    [ -z "$why" ] && ! grep -qF -- "$want" stderr.txt && why="stderr lacks '$want'"
    [ -z "$why" ] && [ "$lines" -ne 1 ] && why="stderr has $lines lines, expected 1"
    [ -z "$why" ] && grep -qE 'Backtrace|Aborted|terminate called' stderr.txt && why="crash output"
    [ -z "$why" ] && [ -n "$(find out -type f 2>/dev/null)" ] && why="left files in out/"
    if [ -z "$why" ]; then
        ok "$name"
    else
        bad "$name: $why"
        sed 's/^/     | /' stderr.txt
    fi
}

scen() { printf '%s\n' "$2" >"$1"; }

cp "$src/platforms/edge-6ue.xml" good.xml
cp "$src/models/opt-1.3b.json" good-model.json

expect missing_scenario "nope.json" -- run nope.json --out out
expect unknown_simgrid_option "Bad config key: bogus" -- run --cfg=bogus:1 --out out
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
check platform_radius_beyond_isd_leaves_no_file sh -c '[ ! -e m.xml ] && [ ! -e m.xml.tmp ]'
expect platform_bad_cell_radius "--cell-radius: expected metres in (10, 100000], got '10'" -- platform --ues 8 --cell-radius 10
expect platform_bad_server_flops "--server-flops: expected FLOP/s in [1, 1e20], got '-3e13'" -- platform --ues 8 --server-flops -3e13
expect platform_bad_server_cores "--server-cores: expected an integer in [1, 100000], got '0'" -- platform --ues 8 --server-cores 0
expect platform_option_needs_value "option --cells needs a value" -- platform --ues 8 --cells

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

finish
