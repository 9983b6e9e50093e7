"""Certified screening of a comparison's points in extended precision (numpy, all points at once).

At each point, both trees are evaluated in numpy's long double with two running error bounds:
how far the long double value may be from the exact real value (`E`), and how far the engine's
own 40-digit mpmath value may be from it (`M`, from mpmath's 136-bit roundings). A point is
certified only when, for both trees, the engine's evaluation provably takes its plain path —
every value defined and in range, no sum losing half of its digits (so no higher precision and
no extra work) — and the two mpmath values provably pass `equivalence.close`. Any other point
(undefined, near a boundary, cancelling, differing, or merely too close to call) is left to the
engine, so a verdict, its witness and the work charged are exactly those of the engine alone.
Where the long double is no wider than a double, or a tree holds an operation not listed here,
nothing is certified.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable

import numpy as np

LD = np.longdouble
U_LD = float(np.finfo(LD).eps)
U_OP = U_LD
"""Error of one long double + or × (IEEE: half of this), relative to its value."""
SLACK = 16 * U_LD
"""Error allowed for one libm function of long doubles (glibc documents a few ulps)."""
U_MP = 2.0 ** -130
"""Rounding of one mpmath operation at 40 digits (136 bits), with slack."""
SAFE_EXP = 11000.0
"""Largest |argument| of exp, sinh, cosh, sech certified (long double range)."""
SAFE_TRIG = 1e6
CANCEL = 2.0 ** -60
"""A sum is certified only when it keeps more than this fraction of its largest term (the
engine asks for more digits when it keeps less than 2^-68)."""
MAX_EXPONENT = 1000
EXACT_INT = 2 ** 53
USEFUL = U_LD < 1e-17
"""Certification needs a long double wider than a double (x86's 80-bit format)."""

Node = Callable[[Any], tuple[Any, Any, Any, Any]]
"""Points (n, k) -> (value, E, M, ok) arrays of length n."""


TINY = LD("1e-4800")
"""Smallest nonzero |value| certified (below, long double underflow could hide an error)."""


class _Unsupported(Exception):
    pass


def _settled(v: Any, e: Any, m: Any, ok: Any, av: Any = None) -> tuple[Any, Any, Any, Any]:
    """A node's arrays, `ok` only where the value is finite and either far from underflow or
    an exact zero (a zero with no error at all, as x·0 or x^n at x = 0). `av`: |v| if known."""
    big = (np.abs(v) if av is None else av) > TINY
    if not big.all():
        big |= (v == 0) & (e == 0) & (m == 0)
    fine = np.isfinite(v) & np.isfinite(e) & np.isfinite(m) & big
    return v, e, m, ok & fine


def _const(expr: Any) -> tuple[Any, float, float]:
    """(long double value, E, M) of a number in a tree."""
    if expr.is_Rational:
        p, q = int(expr.p), int(expr.q)
        if abs(p) > EXACT_INT or q > EXACT_INT:
            raise _Unsupported("big rational")
        value = LD(p) / LD(q)
        c = abs(float(value))
        return value, (0.0 if q == 1 else c * U_LD), c * U_MP
    if expr.is_Float:
        exact = Fraction(str(expr))
        if abs(exact.numerator) > EXACT_INT or exact.denominator > EXACT_INT:
            raise _Unsupported("long decimal")
        value = LD(exact.numerator) / LD(exact.denominator)
        c = abs(float(value))
        return value, c * U_LD, c * U_MP
    name = type(expr).__name__
    if name == "Exp1":
        value = np.exp(LD(1))
    elif name == "Pi":
        value = np.arctan(LD(1)) * 4
    else:
        raise _Unsupported(name)
    c = abs(float(value))
    return value, c * SLACK, c * U_MP


def _add(args: list[Node]) -> Node:
    n = len(args)

    def run(p: Any) -> Any:
        parts = [f(p) for f in args]
        (v, es, ms, ok), rest = parts[0], parts[1:]
        av = np.abs(v)
        absum, top = av, av + es + ms
        ok = ok.copy()
        for w, ew, mw, okw in rest:  # the same sums, in the same order, as one at a time
            v = v + w
            aw = np.abs(w)
            absum = absum + aw
            np.maximum(top, aw + ew + mw, out=top)
            es = es + ew
            ms = ms + mw
            ok &= okw
        e = es + n * U_OP * absum
        m = ms + 2 * (n + 1) * U_MP * (absum + es)
        av = np.abs(v)
        ok &= av - e - m > CANCEL * top  # the engine's sum keeps its digits
        return _settled(v, e, m, ok, av)
    return run


def _mul(args: list[Node]) -> Node:
    def run(p: Any) -> Any:
        v, e, m, ok = args[0](p)
        for f in args[1:]:
            w, ew, mw, okw = f(p)
            av, aw = np.abs(v), np.abs(w)
            tv, tw = av + e, aw + ew
            m = tv * mw + tw * m + m * mw + 2 * U_MP * (tv + m) * (tw + mw)
            e = av * ew + aw * e + e * ew + U_OP * av * aw
            v = v * w
            ok = ok & okw
        return _settled(v, e, m, ok)
    return run


def _unary(arg: Node, value: Callable[[Any], Any], lipschitz: Callable[[Any, Any], Any],
           domain: Callable[[Any, Any], Any], extra: Callable[[Any, Any], Any] | None = None,
           rounding: float = 8.0) -> Node:
    """f(arg) where |f'| <= lipschitz(v, r) on [v - r, v + r] and domain(v, r) holds there."""
    def run(p: Any) -> Any:
        v, e, m, ok = arg(p)
        r = e + m
        ok = ok & domain(v, r)
        with np.errstate(all="ignore"):
            safe = np.where(ok, v, LD(1))
            out = value(safe)
            lip = lipschitz(safe, np.where(ok, r, LD(0)))
            mag = np.abs(out)
            e2 = lip * e + SLACK * mag
            m2 = lip * m + rounding * U_MP * (mag + lip * r)
            if extra is not None:
                m2 = m2 + extra(safe, mag)
        return _settled(out, e2, m2, ok)
    return run


def _true(v: Any, r: Any) -> Any:
    return np.ones(v.shape, dtype=bool)


def _function(name: str, args: list[Node]) -> Node:
    if name in ("Max", "Min"):
        pick = np.maximum if name == "Max" else np.minimum

        def lattice(p: Any) -> Any:
            parts = [f(p) for f in args]
            v = parts[0][0]
            for x in parts[1:]:
                v = pick(v, x[0])
            return (v, np.max([x[1] for x in parts], axis=0),
                    np.max([x[2] for x in parts], axis=0),
                    np.logical_and.reduce([x[3] for x in parts]))
        return lattice
    if len(args) != 1:
        raise _Unsupported(name)
    a = args[0]
    one = lambda v, r: LD(1)  # noqa: E731
    big = lambda v, r: np.abs(v) + r < SAFE_EXP  # noqa: E731
    table: dict[str, tuple[Any, Any, Any]] = {
        "exp": (np.exp, lambda v, r: np.exp(v + r), big),
        "log": (np.log, lambda v, r: 1 / (v - r), lambda v, r: v - r > 0),
        "tanh": (np.tanh, one, _true),
        "sech": (lambda v: 1 / np.cosh(v), one, big),
        "sinh": (np.sinh, lambda v, r: np.cosh(np.abs(v) + r), big),
        "cosh": (np.cosh, lambda v, r: np.cosh(np.abs(v) + r), big),
        "sin": (np.sin, one, lambda v, r: np.abs(v) + r < SAFE_TRIG),
        "cos": (np.cos, one, lambda v, r: np.abs(v) + r < SAFE_TRIG),
        "Abs": (np.abs, one, _true),
    }
    if name not in table:
        raise _Unsupported(name)
    value, lip, domain = table[name]
    return _unary(a, value, lip, domain, rounding=0.0 if name == "Abs" else 8.0)


def _power(expr: Any, base: Node, exponent: Node) -> Node:
    b = expr.args[1]
    if getattr(expr.args[0], "is_NumberSymbol", False) and type(expr.args[0]).__name__ == "Exp1":
        # e^y: the engine raises its 136-bit e to y (relative error |y|·2^-136 more)
        return _unary(exponent, np.exp, lambda v, r: np.exp(v + r),
                      lambda v, r: np.abs(v) + r < SAFE_EXP,
                      extra=lambda v, mag: 2 * U_MP * mag * (np.abs(v) + 1))
    exact = _dyadic(b)
    if exact is None:
        raise _Unsupported("power")
    p, q = exact.numerator, exact.denominator
    if abs(p) > MAX_EXPONENT * q or q > 2 ** 20:
        raise _Unsupported("exponent")
    if q == 1 and b.is_Integer:
        n = p
        if n == 0:
            return lambda pts: (np.ones(len(pts), dtype=LD), np.zeros(len(pts), dtype=LD),
                                np.zeros(len(pts), dtype=LD), base(pts)[3])
        if n > 0:
            def run(pts: Any) -> Any:
                v, e, m, ok = base(pts)
                exact_zero = (v == 0) & (e + m == 0)   # x^n at x = 0 exactly: 0, no check
                inner = _unary(lambda _: (v, e, m, ok), lambda x: x ** n,
                               lambda x, r: n * (np.abs(x) + r) ** (n - 1),
                               lambda x, r: (np.abs(x) - r > 0) & _mag_ok(x, r, n),
                               rounding=8.0 * (n + 1))(pts)
                zero = np.zeros(len(pts), dtype=LD)
                return (np.where(exact_zero, zero, inner[0]), np.where(exact_zero, zero, inner[1]),
                        np.where(exact_zero, zero, inner[2]), np.where(exact_zero, ok, inner[3]))
            return run
        k = -n
        return _unary(base, lambda x: 1 / x ** k, lambda x, r: k / (np.abs(x) - r) ** (k + 1),
                      lambda x, r: (np.abs(x) - r > 0) & _mag_ok(x, r, k),
                      rounding=8.0 * (k + 1))
    c = LD(p) / LD(q)
    return _unary(base, lambda x: x ** c,
                  lambda x, r: abs(c) * np.maximum((x - r) ** (c - 1), (x + r) ** (c - 1)),
                  lambda x, r: (x - r > 0) & _mag_ok(x, r, abs(p) / q + 1), rounding=16.0)


def _dyadic(expr: Any) -> Fraction | None:
    """The exact value of a constant exponent whose every node is a small dyadic number (the
    engine computes it without rounding), else None."""
    if expr.is_Rational:
        value = Fraction(int(expr.p), int(expr.q))
    elif expr.is_Add or expr.is_Mul:
        parts = [_dyadic(a) for a in expr.args]
        if any(x is None for x in parts):
            return None
        value = sum(parts, Fraction(0)) if expr.is_Add else math.prod(parts, start=Fraction(1))
    elif expr.is_Pow and expr.args[1].is_Integer and abs(int(expr.args[1])) <= 64:
        base = _dyadic(expr.args[0])
        if base is None or (base == 0 and int(expr.args[1]) < 0):
            return None
        value = base ** int(expr.args[1])
    else:
        return None
    q = value.denominator
    if q & (q - 1) or q > 2 ** 20 or abs(value.numerator) > 2 ** 60:
        return None
    return value


def _mag_ok(v: Any, r: Any, n: float) -> Any:
    """The engine's power guard |n|·(|mag a| + 1) <= 1e8 holds with room to spare."""
    with np.errstate(all="ignore"):
        hi = np.abs(np.log2(np.abs(v) + r))
        lo = np.abs(np.log2(np.maximum(np.abs(v) - r, LD(1e-4000))))
    return n * (np.maximum(hi, lo) + 3) < 5e7


def _compile(expr: Any, index: dict[str, int], shared: dict[Any, Node] | None = None) -> Node:
    """The node of `expr`; a subtree met again (an intermediate substituted three times) is
    the same node, evaluated once per call (`_once`): no node changes its arguments' arrays."""
    if shared is None:
        shared = {}
    node = shared.get(expr)
    if node is None:
        node = shared[expr] = _once(_node(expr, index, shared)) if expr.args else \
            _node(expr, index, shared)
    return node


class _Points:
    """The points of one screening (an (n, k) array) and the nodes' results for them."""

    __slots__ = ("array", "results")

    def __init__(self, array: Any) -> None:
        self.array, self.results = array, {}

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, index: Any) -> Any:
        return self.array[index]


def _once(f: Node) -> Node:
    key = object()

    def run(p: Any) -> Any:
        results = p.results  # this screening's own: nothing outlives it
        hit = results.get(key)
        if hit is None:
            hit = results[key] = f(p)
        return hit
    return run


def _node(expr: Any, index: dict[str, int], shared: dict[Any, Node]) -> Node:
    if expr.is_Symbol:
        if expr.name not in index:
            raise _Unsupported("free variable")
        i = index[expr.name]
        return lambda p: (p[:, i], np.zeros(len(p), dtype=LD), np.zeros(len(p), dtype=LD),
                          np.ones(len(p), dtype=bool))
    if expr.is_Number or expr.is_NumberSymbol or (expr.is_Atom and expr.is_number):
        value, e, m = _const(expr)
        return lambda p: (np.full(len(p), value, dtype=LD), np.full(len(p), e, dtype=LD),
                          np.full(len(p), m, dtype=LD), np.ones(len(p), dtype=bool))
    args = [_compile(a, index, shared) for a in expr.args]
    if expr.is_Add:
        return _add(args)
    if expr.is_Mul:
        return _mul(args)
    if expr.is_Pow:
        return _power(expr, args[0], args[1])
    if not expr.is_Function:
        raise _Unsupported(type(expr).__name__)
    return _function(type(expr).__name__, args)


_SHARED: dict[tuple[str, ...], dict[Any, Node]] = {}
"""Nodes by subtree, per variable order: the two sides of a comparison (and the lines of a
derivation) share their common subtrees, each evaluated once per screening."""
SHARED_SIZE = 8192


@lru_cache(maxsize=1024)
def _compiled(expr: Any, names: tuple[str, ...]) -> Node | None:
    shared = _SHARED.setdefault(names, {})
    if len(shared) > SHARED_SIZE:
        shared.clear()
    try:
        return _compile(expr, {n: i for i, n in enumerate(names)}, shared)
    except (_Unsupported, RecursionError, OverflowError, ValueError, ZeroDivisionError):
        return None


def _array(points: list[tuple[float, ...]], k: int) -> Any:
    """The points as an (n, k) long double array (through doubles: the same exact values,
    a quarter of the time when they are floats)."""
    if all(type(v) is float for point in points for v in point):
        return np.array(points, dtype=np.float64).astype(LD).reshape(len(points), k)
    return np.array(points, dtype=LD).reshape(len(points), k)


def certified(a: Any, b: Any, names: tuple[str, ...], points: list[tuple[float, ...]],
              rel: float, absolute: float, identical: bool = False) -> list[bool] | None:
    """Per point: True when the engine's evaluation of `a` and of `b` there is certainly
    plain (defined, in range, no cancellation, one pass at 40 digits) and the two values
    certainly agree (|a - b| <= rel·max(|a|, |b|) + absolute); None when nothing can be.

    `identical`: the caller knows that a - b is exactly 0 wherever both are defined (sympy's
    exact difference is 0), so the two engine values differ by at most their own rounding
    errors (`M`), whatever the long double values' errors (`E`) are."""
    if not USEFUL or not points or not names:
        return None
    fa, fb = _compiled(a, names), _compiled(b, names)
    if fa is None or fb is None:
        return None
    pts = _Points(_array(points, len(names)))
    with np.errstate(all="ignore"):
        va, ea, ma, oka = fa(pts)
        vb, eb, mb, okb = fb(pts)
        ra, rb = ea + ma, eb + mb
        gap = np.abs(va - vb) + ra + rb
        low = np.maximum(np.abs(va), np.abs(vb)) - np.maximum(ra, rb)
        sure = oka & okb & np.isfinite(gap) & (gap <= rel * low + absolute)
        if identical:  # |mp a - mp b| <= ma + mb; max(|mp a|, |mp b|) >= |va| - ea - ma
            room = rel * (np.abs(va) - ea - ma) + absolute
            sure |= oka & okb & np.isfinite(room) & (ma + mb <= room)
    return [bool(x) for x in np.broadcast_to(sure, (len(points),))]


def plain_points(a: Any, names: tuple[str, ...], points: list[tuple[float, ...]]) -> Any:
    """(values, E + M, ok) of one tree (for tests)."""
    f = _compiled(a, names)
    if f is None:
        return None
    pts = _Points(_array(points, len(names)))
    with np.errstate(all="ignore"):
        v, e, m, ok = f(pts)
    return v, e + m, ok


__all__ = ["certified", "plain_points", "USEFUL", "math"]
