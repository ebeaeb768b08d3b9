"""aec_env(process=True) and parallel_env(process=True): the environment in a worker process of
its own, behind a proxy with the same API, so that one process can hold several (SimGrid holds
one engine per process). After every call the worker sends the public state back (agents,
agent_selection, rewards, cumulative rewards, flags, infos, every UE's observation and the
global state), so reading it costs no round trip. The proxy is handed the environment's class
(edgetune.multiagent's AECEnv or ParallelEnv), which the worker builds. docs/python.md,
section 4."""

import multiprocessing
import traceback
import weakref

from . import _lib
from ._agents import _AECBase, _Agents, _ParallelBase, check_render_mode

_STATE = ("agents", "agent_selection", "rewards", "_cumulative_rewards", "terminations",
          "truncations", "infos")


def _snapshot(env):
    out = {k: getattr(env, k) for k in _STATE if hasattr(env, k)}
    started = env.sim.state is not None  # bound at the first decision
    out["observations"] = env.sim.observations.copy() if started else None
    out["state"] = env.sim.state.copy() if started else None
    return out


def _serve(conn, make, scenario, kwargs):
    """The worker: builds the environment, make(scenario, **kwargs), then runs the proxy's calls
    until close."""
    try:
        env = make(scenario, **kwargs)
        conn.send(("ok", (env.sim.n_ue, env.sim.k_range, env.sim.state_dim), _snapshot(env)))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        conn.send(("error", (exc, traceback.format_exc()), None))
        return
    while True:
        try:
            name, args, kw = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            break
        if name == "close":
            break
        try:
            result = getattr(env, name)(*args, **kw)
            conn.send(("ok", result, _snapshot(env)))
        except Exception as exc:  # noqa: BLE001 - raised in the parent
            conn.send(("error", (exc, traceback.format_exc()), None))
    env.close()
    conn.close()


def _stop(proc, conn):
    try:
        conn.send(("close", (), {}))
    except (OSError, EOFError, BrokenPipeError):
        pass
    proc.join(timeout=10)
    if proc.is_alive():
        proc.kill()
        proc.join()
    conn.close()


class _Proxy(_Agents):
    def __init__(self, kind, make, scenario, kwargs):
        check_render_mode(kwargs.pop("render_mode", None))
        if kwargs.get("simulator") is not None:
            raise ValueError("process=True: the environment makes its own simulator in its "
                             "process; simulator= cannot be given")
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, make, scenario, kwargs),
                                 name="edgetune-%s-env" % kind, daemon=True)
        self._proc.start()
        child.close()
        self._closed = False
        self._finalizer = weakref.finalize(self, _stop, self._proc, self._conn)
        try:
            n_ue, k_range, state_dim = self._answer()
        except BaseException:
            self.close()
            raise
        self._init_agents(n_ue, k_range, state_dim)

    def _answer(self):
        try:
            kind, payload, snapshot = self._conn.recv()
        except (EOFError, OSError):
            self.close()
            raise _lib.Error("edgetune: the environment's process ended unexpectedly (exit "
                             "code %s)" % self._proc.exitcode) from None
        if kind == "error":
            exc, text = payload
            exc.add_note("edgetune: raised in the environment's process:\n%s" % text)
            raise exc
        self._observations, self._state = snapshot.pop("observations"), snapshot.pop("state")
        for k, v in snapshot.items():
            setattr(self, k, v)
        return payload

    def _call(self, name, *args, **kw):
        if self._closed:
            raise _lib.StateError("edgetune: %s: this environment is closed" % name)
        self._conn.send((name, args, kw))
        return self._answer()

    def observe(self, agent):
        return self._observations[self._ue[agent]].copy()

    def state(self):
        return self._state.copy()

    def reset(self, seed=None, options=None):
        return self._call("reset", seed=seed, options=options)

    def step(self, action):
        return self._call("step", action)

    def close(self):
        if not self._closed:
            self._closed = True
            self._finalizer()


class RemoteAECEnv(_Proxy, _AECBase):
    """edgetune.aec_env(process=True): make (the AECEnv class) built in a worker process."""

    def __init__(self, make, scenario=None, **kwargs):
        super().__init__("aec", make, scenario, kwargs)


class RemoteParallelEnv(_Proxy, _ParallelBase):
    """edgetune.parallel_env(process=True): make (the ParallelEnv class) built in a worker
    process."""

    def __init__(self, make, scenario=None, **kwargs):
        super().__init__("parallel", make, scenario, kwargs)
