"""Observation and action spaces with Gymnasium's semantics (docs/python.md, "Spaces").

Space, Box, Discrete, Tuple and Dict are gymnasium.spaces' own classes when gymnasium is
importable, else edgetune's (edgetune._spaces, `builtin` here), which follow the same
documented semantics: sample(mask=None) drawn from the space's own np_random, seed(seed)
returning the seeds used, contains(x) and `x in space`, equality and repr.

GYMNASIUM says which is in use. It is decided at import: gymnasium's when it imports, unless
the environment variable EDGETUNE_GYMNASIUM is 0; use_gymnasium(flag) switches later (spaces
created before keep their classes, and names imported with `from edgetune.spaces import Box`
keep what they were bound to).
"""

import os

from . import _spaces as builtin

__all__ = ["Space", "Box", "Discrete", "Tuple", "Dict", "GYMNASIUM", "use_gymnasium", "builtin"]

_NAMES = ("Space", "Box", "Discrete", "Tuple", "Dict")

GYMNASIUM = False
Space, Box, Discrete, Tuple, Dict = (builtin.Space, builtin.Box, builtin.Discrete,
                                     builtin.Tuple, builtin.Dict)


def _gymnasium_spaces():
    """gymnasium.spaces, or None when gymnasium does not import (absent, or broken: an
    incompatible NumPy, say)."""
    try:
        import gymnasium.spaces
    except Exception:  # noqa: BLE001 - any failure means: not usable here
        return None
    return gymnasium.spaces


def use_gymnasium(flag=True):
    """Binds Space, Box, Discrete, Tuple and Dict of this module to gymnasium's classes (flag
    true; ImportError when gymnasium does not import) or to edgetune's (flag false). Envs
    created afterwards use them. Returns the previous setting."""
    global GYMNASIUM
    source = builtin
    if flag:
        source = _gymnasium_spaces()
        if source is None:
            raise ImportError("edgetune.spaces.use_gymnasium: gymnasium does not import in this "
                              "interpreter")
    for name in _NAMES:
        globals()[name] = getattr(source, name)
    previous, GYMNASIUM = GYMNASIUM, source is not builtin
    return previous


if os.environ.get("EDGETUNE_GYMNASIUM", "").strip() != "0" and _gymnasium_spaces() is not None:
    use_gymnasium(True)
