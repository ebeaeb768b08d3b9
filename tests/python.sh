#!/usr/bin/env bash
# python.sh LIBRARY CLI: the Python package's unittest suite (python/tests) against the freshly
# built libedgetune.so and edgetune command, when a python3 with NumPy is present; otherwise it
# says so and is skipped (exit 77, ctest's SKIP_RETURN_CODE).
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
if ! py=$(bash "$src/scripts/python-with-numpy.sh"); then
    echo "python: skipped: no python3 with NumPy (Debian: python3-numpy; scripts/setup.sh installs it)"
    exit 77
fi
cd "$src/python"
EDGETUNE_LIB=$1 EDGETUNE_CLI=$2 PYTHONDONTWRITEBYTECODE=1 "$py" -m unittest discover -s tests -t . -v 2>&1
