#!/usr/bin/env bash
# plot-sweep.sh SWEEP_DIR [PREFIX]: every metric of a sweep against its swept keys (PNG and PDF
# in SWEEP_DIR/plots/): python3 -m edgetune.plot sweep, docs/figures.md.
src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd) && py=$(bash "$src/scripts/python-with-numpy.sh") && PYTHONPATH=$src/python exec "$py" -m edgetune.plot sweep "$1" ${2:+--prefix "$2"} "${@:3}"
