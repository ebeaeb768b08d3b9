"""Observation and action space descriptions (the gymnasium convention, without gymnasium)."""

import numpy as np


class Discrete:
    """Integers 0 .. n-1."""

    def __init__(self, n):
        self.n = int(n)
        self.shape, self.dtype = (), np.dtype(np.int64)

    def sample(self, rng):
        return int(rng.integers(self.n))

    def contains(self, x):
        return int(x) == x and 0 <= x < self.n

    def __repr__(self):
        return "Discrete(%d)" % self.n


class Box:
    """Arrays of shape with every entry in [low, high]."""

    def __init__(self, low, high, shape, dtype=np.float64):
        self.low, self.high = float(low), float(high)
        self.shape, self.dtype = tuple(shape), np.dtype(dtype)

    def sample(self, rng):
        lo = self.low if np.isfinite(self.low) else -1.0
        hi = self.high if np.isfinite(self.high) else 1.0
        x = rng.uniform(lo, hi, size=self.shape).astype(self.dtype)
        return x if self.shape else x.item()

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all((x >= self.low) & (x <= self.high)))

    def __repr__(self):
        return "Box(%g, %g, %s, %s)" % (self.low, self.high, self.shape, self.dtype.name)


class Tuple:
    """A tuple of spaces: one hybrid action is (location, keep)."""

    def __init__(self, spaces):
        self.spaces = tuple(spaces)

    def sample(self, rng):
        return tuple(s.sample(rng) for s in self.spaces)

    def contains(self, x):
        return len(x) == len(self.spaces) and all(s.contains(v) for s, v in zip(self.spaces, x))

    def __getitem__(self, i):
        return self.spaces[i]

    def __repr__(self):
        return "Tuple(%s)" % ", ".join(map(repr, self.spaces))
