"""edgetune.vector_env: n simulators in n worker processes behind one batched step.

SimGrid holds one engine and one platform per process, so each sub-environment is an Env in a
process of its own (multiprocessing's "spawn": a fresh interpreter, no engine thread inherited
by fork). Observations, rewards and flags travel through one shared memory segment (a file in
/dev/shm mapped by the parent and every worker, unlinked as soon as all have mapped it, so
nothing is left behind even when a process is killed); the pipes carry only the commands, the
actions and small dicts. docs/python.md, "Vector environments".
"""

import mmap
import multiprocessing
import os
import tempfile
import traceback
import weakref

import numpy as np

from . import _lib
from ._sim import OBS_DIM

__all__ = ["vector_env", "VectorEnv"]

_ALIGN = 8


def _layout(n_env, n_ue):
    """Offsets of the shared arrays: observations (n_env, n_ue, OBS_DIM) float32, rewards
    (n_env, n_ue) float64, terminated (n_env, n_ue) uint8, waiting (n_env,) int32 (-1: none),
    time (n_env,) float64."""
    fields = (("obs", np.float32, (n_env, n_ue, OBS_DIM)), ("rewards", np.float64, (n_env, n_ue)),
              ("terminated", np.uint8, (n_env, n_ue)), ("waiting", np.int32, (n_env,)),
              ("time", np.float64, (n_env,)))
    out, offset = {}, 0
    for name, dtype, shape in fields:
        out[name] = (offset, dtype, shape)
        size = int(np.prod(shape)) * np.dtype(dtype).itemsize
        offset += (size + _ALIGN - 1) // _ALIGN * _ALIGN
    return out, offset


def _views(buf, layout):
    return {name: np.frombuffer(buf, dtype=dtype, count=int(np.prod(shape)),
                                offset=offset).reshape(shape)
            for name, (offset, dtype, shape) in layout.items()}


def _worker(conn, index, scenario, kwargs):
    """A worker process: one Env, driven by the parent's commands."""
    views = mm = publish = None
    try:
        from .env import Env
        if kwargs.get("out") is not None:  # one folder per sub-environment
            kwargs = dict(kwargs, out=os.path.join(kwargs["out"], "env-%d" % index))
        env = Env(scenario, **kwargs)
        conn.send(("ready", env.n_ue))
        cmd, (path, n_env) = conn.recv()
        layout, size = _layout(n_env, env.n_ue)
        with open(path, "r+b") as f:
            mm = mmap.mmap(f.fileno(), size)
        views = {k: v[index:index + 1] for k, v in _views(mm, layout).items()}
        conn.send(("attached", None))

        def publish(obs, rewards, terminated, info):
            views["obs"][...] = obs
            views["rewards"][...] = rewards
            views["terminated"][...] = terminated
            views["waiting"][...] = info["waiting"][0] if info["waiting"] else -1
            views["time"][...] = info["time"]

        while True:
            try:
                cmd, arg = conn.recv()
            except EOFError:  # the parent is gone: end quietly
                break
            if cmd == "close":
                break
            try:
                if cmd == "reset":
                    obs, info = env.reset(seed=arg[0], options=arg[1])
                    publish(obs, np.zeros(env.n_ue), np.zeros(env.n_ue, bool), info)
                    conn.send(("ok", {"episode": info["episode"], "final": None}))
                elif cmd == "step":
                    obs, rewards, terminated, _, info = env.step(arg)
                    final = None
                    if not info["waiting"]:  # autoreset: the next episode starts at once
                        final = {"stats": info["stats"], "episode": info["episode"],
                                 "rewards": rewards.tolist(),
                                 "observation": obs.copy()}
                        obs, info = env.reset()
                    publish(obs, rewards, terminated, info)
                    conn.send(("ok", {"episode": info["episode"], "final": final}))
                else:
                    conn.send(("error", (ValueError("unknown command %r" % (cmd,)), "")))
            except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
                conn.send(("error", (exc, traceback.format_exc())))
        env.close()
    except Exception as exc:  # noqa: BLE001 - creating the Env failed: tell the parent
        try:
            conn.send(("error", (exc, traceback.format_exc())))
        except (OSError, EOFError):
            pass
    finally:
        views = publish = None
        if mm is not None:
            try:
                mm.close()
            except BufferError:  # a view still alive: the mapping goes with the process
                pass
        conn.close()


def _shutdown(procs, conns, path):
    """Ends the workers (politely, then by force) and removes the segment's file if it is
    still named. Safe to call twice; also run by a finalizer at garbage collection or exit."""
    for conn in conns:
        try:
            conn.send(("close", None))
        except (OSError, EOFError, BrokenPipeError):
            pass
    for proc in procs:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join()
    for conn in conns:
        conn.close()
    if path and os.path.exists(path):
        os.unlink(path)


class VectorEnv:
    """n Envs stepped together, each in its own process (edgetune.vector_env)."""

    def __init__(self, n, scenario=None, **kwargs):
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 1024:
            raise _lib.InputError("vector_env: n: expected an integer in [1, 1024], got %r"
                                  % (n,), 2)
        self.num_envs = n
        ctx = multiprocessing.get_context("spawn")
        self._procs, self._conns, self._closed = [], [], False
        path = None
        self._finalizer = weakref.finalize(self, _shutdown, self._procs, self._conns, None)
        try:
            for i in range(n):
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_worker, args=(child, i, scenario, kwargs),
                                   name="edgetune-vector-%d" % i, daemon=True)
                proc.start()
                child.close()
                self._procs.append(proc)
                self._conns.append(parent)
            n_ues = [self._receive(i, "ready") for i in range(n)]
            self.n_ue = n_ues[0]
            layout, size = _layout(n, self.n_ue)
            folder = "/dev/shm" if os.path.isdir("/dev/shm") else None
            fd, path = tempfile.mkstemp(prefix="edgetune-vector-", dir=folder)
            self._finalizer.detach()
            self._finalizer = weakref.finalize(self, _shutdown, self._procs, self._conns, path)
            os.ftruncate(fd, size)
            self._mm = mmap.mmap(fd, size)
            os.close(fd)
            for conn in self._conns:
                conn.send(("attach", (path, n)))
            for i in range(n):
                self._receive(i, "attached")
            os.unlink(path)  # every process has it mapped: nothing named is left behind
            self._views = _views(self._mm, layout)
        except BaseException:
            self._finalizer()
            raise
        self.episodes = np.zeros(n, dtype=np.int64)

    def _worker_ended(self, i):
        """Worker i is gone (its pipe broke on a send or a receive): ends the others and
        raises the one error for it."""
        self._procs[i].join(timeout=5)
        self.close()
        return _lib.Error("vector_env: worker %d ended unexpectedly (exit code %s)"
                          % (i, self._procs[i].exitcode))

    def _send(self, i, message):
        try:
            self._conns[i].send(message)
        except OSError:  # BrokenPipeError, ConnectionResetError: the worker is gone
            raise self._worker_ended(i) from None

    def _receive(self, i, expected):
        try:
            kind, payload = self._conns[i].recv()
        except (EOFError, OSError):
            raise self._worker_ended(i) from None
        if kind == "error":
            exc, text = payload
            if text:
                exc.add_note("edgetune.vector_env: raised in worker %d:\n%s" % (i, text))
            raise exc
        if kind != expected and expected != "ok":
            raise _lib.Error("vector_env: worker %d answered %r, expected %r" % (i, kind,
                                                                             expected))
        return payload

    def _gather(self, answers):
        v = self._views
        infos = {"waiting": v["waiting"].copy(), "time": v["time"].copy(),
                 "episode": np.array([a["episode"] for a in answers]),
                 "final": [a["final"] for a in answers]}
        return v["obs"].copy(), infos

    def _check_open(self, what):
        if self._closed:
            raise _lib.StateError("vector_env: %s: this vector environment is closed" % what)

    def reset(self, seed=None, options=None):
        """Resets every sub-environment; returns (observations (num_envs, n_ue, OBS_DIM),
        infos). seed: an int gives seed + i to sub-environment i, a list one seed each, None
        keeps their seeds (the next episode)."""
        self._check_open("reset")
        seeds = (list(seed) if isinstance(seed, (list, tuple)) else
                 [None if seed is None else seed + i for i in range(self.num_envs)])
        if len(seeds) != self.num_envs:
            raise ValueError("reset: %d seeds for %d environments" % (len(seeds), self.num_envs))
        for i, s in enumerate(seeds):
            self._send(i, ("reset", (s, options)))
        answers = [self._receive(i, "ok") for i in range(self.num_envs)]
        return self._gather(answers)

    def step(self, actions):
        """actions (num_envs, 2): each sub-environment's (location, keep) for its waiting UE.
        Returns (observations, rewards (num_envs, n_ue), terminated (num_envs, n_ue),
        truncated, infos); a sub-environment whose episode ended resets at once (its
        infos["final"][i] holds the ended episode's stats, rewards and last observations)."""
        self._check_open("step")
        actions = np.asarray(actions, dtype=np.float64)
        if actions.shape != (self.num_envs, 2):
            raise ValueError("step: expected actions of shape (%d, 2), got %s"
                             % (self.num_envs, actions.shape))
        for i, action in enumerate(actions):
            self._send(i, ("step", (float(action[0]), float(action[1]))))
        errors, answers = [], []
        for i in range(self.num_envs):  # every answer is read, even after an error
            try:
                answers.append(self._receive(i, "ok"))
            except _lib.Error:
                raise
            except Exception as exc:  # noqa: BLE001 - raised once all have answered
                errors.append(exc)
        if errors:
            raise errors[0]
        obs, infos = self._gather(answers)
        v = self._views
        terminated = v["terminated"].astype(bool)
        return (obs, v["rewards"].copy(), terminated, np.zeros_like(terminated), infos)

    def close(self):
        """Ends the workers and frees the shared memory (a second call does nothing)."""
        if self._closed:
            return
        self._closed = True
        self._finalizer()
        self._views = None
        mm, self._mm = getattr(self, "_mm", None), None
        if mm is not None:
            mm.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def vector_env(n, scenario=None, **kwargs):
    """n sub-environments (edgetune.Env, with scenario and the keyword arguments of Env: seed,
    tasks, ues, platform, model, out) each in a worker process, stepped together."""
    return VectorEnv(n, scenario, **kwargs)
