#!/usr/bin/env bash
# plot-training.sh TRAIN_DIR [TRAIN_DIR ...]: learning curve and the learner's losses (PNG and
# PDF in the first TRAIN_DIR): python3 -m edgetune.plot training, docs/figures.md.
src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd) && py=$(bash "$src/scripts/python-with-numpy.sh") && PYTHONPATH=$src/python exec "$py" -m edgetune.plot training "$@"
