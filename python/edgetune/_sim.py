"""edgetune.Simulator: episodes of the C simulator with a Python policy as its agent."""

import ctypes
import json
import os
import sys

import numpy as np

from . import _lib
from ._lib import lib

LOCAL = 0
SERVER = 1
OBS_DIM = lib.et_capi_obs_dim()


def _fields(getter):
    names = []
    while True:
        name = getter(len(names))
        if name is None:
            return tuple(n.decode() for n in names)
        names.append(name)


#: Names of the task record's fields (Simulator.task), in buffer order.
TASK_FIELDS = _fields(lib.et_capi_task_field)
#: Names of the feedback record's fields (Simulator.last_feedback).
FEEDBACK_FIELDS = _fields(lib.et_capi_feedback_field)


def _record(address, names):
    """A NumPy record (np.void) viewing len(names) doubles at address: no copy."""
    buf = (ctypes.c_double * len(names)).from_address(address)
    dtype = np.dtype([(n, "<f8") for n in names])
    return np.frombuffer(buf, dtype=dtype, count=1)[0]


def _path(p):
    return None if p is None else os.fsencode(p)


#: Simulator's keyword overrides and the scenario keys they set.
_OVERRIDES = (("platform", "platform"), ("model", "model"), ("seed", "seed"), ("ues", "ues"),
              ("tasks", "tasks.per_ue"))


def _text(name, value):
    """An override's value as the C library reads it (the scenario key's text: numbers in
    decimal, booleans true or false, paths as they are); the library applies the key's type
    and range, as the CLI does for its options."""
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, float):
        return repr(value).encode()
    if isinstance(value, (str, bytes, os.PathLike)):
        return os.fsencode(value)
    raise TypeError("%s: expected a number, a string or a path, got %s"
                    % (name, type(value).__name__))


def _episode_index(episode):
    """An episode index as C takes it: an int in [0, 2^31 - 1] (not a float, not wrapped)."""
    if isinstance(episode, bool) or not isinstance(episode, int):
        raise _lib.InputError("episode: expected an integer in [0, 2147483647], got %r"
                              % (episode,), 2)
    if not 0 <= episode <= 2147483647:
        raise _lib.InputError("episode: expected an integer in [0, 2147483647], got %d"
                              % episode, 2)
    return episode


def check_action(action, ue, k_range, where):
    """(location, keep) as ints and floats, or ValueError naming the value and the range: the
    one rule for actions given from Python (and the C API's): a location exactly
    edgetune.LOCAL (0) or edgetune.SERVER (1), a keep in [k_min, k_max] (tuning.k_min,
    tuning.k_max), bounds included. Nothing is clipped or rounded."""
    try:
        pair = np.asarray(action, dtype=np.float64)
    except (TypeError, ValueError):
        pair = None
    if pair is None or pair.shape != (2,):
        raise ValueError("%s: UE %d: expected (location, keep), {ue: (location, keep)} or an "
                         "array of shape (n_ue, 2); got %s" % (
                             where, ue, "shape %s" % (pair.shape,) if pair is not None
                             else repr(action)))
    location, keep = pair
    if location != LOCAL and location != SERVER:
        raise ValueError("%s: location %g for UE %d: expected edgetune.LOCAL (0) or "
                         "edgetune.SERVER (1)" % (where, location, ue))
    k_min, k_max = k_range
    if not k_min <= keep <= k_max:  # NaN fails too
        raise ValueError("%s: keep %g for UE %d: expected a number in [%g, %g] "
                         "(tuning.k_min, tuning.k_max)" % (where, float(keep), ue, k_min, k_max))
    return int(location), float(keep)


class _Aborted(Exception):
    """The episode was ended from Python (Env.reset or close, Ctrl-C)."""


class Companion:
    """One of edgetune's C baselines asked for its action on the decision in progress."""

    def __init__(self, sim, name, index):
        self._sim, self.name, self._index = sim, name, index
        self._out = (ctypes.c_double * 2)()

    def decide(self, ue=None, observation=None):
        """(location, keep) the baseline chooses for the pending decision (the arguments are
        accepted so that a Companion is itself a policy, and ignored)."""
        _lib.check(lib.et_capi_companion_decide, self._sim._h, self._index, self._out)
        return int(self._out[0]), self._out[1]

    def feedback(self, ue, reward, done):
        """Companions get their feedback from the engine directly."""


class Simulator:
    """The simulator of one scenario, loaded once per process (SimGrid loads one platform).

    Simulator(scenario=None, platform=None, seed=None, model=None, ues=None, tasks=None):
    scenario is a JSON file (None: the shipped examples/default.json); the others override
    its keys as the CLI's options do. Errors from C raise edgetune.Error (InputError for bad
    input) with the CLI's one-line message.
    """

    def __init__(self, scenario=None, platform=None, seed=None, model=None, ues=None,
                 tasks=None):
        given = {"platform": platform, "model": model, "seed": seed, "ues": ues, "tasks": tasks}
        keys, values, names = [], [], []
        for arg, key in _OVERRIDES:
            if given[arg] is not None:
                keys.append(key.encode())
                values.append(_text(arg, given[arg]))
                names.append(("argument %s" % arg).encode())
        n = len(keys)
        arrays = [(ctypes.c_char_p * max(n, 1))(*items) for items in (keys, values, names)]
        self._engine = _lib.engine()
        handle = ctypes.c_void_p()
        self._h = None
        self._engine.call(lambda: _lib.check(
            lib.et_capi_sim_create, _path(scenario), _path(_lib.data_dir()), arrays[0], arrays[1],
            arrays[2], n, ctypes.byref(handle)))
        self._h = handle.value
        self.n_ue = lib.et_capi_sim_ue_count(self._h)
        self.state_dim = lib.et_capi_state_dim(self._h)
        self.ue_classes = tuple(lib.et_capi_sim_ue_class(self._h, i).decode()
                                for i in range(self.n_ue))
        self.scenario = json.loads(_lib.take_string(lib.et_capi_sim_scenario_json(self._h)))
        #: The task of the decision in progress: a NumPy record over the C buffer
        #: (fields TASK_FIELDS); valid inside decide() and while a step waits.
        self.task = _record(lib.et_capi_sim_task(self._h), TASK_FIELDS)
        #: The last feedback: a NumPy record (fields FEEDBACK_FIELDS), valid inside feedback().
        self.last_feedback = _record(lib.et_capi_sim_feedback(self._h), FEEDBACK_FIELDS)
        self._action = (ctypes.c_double * 2).from_address(lib.et_capi_sim_action(self._h))
        self._state_addr = None
        self.state = None
        self.observations = None
        self._views = ()
        self._policy = None
        self._error = None
        self._abort = False
        self._running = False
        self._callbacks = (_lib.DECIDE_FN(self._decide), _lib.FEEDBACK_FN(self._feedback),
                           _lib.BEGIN_FN(self._begin), _lib.END_FN(self._end))
        _lib.check(lib.et_capi_sim_set_policy, self._h, *self._callbacks, None)

    # -- the callbacks, on the engine thread -------------------------------------------

    def _bind_state(self, address):
        """NumPy views of the C state buffer (once: its address never changes)."""
        buf = (ctypes.c_float * self.state_dim).from_address(address)
        self.state = np.frombuffer(buf, dtype=np.float32)
        self.observations = self.state[:self.n_ue * OBS_DIM].reshape(self.n_ue, OBS_DIM)
        self._views = tuple(self.observations[i] for i in range(self.n_ue))
        self._state_addr = address

    def _decide(self, ctx, ue, state_addr):
        if self._error is not None or self._abort:
            return 5
        try:
            if state_addr != self._state_addr:
                self._bind_state(state_addr)
            location, keep = check_action(self._policy.decide(ue, self._views[ue]), ue,
                                          self.k_range, "decide() returned")
            act = self._action
            act[0] = location
            act[1] = keep
            return 0
        except BaseException as exc:  # re-raised by run_episode with its traceback
            self._error = exc
            return 5

    # feedback, episode_begin and episode_end return 1 to C when they raised: the episode then
    # ends at its next decision and writes nothing, even when it was the last callback.
    def _feedback(self, ctx, ue, reward, done):
        if self._error is not None:
            return 1
        try:
            self._policy.feedback(ue, reward, bool(done))
            return 0
        except BaseException as exc:  # ends the episode at its next decision
            self._error = exc
            return 1

    def _begin(self, ctx, episode, n_ue, seed):
        begin = getattr(self._policy, "episode_begin", None)
        if begin is not None and self._error is None:
            try:
                begin(episode, n_ue, seed)
            except BaseException as exc:
                self._error = exc
        return 0 if self._error is None else 1

    def _end(self, ctx):
        end = getattr(self._policy, "episode_end", None)
        if end is not None and self._error is None:
            try:
                end()
            except BaseException as exc:
                self._error = exc
        return 0 if self._error is None else 1

    # -- episodes ------------------------------------------------------------------------

    def _run(self, policy, episode, out):
        """On the engine thread: one episode; returns the statistics or raises."""
        baseline = policy.encode() if isinstance(policy, str) else None
        name = (policy if isinstance(policy, str) else
                getattr(policy, "name", None) or "python:" + type(policy).__name__)
        run = json.dumps({"interface": "python", "python": sys.version.split()[0],
                          "command": [sys.executable] + sys.argv})
        stats = ctypes.c_void_p()
        err = ctypes.create_string_buffer(_lib.ERR_SIZE)
        self._policy = None if baseline else policy
        self._error, self._abort = None, False
        try:
            code = lib.et_capi_sim_run(self._h, baseline, name.encode(), int(episode), _path(out),
                                       run.encode(), ctypes.byref(stats), err, _lib.ERR_SIZE)
        finally:
            self._policy = None
        error, self._error = self._error, None
        if error is not None:
            if not isinstance(error, _Aborted):
                error.add_note("edgetune: raised in a policy callback; episode %d was ended%s"
                               % (episode, ", no outputs written" if out else ""))
            raise error
        if code != 0:
            _lib.raise_status(code, err.value.decode(errors="replace"))
        return json.loads(_lib.take_string(stats.value))

    def _check_open(self, what):
        if self._h is None:
            raise _lib.StateError("edgetune: %s: this Simulator is closed" % what)

    def _start(self, policy, episode, out, on_done=None):
        self._check_open("run_episode")
        episode = _episode_index(episode)
        if self._running:
            raise _lib.StateError("edgetune: an episode is running on this Simulator: another "
                                  "cannot be started from inside a policy callback, nor while "
                                  "an Env's episode runs")
        if not isinstance(policy, str) and not callable(getattr(policy, "decide", None)):
            raise TypeError("policy: expected a baseline's name or an object with "
                            "decide(ue, observation) and feedback(ue, reward, done)")
        self._running = True

        def job():
            try:
                return self._run(policy, episode, out)
            finally:
                self._running = False
                if on_done is not None:
                    on_done()
        return self._engine.submit(job)

    def run_episode(self, policy, episode=0, out=None):
        """Runs one episode and returns its statistics (the "result" of summary.json).

        policy: an object with decide(ue, observation) -> (location, keep) and
        feedback(ue, reward, done) (optionally episode_begin(episode, n_ue, seed) and
        episode_end()), called by the engine at simulated decision and completion instants;
        or the name of one of edgetune's baselines ("greedy", "all-server", ...), or
        "checkpoint:PATH", a learned policy's checkpoint run greedily as `edgetune run
        --checkpoint PATH` runs it. observation
        is a NumPy float32 view of the UE's row of the C state buffer (no copy; valid during
        the call). out: a folder for tasks.csv, channel.csv and summary.json, written as by
        `edgetune run`. An exception in a callback ends the episode (no outputs) and is
        re-raised here.
        """
        job = self._start(policy, episode, out)
        return job.wait(on_interrupt=self._interrupt)

    def _interrupt(self):
        self._abort = True

    def companion(self, baseline):
        """A C baseline that sees this simulator's episodes beside the Python policy and can
        be asked for its action on the decision in progress (Companion.decide). Created during
        an episode (from a callback, or while an Env waits for an action), it starts that
        episode as at its beginning, without the feedback already given: for a baseline that
        learns nothing from feedback, the same decisions as one created before."""
        self._check_open("companion")
        index = ctypes.c_int()
        _lib.check(lib.et_capi_companion_add, self._h, baseline.encode(), ctypes.byref(index))
        return Companion(self, baseline, index.value)

    def set_seed(self, seed):
        """Sets the root seed of the next episodes (the scenario key 'seed': an integer in
        [0, 2^53 - 1]; anything else raises InputError and changes nothing)."""
        self._check_open("set_seed")
        if self._running:
            raise _lib.StateError("edgetune: set_seed: an episode is running; set it between "
                                  "episodes")
        _lib.check(lib.et_capi_sim_set_seed, self._h, _text("seed", seed))
        self.scenario["seed"] = int(seed)

    @property
    def k_range(self):
        """(k_min, k_max): the keep fractions the simulator allows."""
        return self.scenario["tuning.k_min"], self.scenario["tuning.k_max"]

    def close(self):
        """Frees the C simulator (a second close does nothing). SimGrid keeps the platform: no
        other Simulator can be created in this process. During an episode (from a policy
        callback, or while an Env's episode runs) it raises StateError: end the episode
        first."""
        if self._h is None:
            return
        if self._running:
            raise _lib.StateError("edgetune: close: an episode is running on this Simulator "
                                  "(end it first: Env.close(), or after run_episode returns)")
        h, self._h = self._h, None
        self._engine.call(lambda: lib.et_capi_sim_destroy(h))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
