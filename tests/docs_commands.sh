#!/usr/bin/env bash
# docs_commands.sh EDGETUNE_BUILD_DIR: every command shown in README.md and
# docs/*.md runs. Commands are the lines of fenced code blocks that start
# with `build/edgetune` (or `edgetune`, run as build/edgetune), `bash
# examples/` or an environment assignment before `build/` (trailing
# `# comments` dropped; a synopsis is written as a comment), run in order per file from a
# scratch directory that looks like the repository (platforms/, models/,
# examples/ and build/ linked in). Long commands are shrunk by appending
# options that a later occurrence overrides (fewer tasks, episodes, seeds):
# the command line itself is the one in the docs. Not run: scripts/setup.sh
# (what CI runs) and bench/ (benchmarks, minutes each).
set -u
build=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

shrink() { # the extra options for one command line
    case "$1" in
        *"edgetune compare"*) echo "--seeds 2 --episodes 2 --eval 1 --validation 1 --tasks 2 -q" ;;
        *"edgetune train"*) echo "--episodes 2 --tasks 2 -q" ;;
        *"edgetune eval"*) echo "--episodes 1 --tasks 2 -q" ;;
        *"edgetune regime"*) echo "--episodes 1 --tasks 2" ;;
        *"edgetune run"*) echo "--tasks 2 -q" ;;
        *"edgetune sweep"*) echo "--tasks 2 --seeds 1 -q" ;;
        *"bench_cartpole"*) echo "--steps 2048" ;;
        *) echo "" ;;
    esac
}

for doc in "$src/README.md" "$src"/docs/*.md; do
    dir=$work/$(basename "$(dirname "$doc")")-$(basename "$doc" .md)
    mkdir -p "$dir"
    # Real directories of links to the repository's files: a command that
    # writes into platforms/ (the generator examples do) writes here, never
    # into the source tree.
    for d in platforms models examples; do
        mkdir -p "$dir/$d"
        for f in "$src/$d"/*; do ln -s "$f" "$dir/$d/$(basename "$f")"; done
    done
    ln -s "$build" "$dir/build"
    awk '/^```/ { inblock = !inblock; next } inblock { print }' "$doc" |
        grep -E '^(build/edgetune |edgetune |bash examples/|[A-Z_]+=[^ ]+ build/)' |
        sed 's/[[:space:]]*#.*$//; s|^edgetune |build/edgetune |' >"$dir/commands.txt"
    while IFS= read -r cmd; do
        [ -n "$cmd" ] || continue
        full="$cmd $(shrink "$cmd")"
        if (cd "$dir" && timeout 300 bash -c "$full") >"$dir/log.txt" 2>&1; then
            pass=$((pass + 1))
            echo "ok   $(basename "$doc"): $cmd"
        else
            fail=$((fail + 1))
            echo "FAIL $(basename "$doc"): $cmd"
            sed 's/^/     | /' "$dir/log.txt" | tail -5
        fi
    done <"$dir/commands.txt"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
