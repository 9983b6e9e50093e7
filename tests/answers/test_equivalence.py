"""Equivalence corpus: equal forms of deep-learning formulas, and near misses that must differ."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from modl_tutor.answers.build import symbol
from modl_tutor.answers.equivalence import (
    Verdict,
    compare,
    compare_texts,
    equiv_report,
    equivalent,
    points,
)
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


def test_nowhere_defined_is_undecided_not_wrong() -> None:
    assert equivalent("sqrt(-1 - x^2)", "1") is Verdict.UNDECIDED
    assert equivalent("log(-x^2 - 1)", "log(-x^2 - 1) + 1") is Verdict.UNDECIDED


def test_common_domain_is_enough() -> None:
    assert equivalent("sqrt(x)^2", "x") is Verdict.EQUIVALENT
    assert equivalent("x/x", "1") is Verdict.EQUIVALENT
    assert equivalent("sqrt(x - 5)*sqrt(x - 5)", "x - 5") is Verdict.EQUIVALENT


def test_witness_names_a_point() -> None:
    verdict, witness = compare("relu(x)", "x")
    assert verdict is Verdict.NOT_EQUIVALENT and witness is not None
    assert witness.point["x"] < 0
    assert "x = " in witness.describe()


def test_points_are_deterministic_and_varied() -> None:
    assert points(2) == points(2)
    values = [p[0] for p in points(1)]
    assert any(0 < v < 1 for v in values) and any(v < 0 for v in values)
    assert any(v > 5 for v in values)


def test_timeout_is_respected_for_heavy_but_valid_input() -> None:
    heavy = "+".join(["sigmoid(sigmoid(sigmoid(x)))^3"] * 60)
    start = time.perf_counter()
    verdict = equivalent(heavy, heavy + "+ 1e-30", timeout=0.3)
    assert time.perf_counter() - start < 2.0
    assert verdict in (Verdict.UNDECIDED, Verdict.NOT_EQUIVALENT, Verdict.EQUIVALENT)


def test_compare_texts_messages() -> None:
    verdict, message = compare_texts("1 - tanh(x)^2", "sech(x)^2")
    assert verdict is Verdict.EQUIVALENT and message.startswith("equivalent")
    verdict, message = compare_texts("x^2", "x^3")
    assert verdict is Verdict.NOT_EQUIVALENT and "x = " in message
    verdict, message = compare_texts("sqrt(-1-x^2)", "1")
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
    unsure = equiv_report("sqrt(-1-x^2)", "1")
    assert unsure["equivalent"] is None and unsure["verdict"] == "undecided"
