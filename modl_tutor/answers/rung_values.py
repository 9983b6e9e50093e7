"""The values of `rungs`' walk: one node's value at every precision at once, their helpers and
the precisions they are valid at."""

from __future__ import annotations

import math

from modl_tutor.answers import numbers as num

RUNG_DPS = (40, 80, 160, 320, 640, 1280)
"""The precisions `evaluate` climbs through (MP_DPS doubled up to MAX_DPS)."""
PRECS = tuple(max(1, round((d + 1) * 3.32192809488736234787)) for d in RUNG_DPS)
"""Their binary precisions (mpmath's dps_to_prec, without importing mpmath)."""
PMIN, PMAX = PRECS[0], PRECS[-1]
EXACT_BITS = PMIN
"""An exact dyadic value with at most this many significant bits is computed exactly at
every precision."""
WINDOW = PMIN - 6
"""Terms whose magnitudes (log2) all lie within this many bits are summed exactly by
mpmath's `mpf_sum` at every precision (no term dropped), then rounded once."""
LOG2E = 1.4426950408889634
TANH_ONE = 2048.0
"""|a| from which mpmath's tanh(a) is ±1 at every precision (mag(a) >= 12 and mpf_cosh_sinh's
test 3·2^(mag - 1) > prec + 14 holds up to `PMAX`)."""
FLOAT_EXP = 700.0
GUARD = 0.9 * num.EXP_LIMIT
"""Largest |argument| of exp and |n·(mag + 1)| of a power followed (the engine's guards with
room to spare)."""
DELTA = 2.0 ** -44
"""Relative widening of a float range per operation (float and mpmath roundings, libm)."""


class GiveUp(Exception):
    """Not certain: the engine climbs as always."""


class Val:
    """One node's value at every precision: `neg`·W(key), with `exact` = (man, exp) when the
    value is exactly man·2^exp, a float range [lo, hi] of the value when known, and bounds
    [mlo, mhi] on log2 |value| when it is certainly nonzero (`mlo` None otherwise)."""

    __slots__ = ("exact", "hi", "key", "lo", "mhi", "mlo", "mono", "neg", "rel")

    def __init__(self, key: int, neg: bool, exact: tuple[int, int] | None,
                 lo: float | None, hi: float | None, mlo: float | None,
                 mhi: float | None, mono: tuple | None = None, rel: float = 0.0) -> None:
        self.key, self.neg, self.exact = key, neg, exact
        self.lo, self.hi, self.mlo, self.mhi = lo, hi, mlo, mhi
        self.mono, self.rel = mono, rel
        """When `mono` is not None: W(key) > 0 is the product of the computed exponentials
        W(k)^n of `mono` ((k, n) pairs) times (1 + d), |d| <= rel·2^-prec at each precision."""

    @property
    def zero(self) -> bool:
        return self.exact is not None and self.exact[0] == 0


def mono_of(*parts: tuple[tuple, int]) -> tuple:
    """The product of monomials ((key, power) pairs), each raised to its `times`."""
    powers: dict[int, int] = {}
    for mono, times in parts:
        for key, n in mono:
            powers[key] = powers.get(key, 0) + n * times
    return tuple(sorted((k, n) for k, n in powers.items() if n))


def widen(lo: float, hi: float, times: float = 1.0) -> tuple[float, float]:
    """A float range widened outwards by `times` roundings."""
    return lo - times * DELTA * abs(lo), hi + times * DELTA * abs(hi)


def in_floats(lo: float, hi: float) -> bool:
    """Is a range comfortably inside the floats (or around 0)?"""
    big = max(abs(lo), abs(hi))
    return math.isfinite(big) and big < 1e300 and (lo > 1e-300 or hi < -1e-300 or lo <= 0 <= hi)


def negated(exact: tuple[int, int] | None) -> tuple[int, int] | None:
    """-(man·2^exp)."""
    return None if exact is None else (-exact[0], exact[1])
