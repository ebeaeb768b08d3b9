"""examples/python/mappo_torch.py runs a few updates through parallel_env and writes its
learning curve (skipped without PyTorch, which the example itself reports)."""

import csv
import math
import os
import subprocess
import sys
import unittest

from tests.support import PYTHON_DIR, ROOT, scratch


class MappoExample(unittest.TestCase):
    def test_a_few_updates(self):
        tmp = scratch(self)
        env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "python",
                                                            "mappo_torch.py"),
                               "--episodes", "3", "--tasks", "3", "--seed", "2", "--out", tmp],
                              capture_output=True, text=True, env=env, timeout=600, check=False)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        if "skipped: PyTorch is not installed" in proc.stdout:
            self.skipTest("PyTorch is not installed (Debian: python3-torch)")
        with open(os.path.join(tmp, "train.csv")) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["episode"] for r in rows], ["0", "1", "2"])
        for r in rows:
            # every episode is followed by an update: its losses and statistics are logged
            for key in ("return", "policy_loss", "value_loss", "entropy_loc", "entropy_keep",
                        "approx_kl", "clip_frac"):
                self.assertTrue(math.isfinite(float(r[key])), (key, r[key]))
            self.assertGreater(float(r["entropy_loc"]), 0.0)
            self.assertLessEqual(float(r["entropy_loc"]), math.log(2) + 1e-6)
            self.assertTrue(0.0 <= float(r["local_frac"]) <= 1.0)
        self.assertIn("learning curve in", proc.stdout)


if __name__ == "__main__":
    unittest.main()
