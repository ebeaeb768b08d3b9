"""Spaces with Gymnasium's semantics (edgetune.spaces), the cases written from gymnasium's
documentation of Box, Discrete, Tuple and Dict: a sample is always in its space, seeding twice
gives the same samples, contains() rejects the wrong shape, dtype, type and out-of-bounds
values, equality, nesting of Dict and Tuple.

The cases run on edgetune's own classes always, and on gymnasium's too where gymnasium is
installed (so the cases are known to describe gymnasium). The last tests check the switch:
edgetune.spaces gives gymnasium's classes when gymnasium imports.
"""

import inspect
import math
import os
import unittest

import numpy as np

from edgetune import _spaces, spaces
from tests.support import child, scratch

try:
    import gymnasium.spaces as gym_spaces
except Exception:  # noqa: BLE001 - absent or broken: the gymnasium cases are skipped
    gym_spaces = None


def same(a, b):
    """Deep equality of samples: tuples, dicts, arrays (values, dtype and shape), scalars."""
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b)
                and all(same(a[k], b[k]) for k in a))
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b))


class Semantics:
    """The cases, for a module S with Box, Discrete, Tuple and Dict."""

    S = None

    def catalogue(self):
        """One space of each kind of interval and dtype, and nested containers."""
        S, inf = self.S, math.inf
        return [
            S.Box(-1.0, 2.0, (3, 4), np.float32),
            S.Box(np.array([-1.0, -2.0]), np.array([2.0, 4.0]), dtype=np.float32),
            S.Box(-inf, inf, (5,), np.float32),                  # normal
            S.Box(0.0, inf, (5,), np.float64),                   # low + exponential
            S.Box(-inf, 0.0, (5,), np.float64),                  # high - exponential
            S.Box(np.array([-inf, 0.0, -1.0]), np.array([inf, inf, 1.0]), dtype=np.float64),
            S.Box(0.1, 0.5, (), np.float64),                     # the keep fraction
            S.Box(-5, 5, (3,), np.int64),
            S.Box(0, 255, (2, 2), np.uint8),
            S.Box(-inf, inf, (3,), np.int32),
            S.Discrete(5),
            S.Discrete(3, start=-1),
            S.Tuple((S.Discrete(2), S.Box(0.1, 0.5, (), np.float64))),   # Env's action space
            self.nested(),
        ]

    def nested(self):
        S = self.S
        return S.Dict({"pos": S.Box(-1.0, 1.0, (2,), np.float32),
                       "inner": S.Tuple((S.Discrete(3),
                                         S.Dict({"flag": S.Discrete(2),
                                                 "level": S.Box(0.0, 10.0, (), np.float64)})))})

    # -- sample() ------------------------------------------------------------------------

    def test_sample_is_always_contained(self):
        for space in self.catalogue():
            space.seed(0)
            for _ in range(100):
                x = space.sample()
                self.assertTrue(space.contains(x), "%r: %r" % (space, x))
                self.assertIn(x, space)
                if isinstance(space, self.S.Box):
                    self.assertIsInstance(x, np.ndarray)
                    self.assertEqual((x.shape, x.dtype), (space.shape, space.dtype))
                if isinstance(space, self.S.Discrete):
                    self.assertTrue(np.issubdtype(type(x), np.integer), repr(type(x)))

    def test_bounded_integer_box_reaches_both_bounds(self):
        # [a, b] is sampled uniformly; for an integer dtype, b is included
        x = self.S.Box(0, 2, (500,), np.int64, seed=1).sample()
        self.assertEqual(sorted(set(x.tolist())), [0, 1, 2])

    def test_discrete_mask(self):
        S = self.S
        d = S.Discrete(5, seed=0)
        mask = np.array([0, 1, 0, 1, 0], dtype=np.int8)
        drawn = {int(d.sample(mask=mask)) for _ in range(100)}
        self.assertEqual(drawn, {1, 3})
        # no valid action: start
        self.assertEqual(d.sample(mask=np.zeros(5, dtype=np.int8)), 0)
        self.assertEqual(S.Discrete(3, start=-1).sample(mask=np.zeros(3, dtype=np.int8)), -1)
        # masks nest as the containers do; a Box takes none
        t = S.Tuple((S.Discrete(3), S.Discrete(2)), seed=0)
        for _ in range(20):
            self.assertEqual(t.sample(mask=(np.array([0, 0, 1], dtype=np.int8), None))[0], 2)
        dct = S.Dict({"a": S.Discrete(3), "b": S.Box(0.0, 1.0, (2,))}, seed=0)
        got = dct.sample(mask={"a": np.array([1, 0, 0], dtype=np.int8), "b": None})
        self.assertEqual(got["a"], 0)
        self.assertIn(got, dct)
        with self.assertRaises(Exception):
            S.Box(0.0, 1.0, (2,)).sample(mask=np.ones(2, dtype=np.int8))

    def test_discrete_probability(self):
        S = self.S
        if "probability" not in inspect.signature(S.Discrete.sample).parameters:
            self.skipTest("this gymnasium's Discrete.sample has no probability argument")
        d = S.Discrete(3, start=-1, seed=0)
        p = np.array([0.0, 0.0, 1.0])
        self.assertEqual({int(d.sample(probability=p)) for _ in range(20)}, {1})

    # -- seeding ---------------------------------------------------------------------------

    def test_seeding_twice_gives_the_same_samples(self):
        for space in self.catalogue():
            space.seed(123)
            first = [space.sample() for _ in range(5)]
            space.seed(123)
            again = [space.sample() for _ in range(5)]
            self.assertTrue(all(same(a, b) for a, b in zip(first, again)), repr(space))

    def test_seed_argument_of_the_constructor(self):
        S = self.S
        for make in (lambda seed: S.Box(-1.0, 1.0, (4,), seed=seed),
                     lambda seed: S.Discrete(7, seed=seed),
                     lambda seed: S.Tuple((S.Discrete(7), S.Box(-1.0, 1.0, (4,))), seed=seed),
                     lambda seed: S.Dict({"a": S.Discrete(7), "b": S.Box(-1.0, 1.0, (4,))},
                                         seed=seed)):
            a, b = make(9), make(9)
            self.assertTrue(same([a.sample() for _ in range(5)], [b.sample() for _ in range(5)]))
        # a Generator is used as the space's own
        rng = np.random.default_rng(5)
        box = S.Box(-1.0, 1.0, (4,), seed=rng)
        self.assertIs(box.np_random, rng)

    def test_different_seeds_differ_and_spaces_have_their_own_generator(self):
        S = self.S
        a, b = S.Box(-1.0, 1.0, (8,), seed=1), S.Box(-1.0, 1.0, (8,), seed=2)
        self.assertFalse(same(a.sample(), b.sample()))
        self.assertIsInstance(a.np_random, np.random.Generator)
        # drawing from one space does not move another's generator
        c, d = S.Box(-1.0, 1.0, (8,), seed=3), S.Box(-1.0, 1.0, (8,), seed=3)
        for _ in range(3):
            a.sample()
        self.assertTrue(same(c.sample(), d.sample()))

    def test_seed_returns_the_seeds(self):
        S = self.S
        self.assertEqual(S.Box(0.0, 1.0, (2,)).seed(3), [3])
        self.assertEqual(S.Discrete(4).seed(3), [3])
        fresh = S.Discrete(4).seed()
        self.assertEqual(len(fresh), 1)
        self.assertIsInstance(fresh[0], int)
        t = S.Tuple((S.Discrete(2), S.Box(0.0, 1.0, (2,))))
        self.assertEqual(t.seed([1, 2]), ([1], [2]))
        from_int = t.seed(7)
        self.assertIsInstance(from_int, tuple)
        self.assertEqual(len(from_int), 2)
        self.assertEqual(t.seed(7), from_int)          # the subseeds derive from the int
        d = S.Dict({"a": S.Discrete(2), "b": S.Box(0.0, 1.0, (2,))})
        self.assertEqual(d.seed({"a": 1, "b": 2}), {"a": [1], "b": [2]})
        self.assertEqual(list(d.seed(7)), ["a", "b"])
        nested = self.nested()
        self.assertEqual(nested.seed({"pos": 1, "inner": [2, {"flag": 3, "level": 4}]}),
                         {"inner": ([2], {"flag": [3], "level": [4]}), "pos": [1]})

    def test_bad_seeds_are_refused(self):
        S = self.S
        with self.assertRaises(Exception):
            S.Discrete(2).seed(-1)
        with self.assertRaises(Exception):
            S.Discrete(2).seed(1.5)
        with self.assertRaises(ValueError):
            S.Tuple((S.Discrete(2), S.Discrete(3))).seed([1])
        with self.assertRaises(ValueError):
            S.Dict({"a": S.Discrete(2), "b": S.Discrete(3)}).seed({"a": 1})

    def test_documented_samples(self):
        # gymnasium's docstrings give these samples for seed 42
        S = self.S
        self.assertEqual(S.Discrete(2, seed=42).sample(), 0)
        self.assertEqual(S.Discrete(3, start=-1, seed=42).sample(), -1)
        loc, pos = S.Tuple((S.Discrete(2), S.Box(-1, 1, shape=(2,))), seed=42).sample()
        self.assertEqual(loc, 0)
        self.assertEqual(pos.dtype, np.float32)
        np.testing.assert_allclose(pos, [-0.3991573, 0.21649833], rtol=1e-6)
        got = S.Dict({"position": S.Box(-1, 1, shape=(2,)), "color": S.Discrete(3)},
                     seed=42).sample()
        self.assertEqual(list(got), ["color", "position"])
        self.assertEqual(got["color"], 0)
        np.testing.assert_allclose(got["position"], [-0.3991573, 0.21649833], rtol=1e-6)

    # -- contains() ------------------------------------------------------------------------

    def test_box_contains(self):
        S = self.S
        box = S.Box(-1.0, 2.0, (3,), np.float32)
        for x in (np.zeros(3, np.float32), np.array([-1.0, 2.0, 0.5], np.float32),
                  np.zeros(3, np.int8), [0.0, 1.0, 2.0], (0, 0, 0)):
            self.assertIn(x, box)
        wrong_shape = (np.zeros(2, np.float32), np.zeros((3, 1), np.float32), 0.0, [0.0, 0.0])
        out_of_bounds = (np.array([2.5, 0, 0], np.float32), [-1.5, 0.0, 0.0],
                         np.array([np.nan, 0, 0], np.float32), [np.inf, 0.0, 0.0])
        wrong_type = (np.zeros(3, np.float64),      # float64 does not cast safely to float32
                      "abc", ["a", "b", "c"], None, {"x": 1}, object())
        for x in wrong_shape + out_of_bounds + wrong_type:
            self.assertNotIn(x, box)
            self.assertFalse(box.contains(x))
        ints = S.Box(0, 10, (2,), np.int64)
        self.assertIn(np.array([0, 10]), ints)
        self.assertNotIn(np.array([1.0, 2.0]), ints)  # float64 does not cast safely to int64
        self.assertNotIn(np.array([11, 0]), ints)
        keep = S.Box(0.1, 0.5, (), np.float64)
        for x in (0.3, 0.1, 0.5, np.float64(0.3), np.array(0.3), np.float32(0.25)):
            self.assertIn(x, keep)
        for x in (0.6, 0.05, [0.3], np.array([0.3]), "0.3x"):
            self.assertNotIn(x, keep)

    def test_discrete_contains(self):
        S = self.S
        d = S.Discrete(3, start=-1)
        for x in (-1, 0, 1, np.int32(1), np.int64(-1), np.array(0), np.uint8(1)):
            self.assertIn(x, d)
        for x in (2, -2, 1.0, np.float64(0.0), "1", None, np.array([0]), [0], (0,)):
            self.assertNotIn(x, d)
        plain = S.Discrete(2)
        self.assertEqual([x in plain for x in (0, 1, 2, -1)], [True, True, False, False])

    def test_tuple_and_dict_contains(self):
        S = self.S
        t = S.Tuple((S.Discrete(2), S.Box(0.1, 0.5, (), np.float64)))
        for x in ((1, 0.3), [0, 0.5], (np.int64(1), np.array(0.2))):
            self.assertIn(x, t)
        for x in ((1,), (1, 0.3, 0), (2, 0.3), (1, 0.7), {0: 1, 1: 0.3}, 1, None):
            self.assertNotIn(x, t)
        space = self.nested()
        good = {"pos": np.zeros(2, np.float32), "inner": (2, {"flag": 1, "level": 10.0})}
        self.assertIn(good, space)
        self.assertIn({"pos": np.zeros(2, np.float32), "inner": [2, {"flag": 1, "level": 0.0}]},
                      space)                         # a list stands for a tuple
        bad = [
            {"pos": np.zeros(2, np.float32)},                                   # a key missing
            dict(good, extra=1),                                                # a key too many
            {"pos": np.zeros(3, np.float32), "inner": good["inner"]},           # shape
            {"pos": np.zeros(2, np.float32), "inner": (3, {"flag": 1, "level": 1.0})},
            {"pos": np.zeros(2, np.float32), "inner": (0, {"flag": 2, "level": 1.0})},
            {"pos": np.zeros(2, np.float32), "inner": (0, {"flag": 1, "level": 11.0})},
            {"pos": np.zeros(2, np.float32), "inner": (0, {"flag": 1})},
            {"pos": np.zeros(2, np.float32), "inner": (0,)},
            [np.zeros(2, np.float32), good["inner"]],                                 # not a dict
            None,
        ]
        for x in bad:
            self.assertNotIn(x, space)

    # -- equality, repr, structure ---------------------------------------------------------

    def test_equality(self):
        S = self.S
        box = S.Box(0.0, 1.0, (2,), np.float32)
        self.assertEqual(box, S.Box(0.0, 1.0, (2,), np.float32))
        self.assertEqual(box, S.Box(np.zeros(2, np.float32), np.ones(2, np.float32)))
        for other in (S.Box(0.0, 1.0, (3,), np.float32), S.Box(-1.0, 1.0, (2,), np.float32),
                      S.Box(0.0, 2.0, (2,), np.float32), S.Box(0.0, 1.0, (2,), np.float64),
                      S.Discrete(2), (0.0, 1.0), None):
            self.assertNotEqual(box, other)
        self.assertEqual(S.Box(-math.inf, math.inf, (2,)), S.Box(-math.inf, math.inf, (2,)))
        self.assertEqual(S.Discrete(3), S.Discrete(3))
        self.assertEqual(S.Discrete(3, start=1), S.Discrete(3, start=1))
        for other in (S.Discrete(4), S.Discrete(3, start=1), 3, box):
            self.assertNotEqual(S.Discrete(3), other)
        a, b = S.Discrete(2), S.Box(0.1, 0.5, (), np.float64)
        self.assertEqual(S.Tuple((a, b)), S.Tuple([S.Discrete(2), S.Box(0.1, 0.5, (), np.float64)]))
        self.assertNotEqual(S.Tuple((a, b)), S.Tuple((b, a)))
        self.assertNotEqual(S.Tuple((a, b)), S.Tuple((a,)))
        self.assertEqual(S.Dict({"a": a, "b": b}), S.Dict(b=b, a=a))
        self.assertNotEqual(S.Dict({"a": a, "b": b}), S.Dict({"a": a, "c": b}))
        self.assertNotEqual(S.Dict({"a": a}), S.Tuple((a,)))
        self.assertEqual(self.nested(), self.nested())
        # seeding does not change what a space is
        seeded = self.nested()
        seeded.seed(4)
        self.assertEqual(seeded, self.nested())

    def test_repr(self):
        S = self.S
        self.assertEqual(repr(S.Box(-1.0, 2.0, (3, 4), np.float32)),
                         "Box(-1.0, 2.0, (3, 4), float32)")
        self.assertEqual(repr(S.Box(np.array([-1.0, -2.0]), np.array([2.0, 4.0]),
                                    dtype=np.float32)),
                         "Box([-1. -2.], [2. 4.], (2,), float32)")
        self.assertEqual(repr(S.Discrete(2)), "Discrete(2)")
        self.assertEqual(repr(S.Discrete(3, start=-1)), "Discrete(3, start=-1)")
        self.assertEqual(repr(S.Tuple((S.Discrete(2), S.Box(0.1, 0.5, (), np.float64)))),
                         "Tuple(Discrete(2), Box(0.1, 0.5, (), float64))")
        self.assertEqual(repr(S.Dict({"b": S.Discrete(2), "a": S.Discrete(3)})),
                         "Dict('a': Discrete(3), 'b': Discrete(2))")

    def test_box_attributes(self):
        S, inf = self.S, math.inf
        box = S.Box(np.array([-inf, 0.0]), np.array([1.0, inf]), dtype=np.float32)
        self.assertEqual(box.shape, (2,))
        self.assertEqual(box.dtype, np.float32)
        self.assertEqual(box.low.dtype, np.float32)
        self.assertEqual(box.bounded_below.tolist(), [False, True])
        self.assertEqual(box.bounded_above.tolist(), [True, False])
        self.assertEqual([box.is_bounded(m) for m in ("both", "below", "above")],
                         [False, False, False])
        closed = S.Box(0.0, 1.0, (2, 3))
        self.assertEqual((closed.low.shape, closed.high.shape), ((2, 3), (2, 3)))
        self.assertEqual(closed.dtype, np.float32)           # the default dtype
        self.assertTrue(closed.is_bounded())
        self.assertTrue(S.Box(0.0, inf, (2,)).is_bounded("below"))
        self.assertFalse(S.Box(0.0, inf, (2,)).is_bounded("above"))
        with self.assertRaises(ValueError):
            closed.is_bounded("sideways")
        self.assertEqual(S.Box(0.0, 1.0).shape, (1,))        # two scalars: shape (1,)
        ints = S.Box(-inf, inf, (2,), np.int64)
        self.assertEqual(ints.low.tolist(), [np.iinfo(np.int64).min] * 2)
        self.assertFalse(ints.bounded_below.any())
        with self.assertRaises(ValueError):
            S.Box(1.0, 0.0, (2,))                            # low > high
        self.assertTrue(closed.is_np_flattenable)
        self.assertTrue(self.nested().is_np_flattenable)

    def test_containers_behave_as_sequence_and_mapping(self):
        S = self.S
        a, b = S.Discrete(2), S.Box(0.1, 0.5, (), np.float64)
        t = S.Tuple((a, b))
        self.assertEqual((len(t), t[0], t[1], list(t)), (2, a, b, [a, b]))
        self.assertIsNone(t.shape)
        d = S.Dict({"b": b, "a": a})
        self.assertEqual(list(d), ["a", "b"])                # a plain dict's keys are sorted
        self.assertEqual(list(d.keys()), ["a", "b"])
        self.assertEqual((len(d), d["a"], d["b"]), (2, a, b))
        self.assertEqual(list(S.Dict([("b", b), ("a", a)]).keys()), ["b", "a"])  # pairs: order kept
        self.assertEqual(dict(d.items()), {"a": a, "b": b})
        sample = d.sample()
        self.assertEqual(list(sample), ["a", "b"])
        self.assertIsInstance(self.nested().sample()["inner"], tuple)


class BuiltinSpaces(Semantics, unittest.TestCase):
    """edgetune's own classes (what edgetune.spaces gives without gymnasium)."""

    S = _spaces

    def test_errors_are_value_and_type_errors(self):
        S = self.S
        with self.assertRaises(ValueError):
            S.Discrete(2).seed(-1)
        with self.assertRaises(TypeError):
            S.Discrete(2).seed(1.5)
        with self.assertRaises(ValueError):
            S.Box(0.0, 1.0, (2,)).sample(mask=np.ones(2, dtype=np.int8))
        with self.assertRaises(ValueError):
            S.Discrete(0)
        with self.assertRaises(TypeError):
            S.Discrete(2.0)
        with self.assertRaises(TypeError):
            S.Tuple((S.Discrete(2), "not a space"))
        with self.assertRaises(ValueError):
            S.Box(-math.inf, 0, (2,), np.uint8)      # no -inf for an unsigned dtype
        with self.assertRaises(ValueError):
            S.Box(0, -math.inf, (2,), np.int64)      # an integer bound cannot be infinite there
        with self.assertRaises(ValueError):
            S.Box(np.array([0.0, 0.0]), np.array([1.0, -math.inf]), dtype=np.int64)
        with self.assertRaises(ValueError):
            S.Box(0.0, 1e300, (2,), np.float32)       # beyond float32
        # a Python int beyond the dtype is simply not in the space (gymnasium's cast overflows)
        self.assertNotIn(10 ** 30, S.Discrete(3))


@unittest.skipIf(gym_spaces is None, "gymnasium is not installed")
class GymnasiumSpaces(Semantics, unittest.TestCase):
    """The same cases on gymnasium's classes: they describe gymnasium."""

    S = gym_spaces


class Switch(unittest.TestCase):
    def test_gymnasium_classes_when_it_imports(self):
        wanted = gym_spaces is not None and os.environ.get("EDGETUNE_GYMNASIUM", "") != "0"
        self.assertEqual(spaces.GYMNASIUM, wanted)
        source = gym_spaces if wanted else _spaces
        for name in ("Space", "Box", "Discrete", "Tuple", "Dict"):
            self.assertIs(getattr(spaces, name), getattr(source, name))
        self.assertIs(spaces.builtin, _spaces)

    def test_use_gymnasium(self):
        before = spaces.GYMNASIUM
        try:
            self.assertEqual(spaces.use_gymnasium(False), before)
            self.assertFalse(spaces.GYMNASIUM)
            self.assertIs(spaces.Box, _spaces.Box)
            if gym_spaces is None:
                with self.assertRaises(ImportError):
                    spaces.use_gymnasium(True)
                self.assertIs(spaces.Box, _spaces.Box)
            else:
                self.assertFalse(spaces.use_gymnasium(True))
                self.assertIs(spaces.Box, gym_spaces.Box)
        finally:
            if before:
                spaces.use_gymnasium(True)
            else:
                spaces.use_gymnasium(False)

    def test_a_gymnasium_on_the_path_is_used_by_env(self):
        # A stand-in gymnasium package (its spaces record their arguments): edgetune.spaces
        # and Env's spaces are its classes; EDGETUNE_GYMNASIUM=0 keeps edgetune's; a
        # gymnasium that fails to import is not used.
        root = scratch(self)
        fake = os.path.join(root, "good", "gymnasium")
        os.makedirs(fake)
        with open(os.path.join(fake, "__init__.py"), "w") as f:
            f.write("")
        with open(os.path.join(fake, "spaces.py"), "w") as f:
            f.write("class Space:\n"
                    "    def __init__(self, *args, **kwargs):\n"
                    "        self.args = args\n"
                    "class Box(Space): pass\n"
                    "class Discrete(Space): pass\n"
                    "class Tuple(Space): pass\n"
                    "class Dict(Space): pass\n")
        broken = os.path.join(root, "broken", "gymnasium")
        os.makedirs(broken)
        with open(os.path.join(broken, "__init__.py"), "w") as f:
            f.write("raise RuntimeError('a broken gymnasium')\n")
        code = ("import json, os, sys\n"
                "sys.path.insert(0, sys.argv[1])\n"
                "os.environ.pop('EDGETUNE_GYMNASIUM', None)\n"
                "if sys.argv[2] == 'off':\n"
                "    os.environ['EDGETUNE_GYMNASIUM'] = '0'\n"
                "import edgetune\n"
                "env = edgetune.Env(tasks=1) if sys.argv[3] == 'env' else None\n"
                "print(json.dumps([edgetune.spaces.GYMNASIUM, edgetune.spaces.Box.__module__,\n"
                "    None if env is None else type(env.action_space).__module__,\n"
                "    None if env is None else repr(env.action_space.args[0][0].args)]))\n")
        out = child(code, os.path.join(root, "good"), "on", "env")[1].strip().splitlines()[-1]
        self.assertEqual(out, '[true, "gymnasium.spaces", "gymnasium.spaces", "(2,)"]')
        out = child(code, os.path.join(root, "good"), "off", "-")[1].strip().splitlines()[-1]
        self.assertEqual(out, '[false, "edgetune._spaces", null, null]')
        out = child(code, os.path.join(root, "broken"), "on", "-")[1].strip().splitlines()[-1]
        self.assertEqual(out, '[false, "edgetune._spaces", null, null]')


if __name__ == "__main__":
    unittest.main()
