"""Numeric and vector parts: expressions as numbers, tolerances, significant figures."""

from __future__ import annotations

import numpy as np
import pytest

from modl_tutor.answers import numbers as num
from modl_tutor.answers.check import check_part
from modl_tutor.answers.parser import parse_math
from modl_tutor.bank.models import Part, Tolerance


def number(expected: str, **tol: object) -> Part:
    return Part(name="answer", type="number", points=2.0, expected=expected,
                tolerance=Tolerance(**tol))  # type: ignore[arg-type]


def _softmax() -> np.ndarray:
    z = np.array([5.0, 2.0, -1.0, 3.0])
    e = np.exp(z - z.max())
    return e / e.sum()


SOFTMAX = _softmax()
VECTOR = Part(name="answer", type="vector", points=2.0,
              expected="[" + ", ".join(repr(float(v)) for v in SOFTMAX) + "]",
              tolerance=Tolerance(sig_figs=3))


def three_figures(values: np.ndarray) -> str:
    return "[" + ", ".join(f"{v:.3g}" for v in values) + "]"


@pytest.mark.parametrize("part, text", [
    (number("2^-7"), "2^-7"),
    (number("2^-7"), "0.0078125"),
    (number("2^-7"), "1/128"),
    (number("2^-7"), "7.8125e-3"),
    (number("65504"), "65504"),
    (number("65504"), "(2 - 2^-10) * 2^15"),
    (number("65504"), "6.5504E4"),
    (number("10"), "10"),
    (number("10"), "2*5"),
    (number("0.9933071490757153"), "sigmoid(5)"),
    (number("0.5"), "1/2"),
])
def test_numbers_accept_equal_values_and_expressions(part: Part, text: str) -> None:
    outcome = check_part(part, text)
    assert outcome.status == "correct", outcome.message
    assert outcome.score == 2.0 and outcome.max_score == 2.0


@pytest.mark.parametrize("part, text", [
    (number("2^-7"), "0.0078"),
    (number("65504"), "6.55e4"),
    (number("65504"), "65505"),
    (number("10"), "11"),
    (number("10"), "-10"),
])
def test_numbers_reject_values_outside_default_tolerance(part: Part, text: str) -> None:
    outcome = check_part(part, text)
    assert outcome.status == "wrong" and outcome.score == 0.0


def test_default_tolerance_is_rel_1e9_or_abs_1e12() -> None:
    assert num.within(1 + 5e-10, 1)
    assert not num.within(1 + 5e-9, 1)
    assert num.within(5e-13, 0)
    assert not num.within(5e-12, 0)


def test_any_satisfied_bound_accepts() -> None:
    tol = Tolerance(rel=1e-3, abs=0.5)
    assert num.within(100.4, 100, tol)      # abs satisfied
    assert num.within(1000.9, 1000, tol)    # rel satisfied
    assert not num.within(1002, 1000, tol)


def test_sig_figs_rounding_and_half_unit() -> None:
    tol = Tolerance(sig_figs=3)
    assert num.within(0.0427, 0.042727, tol)
    assert num.within(0.04273, 0.042727, tol)       # more digits, still right
    assert not num.within(0.0428, 0.042727, tol)
    assert not num.within(0.043, 0.042727, tol)     # only 2 figures
    assert num.within(0.00209, 0.00208719, tol)
    assert num.within(0.1235, 0.12345, tol)         # within half a unit of 0.123
    assert str(num.round_sig(0.0012345, 3)) == "0.00123"
    assert str(num.round_sig(65504, 3)) == "6.55E+4"


def test_logistic_style_relative_tolerance() -> None:
    part = number("-0.006692850924284857", rel=1e-3)
    assert check_part(part, "-0.00669").status == "correct"
    assert check_part(part, "-0.00693").status == "wrong"


def test_softmax_vector_with_three_significant_figures() -> None:
    right = three_figures(SOFTMAX)
    outcome = check_part(VECTOR, right)
    assert outcome.status == "correct", (right, outcome.message)
    assert outcome.score == 2.0
    full = "[" + ", ".join(repr(float(v)) for v in SOFTMAX) + "]"
    assert check_part(VECTOR, full).status == "correct"


def test_vector_feedback_names_the_wrong_element() -> None:
    values = [float(f"{v:.3g}") for v in SOFTMAX]
    values[2] *= 1.5
    outcome = check_part(VECTOR, "[" + ", ".join(repr(v) for v in values) + "]")
    assert outcome.status == "wrong"
    assert "Element 3 is wrong" in outcome.message


def test_vector_wrong_order_and_wrong_length() -> None:
    shuffled = three_figures(SOFTMAX[::-1])
    assert "wrong order" in check_part(VECTOR, shuffled).message
    outcome = check_part(VECTOR, "[0.842, 0.0419]")
    assert outcome.status == "wrong" and "Expected 4 elements, got 2" in outcome.message
    assert "vector" in check_part(VECTOR, "0.842").message


def test_vector_of_expressions() -> None:
    part = Part(name="grad", type="vector", points=1.0, expected="[2x, 2y]",
                variables=("x", "y"))
    assert check_part(part, "[x + x, 2*y]").status == "correct"
    outcome = check_part(part, "[2x, y]")
    assert outcome.status == "wrong" and "Element 2" in outcome.message


def test_matrix_answers() -> None:
    part = Part(name="m", type="vector", points=1.0, expected="[[1, 2], [3, 4]]")
    assert check_part(part, "[[1, 2], [3, 2^2]]").status == "correct"
    assert check_part(part, "[1, 2, 3, 4]").status == "wrong"


def test_number_value_helpers() -> None:
    assert float(num.value(parse_math("2^-7"))) == 0.0078125
    with pytest.raises(num.Undefined):
        num.value(parse_math("log(0)"))
    with pytest.raises(num.Undefined):
        num.value(parse_math("sqrt(-1)"))
    assert num.float_value(parse_math("1/0")) is None
    assert num.fmt(0.5) == "0.5" and num.fmt(65504) == "65504"


def test_float_literals_are_exact_decimals() -> None:
    assert num.within(num.value(parse_math("0.1 + 0.2")), num.value(parse_math("3/10")),
                      Tolerance(rel=1e-30))
