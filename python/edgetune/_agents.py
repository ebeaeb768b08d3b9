"""What the multi-agent environments (edgetune.multiagent) and their process-hosted proxies
(edgetune._remote) share: PettingZoo's base classes when it imports, the agents' names, their
spaces and the accessors PettingZoo asks for. docs/python.md, section 4."""

import math

import numpy as np

from . import spaces
from ._sim import OBS_DIM

try:  # PettingZoo's base classes when it imports; nothing of it is needed otherwise
    import pettingzoo as _pettingzoo
    _AECBase, _ParallelBase = _pettingzoo.AECEnv, _pettingzoo.ParallelEnv
except Exception:  # noqa: BLE001 - absent or broken: the protocol is followed all the same
    _AECBase = _ParallelBase = object


def agent_name(ue):
    """The agent name of UE ue: "ue_<index>" (PettingZoo's <descriptor>_<number>)."""
    return "ue_%d" % ue


class _Agents:
    """Agents, spaces and the accessors PettingZoo asks for, shared by the environments and
    their process-hosted proxies (edgetune._remote)."""

    metadata = {"render_modes": [], "name": "edgetune_v0", "is_parallelizable": True}
    render_mode = None

    def _init_agents(self, n_ue, k_range, state_dim):
        self.possible_agents = [agent_name(ue) for ue in range(n_ue)]
        self._ue = {a: ue for ue, a in enumerate(self.possible_agents)}
        k_min, k_max = (float(k) for k in k_range)
        self.k_range = (k_min, k_max)
        # One space object per agent, the same at every call (seeding one seeds that agent's)
        self.observation_spaces = {a: spaces.Box(-math.inf, math.inf, (OBS_DIM,), np.float32)
                                   for a in self.possible_agents}
        self.action_spaces = {a: spaces.Tuple((spaces.Discrete(2),
                                               spaces.Box(k_min, k_max, (), np.float64)))
                              for a in self.possible_agents}
        self.state_space = spaces.Box(-math.inf, math.inf, (state_dim,), np.float32)
        self.agents = []
        self.rewards, self.terminations, self.truncations, self.infos = {}, {}, {}, {}

    def observation_space(self, agent):
        """The observation space of agent (the same object at every call)."""
        return self.observation_spaces[agent]

    def action_space(self, agent):
        """The action space of agent (the same object at every call)."""
        return self.action_spaces[agent]

    @property
    def num_agents(self):
        return len(self.agents)

    @property
    def max_num_agents(self):
        return len(self.possible_agents)

    @property
    def unwrapped(self):
        return self

    def render(self):
        """Renders nothing (render_mode is None); traces are written with out=."""
        return None

    def last(self, observe=True):
        """(observation, cumulative reward, terminated, truncated, info) of agent_selection."""
        agent = self.agent_selection
        return (self.observe(agent) if observe else None, self._cumulative_rewards[agent],
                self.terminations[agent], self.truncations[agent], self.infos[agent])

    def agent_iter(self, max_iter=2 ** 63):
        """Yields agent_selection until no agent is left (or max_iter times)."""
        count = 0
        while self.agents and count < max_iter:
            yield self.agent_selection
            count += 1


def check_render_mode(render_mode):
    if render_mode is not None:
        raise ValueError("render_mode %r: edgetune renders nothing (metadata['render_modes'] "
                         "is empty); out= writes each episode's traces" % (render_mode,))
