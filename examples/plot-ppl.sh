#!/usr/bin/env bash
# plot-ppl.sh [--data] [-o DIR]: the fitted perplexity model against its calibration points
# (ppl_curve), or quality against tuning data (--data: ppl_data), PNG and PDF in DIR (default
# docs/img), from the build's ppl_curve (PPL_CURVE overrides build/ppl_curve): python3 -m
# edgetune.plot ppl, docs/figures.md.
src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd) && py=$(bash "$src/scripts/python-with-numpy.sh") && PYTHONPATH=$src/python exec "$py" -m edgetune.plot ppl --tool "${PPL_CURVE:-$(cd "$(dirname "$0")/.." && pwd)/build/ppl_curve}" "$@"
