#!/usr/bin/env bash
# plot-study.sh COMPARE_DIR [options]: a study's learning curves over seeds and its evaluation
# (PNG and PDF in COMPARE_DIR): python3 -m edgetune.plot study, docs/figures.md.
src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd) && py=$(bash "$src/scripts/python-with-numpy.sh") && PYTHONPATH=$src/python exec "$py" -m edgetune.plot study "$@"
