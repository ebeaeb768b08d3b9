#!/usr/bin/env bash
# check-layers.sh [ROOT]: what the compiler cannot check about the layers.
#
# The layers are folders (docs/architecture.md) and each folder is a CMake target that sees
# only the headers of the layers it may use, so a "header.h" across a forbidden arrow already
# fails to compile. This script, run by the build before anything compiles (CMake target
# check_layers), refuses what include folders cannot stop, with one line naming the file,
# the header and the rule:
#   - a source outside the layer folders (src/core radio scenario engine api run cli, agents);
#   - a quoted include with a path ("../x.h", "engine/sim.h"), which would go around them;
#   - SimGrid (<simgrid/...>, <xbt/...>) outside src/engine: its headers are in the system
#     folders, where every layer finds them;
#   - MPI (<mpi.h>) outside src/run/*_mpi.c, which only the program links;
#   - OpenBLAS (<cblas.h>) outside agents/, src/run/ and src/cli/.
# One grep over the tree: it runs in well under a second.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
layers='src/(core|radio|scenario|engine|api|run|cli)/[^/]+|agents/[^/]+'
bad=0
while IFS= read -r f; do
    if ! [[ $f =~ ^($layers)$ ]]; then
        echo "check-layers: $f: in no layer folder (src/core, radio, scenario, engine, api, run, cli or agents/)"
        bad=1
    fi
done < <(find src agents -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) | sort)

while IFS= read -r hit; do
    f=${hit%%:*}
    rest=${hit#*:}
    line=${rest#*:}
    why=""
    if [[ $line =~ \#[[:space:]]*include[[:space:]]*\"([^\"]*)\" ]]; then
        header=${BASH_REMATCH[1]}
        [[ $header == */* ]] && why="a quoted include names no folder (the layer's include folders find it)"
        shown="\"$header\""
    elif [[ $line =~ \#[[:space:]]*include[[:space:]]*\<([^\>]*)\> ]]; then
        header=${BASH_REMATCH[1]}
        shown="<$header>"
        case "$header" in
            simgrid/* | xbt/*) [[ $f == src/engine/* ]] || why="only the Engine (src/engine) uses SimGrid" ;;
            mpi.h) [[ $f =~ ^src/run/[^/]*_mpi\.c$ ]] || why="only the program's src/run/*_mpi.c use MPI" ;;
            cblas.h) [[ $f =~ ^(agents|src/run|src/cli)/ ]] || why="only Agents, Run and Cli use OpenBLAS" ;;
        esac
    fi
    if [ -n "$why" ]; then
        echo "check-layers: $f: includes $shown; $why"
        bad=1
    fi
done < <(grep -rnE --include='*.c' --include='*.h' --include='*.cpp' \
    '^[[:space:]]*#[[:space:]]*include[[:space:]]*("[^"]*/|<(simgrid/|xbt/|mpi\.h|cblas\.h))' src agents)
exit $bad
