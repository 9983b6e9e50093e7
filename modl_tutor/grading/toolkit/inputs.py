"""Input generators for checks: random, large and tiny magnitudes, ties, nan/inf, dtypes."""

from __future__ import annotations

from typing import Any

import numpy as np


def normal(rng: np.random.Generator, shape: tuple[int, ...] | int, scale: float = 1.0,
           dtype: Any = np.float64) -> np.ndarray:
    """Gaussian values with standard deviation `scale`."""
    return (rng.standard_normal(shape) * scale).astype(dtype)


def uniform(rng: np.random.Generator, shape: tuple[int, ...] | int, low: float = -1.0,
            high: float = 1.0, dtype: Any = np.float64) -> np.ndarray:
    """Uniform values in [low, high)."""
    return rng.uniform(low, high, shape).astype(dtype)


def large(rng: np.random.Generator, shape: tuple[int, ...] | int, magnitude: float = 1e4,
          dtype: Any = np.float64) -> np.ndarray:
    """Values of size about `magnitude` with random signs: overflow bait for exp()."""
    values = rng.uniform(0.5, 1.0, shape) * magnitude * rng.choice([-1.0, 1.0], shape)
    return values.astype(dtype)


def tiny(rng: np.random.Generator, shape: tuple[int, ...] | int, magnitude: float = 1e-30,
         dtype: Any = np.float64) -> np.ndarray:
    """Values of size about `magnitude`: underflow bait."""
    return (rng.uniform(0.5, 1.0, shape) * magnitude).astype(dtype)


def ties(shape: tuple[int, ...] | int, value: float = 1.0, dtype: Any = np.float64) -> np.ndarray:
    """All elements equal (argmax ties, uniform softmax)."""
    return np.full(shape, value, dtype=dtype)


def labels(rng: np.random.Generator, n: int, classes: int) -> np.ndarray:
    """Integer class indices in [0, classes)."""
    return rng.integers(0, classes, n).astype(np.int64)


def binary(rng: np.random.Generator, shape: tuple[int, ...] | int) -> np.ndarray:
    """Targets in {0.0, 1.0}."""
    return rng.integers(0, 2, shape).astype(np.float64)


def special(dtype: Any = np.float32) -> np.ndarray:
    """Zeros, signed infinities, nan, the largest finite and the smallest subnormal value."""
    info = np.finfo(dtype)
    values = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, float(info.max), -float(info.max),
              float(info.tiny), float(info.smallest_subnormal)]
    return np.array(values, dtype=dtype)
