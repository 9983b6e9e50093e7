"""Equivalence corpus: equal forms of deep-learning formulas, and near misses that must differ."""

from __future__ import annotations

import pytest
import sympy as sp

from modl_tutor.answers.build import symbol
from modl_tutor.answers.equiv_texts import compare_texts, equiv_report
from modl_tutor.answers.equivalence import Verdict, compare, equivalent
from modl_tutor.answers.domains import draw_points, parse_domain
from modl_tutor.answers.evaluate import Budget
from modl_tutor.answers.parser import ParseError

EQUAL = [
    # sigmoid derivative
    ("sigmoid(x)*(1-sigmoid(x))", "σ(x)(1−σ(x))"),
    ("sigmoid(x)*(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2"),
    ("sigmoid(x)*(1-sigmoid(x))", "e^(-x)/(1+e^(-x))^2"),
    ("sigmoid(x)*(1-sigmoid(x))", "sigmoid(x) - sigmoid(x)^2"),
    ("sigmoid(x)*(1-sigmoid(x))", "1/(1+e^-x) * (1 - 1/(1+e^-x))"),
    ("sigmoid(x)*(1-sigmoid(x))", "sigmoid(x)*sigmoid(-x)"),
    ("sigmoid(x)*(1-sigmoid(x))", "1/(4*cosh(x/2)^2)"),
    # tanh derivative
    ("1 - tanh(x)^2", "sech(x)^2"),
    ("1 - tanh(x)^2", "4/(e^x+e^-x)^2"),
    ("1 - tanh(x)^2", "1/cosh(x)^2"),
    ("tanh(x)", "2*sigmoid(2x) - 1"),
    # losses
    ("-(y/a) + (1-y)/(1-a)", "(a-y)/(a*(1-a))"),
    ("-(y*log(a) + (1-y)*log(1-a))", "-y*ln(a) - (1-y)*ln(1-a)"),
    ("-log(sigmoid(z))", "log(1+e^-z)"),
    ("(x - y)^2/2", "x^2/2 - x*y + y^2/2"),
    # softplus identities
    ("log(1+e^x) - log(1+e^-x)", "x"),
    ("log(1+e^x)", "x + log(1+e^-x)"),
    ("log(1+e^x)", "-log(sigmoid(-x))"),
    ("1/(1+e^-x)", "e^x/(1+e^x)"),
    # relu and friends
    ("relu(x)", "max(x, 0)"),
    ("relu(x)", "(x + abs(x))/2"),
    ("relu(x) - relu(-x)", "x"),
    ("min(x, 0)", "x - relu(x)"),
    # numbers and powers
    ("2^-7", "0.0078125"),
    ("2^-7", "1/128"),
    ("65504", "(2 - 2^-10) * 2^15"),
    ("0.1*x", "x/10"),
    ("sqrt(x^2)", "abs(x)"),
    ("log(x, 2)", "ln(x)/ln(2)"),
    ("x^(1/2)", "√x"),
    ("[sigmoid(x), 1 - tanh(x)^2]", "[1/(1+e^-x), sech(x)^2]"),
]

DIFFERENT = [
    ("sigmoid(x)*(1-sigmoid(x))", "sigmoid(x)"),
    ("sigmoid(x)*(1-sigmoid(x))", "-sigmoid(x)*(1-sigmoid(x))"),
    ("sigmoid(x)*(1-sigmoid(x))", "2*sigmoid(x)*(1-sigmoid(x))"),
    ("sigmoid(x)*(1-sigmoid(x))", "sigmoid(x)*(1+sigmoid(x))"),
    ("sigmoid(x)*(1-sigmoid(x))", "e^(-x)/(1+e^(-x))"),
    ("1 - tanh(x)^2", "1 - tanh(x)"),
    ("1 - tanh(x)^2", "1 + tanh(x)^2"),
    ("1 - tanh(x)^2", "sech(x)"),
    ("-(y/a) + (1-y)/(1-a)", "(y-a)/(a*(1-a))"),
    ("-(y/a) + (1-y)/(1-a)", "(a-y)/(a*(1+a))"),
    ("log(1+e^x) - log(1+e^-x)", "x + 1e-9"),
    ("relu(x)", "x"),
    ("relu(x)", "abs(x)"),
    ("x", "x + 1e-12"),
    ("e*x", "2.718281828*x"),
    ("2^-7", "0.0078"),
    ("x^2", "x^2 + x^2/1000000"),
    ("[1, 2]", "[1, 2, 3]"),
    ("[1, 2]", "[2, 1]"),
    ("x", "[x]"),
]


@pytest.mark.parametrize("a, b", EQUAL)
def test_equal_forms_are_equivalent(a: str, b: str) -> None:
    assert equivalent(a, b) is Verdict.EQUIVALENT
    assert equivalent(b, a) is Verdict.EQUIVALENT


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_near_misses_are_rejected(a: str, b: str) -> None:
    assert equivalent(a, b) is Verdict.NOT_EQUIVALENT
    assert equivalent(b, a) is Verdict.NOT_EQUIVALENT


def test_sympy_objects_and_strings_mix() -> None:
    x = symbol("x")
    assert equivalent(1 / (1 + sp.exp(-x)), "sigmoid(x)") is Verdict.EQUIVALENT
    plain = sp.Symbol("x")  # assumptions differ, names match: evaluated by name
    assert equivalent(plain**2, "x*x") is Verdict.EQUIVALENT
    assert equivalent(sp.Rational(1, 2), 0.5) is Verdict.EQUIVALENT


def test_nowhere_defined_on_both_sides_is_undecided_not_wrong() -> None:
    assert equivalent("sqrt(-1 - x^2)", "sqrt(-2 - x^2)") is Verdict.UNDECIDED
    assert equivalent("log(-x^2 - 1)", "log(-x^2 - 2)") is Verdict.UNDECIDED


def test_defined_nowhere_against_defined_everywhere_is_not_equivalent() -> None:
    verdict, witness = compare("sqrt(-1 - x^2)", "1")
    assert verdict is Verdict.NOT_EQUIVALENT and witness is not None
    assert "A is undefined" in witness.describe()


def test_isolated_holes_do_not_count() -> None:
    assert equivalent("x/x", "1") is Verdict.EQUIVALENT
    assert equivalent("(x^2 - y^2)/(x - y)", "x + y") is Verdict.EQUIVALENT
    assert equivalent("sin(x)/x * x", "sin(x)") is Verdict.EQUIVALENT


def test_interval_domain_mismatches_are_not_equivalent() -> None:
    for a, b in [("sqrt((x-3)*(x-5))", "sqrt(x-3)*sqrt(x-5)"), ("sqrt(x)^2", "x"),
                 ("log(x^2)", "2*log(x)"), ("(a^b)^c", "a^(b*c)")]:
        verdict, witness = compare(a, b)
        assert verdict is Verdict.NOT_EQUIVALENT, (a, b)
        assert witness is not None and "is defined (= " in witness.describe()
        assert "but" in witness.describe() and "undefined" in witness.describe()
    assert equivalent("log(x^2)", "2*log(x)", domains={"x": "positive"}) is \
        Verdict.EQUIVALENT
    assert equivalent("(a^b)^c", "a^(b*c)", domains={"a": "positive"}) is Verdict.EQUIVALENT


@pytest.mark.parametrize("a, b", [
    ("x", "min(x, 100)"), ("relu(x)", "relu(x) + relu(-x - 3.5)"),
    ("1 - tanh(x)^2 + relu(x - 7)", "1 - tanh(x)^2"), ("1 - tanh(x)^2 + relu(x - 7)", "sech(x)^2"),
    ("x", "max(x, -1000)"), ("1e20*x", "1e20*x + 1"), ("x", "x + 1e-300"),
    ("tanh(x)", "tanh(x) + relu(x - 150)"), ("x^2", "abs(x)^2 + relu(-x - 1e4)"),
])
def test_no_region_is_skipped(a: str, b: str) -> None:
    assert equivalent(a, b) is Verdict.NOT_EQUIVALENT
    assert equivalent(b, a) is Verdict.NOT_EQUIVALENT


def test_cancellation_raises_the_precision() -> None:
    budget = Budget()
    assert equivalent("(x + 10^50) - 10^50", "x", budget=budget) is Verdict.EQUIVALENT
    assert budget.max_dps > 40
    assert equivalent("(x + 10^200) - 10^200", "x") is Verdict.EQUIVALENT
    assert equivalent("(x + 10^50) - 10^50", "x + 1") is Verdict.NOT_EQUIVALENT


def test_exact_constant_differences_are_found_symbolically() -> None:
    verdict, witness = compare("x", "x + 1e-300")
    assert verdict is Verdict.NOT_EQUIVALENT and witness is not None
    assert "constant" in witness.describe()
    assert equivalent("0.1 + 0.2", "0.3") is Verdict.EQUIVALENT


def test_tanh_is_not_clamped() -> None:
    # 1 - tanh(x) is 2e^(-2x)/(1 + e^(-2x)): a clamped tanh (1 beyond 100) makes it 0
    assert equivalent("(1 - tanh(x))*exp(2*x)", "2/(1 + exp(-2*x))") is Verdict.EQUIVALENT
    assert equivalent("(1 - tanh(x))*exp(2*x)", "2/(1 + exp(-2*x)) + relu(x - 100)") is \
        Verdict.NOT_EQUIVALENT


def test_domains_bound_sampling_and_counterexamples() -> None:
    verdict, witness = compare("(a - y)/(a*(1 - a)) + relu(-a)", "(a - y)/(a*(1 - a))",
                               domains={"a": "(0, 1)", "y": "{0, 1}"})
    assert verdict is Verdict.EQUIVALENT
    verdict, witness = compare("y/a", "1/a", domains={"a": "(0, 1)", "y": "{0, 1}"})
    assert verdict is Verdict.NOT_EQUIVALENT and witness is not None
    assert witness.point["y"] in (0, 1) and 0 < witness.point["a"] < 1
    verdict, witness = compare("m*(m-1)/2", "m^2/2", domains={"m": "positive integer"})
    assert verdict is Verdict.NOT_EQUIVALENT and witness is not None
    assert witness.point["m"] >= 1 and witness.point["m"] == int(witness.point["m"])
    assert equivalent("(-1)^(2*m)", "1", domains={"m": "integer"}) is Verdict.EQUIVALENT


@pytest.mark.parametrize("spec", ["(0, 1)", "[0, 1]", "{0, 1}", "positive integer", "real",
                                  "(-inf, -2]", "integer in [1, 6]", "negative"])
def test_drawn_points_stay_inside_the_domain(spec: str) -> None:
    domain = parse_domain(spec)
    pts = draw_points((domain,), 200, "seed")
    assert all(domain.contains(p[0]) for p in pts)
    assert len({p[0] for p in pts}) >= min(2, domain.size())


def test_witness_names_a_point() -> None:
    verdict, witness = compare("relu(x)", "x")
    assert verdict is Verdict.NOT_EQUIVALENT and witness is not None
    assert witness.point["x"] < 0
    assert "x = " in witness.describe()


def test_points_are_drawn_per_comparison_deterministically() -> None:
    real = (parse_domain("real"),)
    assert draw_points(real, 48, "a") == draw_points(real, 48, "a")
    assert draw_points(real, 48, "a") != draw_points(real, 48, "b")
    values = [p[0] for p in draw_points(real, 48, "a")]
    assert any(0 < v < 1 for v in values) and any(v < 0 for v in values)
    assert any(v > 100 for v in values) and any(v < -100 for v in values)
    assert any(v == int(v) and v < 0 for v in values)
    assert any(0 in (p[0] for p in draw_points(real, 88, seed)) for seed in "abcdefgh")


def test_heavy_but_valid_input_is_bounded_by_work_not_time() -> None:
    heavy = "+".join(["sigmoid(sigmoid(sigmoid(x)))^3"] * 60)
    budget = Budget(limit=300_000)
    verdict = equivalent(heavy, heavy + "+ 0.001", budget=budget)
    assert verdict is Verdict.NOT_EQUIVALENT
    assert budget.used <= 300_000 + 2 * 1000 * 32
    starved = Budget(limit=5_000)
    assert equivalent(heavy, heavy, budget=Budget(limit=5_000)) is Verdict.EQUIVALENT  # same tree
    assert equivalent(heavy, heavy + "+ 0", budget=starved) is Verdict.UNDECIDED
    assert starved.used <= 5_000 + 2 * 1000 * 32
    again = Budget(limit=5_000)
    assert equivalent(heavy, heavy + "+ 0", budget=again) is Verdict.UNDECIDED  # deterministic
    assert again.used == starved.used and again.points == starved.points


def test_ordinary_comparisons_are_cheap() -> None:
    budget = Budget()
    assert equivalent("sech(x)^2", "1 - tanh(x)^2", budget=budget) is Verdict.EQUIVALENT
    assert budget.points >= 88 and budget.used < 40_000


def test_compare_texts_messages() -> None:
    verdict, message = compare_texts("1 - tanh(x)^2", "sech(x)^2")
    assert verdict is Verdict.EQUIVALENT and message.startswith("equivalent")
    verdict, message = compare_texts("x^2", "x^3")
    assert verdict is Verdict.NOT_EQUIVALENT and "x = " in message
    verdict, message = compare_texts("sqrt(-1-x^2)", "sqrt(-2-x^2)")
    assert verdict is Verdict.UNDECIDED and "would not mark this wrong" in message
    with pytest.raises(ParseError):
        compare_texts("x +", "x")


def test_equiv_report_json_shape() -> None:
    ok = equiv_report("x^2", "x*x")
    assert ok["equivalent"] is True and ok["verdict"] == "equivalent"
    assert set(ok) >= {"equivalent", "verdict", "a", "b", "message"}
    no = equiv_report("x^2", "x^3")
    assert no["equivalent"] is False and no["verdict"] == "not equivalent"
    bad = equiv_report("x^2", "x*")
    assert bad["equivalent"] is None and bad["verdict"] == "invalid"
    assert bad["invalid"] == "b" and bad["column"] == 2
    unsure = equiv_report("sqrt(-1-x^2)", "sqrt(-2-x^2)")
    assert unsure["equivalent"] is None and unsure["verdict"] == "undecided"
