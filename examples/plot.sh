#!/usr/bin/env bash
# plot.sh OUT_DIR [OUT_DIR ...]: delay CDF, per-class delay and perplexity, channel rates of runs
# (PNG and PDF in the first OUT_DIR): python3 -m edgetune.plot run, docs/figures.md.
src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd) && py=$(bash "$src/scripts/python-with-numpy.sh") && PYTHONPATH=$src/python exec "$py" -m edgetune.plot run "$@"
