#!/usr/bin/env bash
# cli_linkbudget.sh EDGETUNE: `edgetune linkbudget` prints the channel's link budget (text, or
# one JSON object whose numbers are those of TR 38.901 by hand), reads a scenario's keys as
# its defaults, and refuses bad options with exit status 2 and one line naming the option and
# its range.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
in_scratch

# json KEY: the number (or string) KEY of the JSON object in out.json.
json() { python3 -c "import json,sys; v=json.load(open('out.json'))[sys.argv[1]]; print(v)" "$1"; }
# near A B TOL: |A - B| <= TOL.
near() { python3 -c "import sys; a,b,t=map(float,sys.argv[1:]); sys.exit(0 if abs(a-b)<=t else 1)" "$1" "$2" "$3"; }

# The issue's example: UMa LOS, 100 m, 5 GHz, BS 25 m, UT 1.5 m.
# d_3D = sqrt(100^2 + 23.5^2) = 102.724 m; PL = 28 + 22 log10(102.724) + 20 log10(5) = 86.2362 dB;
# d'_BP = 4 (25 - 1)(1.5 - 1) 5e9 / 3e8 = 800 m; Pr_LOS = 18/100 + exp(-100/63)(1 - 18/100) = 0.3477.
if "$bin" linkbudget --scenario uma --los --distance 100 --frequency 5e9 --h-bs 25 --h-ut 1.5 \
    --json >out.json 2>err.txt; then
    ok "the example runs"
    [ "$(wc -l <out.json)" -eq 1 ] && ok "--json prints one line" || bad "--json prints one line"
    near "$(json path_loss_db)" 86.2362 1e-4 && ok "path_loss_db is TR 38.901's" ||
        bad "path_loss_db $(json path_loss_db), expected 86.2362"
    near "$(json breakpoint_m)" 800 1e-9 && ok "breakpoint_m" || bad "breakpoint_m $(json breakpoint_m)"
    near "$(json los_probability)" 0.347671 1e-6 && ok "los_probability" ||
        bad "los_probability $(json los_probability)"
    near "$(json shadowing_std_db)" 4 0 && ok "shadowing_std_db (UMa LOS)" || bad "shadowing_std_db"
    # Uplink noise over the 100 MHz TDD carrier: -174 + 80 + 5 = -89 dBm; SNR 23 - 86.2362 + 89.
    near "$(json snr_up_db)" 25.7638 1e-4 && ok "snr_up_db" || bad "snr_up_db $(json snr_up_db)"
    near "$(json time_share_up)" 0.228571 1e-6 && ok "time_share_up (DDDSU 10:2:2: 16/70)" ||
        bad "time_share_up"
else
    bad "the example runs"
    sed 's/^/     | /' err.txt
fi

# NLOS at 400 m without fading: max(PL_LOS, 13.54 + 39.08 log10(d_3D) + 20 log10(3.5)) at the
# default 3.5 GHz = 126.1391 dB; the uplink rate 100e6 (16/70) log2(1 + 10^(SNR/10)).
if "$bin" linkbudget --nlos --distance 400 --fading none --json >out.json 2>err.txt; then
    near "$(json path_loss_db)" 126.1391 1e-4 && ok "NLOS path loss at 400 m" ||
        bad "NLOS path loss $(json path_loss_db)"
    want=$(python3 -c "import math; s=23-126.139105+89; print(100e6*16/70*math.log2(1+10**(s/10)))")
    near "$(json rate_up_bps)" "$want" 2e3 && ok "TDD uplink rate by hand" || bad "rate_up_bps $(json rate_up_bps), expected $want"
else
    bad "NLOS at 400 m runs"
fi

# FDD 80/20 (version 2's split) and the TR 36.814 law at 400 m: the uplink's 45.5 Mb/s.
if "$bin" linkbudget --scenario tr36814 --distance 400 --fading none --duplex fdd \
    --carrier-down 80e6 --carrier-up 20e6 --json >out.json 2>err.txt; then
    near "$(json rate_up_bps)" 45.55e6 0.01e6 && ok "FDD 20 MHz uplink at 400 m" ||
        bad "FDD uplink $(json rate_up_bps)"
    [ "$(json los_probability)" = None ] && ok "tr36814 has no LOS probability" || bad "tr36814 LOS"
else
    bad "FDD tr36814 runs"
fi

# A scenario file's keys are the defaults: an InH scenario at 5.21 GHz.
printf '{"channel": {"scenario": "inh", "frequency_hz": 5.21e9}}\n' >inh.json
if "$bin" linkbudget inh.json --los --distance 10 --json >out.json 2>err.txt; then
    want=$(python3 -c "import math; print(32.4+17.3*math.log10(math.sqrt(104))+20*math.log10(5.21))")
    near "$(json path_loss_db)" "$want" 1e-9 && ok "the scenario file's scenario and frequency" ||
        bad "InH path loss $(json path_loss_db), expected $want"
else
    bad "a scenario file"
    sed 's/^/     | /' err.txt
fi

# Interference from a 19-cell layout lowers the SINR below the SNR.
if "$bin" linkbudget --distance 200 --cells 19 --json >out.json 2>err.txt; then
    python3 -c "import json; o=json.load(open('out.json')); exit(0 if o['sinr_down_db'] < o['snr_down_db'] - 3 else 1)" &&
        ok "19 cells interfere" || bad "19 cells interfere"
else
    bad "--cells 19 runs"
fi
check "text output" "$bin" linkbudget --distance 100
grep -q "path loss" log.txt && ok "text names the path loss" || bad "text names the path loss"
check "--help" "$bin" linkbudget --help
check "help linkbudget" "$bin" help linkbudget

# Bad options: exit 2, one line naming the option and its range.
refuse() {
    local name=$1 want=$2
    shift 2
    "$bin" linkbudget "$@" >stdout.txt 2>stderr.txt
    local rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <stderr.txt)" -eq 1 ] && grep -qF -- "$want" stderr.txt &&
        [ ! -s stdout.txt ]; then
        ok "$name"
    else
        bad "$name (exit $rc)"
        sed 's/^/     | /' stderr.txt
    fi
}
refuse "distance required" "--distance M is required"
refuse "distance range" "--distance: expected metres in [1, 100000], got '0'" --distance 0
refuse "frequency in GHz" "--frequency: expected Hz in [5e+08, 1e+11], got '3.5'" --distance 9 --frequency 3.5
refuse "unknown scenario" "--scenario: expected one of uma, umi, rma, inh, tr36814, got 'suburb'" --distance 9 --scenario suburb
refuse "h-ut range" "--h-ut: expected metres in [1, 22.5], got '30'" --distance 9 --h-ut 30
refuse "cells integer" "--cells: expected an integer in [1, 1000], got '2.5'" --distance 9 --cells 2.5
refuse "both conditions" "give one of --los, --nlos and --mean" --distance 9 --los --nlos
refuse "tr36814 has no LOS state" "--los: scenario tr36814 has no LOS state" --distance 9 --scenario tr36814 --los
refuse "bad pattern" "--tdd-pattern: expected 1 to 80 slots" --distance 9 --tdd-pattern DDXU
refuse "bad special slot" "--tdd-special-slot: expected" --distance 9 --tdd-special-slot 10:2
refuse "carrier under FDD" "--carrier is the TDD bandwidth" --distance 9 --duplex fdd --carrier 20e6
refuse "twice" "option --distance is given twice" --distance 9 --distance 10
refuse "unknown option" "unknown option '--bogus'" --distance 9 --bogus
# The scenario's radio keys are checked where they are read, naming the file and the key.
printf '{"channel": {"tdd_pattern": "DDXU"}}\n' >pattern.json
refuse "a scenario's bad TDD pattern" "pattern.json: key 'channel.tdd_pattern': expected 1 to 80 slots" pattern.json --distance 9
printf '{"channel": {"h_bs_m": 0.5}}\n' >height.json
refuse "a scenario's height below 1 m" "height.json: key 'channel.h_bs_m': expected 0 (the scenario's height) or a number in [1, 150], got 0.5" height.json --distance 9
printf '{"channel": {"scenario": "suburban"}}\n' >scen.json
refuse "a scenario's unknown scenario" "scen.json: key 'channel.scenario': expected one of uma|umi|rma|inh|tr36814" scen.json --distance 9
finish
