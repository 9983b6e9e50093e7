"""Deciding without computing far-out exponentials that an evaluation cancels at a precision.

Far out (x = 10^6), `(e^x + e^-x)^2 - (e^x - e^-x)^2` cancels at every precision the engine
tries, and `evaluate` climbs to its top precision computing e^x at up to 1280 digits each time,
only to skip the point. Here the tree is walked as the engine's closures evaluate it (same
order, same mpmath code for every value it computes), except that e^a with |a| beyond what
the precision can resolve is kept symbolic: sign·V with V's key and a range of its magnitude.
A sum whose other terms are below a quarter of the last digit of one term is that term
exactly; two equal keys of opposite sign cancel exactly; a product of keys has the key of the
product. When a sum certainly loses half of its digits (the engine's test, decided from the
ranges with room to spare), the engine's evaluation certainly cancels too. Anything else —
a value that depends on a symbolic one, an error, a close call — gives up (None), and the
engine evaluates as always: the answer is either the engine's or certainly the same.
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache, partial
from typing import Any, Callable

from modl_tutor.answers import mp_fast
from modl_tutor.answers import numbers as num
from modl_tutor.answers.ladder_values import (
    WIDE,
    GiveUp,
    Sym,
    Tiny,
    grow,
    mags,
    make_sym,
    mono_of,
    number,
    widen,
)

LOG2E = 1.4426950408889634
MARGIN = 8
"""Bits beyond half the precision by which e^a must be out of reach to be kept symbolic
(e^a and e^-a are then out of reach of each other)."""
_ZERO = (0, 0, 0, 0)
_ONE, _MINUS_ONE = (0, 1, 0, 1), (1, 1, 0, 1)
_local = threading.local()


@lru_cache(maxsize=2048)
def _has_exp(expr: Any) -> bool:
    if type(expr).__name__ == "exp":
        return True
    return any(_has_exp(a) for a in getattr(expr, "args", ()))


@lru_cache(maxsize=2048)
def _exp_arguments(expr: Any) -> tuple[Any, ...]:
    if type(expr).__name__ == "exp":
        return (expr.args[0],)
    return tuple(a for e in getattr(expr, "args", ()) for a in _exp_arguments(e))


@lru_cache(maxsize=2048)
def _plain_sums(expr: Any) -> tuple[Any, ...]:
    """Sums in `expr` without exponentials (at most 8)."""
    found = [expr] if expr.is_Add and not _has_exp(expr) else []
    for a in getattr(expr, "args", ()):
        found += _plain_sums(a)
    return tuple(found[:8])


def _worth_trying(expr: Any, names: tuple[str, ...], point: tuple[Any, ...]) -> bool:
    """Might an exponential of `expr` be out of reach at this point and precision, or a sum
    without any be 0? (In floats: a guess that only saves time; a wrong one changes nothing.)"""
    arguments = _exp_arguments(expr)
    if not arguments:
        return False
    reach = num.mp_context().prec // 2 + MARGIN - 4
    floats = tuple(float(v) for v in point)
    try:
        if any(abs(num.compile_float(a, names)(floats)) * LOG2E > reach for a in arguments):
            return True
        return any(num.compile_float(s, names)(floats) == 0 for s in _plain_sums(expr))
    except (num.Undefined, num.Unsupported, ArithmeticError, ValueError, TypeError):
        return True


def _ops() -> Any:
    ops = getattr(_local, "ops", None)
    if ops is None:
        ops = _local.ops = num._MpOps()
        _local.fns = {}
    return ops


def _fn(name: str) -> Any:
    _ops()
    fns = _local.fns
    if name not in fns:
        fns[name] = _local.ops.fn(name)
    return fns[name]


def _give_up(*_: Any) -> Any:
    raise GiveUp


def lost_at(expr: Any, names: tuple[str, ...], point: tuple[Any, ...], dps: int,
            top: bool) -> bool:
    """True when the engine's evaluation of `expr` at `point` (mpmath values) at `dps` digits
    (the context already there) certainly sets the cancellation flag before any error, and,
    at the `top` precision, also ends without an error (so the point is skipped). False when
    not certain. Raises `mp_fast.Lost` as the engine does when aborting at a first loss."""
    if not _worth_trying(expr, names, point):
        return False  # nothing to keep symbolic: the engine's own closures are faster
    run = _Run(names, point, dps)
    num.cancelled()
    try:
        _plan(expr, names)(run)
    except (GiveUp, num.Undefined, ArithmeticError, ValueError, TypeError):
        num.cancelled()
        return False
    flagged = num.cancelled()
    return flagged and top


Plan = Callable[["_Run"], Any]


@lru_cache(maxsize=2048)
def _plan(e: Any, names: tuple[str, ...]) -> Plan:
    """The walk of `e`, node by node as the engine's closures evaluate it (same order)."""
    if not _has_exp(e):  # the engine's own closure for this subtree
        return lambda run: num.call(num.compile_mp(e, names, run.dps), run.point)
    parts = [_plan(a, names) for a in e.args]
    if e.is_Add:
        return lambda run: run._add([f(run) for f in parts])
    if e.is_Mul:
        def product(run: _Run) -> Any:
            s = parts[0](run)
            for f in parts[1:]:
                s = run._mul(s, f(run))
            return run._check(s)
        return product
    if e.is_Pow and e.args[1].is_Integer:
        base, n = parts[0], int(e.args[1])
        return lambda run: run._power(base(run), n)
    name = type(e).__name__
    if name == "log" and len(parts) == 2:
        return _give_up  # its two logarithms are evaluated in between its arguments
    if not (e.is_Pow or e.is_Function):
        return _give_up
    power, exp = e.is_Pow, name == "exp" and len(parts) == 1

    def apply(run: _Run) -> Any:
        args = [f(run) for f in parts]
        if any(isinstance(a, (Sym, Tiny)) for a in args):
            raise GiveUp
        if power:
            return run.check(run.ops.pow(args[0], args[1]))
        if exp:
            return run._exp(args[0])
        return run.check(_fn(name)(*args))
    return apply


def forget() -> None:
    """Forget everything derived from trees (as for answers never seen)."""
    for cached in (_plan, _has_exp, _exp_arguments, _plain_sums):
        cached.cache_clear()


class _Run:
    """One walk of a tree at one point and precision."""

    def __init__(self, names: tuple[str, ...], point: tuple[Any, ...], dps: int) -> None:
        self.names, self.point, self.dps = names, point, dps
        self.ops = _ops()
        self.ctx = self.ops.ctx
        self.prec = self.ctx.prec
        self.check = self.ops.check
        self.total = mp_fast.summer(self.ctx, self.check, _give_up, num._set_cancelled)

    def _exp(self, a: Any) -> Any:
        raw = getattr(a, "_mpf_", None)
        if raw is None or not raw[1]:
            return self.check(_fn("exp")(a))
        t = float(a) * LOG2E
        if abs(a) > num.EXP_LIMIT:
            return self.check(_fn("exp")(a))  # the engine raises
        key = ("exp", raw)
        if abs(t) <= self.prec // 2 + MARGIN:  # within reach: its value, as a range
            af = float(a)  # mpmath's e^a is far closer to e^a than this range's width
            v = widen(math.exp(af), math.exp(af), (abs(af) + 4) * 64) if abs(af) < 600 else None
            if v is None:
                return self.check(_fn("exp")(a))
            return self._check(Sym(key, 1, *mags(v), ((key, 1),), 0.0, v))
        return self._check(Sym(key, 1, math.floor(t) - 2, math.floor(t) + 3, ((key, 1),)))

    def _check(self, v: Any) -> Any:
        if isinstance(v, Tiny):  # 0, or at least its terms' last digit: in range
            if v.lowest - self.prec - 2 >= -4 * num.EXP_LIMIT:
                return v
            raise GiveUp
        if not isinstance(v, Sym):
            return self.check(v)
        limit = 4 * num.EXP_LIMIT
        if -limit <= v.lo and v.hi <= limit:
            return v
        raise GiveUp

    def _mul(self, s: Any, v: Any) -> Any:
        if isinstance(s, Tiny) or isinstance(v, Tiny):
            raise GiveUp
        if not isinstance(s, Sym) and not isinstance(v, Sym):
            return s * v
        c, sym = (v, s) if isinstance(s, Sym) else (s, v)
        if not isinstance(c, Sym):
            raw = getattr(c, "_mpf_", None)
            if raw is None or (not raw[1] and raw != _ZERO):
                raise GiveUp
            if raw == _ZERO:
                return c  # the engine's 0·V: an exact zero
            if raw in (_ONE, _MINUS_ONE):  # ±V exactly
                return Sym(sym.key, -sym.sign if raw[0] else sym.sign, sym.lo, sym.hi,
                            sym.mono, sym.rel, sym.v)
            c = number(c)
        keys = tuple(sorted((c.key, sym.key), key=repr))  # a·b and b·a round alike
        v = None
        if c.v is not None and sym.v is not None:
            v = widen(c.v[0] * sym.v[0], c.v[1] * sym.v[1])
        return make_sym(("mul",) + keys, c.sign * sym.sign, c.lo + sym.lo - 1, c.hi + sym.hi + 1,
                    mono_of((c.mono, 1), (sym.mono, 1)), grow(c.rel + sym.rel + 2), self.prec, v)

    def _power(self, a: Any, n: int) -> Any:
        if isinstance(a, Tiny):
            raise GiveUp
        if not isinstance(a, Sym):
            slow = partial(num._pow_int, self.ops, n=n)  # the engine's, for 0 and non-reals
            return mp_fast.powerer(n, self.check, slow, num.EXP_LIMIT, num.Overflow)(a)
        if n == 0:
            raise GiveUp
        biggest = max(abs(a.lo), abs(a.hi))
        if abs(n) * (biggest + 1) > num.EXP_LIMIT:  # the engine's power guard: not certain
            raise GiveUp
        sign = a.sign if n % 2 else 1
        if n > 0:
            lo, hi = n * (a.lo - 1) - 1, n * a.hi + 2
        else:
            lo, hi = n * a.hi - 1, n * (a.lo - 1) + 2
        rel = grow(abs(n) * a.rel * 1.01 + (abs(n) + 4) * 4)
        v = None
        if a.v is not None:
            try:
                ends = sorted((a.v[0] ** n, a.v[1] ** n))
                v = widen(ends[0], ends[1], abs(n) + 4)
            except (OverflowError, ZeroDivisionError):
                v = None
        return self._check(make_sym(("pow", a.key, n), sign, lo, hi, mono_of((a.mono, n)), rel,
                                self.prec, v))

    def _add(self, terms: list[Any]) -> Any:
        if any(isinstance(t, Tiny) for t in terms):
            raise GiveUp
        if not any(isinstance(t, Sym) for t in terms):
            return self.total(terms)
        concrete, net, ranges = [], {}, []
        for t in terms:
            if isinstance(t, Sym):
                net[t.key] = net.get(t.key, (0, t))
                net[t.key] = (net[t.key][0] + t.sign, t)
                ranges.append((t.lo, t.hi))
                continue
            raw = getattr(t, "_mpf_", None)
            if raw is None or (not raw[1] and raw != _ZERO):
                raise GiveUp
            if raw[1]:
                concrete.append(t)
                ranges.append((raw[2] + raw[3],) * 2)
        top_lo, top_hi = max(r[0] for r in ranges), max(r[1] for r in ranges)
        left = [(c, sym) for c, sym in net.values() if c]
        if not left:  # the symbolic terms cancel exactly: the sum of the others
            from mpmath.libmp import mpf_sum

            s = mpf_sum([t._mpf_ for t in concrete], self.prec, self.ctx._prec_rounding[1])
            lo = hi = s[2] + s[3]
            value = self.ctx.make_mpf(s)
            if s == _ZERO:
                num._set_cancelled()
                return self.check(value)
        else:
            found = None
            if all(not sym.mono for _, sym in left):
                found = self._near_constant(concrete, left, ranges, top_lo)
            if found is not None:
                return found
            found = self._dominant(concrete, left)
            if found is None:
                return self._ranged(concrete, left, top_hi)
            value, lo, hi = found
        half = self.prec // 2
        if hi < top_lo - half:
            num._set_cancelled()
        elif lo < top_hi - half:
            raise GiveUp
        return self._check(value)

    def _near_constant(self, concrete: list[Any], left: list[tuple[int, Sym]],
                       ranges: list[tuple[float, float]], top_lo: float) -> Any:
        """Terms that are numbers, and symbolic ones equal to ±1 up to their `rel`: when the
        numbers and the ±1 add up to exactly 0, the sum is at most the sum of the `rel`s."""
        from fractions import Fraction

        if any(abs(lo) > 100_000 for lo, _ in ranges):
            raise GiveUp
        exact = sum((Fraction(t._mpf_[1] * (-1 if t._mpf_[0] else 1)) * Fraction(2) ** t._mpf_[2]
                     for t in concrete), Fraction(0))
        exact += sum(c for c, _ in left)  # c·V, V = 1·(1 + d)
        bound = sum(abs(c) * sym.rel for c, sym in left)  # units of 2^-prec
        if exact != 0:
            return None
        if bound <= 0 or math.log2(bound) - self.prec + 2 >= top_lo - self.prec // 2:
            raise GiveUp
        num._set_cancelled()
        return self._check(Tiny(min(lo for lo, _ in ranges)))

    def _dominant(self, concrete: list[Any], left: list[tuple[int, Sym]],
                  ) -> tuple[Any, float, float] | None:
        """The one term beside which all the others (and their sum) are below a quarter of
        its last digit: the sum is exactly that term (value, magnitude range)."""
        items = [(t, t._mpf_[2] + t._mpf_[3], t._mpf_[2] + t._mpf_[3], 1) for t in concrete]
        items += [(Sym(s.key, 1 if c > 0 else -1, s.lo, s.hi, s.mono, s.rel, s.v), s.lo, s.hi,
                   abs(c)) for c, s in left]
        spread = math.ceil(math.log2(sum(k for *_, k in items) + 1)) + 1
        for i, (t, lo, hi, k) in enumerate(items):
            others = [h for j, (_, _, h, _) in enumerate(items) if j != i]
            if k == 1 and (not others or max(others) + spread <= lo - 1 - self.prec - 3):
                return t, lo, hi
        return None

    def _ranged(self, concrete: list[Any], left: list[tuple[int, Sym]],
                top_hi: float) -> Sym:
        """A sum whose terms' values are known as float ranges, far enough from 0 that it
        certainly keeps more than half of its digits: a new symbolic value."""
        lo = hi = 0.0
        scale = 0.0
        for t in concrete:
            f = float(t)
            if not 1e-290 < abs(f) < 1e290:
                raise GiveUp
            lo, hi, scale = lo + f, hi + f, scale + abs(f)
        for c, sym in left:
            if sym.v is None:
                raise GiveUp
            a, b = c * sym.v[0], c * sym.v[1]
            lo, hi, scale = lo + min(a, b), hi + max(a, b), scale + abs(c) * sym.v[1]
        slack = scale * 4 * WIDE  # float rounding of these sums, the concrete terms' own
        lo, hi = lo - slack, hi + slack
        if lo <= 0 <= hi:
            raise GiveUp
        v = widen(min(abs(lo), abs(hi)), max(abs(lo), abs(hi)))
        if v is None or math.log2(v[0]) < top_hi - self.prec // 2:
            raise GiveUp  # it might lose half of its digits
        parts = [("c", t._mpf_) for t in concrete] + [(c, sym.key) for c, sym in left]
        key = ("sum", tuple(sorted(parts, key=repr)))  # the exact sum of these, rounded
        return self._check(Sym(key, 1 if lo > 0 else -1, *mags(v), ((key, 1),), 0.0, v))


__all__ = ["lost_at"]
