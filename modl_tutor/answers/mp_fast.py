"""Fast paths of the mpmath evaluator on mpmath's raw numbers, and its per-point memo of functions.

Every function here returns exactly what the plain mpmath code it replaces returns (same value,
same exception, same cancellation flag): only the Python overhead is less. A number that is not
an ordinary mpmath real (an int, a complex, a special value) takes the plain path.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Sequence

MEMO_SIZE = 4096
"""Function values remembered at one point (all precisions)."""

_local = threading.local()
_FZERO = (0, 0, 0, 0)


class Lost(Exception):
    """A sum lost half of its digits while `aborting()`: the evaluation stops there."""


def aborting() -> bool:
    """Does an evaluation stop at its first cancelling sum? (Set by `abort_on_loss` where
    the evaluator throws the value of a cancelling evaluation away: below its top precision.)"""
    return getattr(_local, "abort", False)


def abort_on_loss(on: bool) -> bool:
    """Turn stopping at the first cancelling sum on or off; returns the previous setting."""
    was = aborting()
    _local.abort = on
    return was


def at_point(point: Sequence[Any]) -> None:
    """Forget the remembered function values unless they were computed at `point` (the
    evaluator calls this before evaluating anything there)."""
    if getattr(_local, "point", None) != point:
        _local.point = tuple(point)
        _local.memo = {}
        _local.values = None


def point_values(ctx: Any, point: Sequence[Any]) -> tuple[Any, ...]:
    """The point as mpmath numbers (`ctx.mpf` of each value), kept for the current point
    when every value is a float: exact at any working precision (53 bits or more)."""
    values = getattr(_local, "values", None)
    if values is not None and _local.point == point:
        return values
    values = tuple(ctx.mpf(v) for v in point)
    if getattr(_local, "point", None) == point and all(type(v) is float for v in point):
        _local.values = values
    return values


def memoized(name: str, f: Callable[[Any], Any], ctx: Any) -> Callable[[Any], Any]:
    """`f`, remembering its values at the current point: mpmath is deterministic, so the
    same argument at the same precision gives the same value, and a function call repeated
    in a tree (an intermediate substituted three times) or shared by the two sides of a
    comparison is computed once per point and precision. Failures are not remembered."""
    def remembered(x: Any) -> Any:
        arg = getattr(x, "_mpf_", None)
        if arg is None:
            return f(x)
        memo = getattr(_local, "memo", None)
        if memo is None or len(memo) > MEMO_SIZE:
            memo = _local.memo = {}
        key = (name, arg, ctx.prec)
        value = memo.get(key)
        if value is None:
            value = memo[key] = f(x)
        return value
    return remembered


def checker(slow: Callable[[Any], Any], limit: float, overflow: type) -> Callable[[Any], Any]:
    """`slow` (the evaluator's check of a value) for an mpmath real: finite, and its
    magnitude (exponent + bit count, as `ctx.mag`) within `limit`."""
    def check(v: Any) -> Any:
        try:
            _, man, exp, bc = v._mpf_
        except AttributeError:
            return slow(v)
        if man:
            if -limit <= exp + bc <= limit:
                return v
            raise overflow("magnitude out of range")
        if exp == 0 and bc == 0:  # zero
            return v
        return slow(v)  # infinities, nan
    return check


def summer(ctx: Any, check: Callable[[Any], Any], slow: Callable[[list[Any]], Any],
           cancelled: Callable[[], None]) -> Callable[[list[Any]], Any]:
    """The sum of a list of values as `ctx.fsum` makes it, calling `cancelled()` (see
    `numbers.cancelled`) when it keeps less than half of the working precision of its
    largest term; `slow(terms)` does the same for anything but ordinary mpmath reals."""
    from mpmath.libmp import mpf_sum

    rounding = ctx._prec_rounding  # the context's own list: its precision when called
    make = ctx.make_mpf

    def total(terms: list[Any]) -> Any:
        try:
            raw = [t._mpf_ for t in terms]
        except AttributeError:
            return slow(terms)
        top = None
        for sign, man, exp, bc in raw:
            if man:
                if top is None or exp + bc > top:
                    top = exp + bc
            elif sign or exp or bc:  # a special value
                return slow(terms)
        prec = rounding[0]
        s = mpf_sum(raw, prec, rounding[1])
        if top is not None and (s == _FZERO or (s[1] and s[2] + s[3] < top - prec // 2)):
            cancelled()
        return check(make(s))
    return total


def adder(ctx: Any, args: list[Callable[[Any], Any]], check: Callable[[Any], Any],
          slow: Callable[[list[Any]], Any], cancelled: Callable[[], None],
          ) -> Callable[[Any], Any]:
    """The closure of a sum node: `summer` over its arguments' values."""
    total = summer(ctx, check, slow, cancelled)
    return lambda p: total([f(p) for f in args])


def powerer(n: int, check: Callable[[Any], Any], slow: Callable[[Any], Any], limit: float,
            overflow: type) -> Callable[[Any], Any]:
    """a^n (integer n) as `numbers._pow_int` computes it; `slow(a)` for anything but a
    nonzero mpmath real."""
    def power(a: Any) -> Any:
        try:
            _, man, exp, bc = a._mpf_
        except AttributeError:
            return slow(a)
        if not man:
            return slow(a)
        if abs(n) * (abs(exp + bc) + 1) > limit:
            raise overflow("power too large")
        return check(a ** n)
    return power


def int_power(ctx: Any, base: Callable[[Any], Any], n: int, check: Callable[[Any], Any],
              slow: Callable[[Any], Any], limit: float, overflow: type) -> Callable[[Any], Any]:
    """The closure of base^n (integer n): `powerer` over the base's value."""
    power = powerer(n, check, slow, limit, overflow)
    return lambda p: power(base(p))
