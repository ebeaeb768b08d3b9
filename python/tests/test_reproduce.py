"""A Python policy reproduces the CLI's runs byte for byte."""

import os
import unittest

from tests.support import assert_same_tasks, child, python_matches_cli, child_json, run_cli, scratch

ALL_SERVER = """
import sys, edgetune
sim = edgetune.Simulator(seed=3)
k = sim.scenario["baselines.keep"]   # the keep fraction all-server uses


class AllServer:
    def decide(self, ue, observation):
        return edgetune.SERVER, k

    def feedback(self, ue, reward, done):
        pass


sim.run_episode(AllServer(), out=sys.argv[1])
"""

ENV_GREEDY = """
import json, sys, edgetune
env = edgetune.Env(seed=3, out=sys.argv[1])
greedy = env.baseline("greedy")
obs, info = env.reset()
steps, returns = 0, None
while info["waiting"]:
    obs, rewards, terminated, truncated, info = env.step(greedy.decide())
    steps += 1
    returns = rewards if returns is None else returns + rewards
# Individual credit (the default): the UEs' returns add up to the episodic reward.
total = float(returns.sum())
print(json.dumps({"steps": steps, "total": total, "terminated": bool(terminated.all()),
                  "stats": info["stats"]}))
"""


CHECKPOINT = """
import sys, edgetune
sim = edgetune.Simulator(seed=3, tasks=4)
sim.run_episode("checkpoint:" + sys.argv[1], out=sys.argv[2])
"""


class Reproduce(unittest.TestCase):
    def test_checkpoint_policy_matches_cli(self):
        tmp = scratch(self)
        train = run_cli("train", "--episodes", "2", "--tasks", "4", "--seed", "3", "-q",
                        "--out", os.path.join(tmp, "t"))
        self.assertEqual(train.returncode, 0, train.stderr)
        ckpt = os.path.join(tmp, "t", "checkpoint.ckpt")
        child(CHECKPOINT, ckpt, os.path.join(tmp, "py"))
        cli = run_cli("run", "--checkpoint", ckpt, "--seed", "3", "--tasks", "4", "-q",
                      "--out", os.path.join(tmp, "cli"))
        self.assertEqual(cli.returncode, 0, cli.stderr)
        assert_same_tasks(self, tmp)

    def test_all_server_policy_matches_cli(self):
        tmp = python_matches_cli(self, ALL_SERVER, "all-server")
        for name in ("channel.csv", "summary.json"):
            self.assertTrue(os.path.exists(os.path.join(tmp, "py", name)), name)

    def test_step_interface_with_greedy_actions_matches_cli(self):
        tmp = scratch(self)
        got = child_json(ENV_GREEDY, os.path.join(tmp, "py"))
        cli = run_cli("run", "--policy", "greedy", "--seed", "3", "--out", os.path.join(tmp, "cli"))
        self.assertEqual(cli.returncode, 0, cli.stderr)
        assert_same_tasks(self, tmp)
        self.assertEqual(got["steps"], got["stats"]["tasks"])
        self.assertTrue(got["terminated"])
        # The rewards handed out step by step add up to the episodic reward.
        self.assertAlmostEqual(got["total"], got["stats"]["episodic_reward"], places=6)


if __name__ == "__main__":
    unittest.main()
