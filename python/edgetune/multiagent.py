"""PettingZoo's two multi-agent APIs over the simulator: aec_env() and parallel_env().

Both follow PettingZoo's documented protocols without depending on PettingZoo; when it imports
they subclass its AECEnv and ParallelEnv, so that isinstance checks and its own conformance
tests (pettingzoo.test.api_test, parallel_api_test) see them as such. docs/python.md, sections
"The AEC environment" and "The parallel environment".

Agents are the UEs, named "ue_0", "ue_1", ... Each one observes its own row of the C state
(OBS_DIM float32 values) and acts with (location, keep): Tuple(Discrete(2), Box(k_min, k_max,
(), float64)).
"""

import math

from . import _lib
from ._agents import _AECBase, _Agents, _ParallelBase, agent_name, check_render_mode
from ._remote import RemoteAECEnv, RemoteParallelEnv
from ._sim import FEEDBACK_FIELDS, check_action
from .env import Env

__all__ = ["aec_env", "parallel_env", "AECEnv", "ParallelEnv", "agent_name"]


def _completed(record):
    """A completed task's feedback record as a plain dict (ue as an int, done as a bool)."""
    out = {k: record[k] for k in FEEDBACK_FIELDS if k in record}
    out["ue"], out["done"] = int(record["ue"]), bool(record["done"])
    return out


class _Common(_Agents):
    """What both environments share: the simulator, agents, spaces, state, render, close."""

    def __init__(self, scenario=None, *, simulator=None, out=None, render_mode=None,
                 **overrides):
        check_render_mode(render_mode)
        self._env = Env(scenario, simulator=simulator, out=out, **overrides)
        self.sim = self._env.sim
        self._init_agents(self.sim.n_ue, self.sim.k_range, self.sim.state_dim)
        self._info = None

    def observe(self, agent):
        """agent's latest observation: a copy of its row of the C state (float32, OBS_DIM)."""
        return self.sim.observations[self._ue[agent]].copy()

    def state(self):
        """The global state a centralised critic sees (a copy: state_dim float32 values)."""
        return self.sim.state.copy()

    def close(self):
        """Ends the running episode (no outputs) and frees the simulator."""
        self._env.close()

    def baseline(self, name):
        """edgetune's baseline called name, asked on the decision in progress (Env.baseline)."""
        return self._env.baseline(name)

    def _start(self, seed, options):
        _, info = self._env.reset(seed=seed, options=options)
        self._info = info
        self.agents = list(self.possible_agents)
        return info


class AECEnv(_Common, _AECBase):
    """PettingZoo's agent-environment cycle over the simulator (edgetune.aec_env)."""

    def reset(self, seed=None, options=None):
        """Starts an episode (seed, options as Env.reset) and runs it to its first decision."""
        info = self._start(seed, options)
        self.rewards = {a: 0.0 for a in self.agents}
        self._cumulative_rewards = {a: 0.0 for a in self.agents}
        self.terminations = {a: False for a in self.agents}
        self.truncations = {a: False for a in self.agents}
        self.infos = {a: {"completed": []} for a in self.agents}
        self._absorb(info)
        self._select()

    def _absorb(self, info):
        """The feedback the last engine run delivered: rewards, completions, the episode's end,
        and the waiting agent's task."""
        for record in info["completed"]:
            agent = agent_name(int(record["ue"]))
            self.rewards[agent] += record["reward"]
            self.infos[agent]["completed"].append(_completed(record))
            if record["done"]:
                self.terminations[agent] = True
        if not info["waiting"]:  # the episode is over: every agent is done
            for agent in self.agents:
                self.terminations[agent] = True
                self.infos[agent]["stats"] = info["stats"]
        else:
            agent = agent_name(info["waiting"][0])
            self.infos[agent]["task"] = {k: float(info["task"][k]) for k in
                                         info["task"].dtype.names}
            self.infos[agent]["time"] = info["time"]

    def _select(self):
        """agent_selection: a terminated agent still to be stepped with None (in agent order),
        else the UE whose decision is due."""
        dead = [a for a in self.agents if self.terminations[a] or self.truncations[a]]
        if dead:
            self.agent_selection = dead[0]
        elif self._info["waiting"]:
            self.agent_selection = agent_name(self._info["waiting"][0])

    def step(self, action):
        """Acts for agent_selection: (location, keep) for a live agent, None for a terminated
        one (which then leaves agents). Returns None."""
        if not self.agents:
            raise _lib.StateError("step: no agent is left (call reset())")
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            if action is not None:
                raise ValueError("step: %s is terminated: its step takes None (PettingZoo's "
                                 "dead step), got %r" % (agent, action))
            for table in (self.rewards, self._cumulative_rewards, self.terminations,
                          self.truncations, self.infos):
                del table[agent]
            self.agents.remove(agent)
            self.rewards = {a: 0.0 for a in self.agents}
            self._select()
            return
        if action is None:
            raise ValueError("step: %s is live: expected (location, keep), got None" % agent)
        _, _, _, _, info = self._env.step({self._ue[agent]: action})
        self._info = info
        self._cumulative_rewards[agent] = 0.0
        self.rewards = {a: 0.0 for a in self.agents}
        self.infos[agent] = {"completed": []}
        self._absorb(info)
        for a in self.agents:
            self._cumulative_rewards[a] += self.rewards[a]
        self._select()


class ParallelEnv(_Common, _ParallelBase):
    """PettingZoo's parallel API over the simulator (edgetune.parallel_env)."""

    def __init__(self, scenario=None, *, decision_interval_s=0.0, **kwargs):
        interval = float(decision_interval_s)
        if not 0.0 <= interval < math.inf:
            raise _lib.InputError("decision_interval_s: expected a finite number >= 0 "
                                  "(simulated seconds), got %r" % (decision_interval_s,), 2)
        self.decision_interval_s = interval
        super().__init__(scenario, **kwargs)

    def _observations(self, agents):
        return {a: self.observe(a) for a in agents}

    def _infos(self, agents, info):
        waiting = agent_name(info["waiting"][0]) if info["waiting"] else None
        return {a: {"time": info["time"], "acted": False, "due": a == waiting, "completed": []}
                for a in agents}

    def reset(self, seed=None, options=None):
        """Starts an episode and runs it to its first decision; returns (observations,
        infos), one entry per agent."""
        info = self._start(seed, options)
        return self._observations(self.agents), self._infos(self.agents, info)

    def step(self, actions):
        """actions: {agent: (location, keep)} for every agent in agents. Every UE whose task
        starts within decision_interval_s simulated seconds of the first pending decision acts
        once with its entry; the others' entries are checked and ignored. Returns
        (observations, rewards, terminations, truncations, infos) for the agents that were
        live at the call."""
        if not self.agents:
            raise _lib.StateError("step: no agent is left (call reset())")
        live = list(self.agents)
        missing = [a for a in live if a not in actions]
        if missing:
            raise ValueError("step: actions has no entry for %s (every live agent acts, or has "
                             "its entry ignored when it is not due)" % ", ".join(missing))
        checked = {a: _check(self, a, actions[a]) for a in live}
        rewards = {a: 0.0 for a in live}
        terminations = {a: False for a in live}
        done_info = []
        info = self._info
        start, acted = info["time"], set()
        while info["waiting"]:
            agent = agent_name(info["waiting"][0])
            if agent in acted or info["time"] > start + self.decision_interval_s:
                break
            _, _, _, _, info = self._env.step({self._ue[agent]: checked[agent]})
            acted.add(agent)
            for record in info["completed"]:
                a = agent_name(int(record["ue"]))
                rewards[a] += record["reward"]
                terminations[a] |= bool(record["done"])
                done_info.append(_completed(record))
        self._info = info
        if not info["waiting"]:
            terminations = {a: True for a in live}
        infos = self._infos(live, info)
        for record in done_info:
            infos[agent_name(record["ue"])]["completed"].append(record)
        for a in acted:
            infos[a]["acted"] = True
        if not info["waiting"]:
            for a in live:
                infos[a]["stats"] = info["stats"]
        self.agents = [a for a in live if not terminations[a]]
        return (self._observations(live), rewards, terminations,
                {a: False for a in live}, infos)


def _check(env, agent, action):
    """The action as (location, keep), checked as every action is (ValueError otherwise)."""
    return check_action(action, env._ue[agent], env.sim.k_range, "step: %s" % agent)


def aec_env(scenario=None, *, process=False, **kwargs):
    """A PettingZoo AEC environment over the simulator.

    scenario and keyword overrides as for Simulator (platform, seed, model, ues, tasks), or
    simulator= an existing one; out= a folder for every completed episode's traces;
    render_mode must be None. process=True runs it in a worker process of its own behind a
    proxy with the same API (several per process then). docs/python.md, section 4."""
    if process:
        return RemoteAECEnv(AECEnv, scenario, **kwargs)
    return AECEnv(scenario, **kwargs)


def parallel_env(scenario=None, *, decision_interval_s=0.0, process=False, **kwargs):
    """A PettingZoo parallel environment over the simulator: one step acts for every UE whose
    task starts within decision_interval_s simulated seconds (0: the decisions of one instant)
    of the first pending decision. Arguments as aec_env. docs/python.md, section 4."""
    if process:
        return RemoteParallelEnv(ParallelEnv, scenario, decision_interval_s=decision_interval_s,
                                 **kwargs)
    return ParallelEnv(scenario, decision_interval_s=decision_interval_s, **kwargs)
