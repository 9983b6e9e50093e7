"""Deciding at once that an evaluation cancels at every precision `evaluate` would climb through.

When the first precision loses half of a sum's digits, `evaluate` tries every higher one (up to
`MAX_DPS`), and a point where each of them cancels too is skipped — after computing the tree
five more times. Here one walk of the tree, valid at all of those precisions at once, proves
it: every value is known as an exact dyadic number, a float range, or a magnitude range with a
key (the same key, the same number at each precision: the same subtree, a sum that is exactly
one of its terms, a product of the same two values...). When no node can fail (no division by
0, no guard, nothing out of range) and, at every precision, some sum is certainly 0 or keeps
less than half of its digits, the engine's evaluation certainly ends in the cancellation flag
at each of them, and never in an error; when only the lower ones certainly do (a sum is one of
its terms up to some precision only), `evaluate` starts at the first one that may not.
Anything else gives up: the engine climbs as always. Only +, ×, integer powers, exp, tanh and
numbers are followed.
"""

from __future__ import annotations

import math
from typing import Any

from modl_tutor.answers.rung_values import (
    DELTA,
    EXACT_BITS,
    FLOAT_EXP,
    GUARD,
    LOG2E,
    PMAX,
    PMIN,
    PRECS,
    RUNG_DPS,
    TANH_ONE,
    WINDOW,
    GiveUp,
    Val,
    in_floats,
    mono_of,
    negated,
    widen,
)

_ALL = (1 << len(PRECS)) - 1


class _Walk:
    """One walk: interned keys, values of the subtrees met, the precisions where a sum
    certainly cancels (a bit per precision)."""

    def __init__(self, names: tuple[str, ...], point: tuple[float, ...],
                 top: int = len(PRECS)) -> None:
        self.index = {n: i for i, n in enumerate(names)}
        self.point = point
        self.keys: dict[Any, int] = {}
        self.memo: dict[Any, Val] = {}
        self.flagged = 0
        self.pdom = PRECS[top - 1]
        """The highest precision the walk is valid at (its one precision-dependent rule)."""
        self.reach: float = PMAX
        """The highest precision at which every sum found not dominated here would be."""

    def key(self, what: Any) -> int:
        return self.keys.setdefault(what, len(self.keys))

    # values -------------------------------------------------------------------------------

    def exact(self, man: int, exp: int) -> Val:
        if man == 0:
            return Val(self.key(("q", 0, 0)), False, (0, 0), 0.0, 0.0, None, None)
        zeros = (man & -man).bit_length() - 1  # an odd mantissa
        man >>= zeros
        exp += zeros
        if abs(man).bit_length() > EXACT_BITS:
            return self.ranged(("q", man, exp), math.ldexp(float(man), exp))
        neg = man < 0
        m = abs(man)
        try:
            f = math.ldexp(float(m), exp)
        except OverflowError:
            f = math.inf
        l2 = math.log2(m) + exp
        if 1e-300 < f < 1e300:
            lo, hi = (-f, -f) if neg else (f, f)
        else:
            lo = hi = None
        return Val(self.key(("q", m, exp)), neg, (-m if neg else m, exp), lo, hi,
                  l2 - 1e-9, l2 + 1e-9)

    def ranged(self, what: Any, f: float, lo: float | None = None,
               hi: float | None = None) -> Val:
        """A value known only within a float range (its own key)."""
        lo = f if lo is None else lo
        hi = f if hi is None else hi
        lo, hi = lo - DELTA * abs(lo), hi + DELTA * abs(hi)
        if not (math.isfinite(lo) and math.isfinite(hi)) or max(abs(lo), abs(hi)) > 1e300:
            raise GiveUp
        return self.with_range(self.key(what), False, lo, hi)

    def with_range(self, key: int, neg: bool, lo: float, hi: float) -> Val:
        if lo > 0 or hi < 0:
            a, b = (lo, hi) if lo > 0 else (-hi, -lo)
            if a < 1e-300:
                raise GiveUp
            return Val(key, neg, None, lo, hi, math.log2(a) - 1e-9, math.log2(b) + 1e-9)
        return Val(key, neg, None, lo, hi, None, None)

    # the walk -----------------------------------------------------------------------------

    def value(self, e: Any) -> Val:
        hit = self.memo.get(e)
        if hit is None:
            hit = self.memo[e] = self._value(e)
        return hit

    def _value(self, e: Any) -> Val:
        if e.is_Symbol:
            i = self.index.get(e.name)
            if i is None:
                raise GiveUp
            m, x = math.frexp(self.point[i])
            return self.exact(int(m * 2 ** 53), x - 53)
        if e.is_Integer:
            return self.exact(int(e.p), 0)
        if e.is_Rational:
            q = int(e.q)
            if q & (q - 1) == 0 and abs(int(e.p)).bit_length() <= EXACT_BITS:
                return self.exact(int(e.p), -(q.bit_length() - 1))
            return self.ranged(("r", e), int(e.p) / q)
        if e.is_Number or e.is_NumberSymbol:
            name = type(e).__name__
            if e.is_Float or name in ("Exp1", "Pi"):
                return self.ranged(("c", e), float(e))
            raise GiveUp
        if e.is_Add:
            return self.add([self.value(a) for a in e.args])
        if e.is_Mul:
            args = [self.value(a) for a in e.args]
            s = args[0]
            for v in args[1:]:
                s = self.mul(s, v)
            return self.checked(s)
        if e.is_Pow and e.args[1].is_Integer:
            return self.power(self.value(e.args[0]), int(e.args[1]))
        name = type(e).__name__
        if name == "exp" and len(e.args) == 1:
            return self.exp(self.value(e.args[0]))
        if name == "tanh" and len(e.args) == 1:
            return self.tanh(self.value(e.args[0]))
        raise GiveUp

    def checked(self, v: Val) -> Val:
        """The engine's check of a result: finite, magnitude within its limit."""
        if v.mlo is not None and max(abs(v.mlo), abs(v.mhi)) > GUARD:
            raise GiveUp
        return v

    def exp(self, a: Val) -> Val:
        if a.zero:
            return self.exact(1, 0)
        if a.lo is None:
            raise GiveUp
        if max(abs(a.lo), abs(a.hi)) > GUARD:
            raise GiveUp
        key = self.key(("exp", a.key, a.neg))
        mlo, mhi = a.lo * LOG2E, a.hi * LOG2E
        mlo, mhi = mlo - 1e-9 * abs(mlo) - 1e-9, mhi + 1e-9 * abs(mhi) + 1e-9
        if -FLOAT_EXP < a.lo and a.hi < FLOAT_EXP:
            lo, hi = math.exp(a.lo) * (1 - DELTA), math.exp(a.hi) * (1 + DELTA)
            return Val(key, False, None, lo, hi, max(mlo, math.log2(lo)),
                      min(mhi, math.log2(hi)), ((key, 1),))
        return Val(key, False, None, None, None, mlo, mhi, ((key, 1),))

    def tanh(self, a: Val) -> Val:
        """mpmath's tanh (no guard): 0 at 0, exactly ±1 when |a| >= 2^11 (its shortcut for
        mag(a) >= 12 at every precision up to `PMAX`, rounding to nearest)."""
        if a.zero:
            return a
        if a.lo is None:
            raise GiveUp
        if a.lo >= TANH_ONE or a.hi <= -TANH_ONE:
            return self.exact(1 if a.lo > 0 else -1, 0)
        lo, hi = widen(math.tanh(a.lo), math.tanh(a.hi), 4)
        return self.with_range(self.key(("tanh", a.key, a.neg)), False, lo, hi)

    def power(self, a: Val, n: int) -> Val:
        if n == 0:
            return self.exact(1, 0)
        if a.zero:
            if n < 0:
                raise GiveUp  # division by zero
            return a
        if a.mlo is None:
            raise GiveUp  # maybe 0: the engine's guard and 0^n are not followed
        if abs(n) * (max(abs(a.mlo), abs(a.mhi)) + 2) > GUARD:
            raise GiveUp
        if n == 1:
            return a
        if a.exact is not None:
            man, exp = a.exact
            if n > 0 and abs(man).bit_length() * n <= 4 * EXACT_BITS:
                return self.checked(self.exact(man ** n, exp * n))
            if n < 0 and abs(man) == 1:  # ±2^exp
                return self.checked(self.exact(man ** (-n), exp * n))
        mlo, mhi = sorted((n * a.mlo, n * a.mhi))
        lo = hi = None
        if a.lo is not None:
            try:
                lo, hi = widen(*sorted((a.lo ** n, a.hi ** n)), abs(n) + 2)
            except (OverflowError, ZeroDivisionError):
                lo = hi = None
            if lo is not None and not in_floats(lo, hi):
                lo = hi = None
        key = self.key(("pow", a.key, n))  # the engine's power is odd in its base
        mono = rel = None
        if a.mono is not None:  # mpf_pow_int: within 2 units of its last digit, with room
            mono, rel = mono_of((a.mono, n)), abs(n) * a.rel * 1.01 + 4 * (abs(n) + 4)
        return self._near(Val(key, a.neg and n % 2 == 1, None, lo, hi, mlo - 1e-9,
                             mhi + 1e-9, mono, rel or 0.0))

    def mul(self, a: Val, b: Val) -> Val:
        if a.zero or b.zero:
            return a if a.zero else b  # 0·x is an exact 0 (every value here is finite)
        for x, y in ((a, b), (b, a)):
            if x.exact is not None and abs(x.exact[0]) == 1 and x.exact[1] == 0:
                if x.exact[0] == 1:
                    return y
                lo, hi = (None, None) if y.lo is None else (-y.hi, -y.lo)
                return Val(y.key, not y.neg, negated(y.exact), lo, hi, y.mlo, y.mhi, y.mono, y.rel)
        if a.exact is not None and b.exact is not None:
            return self.exact(a.exact[0] * b.exact[0], a.exact[1] + b.exact[1])
        ka, kb = sorted((a.key, b.key))  # rounding to nearest: a·b = b·a, (-a)·b = -(a·b)
        key = self.key(("mul", ka, kb))
        mlo = mhi = None
        if a.mlo is not None and b.mlo is not None:
            mlo, mhi = a.mlo + b.mlo - 1e-9, a.mhi + b.mhi + 1e-9
        lo = hi = None
        if a.lo is not None and b.lo is not None:
            ends = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
            lo, hi = widen(min(ends), max(ends), 2)
            if not in_floats(lo, hi):
                lo = hi = None
        if lo is None and mlo is None:
            raise GiveUp  # nothing known about its size
        mono = rel = None
        if a.mono is not None and b.mono is not None:  # one rounding more
            mono, rel = mono_of((a.mono, 1), (b.mono, 1)), (a.rel + b.rel) * 1.01 + 2
        return self._near(Val(key, a.neg != b.neg, None, lo, hi, mlo, mhi, mono, rel or 0.0))

    def _near(self, v: Val) -> Val:
        """A value whose monomial is empty: ±(1 + d), with its float range."""
        if v.mono == ():
            if v.rel >= 2.0 ** 60:
                raise GiveUp
            d = v.rel * 1.01 * 2.0 ** -PMIN
            v.lo, v.hi = (-1 - d, -1 + d) if v.neg else (1 - d, 1 + d)
            v.mlo, v.mhi = math.log2(1 - d) - 1e-9, math.log2(1 + d) + 1e-9
        return v

    def add(self, terms: list[Val]) -> Val:
        terms = [t for t in terms if not t.zero]  # mpf_sum skips exact zeros
        if not terms:
            return self.exact(0, 0)  # no flag: no nonzero term
        if len(terms) == 1:
            return terms[0]  # one term: its own value, its magnitude is the top's
        sure = all(t.mlo is not None for t in terms)
        found = self._dominant(terms) if sure else None
        if found is not None:
            return found
        if sure and max(t.mhi for t in terms) - min(t.mlo for t in terms) <= WINDOW:
            return self._exact_sum(terms)
        return self._ranged_sum(terms, ("add",) + tuple((t.key, t.neg) for t in terms))

    def _dominant(self, terms: list[Val]) -> Val | None:
        """The term beside which every other one is below a quarter of its last digit at the
        highest precision: mpf_sum gives that term exactly (drops or not), with no flag."""
        spread = math.ceil(math.log2(len(terms) + 1)) + 1
        top = max(range(len(terms)), key=lambda i: terms[i].mlo)
        rest = max(t.mhi for i, t in enumerate(terms) if i != top)
        gap = terms[top].mlo - 1 - 4 - rest - spread
        if gap >= self.pdom:
            return terms[top]
        if gap >= PMIN:  # dominated at the lower precisions only
            self.reach = min(self.reach, gap)
        return None

    def _exact_sum(self, terms: list[Val]) -> Val:
        """Terms within `WINDOW` bits of each other: the exact sum, rounded once. Equal keys
        of opposite signs cancel exactly."""
        net: dict[int, list[Any]] = {}
        for t in terms:
            c = net.setdefault(t.key, [0, t])
            c[0] += -1 if t.neg else 1
        left = [(c, t) for c, t in net.values() if c]
        top_lo = max(math.floor(t.mlo) + 1 for t in terms)  # ctx.mag of the largest term
        if not left:
            self.flagged = _ALL  # exactly 0, with a nonzero term: every precision flags
            return self.exact(0, 0)
        if all(t.exact is not None or t.mono == () for _, t in left) and \
                any(t.mono == () for _, t in left):
            found = self._near_zero(left, top_lo)
            if found is not None:
                return found
        if all(t.exact is not None for _, t in left):
            low = min(t.exact[1] for _, t in left)
            man = sum((c * abs(t.exact[0])) << (t.exact[1] - low) for c, t in left)
            v = self.exact(man, low)
            if v.zero:
                self.flagged = _ALL
                return v
            if v.exact is not None:  # exact at every precision: flagged where it lost half
                mag = math.floor(v.mhi) + 1
                for i, prec in enumerate(PRECS):
                    if mag < top_lo - prec // 2:
                        self.flagged |= 1 << i
                return v
        parts = tuple(sorted((t.key, c) for c, t in left))
        v = self._ranged_sum([t for c, t in left for _ in range(abs(c))], ("sum",) + parts,
                             [c for c, t in left for _ in range(abs(c))])
        if v.mhi is not None:
            mag_hi = math.floor(v.mhi) + 1
            for i, prec in enumerate(PRECS):
                if mag_hi < top_lo - prec // 2:
                    self.flagged |= 1 << i
        return v

    def _near_zero(self, left: list[Any], top_lo: int) -> Val | None:
        """Exact numbers and values ±(1 + d) whose exact parts add up to 0: the sum is at most
        the sum of the d's, far below half of the digits of its largest term."""
        from fractions import Fraction

        exact = sum((Fraction(c * abs(t.exact[0])) * Fraction(2) ** t.exact[1]
                     for c, t in left if t.exact is not None), Fraction(0))
        exact += sum(c for c, t in left if t.exact is None)
        if exact != 0:
            return None
        bound = sum(abs(c) * t.rel for c, t in left if t.exact is None) * 1.01 + 1
        for i, prec in enumerate(PRECS):  # mag(s) <= log2(bound) - prec + 1
            if math.log2(bound) - prec + 1 < top_lo - prec // 2:
                self.flagged |= 1 << i
        d = bound * 2.0 ** -PMIN
        parts = tuple(sorted((t.key, c) for c, t in left))
        return self.with_range(self.key(("sum",) + parts), False, -d, d)

    def _ranged_sum(self, terms: list[Val], what: Any, signs: list[int] | None = None) -> Val:
        """Float ranges added (room for every rounding and for mpf_sum's dropped terms)."""
        lo = hi = scale = 0.0
        for i, t in enumerate(terms):
            if t.lo is None:
                raise GiveUp
            tl, th = t.lo, t.hi
            if signs is not None and signs[i] < 0 and not t.neg or \
                    signs is not None and signs[i] > 0 and t.neg:
                tl, th = -th, -tl  # a cancelled pair's survivor counted with its net sign
            lo, hi = lo + tl, hi + th
            scale += max(abs(tl), abs(th))
        slack = (len(terms) + 4) * DELTA * scale
        lo, hi = lo - slack, hi + slack
        if not math.isfinite(scale) or scale > 1e300:
            raise GiveUp
        return self.with_range(self.key(what), False, lo, hi)


def _walk(expr: Any, names: tuple[str, ...], point: tuple[float, ...], top: int,
          ) -> tuple[_Walk, bool]:
    """The walk valid at the first `top` precisions, and whether it went through."""
    walk = _Walk(names, point, top)
    try:
        walk.value(expr)
    except (GiveUp, ArithmeticError, ValueError, TypeError, RecursionError):
        return walk, False
    return walk, True


def lost_rungs(expr: Any, names: tuple[str, ...], point: tuple[float, ...]) -> int:
    """How many of the precisions of `RUNG_DPS`, from the first, certainly end the engine's
    evaluation of `expr` at `point` (floats) in the cancellation flag, before any error (and,
    when that is all of them, with no error at all): 0 when not certain."""
    if not all(type(v) is float for v in point):
        return 0
    top = len(PRECS)
    walk, through = _walk(expr, names, point, top)
    if through and walk.flagged == _ALL:
        return top
    if walk.reach < PMAX:  # sums dominated at the lower precisions only
        top = sum(1 for p in PRECS if p <= walk.reach)
        if top < 2:
            return 0
        walk, through = _walk(expr, names, point, top)
    if not through:
        return 0
    bits = walk.flagged & ((1 << top) - 1)
    return (bits ^ (bits + 1)).bit_length() - 1  # the leading flagged precisions


def lost_everywhere(expr: Any, names: tuple[str, ...], point: tuple[float, ...]) -> bool:
    """Does the engine's evaluation of `expr` at `point` certainly end in the cancellation flag,
    with no error, at every precision of `RUNG_DPS`? (`lost_rungs` counts them.)"""
    return lost_rungs(expr, names, point) == len(PRECS)


__all__ = ["RUNG_DPS", "lost_everywhere", "lost_rungs"]
