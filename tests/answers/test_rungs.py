"""Skipping the precisions that certainly cancel (`answers.rungs`): whenever it says that every
precision loses half of a sum's digits, the engine's own evaluation does at each of them (before
any error, and at the top precision without one), and `evaluate` gives the same value, error,
work and precision with and without it — including for sums that cancel at the low precisions
only, exact zeros next to a division by zero, and exponentials at the edge of dominance."""

from __future__ import annotations

import pytest

from modl_tutor.answers import evaluate as ev
from modl_tutor.answers import numbers as num
from modl_tutor.answers import rungs
from modl_tutor.answers.evaluate import MAX_DPS, Budget
from modl_tutor.answers.parser import parse_math
from tests.answers.test_ladder import EXPRESSIONS, VALUES, _engine, _evaluate

HOSTILE = [
    # cancels at 40..320 digits only (1 + 2^-300 is exact from 301 bits on): must climb
    ("(x + 2^-300)*(x - 2^-300) - x^2", "x"),
    ("(x + 2^-100)*(x - 2^-100) - x^2", "x"),
    # an exact 0 beside a division by that 0: an error at the top, not a skipped point
    ("(1 - y) + 1/(y - 1)", "x y"),
    ("(1 - y)*exp(x) + 1/((1 - y)*x)", "x y"),
    # mpf_sum drops a far smaller term before the big ones cancel
    ("exp(x) + 1 - exp(x)", "x"),
    ("exp(x) + x - exp(x) + exp(-x)", "x"),
    ("(exp(x) + 1)*(exp(x) - 1) - exp(x)^2", "x"),
    # dominance that holds at the low precisions only
    ("(exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2 + 0*x", "x"),
    ("(exp(x) + 2^-200)^2 - exp(x)^2", "x"),
    # exact numbers that are not exact at 40 digits
    ("(3^90 + x) - 3^90 - x", "x"),
    ("x*(1/3) - x/3", "x"),
    ("2^-1000*exp(x) - 2^-1000*exp(x)", "x"),
    ("exp(x)^3*exp(-x)^3 - exp(x)^3*exp(-x)^3", "x"),
    ("(x^2 - x*x)*exp(x)", "x"),
]
EDGES = [1477.0, 1478.0, 1479.5, 2950.0, 2955.0, 2960.0, 0.5, -0.5, 1e-300, 5e-324, 2.0 ** 60,
         63.75, 177.25, -185.5, 244.0, 522.25, -621.5, 735.0]
ALL = EXPRESSIONS + HOSTILE


def _points(names: tuple[str, ...]) -> list[tuple[float, ...]]:
    values = VALUES + EDGES
    if len(names) == 1:
        return [(v,) for v in values]
    other = {"y": (0.0, 1.0, 0.25), "x": (1.0, -2.5, 3.0)}
    return [tuple(v if n == names[0] else other.get(n, (v, 1.0, 0.5))[k % 3] for n in names)
            for k, v in enumerate(values)]


def test_the_rungs_are_the_engines() -> None:
    dps, out = num.MP_DPS, []
    while dps <= MAX_DPS:
        out.append(dps)
        dps *= 2
    assert tuple(out) == rungs.RUNG_DPS


@pytest.mark.parametrize(("text", "names"), ALL, ids=[e[0][:40] for e in ALL])
def test_a_loss_everywhere_is_the_engines(text: str, names: str) -> None:
    variables = tuple(names.split())
    expr = parse_math(text, variables=variables)
    for point in _points(variables):
        lost = rungs.lost_rungs(expr, variables, point)
        for dps in rungs.RUNG_DPS[:lost]:
            if dps < MAX_DPS:  # the flag comes before any error
                assert _engine(expr, variables, point, dps, True)[0] == "lost", (point, dps)
            else:  # flagged, and no error at the end
                assert _engine(expr, variables, point, dps, False) == ("value", True), point


@pytest.mark.parametrize(("text", "names"), HOSTILE + EXPRESSIONS[:6] + EXPRESSIONS[24:27],
                         ids=[e[0][:40] for e in HOSTILE + EXPRESSIONS[:6] + EXPRESSIONS[24:27]])
def test_evaluate_is_the_same_without_it(text: str, names: str, monkeypatch) -> None:
    variables = tuple(names.split())
    expr = parse_math(text, variables=variables)
    points = _points(variables)
    fast = [_evaluate(expr, variables, p) for p in points]
    monkeypatch.setattr(rungs, "lost_rungs", lambda *args: 0)
    assert [_evaluate(expr, variables, p) for p in points] == fast


@pytest.mark.parametrize(("text", "names", "point"), [
    ("(exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2", "x", (1e6,)),   # far out: dominance
    ("(exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2", "x", (-3000.5,)),
    ("exp(x) - exp(-x)", "x", (0.0,)),                                # exp(0) is exactly 1
    ("x*(1 - 1/(1 + exp(-w*x)))*(-y*(1 + exp(-w*x)) + (1 - y)/(1 - 1/(1 + exp(-w*x))))",
     "w x y", (0.75, 1.5, 1.0)),                                      # 1 - y = 0 exactly
])
def test_what_it_decides(text: str, names: str, point: tuple[float, ...]) -> None:
    variables = tuple(names.split())
    expr = parse_math(text, variables=variables)
    assert rungs.lost_everywhere(expr, variables, point)
    budget = Budget(limit=10 ** 12)
    with pytest.raises(num.Overflow):
        ev.evaluate(expr, variables, point, budget)
    assert budget.max_dps == MAX_DPS and budget.used == 63 * budget.size(expr)


@pytest.mark.parametrize(("point", "lost"), [((45.5,), 0), ((177.25,), 2), ((244.0,), 3),
                                             ((522.25,), 4), ((1000.0,), 5), ((6150.5,), 6)])
def test_the_low_precisions_are_skipped_in_between(point: tuple[float, ...], lost: int,
                                                   monkeypatch) -> None:
    expr = parse_math("((exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2)/(exp(x) + exp(-x))^2",
                      variables=["x"])
    assert rungs.lost_rungs(expr, ("x",), point) == lost  # e^-x below e^x's last digit
    fast = _evaluate(expr, ("x",), point)
    monkeypatch.setattr(rungs, "lost_rungs", lambda *args: 0)
    assert _evaluate(expr, ("x",), point) == fast
    if 1 < lost < 5:  # a value (4 / (e^x + e^-x)^2) at a higher precision
        assert fast[0].startswith("mpf(") and fast[2] > rungs.RUNG_DPS[lost - 1]


@pytest.mark.parametrize(("text", "names", "point"), [
    ("(x + 2^-300)*(x - 2^-300) - x^2", "x", (1.0,)),   # a value at 640 digits
    ("(exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2", "x", (522.25,)),  # a value at 1280
    ("(1 - y) + 1/(y - 1)", "x y", (2.0, 1.0)),          # division by 0 at the top
    ("exp(x) + 1 - exp(x)", "x", (1e5,)),                 # a dropped term: not followed
    ("log(x) + (1 - y)", "x y", (2.0, 1.0)),              # log: not followed
    ("(1 + y)*x", "x y", (2.0, 1.0)),                     # never lost at all
])
def test_what_it_leaves_to_the_engine(text: str, names: str, point: tuple[float, ...]) -> None:
    variables = tuple(names.split())
    assert not rungs.lost_everywhere(parse_math(text, variables=variables), variables, point)


def test_non_float_points_are_left_alone() -> None:
    expr = parse_math("exp(x) - exp(-x)", variables=["x"])
    assert not rungs.lost_everywhere(expr, ("x",), (0,))
    assert rungs.lost_everywhere(expr, ("x",), (0.0,))


def test_tanh_is_one_far_out_at_every_precision() -> None:
    import mpmath

    assert 3 * 2 ** (12 - 1) > rungs.PMAX + 14  # mpf_cosh_sinh's shortcut (mag(2048) = 12)
    ctx = mpmath.MPContext()
    for dps in rungs.RUNG_DPS:
        ctx.dps = dps
        assert ctx.tanh(ctx.mpf(rungs.TANH_ONE)) == 1 and ctx.tanh(ctx.mpf(-3e9)) == -1


def test_the_precisions_are_mpmaths() -> None:
    from mpmath.libmp import dps_to_prec

    assert rungs.PRECS == tuple(dps_to_prec(d) for d in rungs.RUNG_DPS)
    assert ev._PRECS == dict(zip(rungs.RUNG_DPS, rungs.PRECS))


DERIVATIONS = [  # (variables, domains, intermediates, expected, lines)
    (("x",), (), (("p", "exp(x) - exp(-x)"), ("q", "exp(x) + exp(-x)")), "1 - tanh(x)^2",
     ["(q*q - p*p)/q^2", "1 - (p/q)^2", "1 - tanh(x)^2"]),
    (("x",), (), (("p", "exp(x) - exp(-x)"), ("q", "exp(x) + exp(-x)")), "1 - tanh(x)^2",
     ["(q*q - p*p)/q^2", "1 - (p/q)^2 + 2^-300", "1 - tanh(x)^2"]),     # a tiny slip
    (("x",), (), (), "x^2", ["(x + 2^-300)*(x - 2^-300)", "x^2"]),        # low precisions only
    (("z", "y"), (("y", "[0, 1]"), ("z", "[-8, 8]")), (("a", "sigmoid(z)"),), "a - y",
     ["(-y/a + (1 - y)/(1 - a))*a*(1 - a)", "-y*(1 - a) + (1 - y)*a", "a - y"]),
    (("z", "y"), (("y", "[0, 1]"), ("z", "[-8, 8]")), (("a", "sigmoid(z)"),), "a - y",
     ["(-y/a + (1 - y)/(1 - a))*a*(1 - a)", "-y*(1 - a) + (1 - y)*a + (1 - y)*2^-60",
      "a - y"]),
    (("x",), (), (("u", "1 + exp(-x)"),), "sigmoid(x)*(1 - sigmoid(x))",
     ["-u^(-2)*(-exp(-x))", "exp(-x)/u^2", "(1/u)*((u - 1)/u)", "sigmoid(x)*(1 + sigmoid(x))"]),
]


@pytest.mark.parametrize("case", DERIVATIONS, ids=[" ; ".join(c[4])[:50] for c in DERIVATIONS])
def test_derivation_verdicts_are_the_same_without_the_shortcuts(case: tuple,
                                                                monkeypatch) -> None:
    from modl_tutor.answers import identity
    from modl_tutor.answers.derivation import DerivationSpec, check_derivation

    variables, domains, intermediates, expected, lines = case
    spec = DerivationSpec(variables=variables, expected=expected, domains=domains,
                          intermediates=intermediates)

    def run() -> tuple:
        r = check_derivation(spec, lines, timeout=1e9)
        return r.status, r.score, r.first_broken, r.message, r.work, [
            (x.number, x.status, x.message) for x in r.lines]

    from modl_tutor.answers import derivation

    # the numeric path (a proven step skips it: tests/answers/test_proven_steps.py)
    monkeypatch.setattr(derivation, "_proven_step", lambda *args: False)
    fast = run()
    monkeypatch.setattr(rungs, "lost_rungs", lambda *args: 0)
    monkeypatch.setattr(identity, "proven", lambda *args, **kw: False)
    assert run() == fast


def test_the_tanh_derivation_takes_both_shortcuts(monkeypatch) -> None:
    from modl_tutor.answers import identity
    from modl_tutor.answers.derivation import DerivationSpec, check_derivation

    variables, domains, intermediates, expected, lines = DERIVATIONS[0]
    used = {"rungs": 0, "identity": 0}
    real_rungs, real_identity = rungs.lost_rungs, identity.proven

    def counting(name: str, real: object) -> object:
        def f(*args: object, **kw: object) -> bool:
            out = real(*args, **kw)  # type: ignore[operator]
            used[name] += bool(out)
            return out
        return f

    from modl_tutor.answers import derivation

    monkeypatch.setattr(derivation, "_proven_step", lambda *args: False)  # the numeric path
    monkeypatch.setattr(rungs, "lost_rungs", counting("rungs", real_rungs))
    monkeypatch.setattr(identity, "proven", counting("identity", real_identity))
    spec = DerivationSpec(variables=variables, expected=expected, domains=domains,
                          intermediates=intermediates)
    assert check_derivation(spec, lines, timeout=1e9).status == "correct"
    assert used["rungs"] > 0 and used["identity"] > 0
