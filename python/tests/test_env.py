"""The step interface: spaces, asynchronous decisions, reset in the middle, errors."""

import unittest

from tests.support import child_json

STEPS = """
import json, edgetune, numpy as np
env = edgetune.Env(tasks=3)
S = edgetune.spaces
out = {"obs_space": repr(env.observation_space), "act_space": repr(env.action_space),
       "classes": [isinstance(env.observation_space, S.Box),
                   isinstance(env.action_space, S.Tuple),
                   env.action_space[0] == S.Discrete(2),
                   env.action_space[1] == S.Box(0.1, 0.5, (), np.float64)],
       "seeds": env.action_space.seed([3, 4]),
       "contains": [(1, 0.3) in env.action_space, (0, 0.1) in env.action_space,
                    (2, 0.3) in env.action_space, (1, 0.7) in env.action_space,
                    (1.0, 0.3) in env.action_space, (1,) in env.action_space]}
env.action_space.seed(0)
try:
    env.step((1, 0.3))
except RuntimeError as exc:
    out["early"] = str(exc)
obs, info = env.reset(seed=5)
out["first"] = {"shape": list(obs.shape), "dtype": str(obs.dtype), "waiting": info["waiting"],
                "time": info["time"], "episode": info["episode"],
                "in_space": obs in env.observation_space}
# a few steps with sampled actions (the action space's own generator), then reset in the
# middle of the episode
sampled = []
for _ in range(4):
    action = env.action_space.sample()
    sampled.append(action in env.action_space)
    obs, r, term, trunc, info = env.step(action)
out["sampled_in_space"] = sampled
out["later_obs_in_space"] = obs in env.observation_space
obs, info = env.reset()
out["second_episode"] = info["episode"]
times, waiting, returns, completed = [], [], np.zeros(env.n_ue), 0
bad = []
for action in ((2, 0.3), {99: (1, 0.3)}, np.zeros(5)):
    try:
        env.step(action)
    except ValueError as exc:
        bad.append(str(exc))
while info["waiting"]:
    ue = info["waiting"][0]
    assert info["task"]["ue"] == ue
    actions = np.tile([edgetune.SERVER, 0.3], (env.n_ue, 1))
    obs, r, term, trunc, info = env.step(actions if ue % 2 else {ue: (edgetune.LOCAL, 0.2)})
    times.append(info["time"])
    waiting.append(len(info["waiting"]))
    returns += r
    completed += len(info["completed"])
    assert not trunc.any()
out.update(times_sorted=times == sorted(times), max_waiting=max(waiting),
           returns=returns.tolist(), reward=info["stats"]["episodic_reward"], completed=completed,
           tasks=info["stats"]["tasks"], terminated=term.tolist(), bad=bad)
try:
    env.step((1, 0.3))
except RuntimeError as exc:
    out["after_end"] = str(exc)
env.close()
print(json.dumps(out))
"""


class StepInterface(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.got = child_json(STEPS)

    def test_spaces(self):
        self.assertEqual(self.got["obs_space"], "Box(-inf, inf, (6, 15), float32)")
        self.assertEqual(self.got["act_space"], "Tuple(Discrete(2), Box(0.1, 0.5, (), float64))")
        # edgetune.spaces' classes (gymnasium's when it imports), with its semantics
        self.assertEqual(self.got["classes"], [True] * 4)
        self.assertEqual(self.got["seeds"], [[3], [4]])
        # (location, keep): a location in {0, 1} (an integer: 1.0 is not one) and a keep in
        # [k_min, k_max], bounds included
        self.assertEqual(self.got["contains"], [True, True, False, False, False, False])
        self.assertEqual(self.got["sampled_in_space"], [True] * 4)
        # the C library's observations belong to the observation space (float32, finite)
        self.assertTrue(self.got["first"]["in_space"])
        self.assertTrue(self.got["later_obs_in_space"])

    def test_first_observation(self):
        first = self.got["first"]
        self.assertEqual(first["shape"], [6, 15])
        self.assertEqual(first["dtype"], "float32")
        self.assertEqual(len(first["waiting"]), 1)
        # The first decision waits for its UE's load query (server.load_info: query): a
        # control message's round trip, milliseconds into the episode.
        self.assertGreater(first["time"], 0.0)
        self.assertLess(first["time"], 0.1)
        self.assertEqual(first["episode"], 0)

    def test_asynchronous_decisions_in_time_order(self):
        self.assertTrue(self.got["times_sorted"])
        self.assertEqual(self.got["max_waiting"], 1)
        self.assertEqual(self.got["completed"], self.got["tasks"])
        self.assertEqual(self.got["terminated"], [True] * 6)
        # Individual credit (reward.credit, the default): each UE is told its own tasks'
        # rewards, so the UEs' returns add up to the episodic reward.
        self.assertAlmostEqual(sum(self.got["returns"]), self.got["reward"], places=6)

    def test_reset_in_the_middle_and_errors(self):
        self.assertEqual(self.got["second_episode"], 1)
        self.assertIn("call reset()", self.got["early"])
        self.assertIn("call reset()", self.got["after_end"])
        self.assertEqual(len(self.got["bad"]), 3)
        self.assertIn("expected edgetune.LOCAL (0) or edgetune.SERVER (1)", self.got["bad"][0])
        self.assertIn("has no entry for it", self.got["bad"][1])
        self.assertIn("shape (5,)", self.got["bad"][2])


if __name__ == "__main__":
    unittest.main()
