"""Observations are NumPy views of the C buffers, of the documented shapes, never copied."""

import unittest

from tests.support import child_json

OBSERVE = """
import json, edgetune, numpy as np
sim = edgetune.Simulator(tasks=5)


class Watch:
    def __init__(self):
        self.rows = []

    def decide(self, ue, obs):
        t = sim.task
        self.rows.append({
            "ue": ue, "shape": list(obs.shape), "dtype": str(obs.dtype),
            "address": obs.__array_interface__["data"][0],
            "state_address": sim.state.__array_interface__["data"][0],
            "state_shape": list(sim.state.shape), "owns": bool(obs.flags.owndata),
            "writeable_view_of_state": bool(np.shares_memory(obs, sim.state)),
            "obs": obs.tolist(), "task_ue": float(t["ue"]), "task_index": float(t["task_index"]),
            "tokens_obs": float(np.float32(t["tokens"] / sim.scenario["tasks.tokens_max"])),
            "now": float(t["now_s"])})
        return edgetune.SERVER, 0.3

    def feedback(self, ue, reward, done):
        fb = sim.last_feedback
        assert fb["ue"] == ue and fb["reward"] == reward and bool(fb["done"]) == done


w = Watch()
stats = sim.run_episode(w)
second = Watch()
sim.run_episode(second, episode=1)
print(json.dumps({"rows": w.rows, "second": second.rows, "n_ue": sim.n_ue,
                  "obs_dim": edgetune.OBS_DIM, "state_dim": sim.state_dim,
                  "fields": list(edgetune.TASK_FIELDS)}))
"""


class Observations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.got = child_json(OBSERVE)

    def test_shapes_and_dtypes(self):
        g = self.got
        self.assertEqual(g["obs_dim"], 15)
        self.assertEqual(g["state_dim"], g["n_ue"] * 15 + 2)
        for row in g["rows"]:
            self.assertEqual(row["shape"], [15])
            self.assertEqual(row["dtype"], "float32")
            self.assertEqual(row["state_shape"], [g["state_dim"]])
            self.assertEqual(row["task_ue"], row["ue"])
            # the task record and the observation describe the same task
            self.assertEqual(row["obs"][0], row["tokens_obs"])
        self.assertEqual(len(g["rows"]), g["n_ue"] * 5)
        self.assertIn("tokens", g["fields"])

    def test_no_copy_per_decision(self):
        g = self.got
        base = g["rows"][0]["state_address"]
        for row in g["rows"] + g["second"]:
            self.assertFalse(row["owns"])
            self.assertTrue(row["writeable_view_of_state"])
            self.assertEqual(row["state_address"], base)
            self.assertEqual(row["address"], base + 4 * 15 * row["ue"])

    def test_observations_change_between_decisions(self):
        by_ue = {}
        for row in self.got["rows"]:
            by_ue.setdefault(row["ue"], []).append(row)
        for ue, rows in by_ue.items():
            self.assertEqual([r["task_index"] for r in rows], list(range(5)))
            for a, b in zip(rows, rows[1:]):
                self.assertNotEqual(a["obs"], b["obs"], "UE %d" % ue)
                self.assertGreater(b["now"], a["now"])


if __name__ == "__main__":
    unittest.main()
