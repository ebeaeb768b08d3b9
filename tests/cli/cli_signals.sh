#!/usr/bin/env bash
# cli_signals.sh EDGETUNE: SIGINT, SIGTERM and SIGHUP stop run, train, eval and compare
# cleanly: exit status 128 + the signal, one line saying where things stand, no
# temporary file left, the previous outputs untouched, no child process left behind; an
# interrupted training run resumes, with the command its message prints, bit-identically.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
# shellcheck disable=SC2016 # expanded at exit
in_scratch '[ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null'

cat >s.json <<JSON
{ "platform": "$src/platforms/edge-6ue.xml", "model": "$src/models/opt-1.3b.json",
  "tasks": { "per_ue": 3 }, "train": { "checkpoint_every": 5 } }
JSON
cat >long.json <<JSON
{ "platform": "$src/platforms/edge-6ue.xml", "model": "$src/models/opt-1.3b.json",
  "tasks": { "per_ue": 3000 }, "output": { "channel_every": 10 } }
JSON

# wait_for PATTERN: until a file matches the glob PATTERN (at most 20 s). Temporaries carry
# their process's id: .tasks.csv.<pid>.tmp.
wait_for() {
    for _ in $(seq 1 400); do
        compgen -G "$1" >/dev/null && return 0
        sleep 0.05
    done
    return 1
}
# no_children TAG: no process is left whose command line holds TAG (children of eval and
# compare are forks: they carry the parent's command line).
no_children() {
    for _ in $(seq 1 40); do
        pgrep -f -- "$1" >/dev/null || return 0
        sleep 0.05
    done
    return 1
}

# 1. run: interrupted mid-episode by each signal; the previous outputs stay as they were.
"$bin" run s.json --out r -q && md5sum r/* >before.md5 || bad previous_run
for sig in INT TERM HUP; do
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    "$bin" run long.json --out r -q 2>msg.txt &
    pid=$!
    wait_for "r/.channel.csv.*.tmp" && sleep 0.3
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    pid=
    if [ "$rc" -eq "$want" ] && [ "$(lines msg.txt)" -eq 1 ] &&
        grep -q "^edgetune: interrupted by SIG$sig at simulated .* of episode 0 (.* tasks done); nothing written, r/ keeps its previous files$" msg.txt &&
        no_tmp r && md5sum -c --quiet before.md5; then
        ok "run_sig$sig"
    else
        bad "run_sig$sig (status $rc)"
        sed 's/^/     | /' msg.txt
    fi
done

# 2. train: SIGINT mid-run; the message names the checkpoint and the command that resumes;
#    resumed, the run ends bit-identical to one never interrupted.
"$bin" train s.json --episodes 200 --out a -q && ok reference_training || bad reference_training
"$bin" train s.json --episodes 200 --out t -q 2>msg.txt &
pid=$!
for _ in $(seq 1 400); do
    [ -f t/train.csv ] && [ "$(wc -l <t/train.csv)" -gt 20 ] && break
    sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
pid=
resume=$(sed -n 's/.*; resume with: edgetune //p' msg.txt)
if [ "$rc" -eq 130 ] && [ "$(lines msg.txt)" -eq 1 ] &&
    grep -q '^edgetune: interrupted by SIGINT after [0-9]* of 200 episodes; t/checkpoint.ckpt holds the first [0-9]*; resume with: edgetune train s.json --episodes 200 --out t -q --resume t/checkpoint.ckpt$' msg.txt &&
    no_tmp t; then
    ok train_sigint
else
    bad "train_sigint (status $rc)"
    sed 's/^/     | /' msg.txt
fi
# shellcheck disable=SC2086 # the message's command, split as a shell would
if [ -n "$resume" ] && "$bin" $resume && cmp -s a/checkpoint.ckpt t/checkpoint.ckpt &&
    same_log a/train.csv t/train.csv && no_tmp t; then
    ok train_resumes_bit_identically_with_the_printed_command
else
    bad train_resumes_bit_identically_with_the_printed_command
fi

# 3. eval: SIGTERM to the parent alone; it passes the signal on to the episode's child.
"$bin" eval long.json --policy greedy --episodes 5 --out evsig -q 2>msg.txt &
pid=$!
wait_for "evsig/.tasks.csv.*.tmp" && sleep 0.5
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
if [ "$rc" -eq 143 ] && [ "$(lines msg.txt)" -eq 1 ] &&
    grep -q '^edgetune: interrupted by SIGTERM .*; nothing written, evsig/ keeps its previous files$' msg.txt &&
    no_tmp evsig && [ ! -e evsig/eval.csv ] && no_children "--out evsig"; then
    ok eval_sigterm_stops_its_child
else
    bad "eval_sigterm_stops_its_child (status $rc)"
    sed 's/^/     | /' msg.txt
fi

# 4. compare: SIGINT while it trains in parallel children.
"$bin" compare s.json --seeds 2 --episodes 2000 --eval 2 --validation 1 -j 2 --out cmpsig -q \
    2>msg.txt &
pid=$!
wait_for cmpsig/hmppo-s1/train.csv && sleep 0.5
kill -INT "$pid"
wait "$pid"
rc=$?
pid=
if [ "$rc" -eq 130 ] && [ "$(lines msg.txt)" -eq 1 ] && grep -q '^edgetune: interrupted by SIGINT' msg.txt &&
    no_tmp cmpsig && [ ! -e cmpsig/compare.md ] && no_children "--out cmpsig"; then
    ok compare_sigint_stops_every_child
else
    bad "compare_sigint_stops_every_child (status $rc)"
    sed 's/^/     | /' msg.txt
fi

# 6. From the first instruction: a signal while the platform is still being loaded (a
#    30,000-UE platform: checked, then loaded by SimGrid) is answered with the same line.
"$bin" platform --ues 30000 -o big.xml
for sig in INT TERM HUP; do
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    "$bin" run --platform big.xml --ues 50 --tasks 3 --out r -q 2>msg.txt &
    pid=$!
    for _ in $(seq 1 400); do # until it has the platform open
        ls -l "/proc/$pid/fd" 2>/dev/null | grep -q 'big.xml' && break
        sleep 0.01
    done
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    pid=
    if [ "$rc" -eq "$want" ] && [ "$(lines msg.txt)" -eq 1 ] &&
        grep -q "^edgetune: interrupted by SIG$sig before the first episode; nothing written, r/ keeps its previous files$" msg.txt &&
        no_tmp r && md5sum -c --quiet before.md5; then
        ok "run_sig${sig}_while_loading"
    else
        bad "run_sig${sig}_while_loading (status $rc)"
        sed 's/^/     | /' msg.txt
    fi
done

# 7. sweep: SIGINT while it checks a large grid stops it at once (one line, 130, no temporary
#    folder left); SIGTERM and SIGHUP while runs go: one line, 128 + N, the tables of the runs
#    done, the run folders' temporaries gone.
cat >grid.json <<JSON
{ "base": "s.json", "grid": { "tasks.per_ue": [$(seq -s, 1 300)], "reward.w_ppl": [$(seq -s, 1 300)] } }
JSON
# A private TMPDIR: the sweep test, run alongside by ctest -j, makes its own temporaries.
mkdir -p own-tmp
sweep_tmp_before=$(find own-tmp -maxdepth 1 -name 'edgetune-sweep-*' 2>/dev/null | sort)
TMPDIR=$PWD/own-tmp "$bin" sweep grid.json --out swg -q 2>msg.txt &
pid=$!
sleep 2
kill -INT "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
alive=$(kill -0 "$pid" 2>/dev/null && echo yes)
[ -n "$alive" ] && kill -9 "$pid"
wait "$pid"
rc=$?
pid=
sweep_tmp_after=$(find own-tmp -maxdepth 1 -name 'edgetune-sweep-*' 2>/dev/null | sort)
if [ -z "$alive" ] && [ "$rc" -eq 130 ] && [ "$(lines msg.txt)" -eq 1 ] &&
    grep -q '^edgetune: sweep interrupted by SIGINT while checking point [0-9]* of 90000 of the SPEC; nothing written$' msg.txt &&
    [ "$sweep_tmp_before" = "$sweep_tmp_after" ] && [ ! -e swg/runs.csv ]; then
    ok sweep_sigint_while_checking_the_spec
else
    bad "sweep_sigint_while_checking_the_spec (status $rc, still running: ${alive:-no})"
    sed 's/^/     | /' msg.txt
fi
cat >runs.json <<JSON
{ "base": "long.json", "seeds": 4 }
JSON
for sig in TERM HUP; do
    case $sig in TERM) want=143 ;; HUP) want=129 ;; esac
    rm -rf sw
    "$bin" sweep runs.json -j 1 --out sw -q 2>msg.txt &
    pid=$!
    wait_for "sw/runs/*/.tasks.csv.*.tmp" && sleep 0.3
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    pid=
    if [ "$rc" -eq "$want" ] && [ "$(lines msg.txt)" -eq 1 ] &&
        grep -q "^edgetune: sweep interrupted by SIG$sig: 0 of 4 runs have a row" msg.txt &&
        [ -f sw/runs.csv ] && [ -f sw/points.csv ] && no_tmp sw && no_children "$work/sw/runs"; then
        ok "sweep_sig$sig"
    else
        bad "sweep_sig$sig (status $rc)"
        sed 's/^/     | /' msg.txt
    fi
done

# 5. A parent killed outright takes its children with it.
"$bin" eval long.json --policy greedy --episodes 5 --out evkill -q 2>/dev/null &
pid=$!
wait_for "evkill/.tasks.csv.*.tmp" && sleep 0.3
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
if no_children "--out evkill"; then ok children_die_with_a_killed_parent; else
    bad children_die_with_a_killed_parent
fi

finish
