"""PettingZoo's conformance properties, checked without PettingZoo (written from its documented
AEC and parallel protocols and from what pettingzoo.test's api_test, parallel_api_test and
seed_test assert). Each check raises AssertionError naming the property; each function
returns the names of the properties it checked, so a test can see that none was skipped."""

import math

import numpy as np


def _space_checks(env, agents, checked):
    for agent in agents:
        obs_space, act_space = env.observation_space(agent), env.action_space(agent)
        assert obs_space is env.observation_space(agent), \
            "observation_space(agent) must return the same object at every call"
        assert act_space is env.action_space(agent), \
            "action_space(agent) must return the same object at every call"
        assert obs_space.low.shape == obs_space.shape == obs_space.high.shape, \
            "observation_space.low/high and the space must have one shape"
        assert not np.any(obs_space.low > obs_space.high), "observation low > high"
        assert isinstance(agent, str), "agents are named by strings"
    checked.update({"spaces_same_object", "space_shapes", "agent_names"})


def _check_observation(env, agent, obs):
    space = env.observation_space(agent)
    assert isinstance(obs, np.ndarray), "an observation is a NumPy array"
    assert obs.dtype == space.dtype, "observation dtype %s, space %s" % (obs.dtype, space.dtype)
    assert obs.shape != (0,), "an observation cannot be empty"
    assert space.contains(obs), "observation outside its space: %r" % (obs,)
    assert not np.isnan(obs).any(), "observation has NaN"


def _check_reward(reward):
    value = float(reward)  # convertible to float
    assert math.isfinite(value), "a reward is finite"


def aec_api(env, num_cycles=1000, seed=0):
    """What pettingzoo.test.api_test asserts of an AEC environment."""
    checked = set()
    assert env.reset(seed=seed, options={"options": 1}) is None, "reset returns None"
    env.reset()
    assert not any(env.terminations.values()), "terminations all False after reset"
    assert not any(env.truncations.values()), "truncations all False after reset"
    assert isinstance(env.num_agents, int) and env.num_agents > 0, "num_agents a positive int"
    assert set(env.agents) <= set(env.possible_agents), "agents within possible_agents"
    observation_0, *_ = env.last()
    _check_observation(env, env.agent_selection, observation_0)
    non_observe, *_ = env.last(observe=False)
    assert non_observe is None, "last(observe=False) returns None as the observation"
    checked.update({"reset_signature", "reset_clears_flags", "num_agents", "last_observe"})
    _space_checks(env, env.agents, checked)

    # play_test: cumulative rewards, agents leaving, dict keys, observations in their spaces
    env.reset()
    live = set(env.agents)
    finished, generated = set(), set()
    accumulated = {a: 0.0 for a in env.possible_agents}
    for agent in env.agent_iter(env.num_agents * num_cycles):
        generated.add(agent)
        assert agent not in finished, "a terminated agent cannot come back"
        assert isinstance(env.infos[agent], dict), "an agent's info is a dict"
        obs, reward, terminated, truncated, info = env.last()
        assert isinstance(terminated, bool) and isinstance(truncated, bool), \
            "terminated and truncated are bools"
        assert terminated == env.terminations[agent] and truncated == env.truncations[agent], \
            "last() and terminations/truncations agree"
        assert info is env.infos[agent] or info == env.infos[agent], "last() and infos agree"
        _check_reward(reward)
        action = None if terminated or truncated else env.action_space(agent).sample()
        assert live <= set(env.agents), "agents leave only through their dead step"
        if terminated or truncated:
            live.discard(agent)
            finished.add(agent)
        assert math.isclose(accumulated[agent], reward, rel_tol=0, abs_tol=1e-9), \
            "last()'s reward is the sum of rewards since the agent last acted (%r, %r)" % (
                accumulated[agent], reward)
        accumulated[agent] = 0.0
        assert env.step(action) is None, "step() returns nothing"
        for a, r in env.rewards.items():
            accumulated[a] += r
        assert env.num_agents == len(env.agents), "num_agents == len(agents)"
        for name, table in (("rewards", env.rewards), ("terminations", env.terminations),
                            ("truncations", env.truncations), ("infos", env.infos)):
            assert set(table) == set(env.agents), "%s has exactly the live agents" % name
        assert set(env.agents) <= set(env.possible_agents), "agents within possible_agents"
        if not env.agents:
            break
        _check_observation(env, agent, obs)
    if not env.agents:
        assert finished == generated == set(env.possible_agents), \
            "every agent finished; none was skipped"
    checked.update({"cumulative_rewards", "dead_step", "dict_keys", "observations_in_space",
                    "agents_leave", "all_finish"})

    # a live agent's step takes no None; a dead agent's takes only None
    env.reset(seed=seed)
    try:
        env.step(None)
        raise AssertionError("a live agent's step must refuse None")
    except ValueError:
        pass
    checked.add("live_step_refuses_none")
    return checked


def parallel_api(env, num_cycles=1000, seed=0):
    """What pettingzoo.test.parallel_api_test asserts of a parallel environment."""
    checked = set()
    obs, infos = env.reset(seed=seed)
    assert isinstance(obs, dict) and isinstance(infos, dict), "reset returns two dicts"
    assert set(obs) == set(env.agents) == set(infos), "reset: one entry per agent"
    _space_checks(env, env.agents, checked)
    for agent, o in obs.items():
        _check_observation(env, agent, o)
    live, finished = set(env.agents), set()
    terminated = {a: False for a in env.agents}
    truncated = {a: False for a in env.agents}
    for _ in range(num_cycles):
        actions = {a: env.action_space(a).sample() for a in env.agents
                   if not terminated.get(a, False) and not truncated.get(a, False)}
        obs, rewards, terminated, truncated, infos = env.step(actions)
        for a in env.agents:
            assert a not in finished, "an agent cannot come back once done"
        for name, table in (("observations", obs), ("rewards", rewards),
                            ("terminations", terminated), ("truncations", truncated),
                            ("infos", infos)):
            assert isinstance(table, dict), "%s is a dict" % name
            assert set(table) == live, "%s: one entry per agent live at the step" % name
        for a in obs:
            _check_observation(env, a, obs[a])
            _check_reward(rewards[a])
            assert isinstance(terminated[a], bool) and isinstance(truncated[a], bool), \
                "terminations and truncations hold bools"
        assert set(env.agents) <= set(env.possible_agents), "agents within possible_agents"
        done = {a for a in live if terminated[a] or truncated[a]}
        live -= done
        finished |= done
        if not env.agents:
            assert finished == set(env.possible_agents), "every agent finished"
            break
        assert set(env.agents) == live, "agents are those not yet done"
    assert not env.agents, "the episode ends within num_cycles steps"
    checked.update({"reset_dicts", "step_dicts", "observations_in_space", "agents_leave",
                    "all_finish"})
    return checked


def aec_trajectory(env, seed, steps):
    """seed_test's record of an AEC run: agents, observations, rewards, flags and actions,
    with the environment and every action space seeded with seed."""
    env.reset(seed=seed)
    for a in env.possible_agents:
        env.action_space(a).seed(seed)
    out = []
    for agent in env.agent_iter(steps):
        obs, reward, terminated, truncated, _ = env.last()
        action = None if terminated or truncated else env.action_space(agent).sample()
        out.append([agent, obs.tolist(), float(reward), terminated, truncated,
                    None if action is None else [int(action[0]), float(action[1])]])
        env.step(action)
    return out


def parallel_trajectory(env, seed, steps):
    """seed_test's record of a parallel run, as aec_trajectory."""
    obs, _ = env.reset(seed=seed)
    for a in env.possible_agents:
        env.action_space(a).seed(seed)
    out = [{a: o.tolist() for a, o in obs.items()}]
    for _ in range(steps):
        if not env.agents:
            break
        actions = {a: env.action_space(a).sample() for a in env.agents}
        obs, rewards, terminated, _, infos = env.step(actions)
        out.append([{a: [int(x[0]), float(x[1])] for a, x in actions.items()},
                    {a: o.tolist() for a, o in obs.items()}, rewards, terminated,
                    sorted(a for a in infos if infos[a]["acted"])])
    return out
