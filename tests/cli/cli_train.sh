#!/usr/bin/env bash
# cli_train.sh EDGETUNE: training survives interruption. A run stopped after a
# checkpoint, or killed with SIGKILL, and resumed, ends bit-identical to a run
# that was never interrupted (same checkpoint bytes, same log rows but the
# wall-time column). Also: eval and compare run on a trained checkpoint.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
# shellcheck disable=SC2016 # expanded at exit
in_scratch '[ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null'

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
# A kill during a checkpoint write may leave .checkpoint.ckpt.<pid>.tmp; checkpoint.ckpt
# itself is always whole (written aside, then renamed) and the resume below loads it.
if [ "$rows" -lt 300 ] && [ -f k/checkpoint.ckpt ]; then ok killed_mid_run; else bad "killed_mid_run ($rows rows)"; fi
"$bin" train s.json --episodes 300 --resume k/checkpoint.ckpt --out k -q
if cmp -s a300/checkpoint.ckpt k/checkpoint.ckpt && same_log a300/train.csv k/train.csv &&
    no_tmp k; then
    ok resume_after_sigkill_is_bit_identical
else
    bad resume_after_sigkill_is_bit_identical
fi

# 3b. A log row of any length is kept on resume (it was cut at 4,095 bytes, and the rows
#     after it dropped).
cp -r b long && awk -F, 'NR == 3 { printf "%s,", $1; for (i = 0; i < 600; i++) printf "0.000000001"; sub(/^[^,]*,/, ""); print; next } { print }' b/train.csv >long/train.csv
"$bin" train s.json --episodes 8 --resume long/checkpoint.ckpt --out long -q
if [ "$(wc -l <long/train.csv)" -eq 9 ] && [ "$(cut -d, -f1 long/train.csv | tail -n +2 | tr '\n' ' ')" = "0 1 2 3 4 5 6 7 " ] &&
    [ "$(sed -n 3p long/train.csv | wc -c)" -gt 4096 ]; then
    ok resume_keeps_a_long_row_and_the_rows_after_it
else
    bad resume_keeps_a_long_row_and_the_rows_after_it
fi
# ... and a log that is not the checkpoint's run is refused, not mixed into it.
cp b/checkpoint.ckpt mixed.ckpt && mkdir -p mixed && head -2 a300/train.csv >mixed/train.csv
"$bin" train s.json --episodes 6 --resume mixed.ckpt --out mixed -q 2>err.txt
rc=$?
if [ "$rc" -eq 2 ] && grep -q "mixed/train.csv: holds 1 whole rows, but mixed.ckpt counts 6 episodes" err.txt; then
    ok resume_refuses_a_log_of_another_run
else
    bad "resume_refuses_a_log_of_another_run (status $rc)"
    sed 's/^/     | /' err.txt
fi

# 3c. A folder that holds a run is refused without --resume; --restart starts over but keeps
#     the old run until its first checkpoint: killed before it, the old run is intact.
"$bin" train s.json --episodes 6 --out a -q 2>err.txt
rc=$?
[ "$rc" -eq 2 ] && grep -q "holds a training run" err.txt && cmp -s a/checkpoint.ckpt b/checkpoint.ckpt &&
    ok train_refuses_a_folder_with_a_run || bad "train_refuses_a_folder_with_a_run (status $rc)"
md5sum a300/* >a300.md5
printf '{ "platform": "%s", "model": "%s", "tasks": { "per_ue": 3 }, "train": { "checkpoint_every": 100000 } }\n' \
    "$src/platforms/edge-6ue.xml" "$src/models/opt-1.3b.json" >rare.json
"$bin" train rare.json --episodes 100000 --restart --out a300 -q &
pid=$!
for _ in $(seq 1 200); do
    [ -n "$(find a300 -name '.train.csv.*.tmp' -size +2k)" ] && break
    sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
if md5sum -c --quiet a300.md5 && "$bin" train s.json --episodes 300 --resume a300/checkpoint.ckpt --out a300 -q; then
    ok restart_keeps_the_old_run_until_its_first_checkpoint
else
    bad restart_keeps_the_old_run_until_its_first_checkpoint
fi
rm -f a300/.train.csv.*.tmp
"$bin" train s.json --episodes 2 --restart --out a300 -q &&
    [ "$(wc -l <a300/train.csv)" -eq 3 ] && ok restart_replaces_the_run || bad restart_replaces_the_run

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
# 3 learners x 2 seeds + 6 baselines, 2 episodes each, plus the header; the hindsight bound on
# the first 2 evaluation episodes, whose tuned-static column is tuned-static's evaluation.
if "$bin" compare s.json --seeds 2 --episodes 2 --eval 2 --validation 1 --bound 2 --budget 6 \
    --out c -q && grep -q '^| greedy |' c/compare.md && grep -q '^| tuned-static |' c/compare.md &&
    grep -q '^| all-local | ' c/compare.md && [ "$(wc -l <c/compare.csv)" -eq 25 ] &&
    [ "$(cut -d, -f1 c/curves.csv | sort -u | wc -l)" -eq 4 ] &&
    grep -q '^| hindsight bound | 1 |' c/compare.md && [ "$(wc -l <c/bound.csv)" -eq 3 ] &&
    ! grep -q 'differs from its evaluation' c/compare.md &&
    [ "$(grep '^tuned-static,' c/compare.csv | cut -d, -f4 | head -2 | tr '\n' ' ')" = \
        "$(tail -n +2 c/bound.csv | cut -d, -f2 | tr '\n' ' ')" ]; then
    ok compare_writes_the_table_and_the_bound
else
    bad compare_writes_the_table_and_the_bound
fi
# Baselines only: said so, no learner's seed warning, no bound with --bound 0.
if "$bin" compare s.json --learners "" --eval 2 --validation 1 --bound 0 --out cb -q &&
    grep -q 'Baselines only' cb/compare.md && ! grep -q 'Warning' cb/compare.md &&
    ! grep -q 'hindsight bound' cb/compare.md && [ "$(wc -l <cb/bound.csv)" -eq 1 ]; then
    ok compare_of_baselines_says_so
else
    bad compare_of_baselines_says_so
fi

finish
