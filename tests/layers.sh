#!/usr/bin/env bash
# layers.sh BUILD_DIR: the layers hold. Each layer folder is a CMake target that sees only the
# headers of the layers it may use, so an include across a forbidden arrow does not compile:
# a copy of a file with one such include added is compiled (syntax only) with the file's own
# flags from BUILD_DIR/compile_commands.json and must fail on that header. What the compiler
# cannot see (SimGrid or MPI outside their folders, an include with a path, a file outside the
# layer folders) scripts/check-layers.sh refuses: it passes on the tree and names the file,
# the header and the rule on an injected copy.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: layers.sh BUILD_DIR}
db="$build/compile_commands.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
[ -f "$db" ] || { echo "layers: no $db (configure with CMake first)"; exit 1; }
bash "$src/scripts/check-layers.sh" "$src" || { echo "layers: the tree itself fails"; fail=1; }

# The compile command of FILE (relative to the source tree), as one shell line.
command_of() {
    python3 - "$db" "$src/$1" <<'EOF'
import json, shlex, sys
for entry in json.load(open(sys.argv[1])):
    if entry["file"] == sys.argv[2]:
        args = entry.get("arguments") or shlex.split(entry["command"])
        print(entry["directory"])
        print(shlex.join(args))
        break
EOF
}

expect_no_compile() { # expect_no_compile FILE HEADER: FILE with #include "HEADER" added fails on it
    local file=$1 header=$2 dir cmd out
    { read -r dir && read -r cmd; } < <(command_of "$file")
    if [ -z "${cmd:-}" ]; then
        echo "FAIL: $file has no compile command in $db"
        fail=1
        return
    fi
    mkdir -p "$work/c" && cp "$src/$file" "$work/c/"
    local copy="$work/c/$(basename "$file")"
    sed -i "0,/^#include/s|^#include|#include \"$header\"\n#include|" "$copy"
    # The same command on the copy, checking syntax only: no object is written.
    cmd=${cmd//"$src/$file"/"$copy"}
    out=$(cd "$dir" && eval "$cmd -fsyntax-only" 2>&1)
    if [ $? -ne 0 ] && grep -q "$header: No such file or directory" <<<"$out"; then
        echo "ok: $file + \"$header\" does not compile: $(grep -m1 'No such file' <<<"$out")"
    else
        echo "FAIL: $file + \"$header\" compiles or fails otherwise: $out"
        fail=1
    fi
    rm -rf "$work/c"
}
expect_no_compile agents/hmppo.c sim.h          # Agents never see the engine
expect_no_compile agents/nn.c scenario.h        # nor the scenario
expect_no_compile src/scenario/scenario.c hmppo.h  # the scenario does not know the learner
expect_no_compile src/engine/stats.c scenario.h  # the simulator takes its own parameters
expect_no_compile src/engine/stats.c registry.h  # the agent contract is Core's agent.h
expect_no_compile src/radio/channel.c sim.h     # channel maths does not call the engine
expect_no_compile src/core/cost.c channel.h     # Core uses nothing of ours
expect_no_compile src/api/edgetune.c train.h    # the library's API does not use Run
expect_no_compile src/api/capi.c cli.h         # nor the command line
expect_no_compile src/run/study.c cli.h         # Run does not use the command line either

expect_refused() { # expect_refused FILE LINE PATTERN: check-layers.sh refuses FILE with LINE added
    rm -rf "$work/t" && mkdir -p "$work/t" && cp -r "$src/src" "$src/agents" "$work/t/"
    if [ "$2" = NEWFILE ]; then
        echo '#include "status.h"' >"$work/t/$1"
    else
        sed -i "0,/^#include/s|^#include|$2\n#include|" "$work/t/$1"
    fi
    out=$(bash "$src/scripts/check-layers.sh" "$work/t")
    rc=$?
    if [ $rc -ne 0 ] && grep -q "$3" <<<"$out"; then
        echo "ok: $1 + '$2' refused: $out"
    else
        echo "FAIL: $1 + '$2' not refused (rc $rc): $out"
        fail=1
    fi
}
expect_refused agents/nn.c '#include <simgrid/engine.h>' 'agents/nn.c: includes <simgrid/engine.h>; only the Engine (src/engine) uses SimGrid$'
expect_refused src/radio/channel.c '#include <xbt/log.h>' 'src/radio/channel.c: includes <xbt/log.h>; only the Engine'
expect_refused src/run/train.c '#include <mpi.h>' "src/run/train.c: includes <mpi.h>; only the program's src/run/\*_mpi.c use MPI$"
expect_refused src/core/fm.c '#include <cblas.h>' 'src/core/fm.c: includes <cblas.h>; only Agents, Run and Cli use OpenBLAS$'
expect_refused src/engine/sim.c '#include "../scenario/scenario.h"' 'src/engine/sim.c: includes "../scenario/scenario.h"; a quoted include names no folder'
expect_refused src/stray.c NEWFILE 'src/stray.c: in no layer folder'
exit $fail
