"""Bounded numeric evaluation of sympy trees (float and mpmath) and numeric tolerances."""

from __future__ import annotations

import math
import threading
from functools import lru_cache, partial
from typing import Any, Callable, Sequence

from modl_tutor.answers import mp_fast

MP_DPS = 40
"""Working precision (decimal digits) of the mpmath evaluation."""
EXP_LIMIT = 1e8
"""Largest |argument| of exp (and |exponent·log2 base| of a power) evaluated; beyond: overflow."""
TRIG_LIMIT = 1e9
"""Largest |argument| of a trigonometric function evaluated (argument reduction cost)."""
DEFAULT_REL, DEFAULT_ABS = 1e-9, 1e-12

Fn = Callable[[Sequence[Any]], Any]


class Undefined(ArithmeticError):
    """The expression has no finite real value at this point (0 division, log of <= 0, ...)."""


class Overflow(Undefined):
    """The value exists but lies beyond the evaluator's range (huge exponent, argument of exp
    beyond `EXP_LIMIT`...): such a point says nothing about the domain of the expression."""


class Unsupported(ValueError):
    """The expression uses an operation the evaluator does not know."""


_local = threading.local()


def mp_context() -> Any:
    """A per-thread mpmath context at `MP_DPS` digits (the global mpmath context is untouched;
    `evaluate.at_precision` raises it temporarily)."""
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        import mpmath

        ctx = mpmath.MPContext()
        ctx.dps = MP_DPS
        _local.ctx = ctx
    return ctx


def cancelled() -> bool:
    """Read and clear the flag set when a sum lost more than half of its digits to
    cancellation since the last call (the caller then evaluates again at a higher precision)."""
    flag = getattr(_local, "cancelled", False)
    _local.cancelled = False
    return flag


def _set_cancelled() -> None:
    _local.cancelled = True
    if mp_fast.aborting():  # the rest of this evaluation cannot matter
        raise mp_fast.Lost


def _note_cancellation(ctx: Any, total: Any, terms: list[Any]) -> None:
    top = max((ctx.mag(t) for t in terms if t), default=None)
    if top is not None and (not total or ctx.mag(total) < top - ctx.prec // 2):
        _set_cancelled()


class _FloatOps:
    """Python-float arithmetic: fast, used to pre-screen points."""

    @staticmethod
    def const(expr: Any) -> float:
        if expr.is_Rational:
            try:
                return expr.p / expr.q
            except OverflowError:
                raise Undefined("overflow") from None
        return float(expr)

    @staticmethod
    def check(v: Any) -> float:
        if isinstance(v, complex) or not math.isfinite(v):
            raise Undefined("not a finite real number")
        return v

    @staticmethod
    def pow(a: float, b: Any) -> float:
        try:
            r = a ** b
        except (ZeroDivisionError, OverflowError):
            raise Undefined("power") from None
        if isinstance(r, complex):
            raise Undefined("complex power")
        return r

    @staticmethod
    def fn(name: str) -> Callable[..., float]:
        return _FLOAT_FUNCS[name]


def _flog(x: float) -> float:
    if x <= 0:
        raise Undefined("log of a non-positive number")
    return math.log(x)


def _guarded(f: Callable[[float], float], limit: float) -> Callable[[float], float]:
    def g(x: float) -> float:
        if abs(x) > limit:
            raise Undefined("argument too large")
        try:
            return f(x)
        except (OverflowError, ValueError, ZeroDivisionError):
            raise Undefined(f.__name__) from None
    return g


def _inv(f: Callable[[float], float]) -> Callable[[float], float]:
    def g(x: float) -> float:
        v = f(x)
        if v == 0:
            raise Undefined("division by zero")
        return 1 / v
    return g


def _sign(x: Any) -> int:
    return (x > 0) - (x < 0)


_FLOAT_FUNCS: dict[str, Callable[..., float]] = {
    "exp": _guarded(math.exp, 800), "log": _flog,
    "sin": _guarded(math.sin, TRIG_LIMIT), "cos": _guarded(math.cos, TRIG_LIMIT),
    "tan": _guarded(math.tan, TRIG_LIMIT), "sinh": _guarded(math.sinh, 800),
    "cosh": _guarded(math.cosh, 800), "tanh": math.tanh,
    "asin": _guarded(math.asin, 1), "acos": _guarded(math.acos, 1), "atan": math.atan,
    "asinh": math.asinh, "acosh": _guarded(math.acosh, 1e300), "atanh": _guarded(math.atanh, 1),
    "Abs": abs, "sign": _sign, "Max": max, "Min": min, "erf": math.erf,
    "Heaviside": lambda x, *h: 0.5 if x == 0 else float(x > 0),
}
for _name, _base in (("sech", "cosh"), ("csch", "sinh"), ("coth", "tanh"), ("sec", "cos"),
                     ("csc", "sin"), ("cot", "tan")):
    _FLOAT_FUNCS[_name] = _inv(_FLOAT_FUNCS[_base])


class _MpOps:
    """mpmath arithmetic at `MP_DPS` digits, with guards so that nothing runs away."""

    def __init__(self) -> None:
        self.ctx = mp_context()
        self.check = mp_fast.checker(self.slow_check, 4 * EXP_LIMIT, Overflow)

    def const(self, expr: Any) -> Any:
        ctx = self.ctx
        if expr.is_Rational:
            return ctx.mpf(expr.p) / expr.q
        if expr.is_Float:
            return ctx.mpf(str(expr))  # the decimal text, not the 53-bit binary value
        name = type(expr).__name__
        if name == "Exp1":
            return +ctx.e
        if name == "Pi":
            return +ctx.pi
        raise Undefined(name)  # I, zoo, nan, oo, ...

    def slow_check(self, v: Any) -> Any:
        ctx = self.ctx
        if isinstance(v, ctx.mpc):
            raise Undefined("not a real number")
        if not ctx.isfinite(v):
            raise Overflow("not a finite number")
        if v and abs(ctx.mag(v)) > 4 * EXP_LIMIT:
            raise Overflow("magnitude out of range")
        return v

    def pow(self, a: Any, b: Any) -> Any:
        ctx = self.ctx
        if a == 0:
            if b < 0:
                raise Undefined("0 to a negative power")
            return ctx.mpf(1) if b == 0 else ctx.mpf(0)
        if abs(b) * (abs(ctx.mag(a)) + 1) > EXP_LIMIT:
            raise Overflow("power too large")
        if a < 0 and not (isinstance(b, int) or ctx.isint(b)):
            raise Undefined("fractional power of a negative number")
        return a ** b

    def fn(self, name: str) -> Callable[..., Any]:
        ctx = self.ctx
        big = {"exp": EXP_LIMIT, "sinh": EXP_LIMIT, "cosh": EXP_LIMIT, "sin": TRIG_LIMIT,
               "cos": TRIG_LIMIT, "tan": TRIG_LIMIT, "sec": TRIG_LIMIT, "csc": TRIG_LIMIT,
               "cot": TRIG_LIMIT, "csch": EXP_LIMIT, "sech": EXP_LIMIT}
        if name in ("Max", "Min"):
            return max if name == "Max" else min
        if name == "Abs":
            return abs
        if name == "sign":
            return _sign
        if name == "Heaviside":
            return lambda x, *h: ctx.mpf(0.5) if x == 0 else ctx.mpf(int(x > 0))
        if name == "tanh":
            # exact to the working precision at any argument (no clamping)
            return mp_fast.memoized(name, ctx.tanh, ctx)
        if name == "log":
            return mp_fast.memoized(name, lambda x: ctx.log(x) if x > 0 else
                                    _raise("log of a non-positive number"), ctx)
        f = getattr(ctx, name, None)
        if f is None or name not in _FLOAT_FUNCS:
            raise Unsupported(name)
        limit = big.get(name)

        def g(x: Any) -> Any:
            if limit is not None and abs(x) > limit:
                raise Overflow("argument too large")
            try:
                return f(x)
            except (ZeroDivisionError, ValueError):
                raise Undefined(name) from None
        return mp_fast.memoized(name, g, ctx)


def _raise(message: str) -> Any:
    raise Undefined(message)


def _compile(expr: Any, index: dict[str, int], ops: Any) -> Fn:
    """Turn a sympy tree into nested closures over a point (a sequence of values)."""
    if expr.is_Symbol:
        if expr.name not in index:
            raise Unsupported(f"free variable {expr.name}")
        i = index[expr.name]
        return lambda p: p[i]
    if expr.is_Number or expr.is_NumberSymbol or (expr.is_Atom and expr.is_number):
        try:
            c = ops.check(ops.const(expr))
        except (Undefined, TypeError, OverflowError, ValueError, AttributeError):
            return lambda p: _raise("undefined constant")
        return lambda p: c
    args = [_compile(a, index, ops) for a in expr.args]
    check = ops.check
    if expr.is_Add:
        if isinstance(ops, _MpOps):
            ctx = ops.ctx

            def mp_add(terms: list[Any]) -> Any:
                s = ctx.fsum(terms)
                _note_cancellation(ctx, s, terms)
                return check(s)
            return mp_fast.adder(ctx, args, check, mp_add, _set_cancelled)

        def add(p: Sequence[Any]) -> Any:
            s = args[0](p)
            for f in args[1:]:
                s = s + f(p)
            return check(s)
        return add
    if expr.is_Mul:
        def mul(p: Sequence[Any]) -> Any:
            s = args[0](p)
            for f in args[1:]:
                s = s * f(p)
            return check(s)
        return mul
    if expr.is_Pow:
        base, power = args
        e = expr.args[1]
        if e.is_Integer:
            n = int(e)
            if isinstance(ops, _MpOps):
                return mp_fast.int_power(ops.ctx, base, n, check, partial(_pow_int, ops, n=n),
                                         EXP_LIMIT, Overflow)
            return lambda p: _pow_int(ops, base(p), n)
        return lambda p: check(ops.pow(base(p), power(p)))
    name = type(expr).__name__
    if name == "log" and len(args) == 2:
        ln = ops.fn("log")
        return lambda p: check(_div(ln(args[0](p)), ln(args[1](p))))
    if not expr.is_Function:
        raise Unsupported(name)
    f = ops.fn(name) if name in _FLOAT_FUNCS else _raise_unsupported(name)
    if len(args) == 1:
        a0 = args[0]
        return lambda p: check(f(a0(p)))
    return lambda p: check(f(*[a(p) for a in args]))


def _raise_unsupported(name: str) -> Any:
    raise Unsupported(name)


def _div(a: Any, b: Any) -> Any:
    if b == 0:
        raise Undefined("division by zero")
    return a / b


def _pow_int(ops: Any, a: Any, n: int) -> Any:
    if n < 0 and a == 0:
        raise Undefined("division by zero")
    return ops.check(ops.pow(a, n))


@lru_cache(maxsize=2048)
def compile_float(expr: Any, names: tuple[str, ...] = ()) -> Fn:
    """A fast float function of the point `p` (values in the order of `names`)."""
    return _compile(expr, {n: i for i, n in enumerate(names)}, _FloatOps)


def compile_mp(expr: Any, names: tuple[str, ...] = (), dps: int = MP_DPS) -> Fn:
    """An mpmath function of the point `p` whose constants hold `dps` digits (per thread,
    cached); call it while the context works at `dps` digits (`evaluate.at_precision`)."""
    cache = getattr(_local, "mp_cache", None)
    if cache is None:
        cache = _local.mp_cache = {}
    key = (expr, names, dps)
    fn = cache.get(key)
    if fn is None:
        if len(cache) > 2048:
            cache.clear()
        ctx = mp_context()
        saved, ctx.dps = ctx.dps, dps
        try:
            fn = cache[key] = _compile(expr, {n: i for i, n in enumerate(names)}, _MpOps())
        finally:
            ctx.dps = saved
    return fn


def call(fn: Fn, point: Sequence[Any]) -> Any:
    """Evaluate a compiled function; any arithmetic failure becomes `Undefined`."""
    try:
        return fn(point)
    except Undefined:
        raise
    except (ArithmeticError, ValueError, TypeError) as err:
        raise Undefined(str(err)) from None


def value(expr: Any) -> Any:
    """The mpmath value of a constant expression; raises Undefined / Unsupported."""
    return call(compile_mp(expr, ()), ())


def float_value(expr: Any) -> float | None:
    """The float value of a constant expression, or None if it has none (or is not constant)."""
    try:
        return float(call(compile_mp(expr, ()), ()))
    except (Undefined, Unsupported, OverflowError):
        return None


def fmt(x: Any, digits: int = 6) -> str:
    """A short decimal rendering of a number for feedback."""
    ctx = mp_context()
    try:
        v = ctx.mpf(x)
    except (TypeError, ValueError):
        return str(x)
    if abs(v) < 10 ** 15 and v == int(v):
        return str(int(v))
    return ctx.nstr(v, digits, min_fixed=-4, max_fixed=6, strip_zeros=True)


# the tolerance helpers live in their own module; re-exported for callers of `numbers`
from modl_tutor.answers.tolerance import (  # noqa: E402,F401
    figures_required,
    half_unit,
    round_sig,
    tolerance_bounds,
    within,
)
