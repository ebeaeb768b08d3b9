#!/usr/bin/env bash
# layers.sh: the layer check (scripts/check-layers.sh, run by the build before
# compiling) passes on the tree and fails, naming file, header and rule, when
# a file in agents/ includes a SimGrid header or the simulator's sim.h, or when
# the scenario includes the learner's header, or the simulator the scenario.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bash "$src/scripts/check-layers.sh" "$src" || { echo "layers: the tree itself fails"; fail=1; }

expect_refused() { # expect_refused FILE LINE PATTERN
    rm -rf "$work/t" && mkdir -p "$work/t" && cp -r "$src/src" "$src/agents" "$work/t/"
    sed -i "0,/^#include/s|^#include|$2\n#include|" "$work/t/$1"
    out=$(bash "$src/scripts/check-layers.sh" "$work/t")
    rc=$?
    if [ $rc -ne 0 ] && grep -q "$3" <<<"$out"; then
        echo "ok: $1 + '$2' refused: $out"
    else
        echo "FAIL: $1 + '$2' not refused (rc $rc): $out"
        fail=1
    fi
}
expect_refused agents/nn.c '#include <simgrid/engine.h>' 'agents/nn.c: includes <simgrid/engine.h>; only the Engine uses SimGrid$'
expect_refused agents/hmppo.c '#include "sim.h"' 'agents/hmppo.c: includes "sim.h" (Engine); Agents may not depend on Engine'
expect_refused src/scenario.c '#include "hmppo.h"' 'src/scenario.c: includes "hmppo.h" (Agents); Scenario may not depend on Agents'
expect_refused src/sim.c '#include "scenario.h"' 'src/sim.c: includes "scenario.h" (Scenario); Engine may not depend on Scenario'
expect_refused src/channel.c '#include "sim.h"' 'src/channel.c: includes "sim.h" (Engine); Radio may not depend on Engine'
exit $fail
