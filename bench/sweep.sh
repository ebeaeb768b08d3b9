#!/usr/bin/env bash
# sweep.sh [--runs N] [--tasks T] [--build DIR]: runs per second of `edgetune sweep` at -j 1,
# -j 2 and over 2 MPI ranks (-j 1 each), with the ratio to -j 1 measured in the same run.
# Every configuration runs the same sweep into a fresh directory (no skipped runs); the rows
# of all three must be identical, or the exit status is 1.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build
runs=48
tasks=10
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --tasks) tasks=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        *) echo "usage: bash bench/sweep.sh [--runs N] [--tasks T] [--build DIR]" >&2; exit 2 ;;
    esac
done
edgetune=$(realpath "$build/edgetune")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# runs = points x 2 policies x 2 seeds: the points are UE speeds.
points=$(( (runs + 3) / 4 ))
speeds=$(seq -s, 1 "$points")
cat >spec.json <<EOF
{
  "set": { "tasks.per_ue": $tasks },
  "grid": { "mobility.speed_max_mps": [$speeds] },
  "seeds": 2,
  "policies": ["greedy", "all-server"]
}
EOF
total=$((points * 4))
timed() { # timed NAME COMMAND...: wall seconds of the command
    local name=$1 t0 t1
    shift
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$name.err" || { echo "bench/sweep.sh: $* failed:" >&2; cat "$name.err" >&2; exit 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
printf '%-22s %6s %9s %8s %8s\n' configuration runs wall_s runs/s ratio
t1=$(timed j1 "$edgetune" sweep spec.json -j 1 --out j1 -q)
calc() { awk "BEGIN { print $1 }"; } # arithmetic without bc (not in a bare Debian)
base=$(calc "$total / $t1")
printf '%-22s %6d %9.2f %8.2f %8.2f\n' "-j 1" "$total" "$t1" "$base" 1
t2=$(timed j2 "$edgetune" sweep spec.json -j 2 --out j2 -q)
r2=$(calc "$total / $t2")
printf '%-22s %6d %9.2f %8.2f %8.2f\n' "-j 2" "$total" "$t2" "$r2" "$(calc "$r2 / $base")"
status=0
cmp -s j1/runs.csv j2/runs.csv || { echo "rows differ: -j 2" >&2; status=1; }
if command -v mpirun >/dev/null && "$edgetune" --version | grep -q 'MPI: yes'; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    tm=$(timed mpi mpirun -np 2 --oversubscribe "$edgetune" sweep spec.json -j 1 --out mpi -q)
    rm=$(calc "$total / $tm")
    printf '%-22s %6d %9.2f %8.2f %8.2f\n' "mpirun -np 2, -j 1" "$total" "$tm" "$rm" "$(calc "$rm / $base")"
    cmp -s j1/runs.csv mpi/runs.csv || { echo "rows differ: MPI" >&2; status=1; }
else
    echo "mpirun -np 2: skipped (no mpirun, or edgetune built without MPI)"
fi
t0=$(date +%s.%N)
"$edgetune" run --tasks "$tasks" --no-channel-trace --out one -q
one=$(calc "$(date +%s.%N) - $t0")
printf 'one edgetune run (%d tasks per UE, 6 UEs) on its own: %.3f s wall\n' "$tasks" "$one"
exit $status
