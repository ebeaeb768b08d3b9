#!/usr/bin/env bash
# check-layers.sh [ROOT]: every #include in src/ and agents/ follows the layers.
#
# The build runs this before it compiles anything (CMake target check_layers),
# so a wrong include fails the build with one line naming the file, the header
# and the rule. The layers and their allowed dependencies (docs/architecture.md):
#
#   Core      status rng fm cost learn choices isolate   pure C (cJSON for profiles)
#             collective (the ranks' exchange interface), interrupt (the signal flag),
#             trace (the task and channel records and their CSV files), readfile, xml_scan,
#             numtext (strict, locale-independent numbers), jsontext (strict JSON inputs),
#             bootstrap (a study's statistics and their stratified-bootstrap intervals)
#   Radio     channel mobility propagation                -> Core
#   Scenario  scenario                                    -> Core, Radio
#   Agents    agents/*                                    -> Core (and OpenBLAS)
#   Engine    sim stats budget platform platform_check platform_gen sgx_shim paje
#                                                         -> Core, Radio, Agents' agent.h;
#                                                            the only SimGrid user
#   App       main edgetune train study regime decisions  -> everything but SimGrid
#             linkbudget (the link-budget calculator over the channel's own functions),
#             tune (the baselines' searches, for study and regime),
#             sweep, capi (the flat C API for Python's ctypes), view (edgetune view: the HTML player),
#             collective_mpi sweep_mpi                     (the only MPI users)
#
# The simulator takes its own parameters (et_sim_params) and never sees the scenario;
# edgetune.c (App) builds them from one.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}

layer_of() { # layer of a project file or header, by its base name
    case "$1" in
        status.* | rng.* | fm.* | cost.* | learn.* | bootstrap.* | choices.* | isolate.* | collective.* | interrupt.* | trace.* | readfile.* | numtext.* | jsontext.* | xml_scan.* | xml_scan_internal.*) echo Core ;;
        channel.* | mobility.* | propagation.*) echo Radio ;;
        scenario.*) echo Scenario ;;
        sim.* | stats.* | budget.* | platform.* | platform_check.* | platform_internal.* | platform_gen.* | sgx_shim.* | paje.*) echo Engine ;;
        main.* | linkbudget.* | collective_mpi.* | edgetune.* | train.* | study.* | tune.* | regime.* | decisions.* | capi.* | edgetune_capi.* | sweep.* | sweep_mpi.* | view.*) echo App ;;
        agent.h | baselines.* | hmppo.* | hmppo_ckpt.* | hmppo_dp.* | hmppo_dist.* | hmppo_internal.* | nn.* | registry.*) echo Agents ;;
        *) echo "" ;;
    esac
}

allowed() { # allowed FROM TO HEADER: 0 if layer FROM may include HEADER of layer TO
    local from=$1 to=$2 header=$3
    [ "$from" = "$to" ] && return 0
    case "$from:$to" in
        *:Core) return 0 ;;
        Radio:*) return 1 ;;
        Scenario:Radio) return 0 ;;
        Engine:Radio) return 0 ;;
        Engine:Agents) [ "$header" = agent.h ] && return 0 ;;
        App:*) return 0 ;;
    esac
    return 1
}

external_ok() { # external_ok LAYER HEADER: system headers each layer may use
    local layer=$1 header=$2
    case "$header" in
        simgrid/* | xbt/*) [ "$layer" = Engine ] ;;
        cblas.h) [ "$layer" = Agents ] || [ "$layer" = App ] ;;
        mpi.h) [ "$layer" = App ] ;;
        *) return 0 ;; # C and C++ standard library, POSIX, cJSON
    esac
}

bad=0
for f in "$root"/src/*.c "$root"/src/*.cpp "$root"/src/*.h "$root"/agents/*.c "$root"/agents/*.h; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    from=$(layer_of "$name")
    if [ -z "$from" ]; then
        echo "check-layers: ${f#"$root"/}: on no layer (add it to scripts/check-layers.sh)"
        bad=1
        continue
    fi
    while IFS= read -r line; do
        header=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*)[>"].*/\1/' <<<"$line")
        if [[ $line =~ \" ]]; then
            to=$(layer_of "$(basename "$header")")
            if [ -z "$to" ]; then
                echo "check-layers: ${f#"$root"/}: includes \"$header\", which is on no layer"
                bad=1
            elif ! allowed "$from" "$to" "$(basename "$header")"; then
                echo "check-layers: ${f#"$root"/}: includes \"$header\" ($to); $from may not depend on $to"
                bad=1
            fi
        elif ! external_ok "$from" "$header"; then
            case "$header" in
                cblas.h) why="only Agents and App use OpenBLAS" ;;
                mpi.h) why="only the App (src/collective_mpi.c, src/sweep_mpi.c) uses MPI" ;;
                *) why="only the Engine uses SimGrid" ;;
            esac
            echo "check-layers: ${f#"$root"/}: includes <$header>; $why"
            bad=1
        fi
    done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$f")
done
exit $bad
