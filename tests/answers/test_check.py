"""check_part on the canonical answers, statuses, known mistakes and generic diagnoses."""

from __future__ import annotations

import pytest

from modl_tutor.answers.check import PartOutcome, check_part, validate_part
from modl_tutor.answers.mistakes import diagnose_number, nice
from modl_tutor.bank.models import Mistake, Part, Tolerance

SIGMOID = Part(
    name="answer", type="expression", points=2.0, expected="sigmoid(x)*(1-sigmoid(x))",
    variables=("x",),
    mistakes=(Mistake(expected="sigmoid(x)",
                      message="That is σ itself: differentiate it (chain rule on 1/(1+e^-x))."),),
)
SIGMOID_PLAIN = Part(name="answer", type="expression", points=2.0,
                     expected="sigmoid(x)*(1-sigmoid(x))", variables=("x",))
TANH = Part(name="answer", type="expression", points=1.0, expected="1 - tanh(x)^2",
            variables=("x",))
BCE = Part(name="answer", type="expression", points=1.0, expected="-(y/a) + (1-y)/(1-a)",
           variables=("a", "y"))


@pytest.mark.parametrize("text", [
    "σ(x)(1−σ(x))", "exp(-x)/(1+exp(-x))^2", "e^(-x)/(1+e^(-x))^2",
    "sigmoid(x) - sigmoid(x)^2", "1/(1+e^-x) * (1 - 1/(1+e^-x))",
])
def test_sigmoid_prime_accepts_equivalent_forms(text: str) -> None:
    outcome = check_part(SIGMOID, text, exercise_id="derivatives/sigmoid_prime")
    assert isinstance(outcome, PartOutcome)
    assert (outcome.status, outcome.score, outcome.max_score) == ("correct", 2.0, 2.0)
    assert outcome.preview and outcome.column is None


def test_sigmoid_prime_rejections_with_useful_messages() -> None:
    known = check_part(SIGMOID, "sigmoid(x)")
    assert known.status == "wrong" and known.score == 0
    assert "σ itself" in known.message
    generic = check_part(SIGMOID_PLAIN, "sigmoid(x)")
    assert generic.status == "wrong" and "at x = " in generic.message
    assert "at x = 0," in generic.message and "0.25" in generic.message  # σ'(0), checkable by hand
    sign = check_part(SIGMOID, "-sigmoid(x)*(1-sigmoid(x))")
    assert sign.status == "wrong" and "off by a sign" in sign.message.lower()
    factor = check_part(SIGMOID, "2*sigmoid(x)*(1-sigmoid(x))")
    assert factor.status == "wrong" and "factor" in factor.message and " 2 " in factor.message
    other = check_part(SIGMOID, "sigmoid(x)*(1+sigmoid(x))")
    assert other.status == "wrong" and other.message


@pytest.mark.parametrize("text", ["1 - tanh(x)^2", "sech(x)^2", "4/(e^x+e^-x)^2",
                                  "1/cosh(x)^2"])
def test_tanh_prime(text: str) -> None:
    assert check_part(TANH, text).status == "correct"


@pytest.mark.parametrize("text", ["-(y/a) + (1-y)/(1-a)", "(a-y)/(a*(1-a))", "(a-y)/(a(1-a))",
                                  "(1-y)/(1-a) - y/a"])
def test_bce_derivative(text: str) -> None:
    assert check_part(BCE, text).status == "correct"


def test_bce_derivative_missing_variable() -> None:
    outcome = check_part(BCE, "1/(a*(1-a))")
    assert outcome.status == "wrong" and "does not depend on y" in outcome.message


def test_power_rule_slope_and_precision_numbers() -> None:
    slope = Part(name="answer", type="number", points=1.0, expected="10")
    assert check_part(slope, "10").status == "correct"
    assert check_part(slope, "2*5").status == "correct"
    eps = Part(name="answer", type="number", points=1.0, expected="2^-7")
    assert check_part(eps, "2^-7").status == "correct"
    assert check_part(eps, "0.0078125").status == "correct"
    fp16 = Part(name="answer", type="number", points=1.0, expected="65504")
    assert check_part(fp16, "65504").status == "correct"


def test_missing_and_invalid_statuses() -> None:
    for blank in (None, "", "   \n"):
        outcome = check_part(SIGMOID, blank)
        assert (outcome.status, outcome.score, outcome.preview) == ("missing", 0.0, "")
    bad = check_part(SIGMOID, "sigmoid(x")
    assert bad.status == "invalid" and bad.score == 0 and bad.preview == ""
    assert bad.column == 9
    first, pointer_line, caret = bad.message.split("\n")
    assert "expected ')'" in first and pointer_line == "sigmoid(x" and caret.endswith("^")


def test_unknown_variable_is_invalid_with_column() -> None:
    outcome = check_part(SIGMOID, "sigmoid(t)")
    assert outcome.status == "invalid" and outcome.column == 8
    assert "variables here are x" in outcome.message


def test_undefined_everywhere_is_wrong_with_the_reason() -> None:
    outcome = check_part(SIGMOID, "sqrt(-1 - x^2)")
    assert outcome.status == "wrong" and outcome.score == 0
    assert "your answer is undefined" in outcome.message


def test_undecided_is_not_wrong() -> None:
    nowhere = Part(name="answer", type="expression", points=1.0, expected="log(-1 - x^2)",
                   variables=("x",))
    outcome = check_part(nowhere, "log(-2 - x^2)")
    assert outcome.status == "undecided" and outcome.score == 0


def test_generic_diagnoses_for_expressions() -> None:
    part = Part(name="answer", type="expression", points=1.0, expected="x^2 + 3x",
                variables=("x",))
    assert "additive constant" in check_part(part, "x^2 + 3x + 5").message
    assert "plus 5" in check_part(part, "x^2 + 3x + 5").message
    assert "1/2 times" in check_part(part, "(x^2 + 3x)/2").message
    assert "negative" in check_part(part, "-x^2 - 3x").message
    assert "does not depend on x" in check_part(part, "7").message


@pytest.mark.parametrize("value, expected, tol, fragment", [
    (-10, 10, None, "sign"),
    (1.0, 10, None, "power of ten"),
    (0.0078, 0.0078125, None, "Rounded too coarsely"),
    (20, 10, None, "factor of 2"),
    (10.0000001, 10, None, "Close"),
    (13, 10, None, "too large by 30"),
    (0, 10, None, "is 0"),
    (0.86, 0.858, Tolerance(sig_figs=3), "Rounded too coarsely"),
])
def test_generic_number_diagnoses(value: float, expected: float, tol: Tolerance | None,
                                  fragment: str) -> None:
    assert fragment in diagnose_number(value, expected, tol)


def test_known_mistake_for_numbers_and_vectors() -> None:
    part = Part(name="dz", type="number", points=1.0, expected="sigmoid(0.5*5 + 0.5*3 + 1) - 1",
                tolerance=Tolerance(rel=1e-3),
                mistakes=(Mistake(expected="-0.00693", message="A known slip: recompute a."),))
    assert check_part(part, "-0.00693").message == "A known slip: recompute a."
    assert check_part(part, "-0.0015").message != "A known slip: recompute a."
    vec = Part(name="v", type="vector", points=1.0, expected="[1, 2]",
               mistakes=(Mistake(expected="[2, 1]", message="Swapped."),))
    assert check_part(vec, "[2, 1]").message == "Swapped."


def test_nice_constants() -> None:
    assert nice(2) == "2" and nice(0.5) == "1/2" and nice(-3) == "-3"
    assert nice(3.14159) == "3.142"


def test_validate_part_finds_authoring_problems() -> None:
    assert validate_part(SIGMOID) == []
    broken = Part(name="p", type="expression", points=1.0, expected="sigmoid(x",
                  variables=("x",))
    assert "does not parse" in validate_part(broken)[0]
    same = Part(name="p", type="expression", points=1.0, expected="x^2", variables=("x",),
                mistakes=(Mistake(expected="x*x", message="?"),))
    assert "equals the expected" in validate_part(same)[0]
    outcome = check_part(broken, "x")
    assert outcome.status == "undecided" and "authoring error" in outcome.message


def test_coarse_rounding_advice_matches_the_tolerance_kind() -> None:
    absolute = diagnose_number(0.84, 0.842034, Tolerance(abs=0.0005))
    assert "3 decimal places" in absolute and "significant" not in absolute.split("give")[1]
    relative = diagnose_number(0.84, 0.842034, Tolerance(sig_figs=3))
    assert "3 significant figures" in relative
