#!/usr/bin/env bash
# setup.sh: the one entry point for a fresh Debian 12 machine.
#   bash scripts/setup.sh run    install what is missing, build, run the default scenario
#   bash scripts/setup.sh test   install what is missing, build, run the test suite, then the
#                                sanitizer and fuzz stages (build-asan/: clang, ASan+UBSan,
#                                libFuzzer; EDGETUNE_TEST_STAGES=plain skips them)
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
#   gnuplot-nox                 no longer used by the figures (python3 -m edgetune.plot)
#   time                        /usr/bin/time: CPU time and max RSS in bench/scale.sh
#   help2man                    the man page, generated from --help and --version
#   python3-numpy               the Python package (python/edgetune: observations are NumPy views)
#                               and its tests
#   python3-matplotlib          the figures (python3 -m edgetune.plot: PNG and PDF)
#   pajeng                      pj_dump, to read and check the Paje traces (run --paje)
#   libopenmpi-dev openmpi-bin  MPI: mpirun -np N edgetune train (data-parallel training) and
#                               mpirun edgetune sweep (a sweep's runs over ranks); optional
#   clang libfuzzer-14-dev      the test stages: the sanitizer build and the fuzz harnesses
#                               (tests/fuzz/) are built with clang and its libFuzzer
#   locales                     the locale sources from which the Python tests compile a
#                               comma-decimal locale (de_DE.UTF-8, with localedef, into a
#                               temporary folder): a program's setlocale must change no number
packages=(libsimgrid-dev libopenblas-dev libcjson-dev libcunit1-dev pkg-config cmake g++ make
          gnuplot-nox time help2man python3-numpy libopenmpi-dev openmpi-bin clang libfuzzer-14-dev
          locales python3-matplotlib pajeng)
# Tests only (test mode): the PyTorch MAPPO example (examples/python/mappo_torch.py) is
# trained for a few updates by the Python tests, and the trace viewer (edgetune view) is
# loaded in a headless browser.
#   python3-torch               PyTorch (Debian's build, CPU only)
#   chromium                    headless Chromium for the viewer's browser test
if [ "$mode" = test ]; then
    packages+=(python3-torch chromium)
fi
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
    test)
        bash scripts/python-with-numpy.sh >/dev/null ||
            echo "setup: no python3 with NumPy: the Python tests (ctest case python) are skipped" >&2
        ctest --test-dir "$build_dir" --output-on-failure "$@"
        # The sanitizer and fuzz stages (README.md, "Tests"): the suite again on a clang
        # build with AddressSanitizer and UndefinedBehaviorSanitizer (tests labelled nosan
        # skipped), and every fuzz harness for EDGETUNE_FUZZ_SECONDS (default 20) each.
        case ${EDGETUNE_TEST_STAGES:-all} in
            plain) ;;
            all)
                san_dir=${EDGETUNE_SANITIZE_BUILD_DIR:-build-asan}
                CC=clang CXX=clang++ cmake -S . -B "$san_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
                    -DEDGETUNE_SANITIZE=ON -DEDGETUNE_FUZZ=ON \
                    -DEDGETUNE_FUZZ_SECONDS="${EDGETUNE_FUZZ_SECONDS:-20}" >/dev/null
                cmake --build "$san_dir" -j "$(nproc)"
                # Leaks are checked (SimGrid 3.32 frees what edgetune's runs load);
                # UBSan stops at the first report, with its stack.
                ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
                    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
                    ctest --test-dir "$san_dir" --output-on-failure -j "$(nproc)" -LE nosan
                ;;
            *) echo "setup: EDGETUNE_TEST_STAGES must be all or plain" >&2; exit 2 ;;
        esac
        ;;
    bench) OPENBLAS_NUM_THREADS=1 ET_BENCH_PYTHON=/usr/bin/python3 "$build_dir/bench_ppo" "$@" ;;
    *) echo "usage: bash scripts/setup.sh run|test|build|bench" >&2; exit 2 ;;
esac
