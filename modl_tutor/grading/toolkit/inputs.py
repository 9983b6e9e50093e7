"""Input generators for checks: random, large and tiny magnitudes, ties, nan/inf, low precision."""

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


# -- low-precision formats --------------------------------------------------------------------
def _to_bfloat16_bits(values: np.ndarray) -> np.ndarray:
    """float32 values truncated to bfloat16 (exactly representable; for generating inputs)."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32) & np.uint32(0xFFFF0000)
    return bits.view(np.float32)


def representable(rng: np.random.Generator, shape: tuple[int, ...] | int, fmt: str = "bfloat16",
                  scale: float = 1.0, dtype: Any = np.float32) -> np.ndarray:
    """Gaussian values that are exactly representable in `fmt` ("bfloat16" or "float16")."""
    values = (rng.standard_normal(shape) * scale).astype(np.float32)
    if fmt == "bfloat16":
        values = _to_bfloat16_bits(values)
    elif fmt == "float16":
        values = values.astype(np.float16).astype(np.float32)
    else:
        raise ValueError(f"representable: unknown format {fmt!r} (bfloat16 or float16)")
    return values.astype(dtype)


def halfway(rng: np.random.Generator, shape: tuple[int, ...] | int, fmt: str = "bfloat16",
            scale: float = 1.0) -> np.ndarray:
    """float32 values exactly halfway between two neighbours of `fmt`: ties-to-even bait."""
    base = representable(rng, shape, fmt, scale, np.float32)
    if fmt == "bfloat16":
        return (base.view(np.uint32) | np.uint32(0x8000)).view(np.float32)
    low = base.astype(np.float16)
    high = np.nextafter(low, np.float16(np.inf))
    return ((low.astype(np.float64) + high.astype(np.float64)) / 2).astype(np.float32)


def with_specials(rng: np.random.Generator, shape: tuple[int, ...] | int, dtype: Any = np.float64,
                  scale: float = 1.0, fraction: float = 0.25,
                  kinds: tuple[str, ...] = ("nan", "inf", "-inf")) -> np.ndarray:
    """Gaussian values with about `fraction` of them replaced by nan / +inf / -inf."""
    values = rng.standard_normal(shape) * scale
    specials = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf, "0": 0.0, "-0": -0.0}
    mask = rng.random(values.shape) < fraction
    picks = rng.integers(0, len(kinds), values.shape)
    for index, kind in enumerate(kinds):
        values = np.where(mask & (picks == index), specials[kind], values)
    return np.asarray(values).astype(dtype)


def format_edges(fmt: str = "bfloat16") -> np.ndarray:
    """float32 values around the top of `fmt`'s range: its max, values that round to max or
    overflow to inf, float32's max, and the smallest normal and subnormal of `fmt`."""
    if fmt == "bfloat16":
        top = float(np.array(0x7F7F0000, np.uint32).view(np.float32))
        step = 2.0 ** (127 - 7)
        tiny, sub = 2.0 ** -126, 2.0 ** -133
    elif fmt == "float16":
        info = np.finfo(np.float16)
        top, step = float(info.max), 2.0 ** (15 - 10)
        tiny, sub = float(info.tiny), float(info.smallest_subnormal)
    else:
        raise ValueError(f"format_edges: unknown format {fmt!r} (bfloat16 or float16)")
    values = [top, -top, top + step / 4, top + step / 2, -(top + step / 2),
              float(np.finfo(np.float32).max), tiny, sub, sub / 2, -sub]
    return np.array(values, dtype=np.float32)


def fixed_point_ties(rng: np.random.Generator, n: int, int_bits: int,
                     frac_bits: int) -> np.ndarray:
    """Exact halfway values (k + 1/2)·2^-frac_bits inside the signed range, k even and odd."""
    half = 2 ** (int_bits + frac_bits - 1)
    k = rng.integers(-half, half - 1, n)
    return (k + 0.5) * 2.0 ** -frac_bits
