#!/usr/bin/env bash
# run.sh HARNESS SECONDS WORKDIR SEED...: runs a libFuzzer harness for SECONDS from the
# corpus WORKDIR/corpus (seeded with the SEED files; it keeps what the fuzzer adds, in the
# build tree only). A crash, leak, timeout or out-of-memory input fails the test and is kept
# as WORKDIR/artifacts/crash-... (reproduce: HARNESS WORKDIR/artifacts/crash-...).
set -eu
harness=$1 seconds=$2 work=$3
shift 3
mkdir -p "$work/corpus" "$work/artifacts"
for seed in "$@"; do
    [ -f "$seed" ] && cp -f "$seed" "$work/corpus/"
done
# detect_leaks=0 for the platform harness only: SimGrid 3.32 keeps its loaded platform's
# structures until exit (not ours to free), and the harness's forked children load one each.
case $harness in
    *fuzz_platform) export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 ;;
esac
exec "$harness" "$work/corpus" -max_total_time="$seconds" -seed=1 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/"
