#!/usr/bin/env bash
# train_mpi.sh EDGETUNE: distributed training over 2 MPI ranks (mpirun from Debian's
# openmpi-bin). Two runs give the same checkpoint bytes; a run stopped after a checkpoint, or
# killed with SIGKILL, and resumed, ends bit-identical to one never interrupted; a checkpoint
# is resumed only with the rank count that wrote it; commands other than train refuse to run
# under mpirun. Skipped (a line saying so, exit 77: ctest's SKIP_RETURN_CODE) without mpirun
# or an MPI build.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$src/tests/lib.sh"
# shellcheck disable=SC2016 # expanded at exit
in_scratch '[ -n "${pid:-}" ] && kill -9 -- "-$pid" 2>/dev/null'

if ! command -v mpirun >/dev/null; then
    echo "skipped: no mpirun (scripts/setup.sh installs openmpi-bin)"
    exit 77
fi
# CI runs as root: Open MPI refuses that unless told twice.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi() { mpirun -np 2 --oversubscribe "$@"; }

cat >s.json <<JSON
{ "platform": "$src/platforms/edge-6ue.xml", "model": "$src/models/opt-1.3b.json",
  "tasks": { "per_ue": 3 }, "train": { "checkpoint_every": 2 } }
JSON

if ! mpi "$bin" train s.json --episodes 8 --out a -q >log.txt 2>&1; then
    if grep -q "built without MPI" log.txt; then
        echo "skipped: edgetune was built without MPI"
        exit 77
    fi
    bad two_ranks_train
    sed 's/^/     | /' log.txt | head -20
fi
check same_bytes_on_a_second_run mpi "$bin" train s.json --episodes 8 --out b -q
check same_checkpoint cmp a/checkpoint.ckpt b/checkpoint.ckpt
check rows_for_every_episode test "$(wc -l <a/train.csv)" -eq 9

# Stop after 4 episodes (a checkpoint), resume to 8.
mpi "$bin" train s.json --episodes 8 --stop-after 4 --out c -q &&
    mpi "$bin" train s.json --episodes 8 --resume c/checkpoint.ckpt --out c -q
if cmp -s a/checkpoint.ckpt c/checkpoint.ckpt && same_log a/train.csv c/train.csv; then
    ok resume_after_stop_is_bit_identical
else
    bad resume_after_stop_is_bit_identical
fi

# SIGKILL to the whole job in the middle, resume to the end.
mpi "$bin" train s.json --episodes 80 --out r -q && ok reference_80 || bad reference_80
setsid bash -c "exec mpirun -np 2 --oversubscribe '$bin' train s.json --episodes 80 --out '$work/k' -q" &
pid=$!
for _ in $(seq 1 400); do
    [ -f k/train.csv ] && [ "$(wc -l <k/train.csv)" -gt 10 ] && break
    sleep 0.02
done
kill -9 -- "-$pid" 2>/dev/null
# The ranks may sit in process groups of their own: kill them by their (unique) output path,
# or they would keep writing k/ while the resumed run reads it.
ranks_of_k() { # PIDs whose command line names $work/k (no procps needed)
    for d in /proc/[0-9]*; do
        tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -q -- "[-]-out $work/k" && echo "${d#/proc/}"
    done
}
for p in $(ranks_of_k); do kill -9 "$p" 2>/dev/null; done
wait "$pid" 2>/dev/null
pid=
while [ -n "$(ranks_of_k)" ]; do sleep 0.05; done
rows=$(wc -l <k/train.csv)
[ "$rows" -lt 81 ] && ok "killed_mid_run ($((rows - 1)) rows)" || bad killed_mid_run
mpi "$bin" train s.json --episodes 80 --resume k/checkpoint.ckpt --out k -q
if cmp -s r/checkpoint.ckpt k/checkpoint.ckpt && same_log r/train.csv k/train.csv; then
    ok resume_after_sigkill_is_bit_identical
else
    bad resume_after_sigkill_is_bit_identical
fi

# A 2-rank checkpoint does not resume on one rank, and 'run' does not run under mpirun.
"$bin" train s.json --episodes 8 --resume a/checkpoint.ckpt --out d -q 2>err.txt
rc=$?
if [ $rc -eq 2 ] && grep -q "another number of ranks" err.txt; then ok one_rank_resume_refused; else
    bad one_rank_resume_refused; cat err.txt; fi
mpi "$bin" run s.json --out e -q >err.txt 2>&1
if grep -q "only 'train' and 'sweep' run over MPI" err.txt && [ ! -e e ]; then ok run_refused_under_mpirun; else
    bad run_refused_under_mpirun; cat err.txt; fi
finish
