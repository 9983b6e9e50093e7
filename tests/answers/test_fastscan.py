"""The long double screen (`answers.fastscan`): every point it certifies is one where the engine
alone takes its plain path and finds the two sides close, and verdicts are the same with and
without it (derivations: the first broken line, the slip, the witness and the work)."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from modl_tutor.answers import equivalence, fastscan
from modl_tutor.answers.derivation import DerivationSpec, check_derivation
from modl_tutor.answers.domains import domains_of, draw_points
from modl_tutor.answers.evaluate import Budget, evaluate, tree_size
from modl_tutor.answers.parser import parse_math

pytestmark = pytest.mark.skipif(not fastscan.USEFUL, reason="long double is a double here")

PAIRS = [
    ("sigmoid(x)*(1 - sigmoid(x))", "exp(-x)/(1 + exp(-x))^2", ()),
    ("1 - tanh(x)^2", "sech(x)^2", ()),
    ("4/(e^x + e^-x)^2", "1/cosh(x)^2", ()),
    ("log(1 + e^x)", "x + log(1 + e^-x)", ()),
    ("(x^2 - 1)/(x - 1)", "x + 1", ()),
    ("sqrt(x)^2", "x", ()),
    ("log(x^2)", "2*log(abs(x))", ()),
    ("(x + abs(x))/2", "max(0, x)", ()),
    ("(a - y)/(a*(1 - a))", "-y/a + (1 - y)/(1 - a)", (("a", "(0, 1)"),)),
    ("x*(sigmoid(w*x) - y)", "x*(-y*(1 - sigmoid(w*x)) + (1 - y)*sigmoid(w*x))", ()),
    ("(1 + 1e-15)*sin(x)^2", "1 - cos(x)^2", ()),
    ("x^3/3 + x", "(x^3 + 3*x)/3", ()),
    ("2^-7*x", "x/128", ()),
    ("(x + 10^20) - 10^20", "x", ()),
    ("pi*x^(1/2)", "sqrt(pi^2*x)", ()),
]
DIFFERENT = [
    ("(1 + 2e-15)*(x^2 + 1)", "x^2 + 1"),
    ("x + 2^-80", "x"),
    ("x + 1e-24", "x"),
    ("sigmoid(x)", "1/(1 + e^x)"),
    ("sigmoid(x)*(1 - sigmoid(x))", "sigmoid(x)*(1 + sigmoid(x))"),
]


def _parsed(a: str, b: str) -> tuple:
    ea, eb = parse_math(a), parse_math(b)
    names = equivalence.names_of(ea, eb)
    return ea, eb, names


@pytest.mark.parametrize(("a", "b", "domains"), PAIRS, ids=[p[0] for p in PAIRS])
def test_a_certified_point_is_plain_and_close_for_the_engine(a, b, domains):
    ea, eb, names = _parsed(a, b)
    points = draw_points(domains_of(domains, names), 100, "fastscan-test|" + a)
    sure = fastscan.certified(ea, eb, names, points, equivalence.REL, equivalence.ABS)
    assert sure is not None
    for point, ok in zip(points, sure):
        if not ok:
            continue
        budget = Budget()
        va, vb = evaluate(ea, names, point, budget), evaluate(eb, names, point, budget)
        assert budget.max_dps == 40, point          # no higher precision was needed
        assert budget.used == tree_size(ea) + tree_size(eb), point   # the work charged
        assert equivalence.close(va, vb), point


def test_most_points_of_a_plain_pair_are_certified():
    ea, eb, names = _parsed(*PAIRS[0][:2])
    points = draw_points(domains_of((), names), 88, "count")
    sure = fastscan.certified(ea, eb, names, points, equivalence.REL, equivalence.ABS)
    assert sure is not None and sum(sure) >= len(points) // 2


@pytest.mark.parametrize(("a", "b"), DIFFERENT, ids=[p[0] for p in DIFFERENT])
def test_a_point_where_the_engine_sees_a_difference_is_never_certified(a, b):
    ea, eb, names = _parsed(a, b)
    points = draw_points(domains_of((), names), 100, "different")
    sure = fastscan.certified(ea, eb, names, points, equivalence.REL, equivalence.ABS)
    assert sure is not None or "1e-24" in a  # a long decimal is left to the engine
    for point, ok in zip(points, sure or []):
        if ok:
            budget = Budget()
            va, vb = evaluate(ea, names, point, budget), evaluate(eb, names, point, budget)
            assert equivalence.close(va, vb) and budget.max_dps == 40, point
    if a.startswith("(1 + 2e-15)"):  # 2e-15 apart everywhere: never close
        assert not any(sure)


def test_nothing_is_certified_without_a_wide_long_double(monkeypatch):
    monkeypatch.setattr(fastscan, "USEFUL", False)
    ea, eb, names = _parsed(*PAIRS[0][:2])
    assert fastscan.certified(ea, eb, names, [(0.5,)], 1e-15, 1e-25) is None


def test_unsupported_operations_are_left_to_the_engine():
    ea, eb, names = _parsed("x^y", "exp(y*log(x))")
    assert fastscan.certified(ea, eb, names, [(2.0, 3.0)], 1e-15, 1e-25) is None


ROUTES = [
    ("derivatives/sigmoid_prime_steps", None),
    ("losses/mse_gradient_steps", None),
    ("backprop/logistic_dw_steps", None),
    ("backprop/two_layer_chain_steps", None),
    ("derivatives/sigmoid_prime_steps", "(1 + 1e-15)"),
    ("derivatives/sigmoid_prime_steps", "(1 + 2e-15)"),
    ("backprop/bce_sigmoid_dz_steps", "-1"),
]


@pytest.mark.parametrize(("exercise_id", "factor"), ROUTES)
def test_derivation_verdicts_are_the_same_with_and_without_the_screen(bank, monkeypatch,
                                                                     exercise_id, factor):
    part = bank.get(exercise_id).parts[0]
    spec = DerivationSpec.of(part)
    routes = [list(part.steps)] + [list(r.steps) for r in part.broken]
    if factor is not None:
        routes = [list(part.steps[:-1]) + [f"{factor}*({part.steps[-1]})"]]
    fast = [asdict(check_derivation(spec, r, timeout=1e9)) for r in routes]
    monkeypatch.setattr(equivalence, "_certified", lambda *args: None)
    exact = [asdict(check_derivation(spec, r, timeout=1e9)) for r in routes]
    assert fast == exact


IDENTICAL = [  # sympy's exact difference is 0, the long double alone cannot tell them apart
    ("x*(1 + d) - x", "-x + (d + 1)*x", (("d", "[-1.2e-16, 1.2e-16]"),)),
    ("(1 - 1/(1 + exp(-x)))/(1 + exp(-x))", "(1 - 1/(exp(-x) + 1))/(exp(-x) + 1)", ()),
    ("(x + 10^20) - 10^20 + y", "y + x - 10^20 + 10^20", ()),
]


@pytest.mark.parametrize(("a", "b", "domains"), IDENTICAL, ids=[p[0] for p in IDENTICAL])
def test_an_exact_identity_certifies_more_points_each_plain_and_close(a, b, domains):
    from modl_tutor.answers.convert import to_sympy_expr
    from modl_tutor.answers.symbolic import exact_difference

    ea, eb, names = _parsed(a, b)
    assert exact_difference(to_sympy_expr(ea), to_sympy_expr(eb)) == 0
    points = draw_points(domains_of(domains, names), 100, "identical|" + a)
    plain = fastscan.certified(ea, eb, names, points, equivalence.REL, equivalence.ABS)
    sure = fastscan.certified(ea, eb, names, points, equivalence.REL, equivalence.ABS, True)
    assert plain is not None and sure is not None
    assert all(s or not p for s, p in zip(sure, plain)) and sum(sure) > sum(plain)
    for point, ok in zip(points, sure):
        if ok:
            budget = Budget()
            va, vb = evaluate(ea, names, point, budget), evaluate(eb, names, point, budget)
            assert budget.max_dps == 40 and equivalence.close(va, vb), point


@pytest.mark.parametrize(("a", "b", "domains"), IDENTICAL, ids=[p[0] for p in IDENTICAL])
def test_verdicts_and_work_are_the_same_with_and_without_the_identity(a, b, domains,
                                                                      monkeypatch):
    import sympy

    ea, eb = parse_math(a), parse_math(b)  # sympy trees: the exact difference comes first
    names = equivalence.names_of(ea, eb)

    def run() -> tuple:
        budget = Budget()
        verdict = equivalence.compare(ea, eb, variables=names, domains=domains, budget=budget)
        return verdict, budget.used, budget.points, budget.max_dps

    fast = run()
    monkeypatch.setattr(equivalence, "_certified", lambda *args: None)
    assert run() == fast and fast[0][0] is equivalence.Verdict.EQUIVALENT
    assert isinstance(ea, sympy.Basic)


def test_shared_subtrees_give_the_same_certificates_as_fresh_nodes(monkeypatch):
    """Subtrees met again (within a tree, across the two sides, across comparisons) are one
    node evaluated once per set of points: never a stale result for other points."""
    pairs = [_parsed(a, b) for a, b, _ in PAIRS[:6]] + [_parsed(a, b) for a, b in DIFFERENT]
    runs = []
    for seed in ("one", "two", "one"):
        for ea, eb, names in pairs:
            points = draw_points(domains_of((), names), 60, seed)
            runs.append(fastscan.certified(ea, eb, names, points, equivalence.REL,
                                           equivalence.ABS))
    fresh = []

    def unshared(expr, names):
        try:
            return fastscan._compile(expr, {n: i for i, n in enumerate(names)}, {})
        except fastscan._Unsupported:
            return None

    monkeypatch.setattr(fastscan, "_compiled", unshared)
    for seed in ("one", "two", "one"):
        for ea, eb, names in pairs:
            points = draw_points(domains_of((), names), 60, seed)
            fresh.append(fastscan.certified(ea, eb, names, points, equivalence.REL,
                                            equivalence.ABS))
    assert runs == fresh and any(r and any(r) for r in runs)
