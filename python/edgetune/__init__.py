"""edgetune from Python: the C simulator with Python policies (docs/python.md).

    import edgetune
    sim = edgetune.Simulator(seed=1)
    stats = sim.run_episode(policy)          # policy.decide(ue, obs) -> (location, keep)
    env = edgetune.Env()                     # reset() / step(actions), gymnasium's convention
    aec = edgetune.aec_env()                 # PettingZoo's AEC API; parallel_env(): its parallel API

Needs NumPy and libedgetune.so (found through EDGETUNE_LIB, the build tree next to this
package, the prefix it was installed to, or pkg-config).
"""

try:
    import numpy  # noqa: F401
except ImportError as _exc:  # depends on the interpreter: the message names it and Debian's
    from ._numpy_check import missing_numpy_message
    raise ImportError(missing_numpy_message(_exc)) from _exc

from ._lib import PATH as library_path
from ._lib import Error, InputError, StateError
from ._sim import (FEEDBACK_FIELDS, LOCAL, OBS_DIM, SERVER, TASK_FIELDS, Companion,
                   Simulator)
from .env import Env
from .multiagent import AECEnv, ParallelEnv, aec_env, parallel_env
from .vector import VectorEnv, vector_env
from . import spaces

__all__ = ["Simulator", "Env", "aec_env", "parallel_env", "AECEnv", "ParallelEnv", "vector_env",
           "VectorEnv", "Companion", "Error", "InputError", "StateError", "LOCAL", "SERVER",
           "OBS_DIM", "TASK_FIELDS", "FEEDBACK_FIELDS", "spaces", "library_path"]
