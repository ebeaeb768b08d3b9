#!/usr/bin/env bash
# python-with-numpy.sh: prints the first Python 3 interpreter that imports NumPy ($EDGETUNE_PYTHON,
# Debian's /usr/bin/python3, where python3-numpy installs, then python3 on PATH); exits 1 when
# there is none, saying on stderr which interpreters it tried (path and version).
tried=()
for py in ${EDGETUNE_PYTHON:-} /usr/bin/python3 python3; do
    if ! path=$(command -v "$py" 2>/dev/null); then
        tried+=("$py (not found)")
        continue
    fi
    if "$py" -c "import numpy" >/dev/null 2>&1; then
        echo "$path"
        exit 0
    fi
    version=$("$py" -c "import platform; print(platform.python_version())" 2>/dev/null) ||
        version="?"
    tried+=("$path (Python $version: no NumPy)")
done
{
    printf 'python-with-numpy: no Python 3 interpreter here imports NumPy; tried:'
    printf ' %s;' "${tried[@]}"
    printf '\npython-with-numpy: on Debian, apt-get install python3-numpy installs NumPy for '
    printf '/usr/bin/python3 (scripts/setup.sh does); EDGETUNE_PYTHON names another interpreter\n'
} >&2
exit 1
