"""edgetune.Env: a step interface (gymnasium's convention) over the callback interface.

The episode runs on the engine thread with a bridge policy whose decide() blocks until
step() supplies the action; step() then waits until the next decision is due (or the
episode ends) and returns. Decisions are asynchronous: a UE decides when its next task
starts, at its own simulated instant, one UE at a time. docs/python.md, "The step interface".
"""

import atexit
import math
import threading
import weakref

import numpy as np

from . import _lib, spaces
from ._sim import FEEDBACK_FIELDS, OBS_DIM, Simulator, _Aborted, check_action

# Envs whose episode may still be running when the interpreter exits.
_open_envs = weakref.WeakSet()


@atexit.register
def _end_open_episodes():
    """At interpreter exit, ends the episodes still open, as close() would: their outputs are
    not written and their temporary files are removed (the engine's thread would otherwise
    die with the process, in the middle of the episode)."""
    for env in list(_open_envs):
        try:
            env._stop()
        except BaseException:  # exiting anyway: nothing more to do for this one
            pass


class _Bridge:
    """The policy the engine runs while an Env is stepped."""

    name = "python:Env"

    def __init__(self, env):
        self._env = env

    def decide(self, ue, observation):
        return self._env._on_decide(ue)

    def feedback(self, ue, reward, done):
        self._env._on_feedback(ue, reward, done)


class Env:
    """Env(scenario=None, *, simulator=None, out=None, **overrides).

    scenario and overrides (platform, seed, model, ues, tasks) as for Simulator, or an
    existing simulator. out: a folder for every episode's tasks.csv, channel.csv and
    summary.json (written when the episode completes; an episode ended by reset() or
    close() writes nothing).

    observation_space: Box of shape (n_ue, OBS_DIM), float32: every UE's latest observation.
    action_space: Tuple(Discrete(2), Box(k_min, k_max, (), float64)): one UE's (location,
    keep). Both are edgetune.spaces classes (gymnasium's when it imports).
    """

    metadata = {"render_modes": []}

    def __init__(self, scenario=None, *, simulator=None, out=None, **overrides):
        self.sim = simulator if simulator is not None else Simulator(scenario, **overrides)
        self.n_ue = self.sim.n_ue
        k_min, k_max = self.sim.k_range
        self.observation_space = spaces.Box(-math.inf, math.inf, (self.n_ue, OBS_DIM),
                                            np.float32)
        self.action_space = spaces.Tuple((spaces.Discrete(2),
                                          spaces.Box(float(k_min), float(k_max), (), np.float64)))
        self.out = out
        self._cond = threading.Condition()
        self._job = None
        self._next_episode = 0
        self._bridge = _Bridge(self)
        self._companions = {}
        self._clear()
        _open_envs.add(self)

    def _clear(self):
        self._pending = None  # the UE waiting for an action
        self._action = None
        self._cancel = False
        self._finished = False
        self._rewards = np.zeros(self.n_ue)
        self._done = np.zeros(self.n_ue, dtype=bool)
        self._completed = []
        self._episode = None

    # -- the engine thread's side --------------------------------------------------------

    def _on_decide(self, ue):
        with self._cond:
            self._pending = ue
            self._cond.notify_all()
            while self._action is None and not self._cancel:
                self._cond.wait()
            if self._cancel:
                raise _Aborted()
            action, self._action = self._action, None
            return action

    def _on_feedback(self, ue, reward, done):
        record = dict(zip(FEEDBACK_FIELDS, self.sim.last_feedback.tolist()))
        with self._cond:
            self._rewards[ue] += reward
            self._done[ue] |= bool(done)
            record["ue"], record["done"] = ue, bool(done)
            self._completed.append(record)

    def _on_finished(self):
        with self._cond:
            self._finished = True
            self._cond.notify_all()

    # -- the caller's side ---------------------------------------------------------------

    def _wait(self):
        """Waits until a UE waits for an action or the episode is over."""
        with self._cond:
            while self._pending is None and not self._finished:
                self._cond.wait()
            ue = self._pending
        stats = None
        if ue is None:
            job, self._job = self._job, None
            stats = job.wait()  # raises what ended the episode
        rewards, self._rewards = self._rewards, np.zeros(self.n_ue)
        completed, self._completed = self._completed, []
        info = {"episode": self._episode, "waiting": [] if ue is None else [ue],
                "completed": completed, "state": self.sim.state}
        if ue is None:
            info["time"] = stats["makespan_s"]
            info["stats"] = stats
        else:
            info["time"] = float(self.sim.task["now_s"])
            info["task"] = self.sim.task
        return self.sim.observations, rewards, self._done.copy(), info

    def _stop(self):
        """Ends the running episode, if any (its outputs are not written)."""
        if self._job is None:
            return
        with self._cond:
            self._cancel = True
            self._cond.notify_all()
        job, self._job = self._job, None
        try:
            job.wait()
        except _Aborted:
            pass

    def reset(self, seed=None, options=None):
        """Starts an episode and runs it to its first decision; returns (observations, info).

        seed: a new root seed (the scenario's 'seed'); episodes are then numbered from 0
        again. options: {"episode": index} picks the episode index (default: the next one).
        A running episode is ended first, without outputs.
        """
        self._stop()
        if seed is not None:
            self.sim.set_seed(seed)
            self._next_episode = 0
        episode = int((options or {}).get("episode", self._next_episode))
        self._next_episode = episode + 1
        self._clear()
        self._episode = episode
        self._job = self.sim._start(self._bridge, episode, self.out, on_done=self._on_finished)
        obs, _, _, info = self._wait()
        return obs, info

    def _pick(self, actions, ue):
        if isinstance(actions, dict):
            if ue not in actions:
                raise ValueError("step: UE %d is waiting, and actions has no entry for it" % ue)
            action = actions[ue]
        else:
            action = np.asarray(actions, dtype=np.float64)
            if action.shape == (self.n_ue, 2):
                action = action[ue]
        return check_action(action, ue, self.sim.k_range, "step")

    def step(self, actions):
        """Gives the waiting UE its action and runs the engine until the next decision is due.

        actions: (location, keep) for the waiting UE, a dict {ue: (location, keep)}, or an
        array of shape (n_ue, 2) whose waiting UE's row is used.

        Returns (observations, rewards, terminated, truncated, info): observations the
        (n_ue, OBS_DIM) float32 view of the C state (no copy: it changes at the next step);
        rewards (n_ue,) what each UE's feedback received since the last step for the tasks
        it completed (reward.credit: by default each task's own reward, docs/simulation.md);
        terminated (n_ue,) True for the UEs whose last task completed; truncated (n_ue,)
        always False (episodes end when every UE is done); info: "waiting" (the UEs waiting
        for an action: one, or none once the episode is over), "time" (simulated seconds
        since the episode started), "task" (the waiting UE's task record), "state" (the
        global state), "completed" (one dict per completed task), "episode", and at the end
        "stats" (the episode's statistics, as Simulator.run_episode returns them).
        """
        if self._job is None:
            raise _lib.StateError("step: no episode is running (call reset())")
        location, keep = self._pick(actions, self._pending)
        with self._cond:
            self._pending = None
            self._action = (location, keep)
            self._cond.notify_all()
        obs, rewards, terminated, info = self._wait()
        return obs, rewards, terminated, np.zeros(self.n_ue, dtype=bool), info

    def baseline(self, name):
        """edgetune's baseline called name, asked on the pending decision:
        env.step(env.baseline("greedy").decide()) takes the greedy choice. Usable at any
        time, mid-episode included; one companion per name (the same object each call)."""
        if name not in self._companions:
            self._companions[name] = self.sim.companion(name)
        return self._companions[name]

    def close(self):
        """Ends the running episode (no outputs) and frees the simulator."""
        self._stop()
        self.sim.close()
