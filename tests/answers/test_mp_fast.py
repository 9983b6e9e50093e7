"""The evaluator's fast paths (`answers.mp_fast`) return exactly what the plain mpmath code they
replace returns: same value bit for bit, same exception, same cancellation flag; and the memo of
function values changes no value, at any precision."""

from __future__ import annotations

import pytest

from modl_tutor.answers import mp_fast
from modl_tutor.answers import numbers as num
from modl_tutor.answers.evaluate import Budget, at_precision, evaluate
from modl_tutor.answers.parser import parse_math


def _plain(expr: object, names: tuple[str, ...], point: tuple[float, ...], dps: int) -> object:
    """The value (or exception) and the flag with the plain closures (no fast path, no memo)."""
    ops = num._MpOps()
    ops.check = ops.slow_check  # the plain check, fsum and power
    saved = mp_fast.adder, mp_fast.int_power, mp_fast.memoized
    mp_fast.memoized = lambda name, f, ctx: f
    mp_fast.adder = lambda ctx, args, check, slow, cancelled: (
        lambda p: slow([f(p) for f in args]))
    mp_fast.int_power = lambda ctx, base, n, check, slow, limit, overflow: (
        lambda p: slow(base(p)))
    try:
        with at_precision(dps) as ctx:
            fn = num._compile(expr, {n: i for i, n in enumerate(names)}, ops)
            return _run(fn, tuple(ctx.mpf(v) for v in point))
    finally:
        mp_fast.adder, mp_fast.int_power, mp_fast.memoized = saved


def _fast(expr: object, names: tuple[str, ...], point: tuple[float, ...], dps: int) -> object:
    with at_precision(dps) as ctx:
        fn = num._compile(expr, {n: i for i, n in enumerate(names)}, num._MpOps())
        return _run(fn, tuple(ctx.mpf(v) for v in point))


def _run(fn: object, point: tuple[object, ...]) -> object:
    num.cancelled()
    try:
        value: object = num.call(fn, point)  # type: ignore[arg-type]
        out: object = (type(value).__name__, getattr(value, "_mpf_", value))
    except num.Undefined as err:
        out = (type(err).__name__, str(err))
    return out, num.cancelled()


CASES = [
    ("(exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2", ("x",)),
    ("1 - 1/(1 + exp(-x))", ("x",)),
    ("x^3 - 3*x^2 + 3*x - 1", ("x",)),
    ("(x + 10^30) - 10^30", ("x",)),
    ("(x + 2^55) - 2^55 + (x + 2^250) - 2^250 + (x + 2^1800) - 2^1800", ("x",)),
    ("1/(x - 2)", ("x",)),
    ("x^(-3) + y^400", ("x", "y")),
    ("log(x) + log(y)", ("x", "y")),
    ("relu(x) - x + 1", ("x",)),
    ("abs(x) - x", ("x",)),
    ("max(x, y) - min(x, y) - abs(x - y)", ("x", "y")),
    ("x^9999", ("x",)),
    ("exp(x)*exp(x)*exp(x)", ("x",)),
    ("exp(x)^9999", ("x",)),
    ("tanh(x)^2 + sech(x)^2 - 1", ("x",)),
    ("2^9999*x - 2^9999*x + x^-2", ("x",)),
]
POINTS = [(0.0, 0.0), (1.0, 2.0), (-1.0, 0.5), (2.0, -3.0), (1e-7, 1e8), (30.5, 1e-300),
          (-750.25, 3.0), (1e8, -1e8), (5e7, 2.0)]


@pytest.mark.parametrize("text,names", CASES)
@pytest.mark.parametrize("dps", [40, 160, 1280])
def test_fast_paths_are_the_plain_code(text: str, names: tuple[str, ...], dps: int) -> None:
    expr = parse_math(text, variables=names)
    for point in POINTS:
        p = point[:len(names)]
        assert _fast(expr, names, p, dps) == _plain(expr, names, p, dps), (text, p, dps)


def test_checker_edges() -> None:
    ctx = num.mp_context()
    ops = num._MpOps()
    for v in (ctx.mpf(0), ctx.mpf(-3), ctx.inf, -ctx.inf, ctx.nan, ctx.mpc(1, 2), 7,
              ctx.mpf(2) ** (4 * 10 ** 8 - 1), ctx.mpf(2) ** (4 * 10 ** 8 + 1),
              ctx.mpf(2) ** -(4 * 10 ** 8 + 1)):
        try:
            want: object = ("ok", ops.slow_check(v))
        except num.Undefined as err:
            want = (type(err).__name__, str(err))
        try:
            got: object = ("ok", ops.check(v))
        except num.Undefined as err:
            got = (type(err).__name__, str(err))
        assert got == want, v


def test_memo_changes_no_value_and_is_scoped_to_a_point() -> None:
    expr = parse_math("(exp(x) + exp(-x))*exp(x) - log(exp(x) + 2)*tanh(x)", variables=["x"])
    point = (3.25,)
    got = evaluate(expr, ("x",), point, Budget())
    mp_fast.at_point((99.0,))  # a point change forgets everything remembered
    assert mp_fast._local.memo == {}
    again = evaluate(expr, ("x",), point, Budget())
    assert got == again and mp_fast._local.memo  # remembered at this point
    with at_precision(num.MP_DPS) as ctx:
        x = ctx.mpf(3.25)
        direct = (ctx.exp(x) + ctx.exp(-x)) * ctx.exp(x) - ctx.log(ctx.exp(x) + 2) * ctx.tanh(x)
    assert abs(got - direct) <= abs(direct) * 1e-35


def test_memo_is_bounded() -> None:
    f = mp_fast.memoized("exp", num.mp_context().exp, num.mp_context())
    mp_fast.at_point(("bounded",))
    ctx = num.mp_context()
    for k in range(mp_fast.MEMO_SIZE + 10):
        f(ctx.mpf(k) / 7)
    assert len(mp_fast._local.memo) <= mp_fast.MEMO_SIZE + 1
