"""edgetune.plot: every figure drawn from tiny real runs, checked on the matplotlib objects the
module returns (labelled axes, no title, legend entries that match the data), the files the
command writes (PNG and PDF), a quiet terminal, and one line for a missing or malformed input."""

import csv
import io
import json
import os
import subprocess
import sys
import unittest
from contextlib import redirect_stderr, redirect_stdout

from tests.support import PYTHON_DIR, ROOT, cli, run_cli, scratch

try:
    import matplotlib  # noqa: F401
    from edgetune import plot
except ImportError as exc:  # pragma: no cover - depends on the interpreter
    plot = None
    MISSING = str(exc)


def visible_axes(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def legend_labels(fig):
    """Every legend's entries, the figure's own and each axes'."""
    labels = []
    for leg in list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]:
        labels += [t.get_text() for t in leg.get_texts()]
    return labels


@unittest.skipIf(plot is None, "matplotlib is missing (Debian: python3-matplotlib)")
class PlotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls._tmp = tempfile.TemporaryDirectory(prefix="edgetune-plot-")
        cls.dir = cls._tmp.name
        tiny = os.path.join(cls.dir, "tiny.json")
        with open(tiny, "w") as f:
            json.dump({"tasks": {"per_ue": 2}}, f)
        cls.tiny = tiny

        def must(*args):
            proc = run_cli(*args)
            if proc.returncode != 0:
                raise AssertionError("%s failed: %s" % (args, proc.stderr))
        cls.runs = [os.path.join(cls.dir, "run-s%d" % s) for s in (1, 2)]
        for s, d in zip((1, 2), cls.runs):
            must("run", tiny, "--seed", str(s), "--out", d)
        cls.train = os.path.join(cls.dir, "train")
        must("train", tiny, "--episodes", "4", "--out", cls.train)
        cls.study = os.path.join(cls.dir, "compare")
        must("compare", tiny, "--seeds", "2", "--episodes", "3", "--eval", "2", "--validation",
             "1", "--bound", "0", "-j", "2", "--out", cls.study)
        spec = os.path.join(cls.dir, "sweep.json")
        with open(spec, "w") as f:  # two keys that move together, as docs/sweeps.md shows
            json.dump({"base": tiny, "seeds": 2, "policies": ["greedy", "all-server"],
                       "metrics": ["mean_delay_s", "failed"],
                       "points": [{"mobility.speed_min_mps": v, "mobility.speed_max_mps": v}
                                  for v in (1, 10, 30)]}, f)
        cls.sweep = os.path.join(cls.dir, "sweep")
        proc = subprocess.run([cli(), "sweep", spec, "--out", cls.sweep, "-j", "2"],
                              capture_output=True, text=True, timeout=300, check=False)
        if proc.returncode != 0:
            raise AssertionError("sweep failed: %s" % proc.stderr)
        cls.regime = os.path.join(cls.dir, "regime")
        must("regime", tiny, "--episodes", "1", "--budget", "2", "-j", "2", "--out", cls.regime)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def assert_paper_ready(self, fig):
        """Every visible axes labelled on both sides, no title anywhere."""
        self.assertIsNone(fig._suptitle)
        for ax in visible_axes(fig):
            self.assertEqual(ax.get_title(), "")
            self.assertTrue(ax.get_xlabel(), "an axes without an x label")
            self.assertTrue(ax.get_ylabel(), "an axes without a y label")

    def test_run_figures(self):
        figs = plot.figures_run(self.runs)
        self.assertEqual(sorted(figs), ["channel", "classes", "delay_cdf"])
        for fig in figs.values():
            self.assert_paper_ready(fig)
        # One curve per run, labelled by what differs (the seed), not by folder names.
        labels = legend_labels(figs["delay_cdf"])
        self.assertEqual(len(labels), 2, labels)
        self.assertTrue(all("seed = " in x for x in labels), labels)
        with open(os.path.join(self.runs[0], "tasks.csv")) as f:
            tasks = list(csv.DictReader(f))
        classes = list(dict.fromkeys(r["device_class"] for r in tasks))
        ticks = [t.get_text().split("\n")[0] for t in figs["classes"].axes[0].get_xticklabels()]
        self.assertEqual(ticks, classes)
        with open(os.path.join(self.runs[0], "channel.csv")) as f:
            channel = list(csv.DictReader(f))
        names = list(dict.fromkeys(r["ue_name"] for r in channel))
        panels = visible_axes(figs["channel"])
        self.assertEqual(len(panels), len(names))
        shown = [t.get_text() for ax in panels for t in ax.texts]
        self.assertEqual([s.split(" ")[0] for s in shown], names)
        self.assertEqual(legend_labels(figs["channel"]), ["uplink", "downlink"])
        # Per class: one panel per device class.
        by_class = plot.channel_rates(channel, by="class")
        self.assertEqual(len(visible_axes(by_class)),
                         len(set(r["class"] for r in channel)))

    def test_coinciding_curves_are_said(self):
        fig = plot.figures_run([self.runs[0], self.runs[0]])["delay_cdf"]
        labels = legend_labels(fig)
        self.assertEqual(len(labels), 1, labels)
        self.assertIn("the same delays", labels[0])

    def test_training_figures(self):
        figs = plot.figures_training([self.train])
        self.assertEqual(sorted(figs), ["learning_curve", "training_losses"])
        for fig in figs.values():
            self.assert_paper_ready(fig)
        self.assertEqual(len(legend_labels(figs["learning_curve"])), 1)
        self.assertEqual(len(visible_axes(figs["training_losses"])), len(plot.LOSSES))

    def test_study_figures(self):
        figs = plot.figures_study(self.study, window=2)
        for fig in figs.values():
            self.assert_paper_ready(fig)
        with open(os.path.join(self.study, "curves.csv")) as f:
            learners = list(dict.fromkeys(r["learner"] for r in csv.DictReader(f)))
        labels = legend_labels(figs["learning_curves"])
        self.assertEqual([x.split(" ")[0] for x in labels[:len(learners)]], learners)
        self.assertEqual([x.split(" ")[0] for x in labels[len(learners):]],
                         ["tuned-static", "tuned-dynamic"])
        # Each band is drawn in its line's colour.
        ax = figs["learning_curves"].axes[0]
        lines = [ln for ln in ax.get_lines() if ln.get_label()[0] != "_"][:len(learners)]
        bands = ax.collections[:len(learners)]
        for ln, band in zip(lines, bands):
            self.assertEqual(matplotlib.colors.to_hex(band.get_facecolor()[0], keep_alpha=False),
                             matplotlib.colors.to_hex(ln.get_color()))
        with open(os.path.join(self.study, "compare.csv")) as f:
            policies = list(dict.fromkeys(r["policy"] for r in csv.DictReader(f)))
        ticks = [t.get_text() for t in figs["evaluation"].axes[0].get_yticklabels()]
        self.assertEqual(ticks, policies)

    def test_sweep_keys_moving_together_share_one_axis(self):
        figs = plot.figures_sweep(self.sweep, "s")
        self.assertEqual(sorted(figs), ["s-failed", "s-mean_delay_s"])
        for fig in figs.values():
            self.assert_paper_ready(fig)
            ax = fig.axes[0]
            self.assertEqual(ax.get_xlabel(), "UE speed (m/s)")
            # One line per policy through every speed, not one dot per point.
            self.assertEqual(legend_labels(fig), ["greedy", "all-server"])
            for ln in ax.get_lines():
                self.assertEqual(list(ln.get_xdata()), [1.0, 10.0, 30.0])
        self.assertEqual(figs["s-mean_delay_s"].axes[0].get_ylabel(),
                         "mean task delay (s)")
        # A count's band stops at 0.
        for band in figs["s-failed"].axes[0].collections:
            for path in band.get_paths():
                self.assertGreaterEqual(path.vertices[:, 1].min(), 0.0)

    def test_regime_figure(self):
        fig = plot.figures_regime(self.regime)["regime"]
        self.assert_paper_ready(fig)
        with open(os.path.join(self.regime, "regime.csv")) as f:
            classes = list(dict.fromkeys(r["scope"] for r in csv.DictReader(f)
                                         if r["figure"] == "class_reward_per_task"))
        labels = legend_labels(fig)
        for c in classes:
            self.assertIn(c + ": SERVER", labels)

    def test_ppl_figures(self):
        tool = os.path.join(os.path.dirname(cli()), "ppl_curve")
        if not os.path.exists(tool):
            self.skipTest("no ppl_curve next to %s" % cli())
        for data, name in ((False, "ppl_curve"), (True, "ppl_data")):
            fig = plot.figures_ppl(tool, ROOT, data)[name]
            self.assert_paper_ready(fig)
            self.assertTrue(legend_labels(fig))

    def command(self, *args):
        env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")
        return subprocess.run([sys.executable, "-m", "edgetune.plot", *args], capture_output=True,
                              text=True, env=env, timeout=300, check=False)

    def test_command_writes_png_and_pdf_quietly(self):
        out = scratch(self)
        proc = self.command("run", *self.runs, "-o", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")  # no warning leaks to the terminal
        for name in ("delay_cdf", "classes", "channel"):
            for ext in ("png", "pdf"):
                path = os.path.join(out, "%s.%s" % (name, ext))
                self.assertTrue(os.path.getsize(path) > 1000, path)
        self.assertEqual(sorted(proc.stdout.split()), sorted(
            os.path.join(out, f) for f in os.listdir(out)))

    def assert_refused(self, expected, *args, tasks=None):
        """The command fails with status 2 and one line holding expected (tasks: the text of
        a tasks.csv written into the first folder first)."""
        if tasks is not None:
            with open(os.path.join(args[1], "tasks.csv"), "w") as f:
                f.write(tasks)
        proc = self.command(*args)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertEqual(proc.stderr.count("\n"), 1, proc.stderr)
        self.assertIn(expected, proc.stderr)

    def test_bad_input_is_one_line(self):
        out = scratch(self)
        self.assert_refused("nowhere: no such folder", "run", os.path.join(out, "nowhere"))
        self.assert_refused("tasks.csv: no column 'delay_s'", "run", out, tasks="a,b\n1,2\n")
        self.assert_refused("'fast' is not a number", "run", out,
                            tasks="delay_s,ppl,device_class\nfast,1,phone\n")
        self.assert_refused("no points.csv in it", "sweep", out)
        # Through the module's entry point as well.
        err = io.StringIO()
        with redirect_stderr(err), redirect_stdout(io.StringIO()):
            self.assertEqual(plot.main(["training", out]), 2)
        self.assertIn("no train.csv in it", err.getvalue())


if __name__ == "__main__":
    unittest.main()
