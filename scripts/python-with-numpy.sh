#!/usr/bin/env bash
# python-with-numpy.sh: prints the first Python 3 interpreter that imports NumPy ($EDGETUNE_PYTHON,
# Debian's /usr/bin/python3, where python3-numpy installs, then python3 on PATH); exits 1 when
# there is none.
for py in ${EDGETUNE_PYTHON:-} /usr/bin/python3 python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c "import numpy" >/dev/null 2>&1; then
        command -v "$py"
        exit 0
    fi
done
exit 1
