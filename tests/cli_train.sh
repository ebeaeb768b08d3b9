#!/usr/bin/env bash
# cli_train.sh EDGETUNE: training survives interruption. A run stopped after a
# checkpoint, or killed with SIGKILL, and resumed, ends bit-identical to a run
# that was never interrupted (same checkpoint bytes, same log rows but the
# wall-time column). Also: eval and compare run on a trained checkpoint.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null' EXIT
cd "$work"

cat >s.json <<JSON
{ "platform": "$src/platforms/edge-6ue.xml", "model": "$src/models/opt-1.3b.json",
  "tasks": { "per_ue": 3 }, "train": { "checkpoint_every": 1 } }
JSON

# 1. Uninterrupted reference runs.
"$bin" train s.json --episodes 6 --out a -q && "$bin" train s.json --episodes 300 --out a300 -q \
    && ok reference_runs || bad reference_runs

# 2. Stop after 3 episodes, resume to 6.
"$bin" train s.json --episodes 6 --stop-after 3 --out b -q &&
    "$bin" train s.json --episodes 6 --resume b/checkpoint.ckpt --out b -q
if cmp -s a/checkpoint.ckpt b/checkpoint.ckpt && same_log a/train.csv b/train.csv; then
    ok resume_after_stop_is_bit_identical
else
    bad resume_after_stop_is_bit_identical
fi

# 3. SIGKILL in the middle, resume to the end.
"$bin" train s.json --episodes 300 --out k -q &
pid=$!
for _ in $(seq 1 200); do
    [ -f k/train.csv ] && [ "$(wc -l <k/train.csv)" -gt 20 ] && break
    sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
rows=$(($(wc -l <k/train.csv) - 1))
# A kill during a checkpoint write may leave checkpoint.ckpt.tmp; checkpoint.ckpt
# itself is always whole (written aside, then renamed) and the resume below loads it.
if [ "$rows" -lt 300 ] && [ -f k/checkpoint.ckpt ]; then ok killed_mid_run; else bad "killed_mid_run ($rows rows)"; fi
"$bin" train s.json --episodes 300 --resume k/checkpoint.ckpt --out k -q
if cmp -s a300/checkpoint.ckpt k/checkpoint.ckpt && same_log a300/train.csv k/train.csv &&
    [ ! -e k/checkpoint.ckpt.tmp ]; then
    ok resume_after_sigkill_is_bit_identical
else
    bad resume_after_sigkill_is_bit_identical
fi

# 4. Evaluation and comparison on the trained checkpoint.
if "$bin" eval s.json --checkpoint a/checkpoint.ckpt --episodes 2 --out e -q &&
    [ "$(wc -l <e/eval.csv)" -eq 3 ] && grep -q reward_mean e/summary.json; then
    ok eval_writes_its_outputs
else
    bad eval_writes_its_outputs
fi
if "$bin" eval s.json --policy greedy --episodes 2 --out g -q && grep -q '^greedy,' g/eval.csv; then
    ok eval_runs_a_baseline
else
    bad eval_runs_a_baseline
fi
# 3 learners x 2 seeds + 6 baselines, 2 episodes each, plus the header.
if "$bin" compare s.json --seeds 2 --episodes 2 --eval 2 --validation 1 --out c -q &&
    grep -q '^| greedy |' c/compare.md && grep -q '^| tuned-static |' c/compare.md &&
    grep -q '^| all-local | ' c/compare.md && [ "$(wc -l <c/compare.csv)" -eq 25 ] &&
    [ "$(cut -d, -f1 c/curves.csv | sort -u | wc -l)" -eq 4 ]; then
    ok compare_writes_the_table
else
    bad compare_writes_the_table
fi

finish
