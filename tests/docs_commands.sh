#!/usr/bin/env bash
# docs_commands.sh EDGETUNE_BUILD_DIR: every command shown in README.md and
# docs/*.md runs. Commands are the lines of fenced code blocks that start
# with `build/edgetune` (or `edgetune`, run as build/edgetune), `bash
# examples/`, `python3 examples/` (with a python3 that has NumPy; skipped with a message
# without one), an environment assignment before `build/`, or environment assignments before
# `mpirun` (skipped with a message without mpirun or MPI in the build) (trailing
# `# comments` dropped; a synopsis is written as a comment), run in order per file from a
# scratch directory that looks like the repository (platforms/, models/,
# examples/ and build/ linked in). Long commands are shrunk (fewer tasks,
# episodes, seeds): an option the command has gets the smaller value in place
# (an option given twice is an error), others are appended; the command line
# is otherwise the one in the docs. Not run: scripts/setup.sh
# (what CI runs) and bench/ (benchmarks, minutes each).
set -u
build=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
# `python3 examples/...` commands run with a python3 that has NumPy (Debian's), or are skipped.
py=$(bash "$src/scripts/python-with-numpy.sh") || py=""
[ -e "$build/libedgetune.so" ] && export EDGETUNE_LIB=$build/libedgetune.so

shrink() { # the extra options for one command line
    case "$1" in
        *"edgetune compare"*) echo "--seeds 2 --episodes 2 --eval 1 --validation 1 --tasks 2 --bound 1 --budget 2 -q" ;;
        *"edgetune train"*) echo "--episodes 2 --tasks 2 -q" ;;
        *"examples/ladder.sh"*) echo "--seeds 1 --episodes 2 --eval 1 --validation 1 --tasks 2 --bound 1 --budget 2 -q" ;;
        *"edgetune eval"*) echo "--episodes 1 --tasks 2 -q" ;;
        *"edgetune regime"*) echo "--episodes 1 --tasks 2" ;;
        *"edgetune run"*) echo "--tasks 2 -q" ;;
        *"edgetune sweep"*) echo "--tasks 2 --seeds 1 -q" ;;
        *"bench_cartpole"*) echo "--steps 2048" ;;
        *"mappo_torch.py"*) echo "--episodes 2 --tasks 2" ;;
        *"examples/python/"*) echo "--tasks 2" ;;
        *) echo "" ;;
    esac
}

shrunk() { # the command line with shrink's values
    local cmd=$1 extra i=0
    read -ra extra <<<"$(shrink "$1")"
    while [ "$i" -lt "${#extra[@]}" ]; do
        local opt=${extra[$i]}
        if [ "$opt" = -q ]; then
            [[ " $cmd " == *" -q "* ]] || cmd="$cmd -q"
            i=$((i + 1))
            continue
        fi
        local val=${extra[$((i + 1))]}
        if [[ " $cmd " == *" $opt "* ]]; then
            cmd=$(sed -E "s| $opt [^ ]+| $opt $val|" <<<"$cmd")
        else
            cmd="$cmd $opt $val"
        fi
        i=$((i + 2))
    done
    echo "$cmd"
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
        grep -E '^(build/edgetune |edgetune |bash examples/|python3 examples/|[A-Z_]+=[^ ]+ build/|([A-Z_]+=[^ ]+ )+mpirun )' |
        sed 's/[[:space:]]*#.*$//; s|^edgetune |build/edgetune |' >"$dir/commands.txt"
    while IFS= read -r cmd; do
        [ -n "$cmd" ] || continue
        if [[ $cmd == *" mpirun "* ]] && ! { command -v mpirun >/dev/null &&
            "$build/edgetune" --version | grep -q 'MPI: yes'; }; then
            echo "skip $(basename "$doc"): $cmd (no mpirun, or edgetune built without MPI)"
            continue
        fi
        if [[ $cmd == python3\ * ]]; then
            if [ -z "$py" ]; then
                echo "skip $(basename "$doc"): $cmd (no python3 with NumPy)"
                continue
            fi
            cmd="$py ${cmd#python3 }"
        fi
        full=$(shrunk "$cmd")
        if (cd "$dir" && timeout 300 bash -c "$full") </dev/null >"$dir/log.txt" 2>&1; then
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
