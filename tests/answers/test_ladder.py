"""Climbing precisions without huge exponentials (`answers.ladder`): whenever it says that an
evaluation loses half of a sum's digits, the engine's own evaluation does (before any error,
and at the top precision without one), and `evaluate` gives the same value, error, work and
precision with and without it."""

from __future__ import annotations

import pytest

from modl_tutor.answers import evaluate as ev
from modl_tutor.answers import ladder, mp_fast
from modl_tutor.answers import numbers as num
from modl_tutor.answers.evaluate import MAX_DPS, Budget, at_precision
from modl_tutor.answers.parser import parse_math

EXPRESSIONS = [
    ("(exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2", "x"),
    ("((exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2)/(exp(x) + exp(-x))^2", "x"),
    ("1 - (exp(x) - exp(-x))^2/(exp(x) + exp(-x))^2", "x"),
    ("(1 - 1/(1 + exp(-x)))/(1 + exp(-x))", "x"),
    ("exp(-x)/(1 + exp(-x))^2 - 1/(1 + exp(-x)) + 1/(1 + exp(-x))^2", "x"),
    ("exp(x)*exp(-x) - 1", "x"),
    ("exp(x)*exp(-x) - 2", "x"),
    ("exp(x)^2/exp(x)^2 - 2", "x"),
    ("exp(x)^2/exp(x)^2 - 1", "x"),
    ("(2^-200*exp(x) + 1)^2 - (2^-200*exp(x))^2", "x"),
    ("exp(x)*exp(-x)*2^-300 - 2^-300", "x"),
    ("exp(x)^2*exp(-x)^2 - 1", "x"),
    ("exp(x)^3*exp(-x)^3 - 2 + 1", "x"),
    ("2*exp(x)*exp(-x) - 2", "x"),
    ("exp(x) - exp(x)", "x"),
    ("1/(exp(x) - exp(x))", "x"),
    ("1/((exp(x) + 1) - exp(x))", "x"),
    ("log((exp(x) + 1) - exp(x))", "x"),
    ("exp(x)/(exp(x) + 1) - 1", "x"),
    ("exp(2*x) - exp(x)^2", "x"),
    ("exp(x) - exp(x) + x", "x"),
    ("exp(x) + exp(-x) - exp(x)", "x"),
    ("(exp(x) + 1)^2 - exp(x)^2 - 2*exp(x)", "x"),
    ("x*(1 - 1/(1 + exp(-w*x)))*(-y*(1 + exp(-w*x)) + (1 - y)/(1 - 1/(1 + exp(-w*x))))",
     "w x y"),
    ("x*(-y + 1/(1 + exp(-w*x))) - x*(1 - y)", "w x y"),
    ("(1 - y)*exp(-w) + y - y", "w y"),
    ("-y*(1 - 1/(1 + exp(-w))) + (1 - y)/(1 + exp(-w))", "w y"),
    ("(1 - 1/(1 + exp(-w)))*(-y*(1 + exp(-w)) + (1 - y)/(1 - 1/(1 + exp(-w))))", "w y"),
    ("(1 - y)/(exp(w) - exp(w)) + exp(w)", "w y"),
    ("(1 - y)*log(exp(w) - 1) + exp(w)/(exp(w) + 1)", "w y"),
    ("exp(x)*0 + 1 - 1", "x"),
    ("tanh(x)^2 + (exp(x) - exp(-x))^2/(exp(x) + exp(-x))^2 - 2", "x"),
    ("sqrt(exp(x)*exp(-x) - 1 + 1) - 1", "x"),
    ("abs(exp(x) - exp(x)) + exp(-x)*exp(x) - 1", "x"),
]
DECIDED = {"(exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2", "exp(x) - exp(x)",
           "1 - (exp(x) - exp(-x))^2/(exp(x) + exp(-x))^2", "exp(x)^2/exp(x)^2 - 1",
           "(1 - 1/(1 + exp(-x)))/(1 + exp(-x))",
           "-y*(1 - 1/(1 + exp(-w))) + (1 - y)/(1 + exp(-w))"}
VALUES = [0.0, 1.0, -1.0, 45.5, -45.5, 100.25, 194.5, 400.0, -800.5, 1000.0, 1500.0, -1600.0,
          3000.5, 1e4, -1e5, 1e6, -1e7, 1e8, -1e8, 1.5e8, 2.0 ** 0.5]


def _points(names: tuple[str, ...]) -> list[tuple[float, ...]]:
    if len(names) == 1:
        return [(v,) for v in VALUES]
    other = {"y": (0.0, 1.0, 0.25), "x": (1.0, -2.5, 3.0)}
    return [tuple(v if n == "w" else other.get(n, (v,))[k % 3] for n in names)
            for k, v in enumerate(VALUES)]


def _engine(expr: object, names: tuple[str, ...], point: tuple[float, ...], dps: int,
            abort: bool) -> tuple[str, bool]:
    """What the engine's closures do at one precision: stopped at a loss, an error or a value;
    and whether the cancellation flag is set."""
    with at_precision(dps) as ctx:
        num.cancelled()
        was = mp_fast.abort_on_loss(abort)
        try:
            num.call(num.compile_mp(expr, names, dps), tuple(ctx.mpf(v) for v in point))
            out = "value"
        except mp_fast.Lost:
            out = "lost"
        except num.Undefined:
            out = "error"
        finally:
            mp_fast.abort_on_loss(was)
        return out, num.cancelled()


def _claim(expr: object, names: tuple[str, ...], point: tuple[float, ...], dps: int) -> bool:
    top = dps >= MAX_DPS
    with at_precision(dps) as ctx:
        was = mp_fast.abort_on_loss(not top)
        try:
            return ladder.lost_at(expr, names, tuple(ctx.mpf(v) for v in point), dps, top)
        except mp_fast.Lost:
            return True
        finally:
            mp_fast.abort_on_loss(was)
            num.cancelled()


@pytest.mark.parametrize(("text", "names"), EXPRESSIONS, ids=[e[0][:40] for e in EXPRESSIONS])
def test_a_certain_loss_is_the_engines(text: str, names: str) -> None:
    variables = tuple(names.split())
    expr = parse_math(text, variables=variables)
    claims = 0
    for point in _points(variables):
        for dps in (80, 160, 320, 640, 1280):
            if not _claim(expr, variables, point, dps):
                continue
            claims += 1
            if dps < MAX_DPS:  # the flag comes before any error
                assert _engine(expr, variables, point, dps, True)[0] == "lost", (point, dps)
            else:  # flagged, and no error at the end
                assert _engine(expr, variables, point, dps, False) == ("value", True), point
    if text in DECIDED:
        assert claims  # far out, these are decided without the exponentials


def _evaluate(expr: object, names: tuple[str, ...], point: tuple[float, ...]) -> tuple:
    budget = Budget(limit=10 ** 12)
    try:
        value: object = repr(ev.evaluate(expr, names, point, budget))
    except num.Undefined as err:
        value = (type(err).__name__, str(err))
    return value, budget.used, budget.max_dps


@pytest.mark.parametrize(("text", "names"), EXPRESSIONS[:8] + EXPRESSIONS[18:20],
                         ids=[e[0][:40] for e in EXPRESSIONS[:8] + EXPRESSIONS[18:20]])
def test_evaluate_is_the_same_with_and_without_the_ladder(text: str, names: str,
                                                          monkeypatch) -> None:
    variables = tuple(names.split())
    expr = parse_math(text, variables=variables)
    points = _points(variables)
    fast = [_evaluate(expr, variables, p) for p in points]
    monkeypatch.setattr(ladder, "lost_at", lambda *args: False)
    assert [_evaluate(expr, variables, p) for p in points] == fast


def test_far_out_the_exponentials_are_not_computed(monkeypatch) -> None:
    expr = parse_math("((exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2)/(exp(x) + exp(-x))^2",
                      variables=["x"])
    calls = []
    real = num._MpOps.fn

    def counting(self: object, name: str) -> object:
        f = real(self, name)  # type: ignore[arg-type]
        return lambda *a: (calls.append((name, num.mp_context().prec)), f(*a))[1]

    monkeypatch.setattr(num._MpOps, "fn", counting)
    monkeypatch.setattr(ladder, "_local", type(ladder._local)())
    num.compile_mp.__globals__["_local"].mp_cache = {}
    budget = Budget(limit=10 ** 12)
    with pytest.raises(num.Overflow):
        ev.evaluate(expr, ("x",), (1e6,), budget)
    assert budget.max_dps == MAX_DPS  # the work of every precision is charged
    assert budget.used == 63 * budget.size(expr)
    assert all(prec < 200 for _, prec in calls)  # e^x only at the first precision
