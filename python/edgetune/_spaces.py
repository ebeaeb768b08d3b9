"""Gymnasium's spaces, for machines without gymnasium: Space, Box, Discrete, Tuple and Dict.

The classes follow gymnasium.spaces (version 1.x) as documented: the same constructors, the
same sample() distributions drawn from the space's own np_random (a numpy.random.Generator
seeded the same way, so a seed gives the same samples as gymnasium's classes), the same
seed() return values, the same contains() rules, equality and repr. Where gymnasium raises
gymnasium.error.Error or fails an assertion, these raise ValueError or TypeError.

edgetune.spaces picks gymnasium's own classes instead when gymnasium is importable.
"""

import collections.abc
from collections import OrderedDict

import numpy as np


def np_random(seed=None):
    """(generator, seed): a PCG64 Generator from seed (a non-negative int, or None for fresh
    entropy) and the seed it was made from, as gymnasium.utils.seeding.np_random."""
    if seed is not None:
        if not isinstance(seed, int):
            raise TypeError("Seed must be a python integer, actual type: %s" % type(seed))
        if seed < 0:
            raise ValueError("Seed must be greater or equal to zero, actual value: %d" % seed)
    sequence = np.random.SeedSequence(seed)
    return np.random.Generator(np.random.PCG64(sequence)), sequence.entropy


class Space:
    """The base of every space: shape, dtype, a lazily seeded np_random, seed(), sample(),
    contains() and `x in space`."""

    def __init__(self, shape=None, dtype=None, seed=None):
        self._shape = None if shape is None else tuple(shape)
        self.dtype = None if dtype is None else np.dtype(dtype)
        self._np_random = None
        if seed is not None:
            if isinstance(seed, np.random.Generator):
                self._np_random = seed
            else:
                self.seed(seed)

    @property
    def np_random(self):
        """The space's numpy.random.Generator (seeded from fresh entropy on first use)."""
        if self._np_random is None:
            self.seed()
        return self._np_random

    @property
    def shape(self):
        return self._shape

    @property
    def is_np_flattenable(self):
        """Whether the space flattens to a Box."""
        raise NotImplementedError

    def sample(self, mask=None, probability=None):
        raise NotImplementedError

    def seed(self, seed=None):
        """Seeds np_random; returns [the seed used] (fresh entropy when seed is None)."""
        self._np_random, used = np_random(seed)
        return [used]

    def contains(self, x):
        raise NotImplementedError

    def __contains__(self, x):
        return self.contains(x)

    def to_jsonable(self, sample_n):
        return list(sample_n)

    def from_jsonable(self, sample_n):
        return sample_n


def _is_number(value):
    """A scalar integer or float (not a bool), Python's or NumPy's."""
    return np.issubdtype(type(value), np.integer) or np.issubdtype(type(value), np.floating)


def _short_repr(array):
    """The common value when every entry is the same, else the whole array."""
    if array.size and np.min(array) == np.max(array):
        return str(np.min(array))
    return str(array)


class Box(Space):
    """Box(low, high, shape=None, dtype=np.float32, seed=None): the product of the closed
    intervals [low[i], high[i]], each bound possibly infinite.

    low and high are scalars (the same bound everywhere) or arrays of the shape; without shape,
    the shape is the arrays' ((1,) for two scalars). low and high become arrays of dtype;
    bounded_below and bounded_above say where they are finite. Infinite bounds of a signed
    integer dtype become the dtype's extremes.
    """

    def __init__(self, low, high, shape=None, dtype=np.float32, seed=None):
        if dtype is None:
            raise ValueError("Box dtype must be explicitly provided, cannot be None.")
        self.dtype = np.dtype(dtype)
        if self.dtype.kind not in "iufb":
            raise ValueError("Invalid Box dtype (%s), must be an integer, floating, or bool "
                             "dtype" % self.dtype)
        if shape is not None:
            if not isinstance(shape, collections.abc.Iterable):
                raise TypeError("Expected Box shape to be an iterable, actual type=%s"
                                % type(shape))
            shape = tuple(shape)
            if not all(np.issubdtype(type(dim), np.integer) for dim in shape):
                raise TypeError("Expected all Box shape elements to be integer, actual type=%s"
                                % (tuple(type(dim) for dim in shape),))
            shape = tuple(int(dim) for dim in shape)
        elif isinstance(low, np.ndarray) and isinstance(high, np.ndarray):
            if low.shape != high.shape:
                raise ValueError("Box low.shape and high.shape don't match, low.shape=%s, "
                                 "high.shape=%s" % (low.shape, high.shape))
            shape = low.shape
        elif isinstance(low, np.ndarray):
            shape = low.shape
        elif isinstance(high, np.ndarray):
            shape = high.shape
        elif _is_number(low) and _is_number(high):
            shape = (1,)
        else:
            raise ValueError("Box shape is not specified, therefore inferred from low and high. "
                             "Expected low and high to be np.ndarray, integer, or float. Actual "
                             "types low=%s, high=%s" % (type(low), type(high)))
        self._shape = shape

        if self.dtype.kind == "b":
            smallest, largest = 0, 1
        elif self.dtype.kind == "f":
            smallest, largest = float(np.finfo(self.dtype).min), float(np.finfo(self.dtype).max)
        else:
            smallest, largest = int(np.iinfo(self.dtype).min), int(np.iinfo(self.dtype).max)
        self.low, self.bounded_below = self._bound("low", low, -1, smallest)
        self.high, self.bounded_above = self._bound("high", high, +1, largest)
        if np.any(self.low > self.high):
            raise ValueError("Box all low values must be less than or equal to high (some "
                             "values break this), low=%s, high=%s" % (self.low, self.high))
        self.low_repr = _short_repr(self.low)
        self.high_repr = _short_repr(self.high)
        super().__init__(self.shape, self.dtype, seed)

    def _bound(self, name, value, sign, limit):
        """(value as an array of the space's dtype and shape, where it is finite); sign -1 for
        low (whose open end is -inf), +1 for high."""
        kind = self.dtype.kind
        if _is_number(value):
            if np.isnan(value):
                raise ValueError("No %s value can be equal to `np.nan`, %s=%s"
                                 % (name, name, value))
            is_open = bool(np.isinf(value)) and np.sign(value) == sign
            bounded = np.full(self._shape, not is_open)
            if is_open:
                if kind == "i":
                    value = limit
                elif kind in "ub":
                    raise ValueError("Box unsigned int dtype don't support `%snp.inf`, %s=%s"
                                     % ("-" if sign < 0 else "", name, value))
            elif (np.isinf(value) and kind != "f") or \
                    (not np.isinf(value) and (value < limit if sign < 0 else value > limit)):
                raise ValueError("Box %s is out of bounds of the dtype range, %s=%s, %s dtype=%s"
                                 % (name, name, value, "min" if sign < 0 else "max", limit))
            return np.full(self._shape, value, dtype=self.dtype), bounded
        if not isinstance(value, np.ndarray):
            raise ValueError("Box %s must be a np.ndarray, integer, or float, actual type=%s"
                             % (name, type(value)))
        if value.dtype.kind not in "iufb":
            raise ValueError("Box %s must be a floating, integer, or bool dtype, actual dtype=%s"
                             % (name, value.dtype))
        if value.shape != self._shape:
            raise ValueError("Box %s.shape doesn't match provided shape, %s.shape=%s, shape=%s"
                             % (name, name, value.shape, self._shape))
        if np.any(np.isnan(value)):
            raise ValueError("No %s value can be equal to `np.nan`, %s=%s" % (name, name, value))
        is_open = np.isinf(value) & (np.sign(value) == sign)
        bounded = ~is_open
        if kind != "f" and np.any(np.isinf(value) & ~is_open):
            raise ValueError("Box %s is out of bounds of the dtype range, %s=%s, %s dtype=%s"
                             % (name, name, value, "min" if sign < 0 else "max", limit))
        if np.any(is_open):
            if kind == "i":
                value = value.copy()
                value[is_open] = limit
            elif kind in "ub":
                raise ValueError("Box unsigned int dtype don't support `%snp.inf`, %s=%s"
                                 % ("-" if sign < 0 else "", name, value))
        elif value.dtype != self.dtype and np.any(value < limit if sign < 0 else value > limit):
            raise ValueError("Box %s is out of bounds of the dtype range, %s=%s, %s dtype=%s"
                             % (name, name, value, "min" if sign < 0 else "max", limit))
        return value.astype(self.dtype), bounded

    @property
    def shape(self):
        return self._shape

    @property
    def is_np_flattenable(self):
        return True

    def is_bounded(self, manner="both"):
        """Whether every entry is bounded: manner "both", "below" or "above"."""
        below = bool(np.all(self.bounded_below))
        above = bool(np.all(self.bounded_above))
        if manner == "both":
            return below and above
        if manner == "below":
            return below
        if manner == "above":
            return above
        raise ValueError("manner is not in {'below', 'above', 'both'}, actual value: %s"
                         % manner)

    def sample(self, mask=None, probability=None):
        """An array of the space's shape and dtype, each entry drawn independently: uniform on
        [low, high], low + an exponential on [low, inf), high - an exponential on (-inf, high],
        a standard normal on (-inf, inf); integer dtypes take the floor (uniform on
        low .. high). Boxes take no mask or probability (ValueError)."""
        if mask is not None:
            raise ValueError("Box.sample cannot be provided a mask, actual value: %s" % (mask,))
        if probability is not None:
            raise ValueError("Box.sample cannot be provided a probability mask, actual value: %s"
                             % (probability,))
        rng = self.np_random
        integral = self.dtype.kind in "iub"
        high = self.high.astype(np.float64) + 1 if integral else self.high
        below, above = self.bounded_below, self.bounded_above
        unbounded, only_above = ~below & ~above, ~below & above
        only_below, bounded = below & ~above, below & above
        out = np.empty(self.shape)
        out[unbounded] = rng.normal(size=unbounded[unbounded].shape)
        out[only_below] = rng.exponential(size=only_below[only_below].shape) \
            + self.low[only_below]
        out[only_above] = -rng.exponential(size=only_above[only_above].shape) \
            + high[only_above]
        out[bounded] = rng.uniform(low=self.low[bounded], high=high[bounded],
                                   size=bounded[bounded].shape)
        if integral:
            out = np.floor(out)
        if self.dtype.kind == "i":
            info = np.iinfo(self.dtype)
            out = out.clip(info.min + 2, info.max - 2)
        elif self.dtype.kind == "u":
            info = np.iinfo(self.dtype)
            out = out.clip(info.min, info.max)
        out = out.astype(self.dtype)
        if self.dtype == np.int64:  # float64 is coarser than int64 near its extremes
            out = out.clip(self.low, self.high)
        return out

    def contains(self, x):
        """True for an array of the space's shape whose dtype casts safely to the space's and
        whose entries lie in [low, high]; anything else is first converted to an array of the
        space's dtype (False if that fails)."""
        if not isinstance(x, np.ndarray):
            try:
                x = np.asarray(x, dtype=self.dtype)
            except (ValueError, TypeError, OverflowError):
                return False
        return bool(np.can_cast(x.dtype, self.dtype) and x.shape == self.shape
                    and np.all(x >= self.low) and np.all(x <= self.high))

    def to_jsonable(self, sample_n):
        return [sample.tolist() for sample in sample_n]

    def from_jsonable(self, sample_n):
        return [np.asarray(sample, dtype=self.dtype) for sample in sample_n]

    def __repr__(self):
        return "Box(%s, %s, %s, %s)" % (self.low_repr, self.high_repr, self.shape, self.dtype)

    def __eq__(self, other):
        return (isinstance(other, Box) and self.shape == other.shape
                and self.dtype == other.dtype and bool(np.allclose(self.low, other.low))
                and bool(np.allclose(self.high, other.high)))


class Discrete(Space):
    """Discrete(n, seed=None, start=0, dtype=np.int64): the integers start .. start + n - 1."""

    def __init__(self, n, seed=None, start=0, dtype=np.int64):
        if not np.issubdtype(type(n), np.integer):
            raise TypeError("Expects `n` to be an integer, actual dtype: %s" % type(n))
        if n <= 0:
            raise ValueError("n (counts) have to be positive")
        if not np.issubdtype(type(start), np.integer):
            raise TypeError("Expects `start` to be an integer, actual type: %s" % type(start))
        if dtype is None:
            raise ValueError("Invalid Discrete dtype (None), cannot be None.")
        self.dtype = np.dtype(dtype)
        if not np.issubdtype(self.dtype, np.integer):
            raise ValueError("Invalid Discrete dtype (%s), must be an integer dtype"
                             % self.dtype)
        self.n = self.dtype.type(n)
        self.start = self.dtype.type(start)
        super().__init__((), self.dtype, seed)

    @property
    def is_np_flattenable(self):
        return True

    def sample(self, mask=None, probability=None):
        """A scalar of the space's dtype, uniform over the space; or uniform over the entries
        where mask (int8, shape (n,), 0 or 1) is 1, start when there are none; or drawn with
        probability (float64, shape (n,), summing to 1)."""
        if mask is not None and probability is not None:
            raise ValueError("Only one of `mask` or `probability` can be provided, actual "
                             "values: mask=%s, probability=%s" % (mask, probability))
        if mask is not None:
            self._check_vector("mask", mask, np.int8)
            valid = mask == 1
            if not np.all(valid | (mask == 0)):
                raise ValueError("All values of the sample mask should be 0 or 1, actual "
                                 "values: %s" % mask)
            if not np.any(valid):
                return self.start
            return self.start + self.dtype.type(self.np_random.choice(np.flatnonzero(valid)))
        if probability is not None:
            self._check_vector("probability", probability, np.float64)
            if not np.all((probability >= 0) & (probability <= 1)):
                raise ValueError("All values of the sample probability should be between 0 and "
                                 "1, actual values: %s" % probability)
            if not np.isclose(np.sum(probability), 1):
                raise ValueError("The sum of the sample probability should be equal to 1, "
                                 "actual sum: %s" % np.sum(probability))
            return self.start + self.np_random.choice(np.arange(self.n, dtype=self.dtype),
                                                      p=probability)
        return self.start + self.np_random.integers(self.n, dtype=self.dtype.type)

    def _check_vector(self, what, array, dtype):
        if not isinstance(array, np.ndarray):
            raise TypeError("The expected type of the sample %s is np.ndarray, actual type: %s"
                            % (what, type(array)))
        if array.dtype != dtype:
            raise ValueError("The expected dtype of the sample %s is %s, actual dtype: %s"
                             % (what, np.dtype(dtype), array.dtype))
        if array.shape != (self.n,):
            raise ValueError("The expected shape of the sample %s is (%d,), actual shape: %s"
                             % (what, self.n, array.shape))

    def contains(self, x):
        """True for a Python int, or a NumPy integer scalar or 0-d integer array, in
        [start, start + n); False for anything else (floats, strings, arrays of shape (1,))."""
        if isinstance(x, int):
            value = x
        elif (isinstance(x, (np.generic, np.ndarray)) and np.issubdtype(x.dtype, np.integer)
              and x.shape == ()):
            value = int(x)
        else:
            return False
        return int(self.start) <= value < int(self.start) + int(self.n)

    def to_jsonable(self, sample_n):
        return [int(x) for x in sample_n]

    def from_jsonable(self, sample_n):
        return [self.dtype.type(x) for x in sample_n]

    def __repr__(self):
        if self.start != 0:
            return "Discrete(%d, start=%d)" % (self.n, self.start)
        return "Discrete(%d)" % self.n

    def __eq__(self, other):
        return (isinstance(other, Discrete) and self.n == other.n and self.start == other.start
                and self.dtype == other.dtype)


def _check_subspace(space, where):
    if not isinstance(space, Space):
        raise TypeError("%s is not a space (an edgetune.spaces class), actual type: %s"
                        % (where, type(space)))


class Tuple(Space, collections.abc.Sequence):
    """Tuple(spaces, seed=None): the Cartesian product of spaces; elements are tuples."""

    def __init__(self, spaces, seed=None):
        self.spaces = tuple(spaces)
        for space in self.spaces:
            _check_subspace(space, repr(space))
        super().__init__(None, None, seed)

    @property
    def is_np_flattenable(self):
        return all(space.is_np_flattenable for space in self.spaces)

    def seed(self, seed=None):
        """Seeds every subspace: None, fresh entropy each; an int, seeds drawn from this space's
        generator seeded with it; a list or tuple, one seed per subspace. Returns the tuple of
        the subspaces' seed() results."""
        if seed is None:
            return tuple(space.seed(None) for space in self.spaces)
        if isinstance(seed, int):
            super().seed(seed)
            subseeds = self.np_random.integers(np.iinfo(np.int32).max, size=len(self.spaces))
            return tuple(space.seed(int(sub)) for space, sub in zip(self.spaces, subseeds))
        if isinstance(seed, (tuple, list)):
            if len(seed) != len(self.spaces):
                raise ValueError("Expects that the subspaces of seeds equals the number of "
                                 "subspaces. Actual length of seeds: %d, length of subspaces: %d"
                                 % (len(seed), len(self.spaces)))
            return tuple(space.seed(sub) for sub, space in zip(seed, self.spaces))
        raise TypeError("Expected seed type: list, tuple, int or None, actual type: %s"
                        % type(seed))

    def sample(self, mask=None, probability=None):
        """A tuple of independent samples of the subspaces; mask (or probability) is a tuple of
        one mask (or None) per subspace."""
        if mask is not None and probability is not None:
            raise ValueError("Only one of `mask` or `probability` can be provided, actual "
                             "values: mask=%s, probability=%s" % (mask, probability))
        if mask is not None:
            self._check_per_space("mask", mask)
            return tuple(space.sample(mask=m) for space, m in zip(self.spaces, mask))
        if probability is not None:
            self._check_per_space("probability", probability)
            return tuple(space.sample(probability=p)
                         for space, p in zip(self.spaces, probability))
        return tuple(space.sample() for space in self.spaces)

    def _check_per_space(self, what, values):
        if not isinstance(values, tuple):
            raise TypeError("Expected type of `%s` to be tuple, actual type: %s"
                            % (what, type(values)))
        if len(values) != len(self.spaces):
            raise ValueError("Expected length of `%s` to be %d, actual length: %d"
                             % (what, len(self.spaces), len(values)))

    def contains(self, x):
        """True for a tuple (or a list or array, taken as one) of the right length whose
        elements each belong to their subspace."""
        if isinstance(x, (list, np.ndarray)):
            x = tuple(x)
        return (isinstance(x, tuple) and len(x) == len(self.spaces)
                and all(space.contains(part) for space, part in zip(self.spaces, x)))

    def to_jsonable(self, sample_n):
        return [space.to_jsonable([sample[i] for sample in sample_n])
                for i, space in enumerate(self.spaces)]

    def from_jsonable(self, sample_n):
        return list(zip(*[space.from_jsonable(sample_n[i])
                          for i, space in enumerate(self.spaces)]))

    def __getitem__(self, index):
        return self.spaces[index]

    def __len__(self):
        return len(self.spaces)

    def __repr__(self):
        return "Tuple(" + ", ".join(str(space) for space in self.spaces) + ")"

    def __eq__(self, other):
        return isinstance(other, Tuple) and self.spaces == other.spaces


class Dict(Space, collections.abc.Mapping):
    """Dict(spaces=None, seed=None, **spaces_kwargs): named subspaces; elements are dicts with
    the same keys. A plain mapping's keys are sorted (when comparable); an OrderedDict or a
    sequence of (key, space) pairs keeps its order."""

    def __init__(self, spaces=None, seed=None, **spaces_kwargs):
        if isinstance(spaces, OrderedDict):
            named = dict(spaces.items())
        elif isinstance(spaces, collections.abc.Mapping):
            try:
                named = dict(sorted(spaces.items()))
            except TypeError:  # keys that do not compare: insertion order
                named = dict(spaces.items())
        elif isinstance(spaces, collections.abc.Sequence):
            named = dict(spaces)
        elif spaces is None:
            named = {}
        else:
            raise TypeError("Unexpected Dict space input, expecting dict, OrderedDict or "
                            "Sequence, actual type: %s" % type(spaces))
        for key, space in spaces_kwargs.items():
            if key in named:
                raise ValueError("Dict space keyword '%s' already exists in the spaces "
                                 "dictionary." % key)
            named[key] = space
        self.spaces = named
        for key, space in self.spaces.items():
            _check_subspace(space, "Dict space element %r" % (key,))
        super().__init__(None, None, seed)

    @property
    def is_np_flattenable(self):
        return all(space.is_np_flattenable for space in self.spaces.values())

    def seed(self, seed=None):
        """Seeds every subspace: None, fresh entropy each; an int, seeds drawn from this space's
        generator seeded with it; a dict with every key, one seed per subspace. Returns the dict
        of the subspaces' seed() results."""
        if seed is None:
            return {key: space.seed(None) for key, space in self.spaces.items()}
        if isinstance(seed, int):
            super().seed(seed)
            subseeds = self.np_random.integers(np.iinfo(np.int32).max, size=len(self.spaces))
            return {key: space.seed(int(sub))
                    for (key, space), sub in zip(self.spaces.items(), subseeds)}
        if isinstance(seed, dict):
            if seed.keys() != self.spaces.keys():
                raise ValueError("The seed keys: %s are not identical to space keys: %s"
                                 % (seed.keys(), self.spaces.keys()))
            return {key: self.spaces[key].seed(seed[key]) for key in seed}
        raise TypeError("Expected seed type: dict, int or None, actual type: %s" % type(seed))

    def sample(self, mask=None, probability=None):
        """A dict of independent samples of the subspaces; mask (or probability) is a dict with
        every key."""
        if mask is not None and probability is not None:
            raise ValueError("Only one of `mask` or `probability` can be provided, actual "
                             "values: mask=%s, probability=%s" % (mask, probability))
        if mask is not None:
            self._check_per_key("mask", mask)
            return {key: space.sample(mask=mask[key]) for key, space in self.spaces.items()}
        if probability is not None:
            self._check_per_key("probability", probability)
            return {key: space.sample(probability=probability[key])
                    for key, space in self.spaces.items()}
        return {key: space.sample() for key, space in self.spaces.items()}

    def _check_per_key(self, what, values):
        if not isinstance(values, dict):
            raise TypeError("Expected sample %s to be a dict, actual type: %s"
                            % (what, type(values)))
        if values.keys() != self.spaces.keys():
            raise ValueError("Expected sample %s keys to be same as space keys, %s keys: %s, "
                             "space keys: %s" % (what, what, values.keys(), self.spaces.keys()))

    def contains(self, x):
        """True for a dict with exactly the space's keys whose values belong to their
        subspaces."""
        if isinstance(x, dict) and x.keys() == self.spaces.keys():
            return all(x[key] in self.spaces[key] for key in self.spaces)
        return False

    def to_jsonable(self, sample_n):
        return {key: space.to_jsonable([sample[key] for sample in sample_n])
                for key, space in self.spaces.items()}

    def from_jsonable(self, sample_n):
        columns = {key: space.from_jsonable(sample_n[key]) for key, space in self.spaces.items()}
        count = len(next(iter(columns.values()))) if columns else 0
        return [{key: column[i] for key, column in columns.items()} for i in range(count)]

    def __getitem__(self, key):
        return self.spaces[key]

    def __setitem__(self, key, value):
        _check_subspace(value, "Dict space element %r" % (key,))
        self.spaces[key] = value

    def keys(self):
        return collections.abc.KeysView(self.spaces)

    def __iter__(self):
        return iter(self.spaces)

    def __len__(self):
        return len(self.spaces)

    def __repr__(self):
        return "Dict(" + ", ".join("%r: %s" % (key, space)
                                   for key, space in self.spaces.items()) + ")"

    def __eq__(self, other):
        return isinstance(other, Dict) and self.spaces == other.spaces
