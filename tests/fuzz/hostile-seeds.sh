#!/usr/bin/env bash
# hostile-seeds.sh CHECKPOINT: beside CHECKPOINT (the seed edgetune train wrote), variants
# with one training field out of range or a weight that is not finite
# (tests/hostile_checkpoint.py), as seeds of fuzz_checkpoint: the fuzzer starts at the fields
# a resume reads. Without python3 there are none (the harness still runs on the others).
set -eu
seed=$1
command -v python3 >/dev/null || { echo "hostile-seeds: no python3, no hostile seeds"; exit 0; }
for fv in episodes_done:-3 updates_done:-1 clock_s:1e300 ranks:0 weight:nan; do
    python3 "$(dirname "$0")/../hostile_checkpoint.py" "$seed" \
        "$(dirname "$seed")/hostile-${fv%%:*}.ckpt" "${fv%%:*}" "${fv#*:}"
done
