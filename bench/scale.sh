#!/usr/bin/env bash
# scale.sh: edgetune against its bare SimGrid twin over a size sweep.
#
# usage: bench/scale.sh [--build DIR] [--large] [--city] [--crowded] [--sizes "NxT ..."]
#                       [--runs R] [--reps R] [--keep DIR]
#
# For each size N UEs x T tasks per UE: writes a platform, runs `edgetune run`
# with the activity log on (and the channel trace off), replays the log with
# bench/bare_twin on the same platform, and prints one table row with the
# wall time, CPU time (user + sys) and max RSS of both, and their CPU ratio,
# all measured in this run. Then the least-squares exponent of CPU time
# against N for every tasks-per-UE value swept at two or more N, and the
# shipped default scenario's time per episode, with and without its channel
# trace. bench/README.md explains the columns.
#
#   --build DIR   build directory holding edgetune and bare_twin (default: build)
#   --large       add the slow sizes (LARGE_SIZES below): minutes, not seconds
#   --sizes LIST  sweep exactly these sizes instead, e.g. "100x50 1000x10"
#   --city        add the city sizes (CITY_SIZES below: 100,000 UEs on 1,000 cells)
#                 and the refusal time of a 1,000,000-UE platform
#   --crowded     add the crowded cell: CROWDED_UES UEs x CROWDED_TASKS tasks in one
#                 cell with one accelerator, its carrier re-divided at every transfer
#                 start and end (channel.share_interval_s 0) and per CROWDED_INTERVALS:
#                 CPU time of each and its ratio to the exact one, mean delay change
#                 (ET_BENCH_CROWDED_UES=N for another number of UEs)
#   --runs R      runs per size; the table prints the median and the spread
#                 (max - min) of each time (default 3)
#   --reps R      runs of the default scenario to average (default 5)
#   --keep DIR    keep platforms, scenarios and outputs in DIR (default: a
#                 temporary directory, removed at the end)
#
# The platform command is a template so that other layouts can be swept
# without editing this file; it is eval'ed with $edgetune, $n and $file set:
#   ET_BENCH_PLATFORM_CMD='"$edgetune" platform --ues "$n" --cells 4 -o "$file"' bench/scale.sh
# Timing uses /usr/bin/time (Debian package `time`, installed by
# scripts/setup.sh); without it, wall and CPU come from bash and RSS is n/a.
set -u

DEFAULT_SIZES="100x10 300x10 1000x10 100x50"
LARGE_SIZES="3000x10 10000x10 10000x50"
CITY_SIZES="100000x10"
CITY_REFUSE_UES=1000000
# The crowded cell (issue 21): every UE on one carrier and one edge server.
CROWDED_UES=${ET_BENCH_CROWDED_UES:-1000}
CROWDED_TASKS=10
CROWDED_INTERVALS="0.001 0.01" # channel.share_interval_s: 1 ms, 10 ms (0, exact, always runs)
# Above this many UEs a size runs edgetune alone: its activity log would pass
# limits.output_bytes (about 170 rows per task) and the replays would take as
# long again. Such a row prints "-" for the twin's columns.
REPLAY_MAX_UES=20000
# Above this many UEs edgetune runs without guard pages below the actors'
# stacks (--cfg=contexts/guard-size:0): with them, about 32,000 actors fill
# Linux's default 65,530 memory mappings (docs/simulation.md, "Actors").
GUARD_MAX_UES=20000
# Metro platforms with 100 UEs per cell, each cell with its own edge server
# (one L4-class accelerator): the load per server stays that of the study's
# cells as N grows, as in a real deployment.
# shellcheck disable=SC2016 # a template, expanded by eval for each size
PLATFORM_CMD=${ET_BENCH_PLATFORM_CMD:-'"$edgetune" platform --ues "$n" --cells $(( (n + 99) / 100 )) -o "$file"'}
# Relative difference between the twin's end and edgetune's makespan above
# which a row is flagged (tests/bare_twin.sh pins 1e-6 on a small run).
END_TOLERANCE=1e-6

src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build
sizes=$DEFAULT_SIZES
large=0
city=0
crowded=0
runs=3
reps=5
keep=""
die() { echo "scale.sh: error: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
        --build) [ $# -ge 2 ] || die "--build needs a directory"; build=$(realpath "$2"); shift 2 ;;
        --large) large=1; shift ;;
        --city) city=1; shift ;;
        --crowded) crowded=1; shift ;;
        --runs) if [ $# -lt 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then die "--runs needs a positive integer"; fi
                runs=$2; shift 2 ;;
        --sizes) [ $# -ge 2 ] || die "--sizes needs a list like \"100x50 1000x10\""; sizes=$2; shift 2 ;;
        --reps) if [ $# -lt 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then die "--reps needs a positive integer"; fi
                reps=$2; shift 2 ;;
        --keep) [ $# -ge 2 ] || die "--keep needs a directory"; keep=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unexpected argument '$1' (see bench/scale.sh --help)" ;;
    esac
done
[ "$large" -eq 1 ] && sizes="$sizes $LARGE_SIZES"
[ "$city" -eq 1 ] && sizes="$sizes $CITY_SIZES"
for s in $sizes; do [[ $s =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "size '$s': expected NxT, e.g. 1000x10"; done
edgetune=$build/edgetune
twin=$build/bare_twin
if [ ! -x "$edgetune" ] || [ ! -x "$twin" ]; then
    die "$build has no edgetune or bare_twin: build first (cmake --build $build), or give --build DIR"
fi

if [ -n "$keep" ]; then
    mkdir -p "$keep" || die "cannot create $keep"
    work=$(realpath "$keep")
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
export OPENBLAS_NUM_THREADS=1 # edgetune run does no training; keep BLAS threads out of the CPU figures

# measure LABEL CMD...: runs CMD (stdout to $work/LABEL.out, stderr to
# $work/LABEL.err) and sets m_wall_s, m_cpu_s, m_rss_mb. Returns CMD's status.
have_time=0
[ -x /usr/bin/time ] && have_time=1
# user + sys of this shell's waited-for children so far, from bash's `times`
# (which must run in this shell, not in a $(...) subshell: a subshell has
# its own, empty, children's account).
cpu_children_s() {
    awk 'END { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } print t }' "$1"
}
measure() {
    local label=$1
    shift
    local t0=$EPOCHREALTIME rc
    if [ "$have_time" -eq 1 ]; then
        /usr/bin/time -f '%U %S %M' -o "$work/$label.time" "$@" >"$work/$label.out" 2>"$work/$label.err"
        rc=$?
        local t1=$EPOCHREALTIME
        read -r u s rss_kb <"$work/$label.time"
        m_cpu_s=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
        m_rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
    else
        times >"$work/$label.times0"
        "$@" >"$work/$label.out" 2>"$work/$label.err"
        rc=$?
        local t1=$EPOCHREALTIME
        times >"$work/$label.times1"
        m_cpu_s=$(awk -v a="$(cpu_children_s "$work/$label.times0")" \
            -v b="$(cpu_children_s "$work/$label.times1")" 'BEGIN { print b - a }')
        m_rss_mb="n/a"
    fi
    m_wall_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    if [ "$rc" -ne 0 ]; then
        echo "scale.sh: error: $label failed (exit $rc): $(tail -1 "$work/$label.err")" >&2
    fi
    return "$rc"
}
key() { awk -v k="$1" '$1 == k { print $2 }' "$2"; } # KEY FILE: a bare_twin `key value` line
json_number() { sed -n "s/.*\"$1\":[[:space:]]*\([-0-9.e+]*\).*/\1/p" "$2" | head -1; } # KEY FILE: a number in summary.json

echo "edgetune scale benchmark: $(nproc) cores, build $build, $runs runs per size (median, spread)"
echo "platform command: $PLATFORM_CMD"
echo
# median and spread (max - min) of whitespace-separated numbers
median() { tr ' ' '\n' <<<"$*" | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'; }
spread() { tr ' ' '\n' <<<"$*" | sed '/^$/d' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print hi - lo }'; }
cell() { printf "%.2f±%.2f" "$(median "$@")" "$(spread "$@")"; } # median±spread of a list
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
row() { printf "%7s %5s %8s %11s | %12s %6s %8s | %12s %12s %6s | %7s %7s %8s\n" "$@"; }
row "UEs" "tasks" "comms" "simulated_s" "et_cpu" "et_MB" "tasks/s" \
    "bare_cpu" "minimal_cpu" "min_MB" "et/bare" "et/min" "end_diff"
fits=""
status=0
for size in $sizes; do
    n=${size%x*}
    tasks=${size#*x}
    file=$work/platform-$n.xml
    if [ ! -s "$file" ]; then
        eval "$PLATFORM_CMD" >"$work/platform-$n.log" 2>&1 ||
            { echo "scale.sh: error: platform for $n UEs: $(tail -1 "$work/platform-$n.log")" >&2; exit 1; }
    fi
    out=$work/run-$size
    replay=1 engine_cfg=()
    [ "$n" -gt "$REPLAY_MAX_UES" ] && replay=0
    [ "$n" -gt "$GUARD_MAX_UES" ] && engine_cfg=(--cfg=contexts/guard-size:0)
    # The shipped default scenario's keys (examples/default.json) on this
    # platform, with the activity log that the twin replays (no output limit: the
    # log of 10,000 UEs x 50 tasks passes the default 1 GB; it stays in $work).
    cat >"$work/scenario-$size.json" <<EOF
{
  "platform": "$file",
  "model": "$src/models/opt-2.7b.json",
  "seed": 1,
  "policy": "greedy",
  "tasks": { "per_ue": $tasks },
  "output": { "activity_log": $([ "$replay" -eq 1 ] && echo true || echo false), "channel_trace": false },
  "limits": { "output_bytes": 0 }
}
EOF
    et_cpus="" et_walls="" et_rsss="" bare_cpus="" min_cpus="" min_rsss=""
    for r in $(seq "$runs"); do
        if ! measure "edgetune-$size-$r" "$edgetune" run "$work/scenario-$size.json" --out "$out" -q \
            "${engine_cfg[@]}"; then
            row "$n" "$tasks" "failed" "" "$(printf %.2f "$m_cpu_s")" "$m_rss_mb" "" "" "" "" "" "" ""
            status=1
            continue 2
        fi
        et_cpus="$et_cpus $m_cpu_s" et_walls="$et_walls $m_wall_s" et_rsss="$et_rsss $m_rss_mb"
        [ "$replay" -eq 1 ] || continue
        measure "twin-$size-$r" "$twin" "$file" "$out/activities.csv" || exit 1
        bare_cpus="$bare_cpus $m_cpu_s"
        measure "minimal-$size-$r" "$twin" --minimal "$file" "$out/activities.csv" || exit 1
        min_cpus="$min_cpus $m_cpu_s" min_rsss="$min_rsss $m_rss_mb"
    done
    if [ "$replay" -eq 0 ]; then # edgetune alone: its own comm count and makespan
        summary=$out/summary.json
        tps=$(awk -v n="$n" -v t="$tasks" -v w="$(median $et_walls)" 'BEGIN { printf "%.0f", n * t / w }')
        row "$n" "$tasks" "$(json_number comms "$summary")" \
            "$(json_number makespan_s "$summary" | awk '{ printf "%.1f", $1 }')" "$(cell $et_cpus)" \
            "$(median $et_rsss)" "$tps" "-" "-" "-" "-" "-" "-"
        continue
    fi
    t=$work/twin-$size-$runs.out
    comms=$(key twin_comms "$t")
    diff=$(key end_rel_diff "$t")
    et_cpu=$(median $et_cpus) bare_cpu=$(median $bare_cpus) min_cpu=$(median $min_cpus)
    tps=$(awk -v n="$n" -v t="$tasks" -v w="$(median $et_walls)" 'BEGIN { printf "%.0f", n * t / w }')
    row "$n" "$tasks" "$comms" "$(key twin_end_s "$t" | awk '{ printf "%.1f", $1 }')" \
        "$(cell $et_cpus)" "$(median $et_rsss)" "$tps" "$(cell $bare_cpus)" "$(cell $min_cpus)" \
        "$(median $min_rsss)" "$(ratio "$et_cpu" "$bare_cpu")" "$(ratio "$et_cpu" "$min_cpu")" "$diff"
    if [ "$comms" != "$(key edgetune_comms "$t")" ] ||
        awk -v d="$diff" -v tol="$END_TOLERANCE" 'BEGIN { exit !(d > tol) }'; then
        echo "  ^ the twin disagrees with edgetune: comms $comms vs $(key edgetune_comms "$t"), end" \
            "$(key twin_end_s "$t") s vs makespan $(key edgetune_makespan_s "$t") s" >&2
        status=1
    fi
    if [ "$(key twin_comms "$work/minimal-$size-$runs.out")" != "$comms" ]; then
        echo "  ^ the minimal program did not run every comm" >&2
        status=1
    fi
    fits="$fits$tasks $n $et_cpu $bare_cpu"$'\n'
done

# CPU ~ a N^k at fixed tasks per UE: k by least squares on (log N, log CPU).
echo
printf "%s" "$fits" | awk '
    NF == 4 { key = $1; n[key]++; i = n[key]; N[key, i] = $2; et[key, i] = $3; bare[key, i] = $4 }
    function slope(key, y,    i, sx, sy, sxx, sxy, m, x, v) {
        m = n[key]; sx = sy = sxx = sxy = 0
        for (i = 1; i <= m; i++) {
            x = log(N[key, i]); v = log(y == "et" ? et[key, i] : bare[key, i])
            sx += x; sy += v; sxx += x * x; sxy += x * v
        }
        return (m * sxy - sx * sy) / (m * sxx - sx * sx)
    }
    END {
        any = 0
        for (key in n) {
            m = n[key]; distinct = 0; lo = hi = N[key, 1]; pts = ""; ok = 1
            for (i = 1; i <= m; i++) {
                if (N[key, i] < lo) lo = N[key, i]; if (N[key, i] > hi) hi = N[key, i]
                if (et[key, i] <= 0 || bare[key, i] <= 0) ok = 0
                pts = pts (i > 1 ? ", " : "") N[key, i]
            }
            if (lo == hi || !ok) continue
            printf "CPU time ~ N^k at %d tasks per UE (N = %s): edgetune k = %.2f, bare twin k = %.2f\n",
                key, pts, slope(key, "et"), slope(key, "bare")
            any = 1
        }
        if (!any) print "CPU exponent: needs two or more N at the same tasks per UE"
    }'

# --city: how fast a platform far beyond the limits is refused (target: 5 s),
# and the memory the refusal names.
if [ "$city" -eq 1 ]; then
    n=$CITY_REFUSE_UES
    file=$work/platform-$n.xml
    eval "$PLATFORM_CMD" >"$work/platform-$n.log" 2>&1 ||
        { echo "scale.sh: error: platform for $n UEs: $(tail -1 "$work/platform-$n.log")" >&2; exit 1; }
    measure "refuse-$n" "$edgetune" run --platform "$file" --out "$work/run-refuse" -q
    rc=$?
    echo
    printf "%s UEs (%s MB of XML): exit %s after %.2f s wall, %.2f s CPU, %s MB: %s\n" "$n" \
        "$(du -m "$file" | cut -f1)" "$rc" "$m_wall_s" "$m_cpu_s" "$m_rss_mb" \
        "$(tail -1 "$work/refuse-$n.err")"
    rm -f "$file"
fi

# --crowded: one cell, one accelerator, CROWDED_UES UEs; the same keys as the sizes above
# without the activity log, at each channel.share_interval_s (docs/simulation.md, "The cell's
# carrier"). The mean delay comes from summary.json.
mean_delay() { sed -n 's/^[[:space:]]*"mean_delay_s":[[:space:]]*\([-0-9.e+]*\),*$/\1/p' "$1" | head -1; }
if [ "$crowded" -eq 1 ]; then
    n=$CROWDED_UES
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "ET_BENCH_CROWDED_UES '$n': expected a positive integer"
    file=$work/crowded-$n.xml
    "$edgetune" platform --ues "$n" --cells 1 -o "$file" >"$work/crowded-$n.log" 2>&1 ||
        { echo "scale.sh: error: crowded platform: $(tail -1 "$work/crowded-$n.log")" >&2; exit 1; }
    echo
    echo "crowded cell: $n UEs x $CROWDED_TASKS tasks, one cell, one accelerator (median±spread of $runs runs)"
    printf "%12s | %12s %6s %8s | %12s %10s\n" "interval_s" "et_cpu" "et_MB" "vs_exact" "mean_delay_s" "delay_chg"
    exact_cpu="" exact_delay=""
    for interval in 0 $CROWDED_INTERVALS; do
        scen=$work/crowded-$interval.json
        cat >"$scen" <<EOF
{
  "platform": "$file",
  "model": "$src/models/opt-2.7b.json",
  "seed": 1,
  "policy": "greedy",
  "tasks": { "per_ue": $CROWDED_TASKS },
  "channel": { "share_interval_s": $interval },
  "output": { "channel_trace": false }
}
EOF
        cpus="" rsss=""
        for r in $(seq "$runs"); do
            if ! measure "crowded-$interval-$r" "$edgetune" run "$scen" --out "$work/crowded-out-$interval" -q; then
                status=1
                continue 2
            fi
            cpus="$cpus $m_cpu_s" rsss="$rsss $m_rss_mb"
        done
        cpu=$(median $cpus)
        delay=$(mean_delay "$work/crowded-out-$interval/summary.json")
        [ "$interval" = 0 ] && exact_cpu=$cpu exact_delay=$delay
        printf "%12s | %12s %6s %8s | %12.3f %10s\n" "$interval" "$(cell $cpus)" "$(median $rsss)" \
            "$(ratio "$cpu" "$exact_cpu")" "$delay" \
            "$(awk -v a="$delay" -v b="$exact_delay" 'BEGIN { printf "%+.4f%%", 100 * (a - b) / b }')"
    done
fi

# The shipped default scenario, one episode per process, as a user runs it:
# the process's wall and CPU time, and the time edgetune itself reports for
# the run (scenario, engine and platform set-up plus the episode, without
# the process start); then the same without channel.csv, whose number
# formatting is a large part of a small run's time.
default_episode() { # LABEL [edgetune run options...]
    local label=$1 sum_wall_s=0 sum_cpu_s=0 sum_inner_s=0 r inner_s
    shift
    for r in $(seq "$reps"); do
        measure "default-$r" "$edgetune" run --out "$work/default-$r" "$@" || exit 1
        # The summary ("simulated ... in X s wall") is on stdout, not stderr.
        inner_s=$(sed -n 's/.* in \([0-9.]*\) s wall.*/\1/p' "$work/default-$r.out")
        read -r sum_wall_s sum_cpu_s sum_inner_s < <(awk -v a="$sum_wall_s" -v b="$sum_cpu_s" \
            -v c="$sum_inner_s" -v w="$m_wall_s" -v u="$m_cpu_s" -v i="${inner_s:-0}" \
            'BEGIN { print a + w, b + u, c + i }')
    done
    awk -v w="$sum_wall_s" -v u="$sum_cpu_s" -v i="$sum_inner_s" -v r="$reps" -v l="$label" 'BEGIN {
        printf "%-26s %4.0f wall, %4.0f CPU, %4.0f as edgetune reports it\n", l, 1000 * w / r,
               1000 * u / r, 1000 * i / r }'
}
echo "default scenario (examples/default.json), ms per episode, mean of $reps runs (target: 25 ms of process CPU with channel.csv):"
default_episode "  as shipped:"
default_episode "  without channel.csv:" --no-channel-trace
exit "$status"
