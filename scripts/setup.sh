#!/usr/bin/env bash
# setup.sh: the one entry point for a fresh Debian 12 machine.
#   bash scripts/setup.sh run    install what is missing, build, run the default scenario
#   bash scripts/setup.sh test   install what is missing, build, run the test suite
#   bash scripts/setup.sh build  install what is missing, build
#   bash scripts/setup.sh bench  also install python3-torch, build, run bench_ppo (C against PyTorch)
# Installs only Debian packages, and only those not installed yet.
set -euo pipefail

cd "$(dirname "$0")/.."
mode=${1:-run}
shift || true
build_dir=${EDGETUNE_BUILD_DIR:-build}

# What edgetune needs from Debian, and why:
#   libsimgrid-dev    the discrete-event engine (SimGrid 3.32)
#   libopenblas-dev   sgemm for the agents' neural networks
#   libcjson-dev      scenario and model profile JSON
#   libcunit1-dev     unit tests
#   pkg-config cmake g++ make   the build (g++ for the small SimGrid C++ shim)
#   gnuplot-nox                 the plots (examples/plot.sh)
#   time                        /usr/bin/time: CPU time and max RSS in bench/scale.sh
#   help2man                    the man page, generated from --help and --version
packages=(libsimgrid-dev libopenblas-dev libcjson-dev libcunit1-dev pkg-config cmake g++ make
          gnuplot-nox time help2man)
# Benchmarks only (bench mode), never by default: it is large (PyTorch with its dependencies).
#   python3-torch               the PyTorch reference of bench/bench_ppo.c (bench/ppo_torch.py)
if [ "$mode" = bench ]; then
    packages+=(python3-torch)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then sudo="sudo"; else
            echo "setup: error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
        fi
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        "${missing[@]}" >&2
fi

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

case "$mode" in
    build) ;;
    run)  "$build_dir/edgetune" run "$@" ;;
    test) ctest --test-dir "$build_dir" --output-on-failure "$@" ;;
    bench) OPENBLAS_NUM_THREADS=1 ET_BENCH_PYTHON=/usr/bin/python3 "$build_dir/bench_ppo" "$@" ;;
    *) echo "usage: bash scripts/setup.sh run|test|build|bench" >&2; exit 2 ;;
esac
