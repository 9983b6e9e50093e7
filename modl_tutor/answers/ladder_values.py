"""The ladder's symbolic values: what the engine computes, known by a key, a sign and bounds.

A value is known by its key (the same key, the same number), a sign, a range of its magnitude,
maybe a float range, and an error bound against a product of other values."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

_ZERO = (0, 0, 0, 0)


class GiveUp(Exception):
    """Not certain: the engine evaluates."""


@dataclass(frozen=True)
class Sym:
    """sign·V, where V > 0 is the value the engine computes for `key` (the same wherever the
    key occurs, at this point and precision) and lo <= mag(V) <= hi (mag as `ctx.mag`).
    V = M·(1 + d) with |d| <= rel·2^-prec, M the product of the computed exponentials and
    numbers in `mono` ((key, power) pairs) without rounding: M = 1 when `mono` is empty."""

    key: tuple
    sign: int
    lo: float
    hi: float
    mono: tuple = ()
    rel: float = 0.0
    v: tuple[float, float] | None = None
    """vlo <= V <= vhi (floats), when known."""


class Tiny:
    """A sum known only to be 0 or a few units of its last digit (its loss is certain)."""

    def __init__(self, lowest: float) -> None:
        self.lowest = lowest
        """The lowest magnitude among its terms (a nonzero sum is not below its last digit)."""


def mono_of(*parts: tuple[tuple, int]) -> tuple:
    powers: dict[tuple, int] = {}
    for mono, times in parts:
        for key, n in mono:
            powers[key] = powers.get(key, 0) + n * times
    return tuple(sorted(((k, n) for k, n in powers.items() if n), key=repr))


WIDE = 2.0 ** -45
"""Relative widening of a float range at each step (float rounding, the engine's own)."""


def widen(lo: float, hi: float, times: float = 1.0) -> tuple[float, float] | None:
    """A positive range widened outwards; None when it leaves the floats' comfortable range."""
    lo, hi = lo * (1 - times * WIDE), hi * (1 + times * WIDE)
    if not (1e-290 < lo <= hi < 1e290):
        return None
    return lo, hi


def mags(v: tuple[float, float]) -> tuple[float, float]:
    """Bounds on mag(V) (as `ctx.mag`: floor(log2 V) + 1) for V in the range."""
    return math.floor(math.log2(v[0])), math.floor(math.log2(v[1])) + 2


def grow(rel: float) -> float:
    """An error bound (units of 2^-prec) with room for second-order terms and rounding."""
    return rel * 1.01 + 1


def make_sym(key: tuple, sign: int, lo: float, hi: float, mono: tuple, rel: float,
         prec: int, v: tuple[float, float] | None = None) -> Sym:
    """A symbolic value; M = 1 (`mono` empty, V within a quarter of 1): mag(V) is 0 or 1."""
    if not mono:
        if rel >= 2.0 ** min(prec - 3, 1000):
            raise GiveUp
        lo, hi = 0, 1
    elif v is not None:
        lo, hi = max(lo, mags(v)[0]), min(hi, mags(v)[1])
    return Sym(key, sign, lo, hi, mono, rel, v)


def number(c: Any) -> Sym:
    """A nonzero mpmath number as a factor of a symbolic product (its own key)."""
    raw = c._mpf_
    key, mag = ("c", (0,) + raw[1:]), raw[2] + raw[3]
    f = abs(float(c)) if -1000 < mag < 1000 else 0.0
    return Sym(key, -1 if raw[0] else 1, mag, mag, ((key, 1),), 0.0,
                widen(f, f) if f else None)
