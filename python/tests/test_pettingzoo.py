"""edgetune.aec_env and edgetune.parallel_env against PettingZoo's protocols: the properties its
api_test, parallel_api_test and seed_test assert (tests/conformance.py, written from the
protocol's documentation), the simulator-specific semantics (agent_selection in simulated time,
rewards on completion, the decision interval), and PettingZoo's own tests where it imports."""

import unittest

from tests.support import child, child_json, python_matches_cli

AEC = """
import json, edgetune, numpy as np
from tests import conformance
env = edgetune.aec_env(tasks=3, seed=1)
out = {"checked": sorted(conformance.aec_api(env, num_cycles=1000)),
       "possible": env.possible_agents, "metadata": env.metadata,
       "render_mode": env.render_mode, "render": env.render(),
       "unwrapped": env.unwrapped is env,
       "state_shape": list(env.state().shape), "state_in_space": env.state() in env.state_space}
# one more episode, recording what the simulator-specific semantics say
env.reset(seed=2)
times, got, order, dead_refused, observe_ok = [], {}, [], None, True
for agent in env.agent_iter():
    obs, reward, term, trunc, info = env.last()
    got[agent] = got.get(agent, 0.0) + reward
    ue = int(agent.split("_")[1])
    observe_ok &= bool(np.array_equal(obs, env.sim.observations[ue]))
    if term:
        if dead_refused is None:
            try:
                env.step((1, 0.3))
            except ValueError as exc:
                dead_refused = str(exc)
        order.append(("dead", agent))
        env.step(None)
        continue
    assert info["task"]["ue"] == ue
    times.append(info["time"])
    order.append(("live", agent))
    env.step((edgetune.SERVER, 0.3))
out.update(times_sorted=times == sorted(times), decisions=len(times),
           sum_rewards=sum(got.values()), stats=info["stats"], dead_refused=dead_refused,
           observe_ok=observe_ok, dead_steps=sum(1 for k, _ in order if k == "dead"),
           agents_after=env.agents)
try:
    env.step(None)
except RuntimeError as exc:
    out["after_end"] = str(exc)
try:
    edgetune.aec_env(simulator=env.sim, render_mode="human")
except ValueError as exc:
    out["render_human"] = str(exc)
print(json.dumps(out))
"""

PARALLEL = """
import json, sys, edgetune
from tests import conformance
env = edgetune.parallel_env(tasks=3, seed=1, decision_interval_s=float(sys.argv[1]))
out = {"checked": sorted(conformance.parallel_api(env, num_cycles=1000))}
obs, infos = env.reset(seed=2)
steps, acted, total, late, bad = 0, [], 0.0, None, []
for action in ({}, {a: (2, 0.3) for a in env.agents}, {a: (1, 0.9) for a in env.agents}):
    try:
        env.step(action)
    except ValueError as exc:
        bad.append(str(exc))
while env.agents:
    actions = {a: (edgetune.SERVER, 0.3) for a in env.agents}
    if steps == 2:  # a companion created mid-episode answers at once
        late = list(env.baseline("greedy").decide())
    obs, rewards, term, trunc, infos = env.step(actions)
    steps += 1
    acted.append(sum(i["acted"] for i in infos.values()))
    total += sum(rewards.values())
    stats = next(iter(infos.values())).get("stats")
out.update(steps=steps, acted=acted, total=total, stats=stats, late=late, bad=bad)
print(json.dumps(out))
"""

TRAJECTORY = """
import json, sys, edgetune
from tests import conformance
kind, seed = sys.argv[1], int(sys.argv[2])
if kind == "aec":
    env = edgetune.aec_env(tasks=3)
    print(json.dumps(conformance.aec_trajectory(env, seed, 60)))
else:
    env = edgetune.parallel_env(tasks=3, decision_interval_s=50.0)
    print(json.dumps(conformance.parallel_trajectory(env, seed, 40)))
"""

GREEDY_MID_EPISODE = """
import sys, edgetune
env = edgetune.aec_env(seed=3, out=sys.argv[1])
env.reset()
for agent in env.agent_iter():
    _, _, term, trunc, _ = env.last()
    # the companion is created at the first live step, in the middle of the episode
    env.step(None if term or trunc else env.baseline("greedy").decide())
"""

PROCESS_HOSTED = """
import json, edgetune
from tests import conformance
out = {}
a, b = (edgetune.aec_env(tasks=3, process=True) for _ in range(2))   # two in one process
out["same_aec"] = conformance.aec_trajectory(a, 4, 60) == conformance.aec_trajectory(b, 4, 60)
out["aec_checked"] = len(conformance.aec_api(a))
p, q = (edgetune.parallel_env(tasks=3, process=True, decision_interval_s=50.0)
        for _ in range(2))
out["same_parallel"] = (conformance.parallel_trajectory(p, 4, 40)
                        == conformance.parallel_trajectory(q, 4, 40))
out["parallel_checked"] = len(conformance.parallel_api(p))
try:
    a.step((7, 0.3))
except ValueError as exc:
    out["error"] = str(exc).splitlines()[0]
procs = [e._proc for e in (a, b, p, q)]
for e in (a, b, p, q):
    e.close()
out["alive"] = [pr.is_alive() for pr in procs]
try:
    a.reset()
except RuntimeError as exc:
    out["closed"] = str(exc)
print(json.dumps(out))
"""

PETTINGZOO = """
import edgetune
try:
    from pettingzoo.test import api_test, parallel_api_test
except ImportError:
    raise SystemExit(77)
from pettingzoo.test import seed_test, parallel_seed_test
api_test(edgetune.aec_env(tasks=3, process=True), num_cycles=1000)
parallel_api_test(edgetune.parallel_env(tasks=3, process=True, decision_interval_s=50.0),
                  num_cycles=1000)
seed_test(lambda: edgetune.aec_env(tasks=3, process=True), num_cycles=100)
parallel_seed_test(lambda: edgetune.parallel_env(tasks=3, process=True,
                                                 decision_interval_s=50.0), num_cycles=100)
print("api_test, parallel_api_test, seed_test and parallel_seed_test passed")
"""


class AecEnv(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.got = child_json(AEC)

    def test_api_test_properties(self):
        self.assertEqual(self.got["checked"], sorted([
            "reset_signature", "reset_clears_flags", "num_agents", "last_observe",
            "spaces_same_object", "space_shapes", "agent_names", "cumulative_rewards",
            "dead_step", "dict_keys", "observations_in_space", "agents_leave", "all_finish",
            "live_step_refuses_none"]))
        self.assertEqual(self.got["possible"], ["ue_%d" % i for i in range(6)])
        self.assertEqual(self.got["metadata"]["render_modes"], [])
        self.assertIsNone(self.got["render_mode"])
        self.assertIsNone(self.got["render"])
        self.assertTrue(self.got["unwrapped"])
        self.assertEqual(self.got["state_shape"], [6 * 15 + 2])
        self.assertTrue(self.got["state_in_space"])
        self.assertIn("renders nothing", self.got["render_human"])

    def test_agent_selection_follows_simulated_time(self):
        self.assertTrue(self.got["times_sorted"])
        self.assertEqual(self.got["decisions"], self.got["stats"]["tasks"])
        self.assertTrue(self.got["observe_ok"])

    def test_rewards_arrive_on_completion_and_add_up(self):
        # Each live step's reward is what the UE's tasks earned since it last acted; with
        # the dead steps' final rewards they add up to the episodic reward.
        self.assertAlmostEqual(self.got["sum_rewards"], self.got["stats"]["episodic_reward"],
                               places=6)

    def test_dead_steps(self):
        self.assertEqual(self.got["dead_steps"], 6)
        self.assertEqual(self.got["agents_after"], [])
        self.assertIn("is terminated: its step takes None", self.got["dead_refused"])
        self.assertIn("no agent is left", self.got["after_end"])


class ParallelEnv(unittest.TestCase):
    def run_interval(self, interval):
        return child_json(PARALLEL, str(interval))

    def test_parallel_api_test_properties_and_interval(self):
        for interval in (0.0, 50.0):
            got = self.run_interval(interval)
            self.assertEqual(got["checked"], sorted([
                "spaces_same_object", "space_shapes", "agent_names", "reset_dicts",
                "step_dicts", "observations_in_space", "agents_leave", "all_finish"]))
            # every decision acts exactly once, whatever the interval
            self.assertEqual(sum(got["acted"]), got["stats"]["tasks"])
            self.assertEqual(got["steps"], len(got["acted"]))
            self.assertAlmostEqual(got["total"], got["stats"]["episodic_reward"], places=6)
            self.assertEqual(len(got["late"]), 2)
            self.assertEqual(len(got["bad"]), 3)
            self.assertIn("actions has no entry for ue_0", got["bad"][0])
            self.assertIn("location 2 for UE 0: expected edgetune.LOCAL (0)", got["bad"][1])
            self.assertIn("keep 0.9 for UE 0: expected a number in [0.1, 0.5]", got["bad"][2])
            if interval == 0.0:
                zero = got
        # A longer interval batches more decisions into each step.
        self.assertGreater(max(got["acted"]), 1)
        self.assertLess(got["steps"], zero["steps"])


class Seeding(unittest.TestCase):
    """seed_test: two environments built alike and seeded alike (here each in a fresh process:
    one SimGrid engine per process) give the same agents, observations, rewards and actions;
    another seed gives another run (so the comparison can fail)."""

    def test_same_seed_same_run(self):
        for kind in ("aec", "parallel"):
            first = child(TRAJECTORY, kind, "4")[1]
            second = child(TRAJECTORY, kind, "4")[1]
            other = child(TRAJECTORY, kind, "5")[1]
            self.assertEqual(first, second, kind)
            self.assertNotEqual(first, other, kind)


class ProcessHosted(unittest.TestCase):
    """process=True: the environment in a worker process behind a proxy, so that one process
    holds several, as PettingZoo's seed_test builds them."""

    def test_two_in_one_process(self):
        got = child_json(PROCESS_HOSTED)
        self.assertTrue(got["same_aec"])
        self.assertTrue(got["same_parallel"])
        self.assertEqual(got["aec_checked"], 14)
        self.assertEqual(got["parallel_checked"], 8)
        self.assertIn("location 7 for UE", got["error"])
        self.assertEqual(got["alive"], [False] * 4)
        self.assertIn("this environment is closed", got["closed"])


class Companions(unittest.TestCase):
    def test_greedy_companion_created_mid_episode_reproduces_greedy(self):
        python_matches_cli(self, GREEDY_MID_EPISODE, "greedy")


class PettingZooItself(unittest.TestCase):
    def test_pettingzoo_api_test_where_installed(self):
        code, out, err = child(PETTINGZOO, check=False)
        if code == 77:
            self.skipTest("PettingZoo is not installed (not a Debian package)")
        self.assertEqual(code, 0, out + err)


if __name__ == "__main__":
    unittest.main()
