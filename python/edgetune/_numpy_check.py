"""The message of `import edgetune` when NumPy does not import (this module imports no NumPy).

It names the interpreter in use (sys.executable and its version) and, when Debian's
/usr/bin/python3 is another interpreter and imports NumPy (checked by running it), points to
it: the usual case is a `python3` on PATH that is not Debian's (pyenv, a virtual environment
without system packages), which cannot see Debian's python3-numpy.
"""

import os
import platform
import subprocess
import sys

DEBIAN_PYTHON = "/usr/bin/python3"

_PROBE = ("import sys, numpy; "
          "print('%d.%d.%d' % sys.version_info[:3], numpy.__version__)")


def probe(python):
    """(Python version, NumPy version) of the interpreter python, or None when it is missing,
    does not run, or does not import NumPy."""
    if not (os.path.isfile(python) and os.access(python, os.X_OK)):
        return None
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHOME"}  # pyenv's would mislead it
    try:
        proc = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    words = proc.stdout.split()
    if proc.returncode != 0 or len(words) != 2:
        return None
    return words[0], words[1]


def _same_interpreter(python):
    """Whether python is the interpreter running this, with the same packages (a virtual
    environment made from /usr/bin/python3 runs the same binary with other packages)."""
    try:
        same_binary = os.path.samefile(sys.executable, python)
    except OSError:
        return False
    return same_binary and sys.prefix == sys.base_prefix


def missing_numpy_message(exc, debian=DEBIAN_PYTHON):
    """The ImportError text for a NumPy that failed to import with exc."""
    here = "%s (Python %s)" % (sys.executable or "an embedded interpreter",
                               platform.python_version())
    lines = ["edgetune needs NumPy, which the Python interpreter in use cannot import: %s: %s"
             % (here, exc)]
    found = probe(debian)
    if found is not None and not _same_interpreter(debian):
        lines.append("Debian's %s (Python %s) has NumPy %s: run the command with %s instead "
                     "(for example `%s examples/python/random_policy.py`), or put /usr/bin "
                     "before this interpreter on PATH." % (debian, found[0], found[1], debian,
                                                           debian))
    elif found is not None:
        lines.append("A fresh %s imports NumPy %s: something in this process's path (PYTHONPATH, "
                     "sys.path) hides or breaks it." % (debian, found[1]))
    else:
        lines.append("%s does not import NumPy either. On Debian, `apt-get install "
                     "python3-numpy` installs NumPy for %s (scripts/setup.sh does): run edgetune "
                     "with that interpreter, or install NumPy into this one."
                     % (debian if os.path.exists(debian) else debian + " (absent)", debian))
    return "\n".join(lines)
