"""The derivation engine: line-by-line equivalence, the first broken line, the slip, credit."""

from __future__ import annotations

import pytest

from modl_tutor.answers.evaluate import Budget
from modl_tutor.answers.derivation import (MAX_LINE, MAX_LINES, DerivationSpec,
                                           check_derivation, split_lines)

SIGMA = DerivationSpec(expected="sigmoid(x)*(1 - sigmoid(x))", variables=("x",),
                       intermediates=(("u", "1 + exp(-x)"),), labels=("f'(x)", "s'(x)"),
                       points=2)
BCE = DerivationSpec(expected="a - y", variables=("z", "y"),
                     intermediates=(("a", "sigmoid(z)"),), labels=("dz",),
                     domains=(("y", "{0, 1}"), ("z", "[-10, 10]")), points=2)


def test_textbook_route_is_correct() -> None:
    r = check_derivation(SIGMA, ["exp(-x)/u^2", "(1/u)*(exp(-x)/u)", "(1/u)*((u - 1)/u)",
                                 "sigmoid(x)*(1 - sigmoid(x))"])
    assert (r.status, r.score, r.first_broken) == ("correct", 2.0, None)
    assert all(line.status == "ok" for line in r.lines)


def test_unusual_route_is_correct() -> None:
    # through tanh: sigma(x) = (1 + tanh(x/2))/2
    r = check_derivation(SIGMA, ["(1 - tanh(x/2)^2)/4", "(1 + tanh(x/2))/2 * (1 - tanh(x/2))/2",
                                 "sigmoid(x) - sigmoid(x)^2"])
    assert r.status == "correct" and r.score == 2.0


def test_broken_middle_line_is_flagged_with_the_sign_slip() -> None:
    r = check_derivation(SIGMA, ["exp(-x)/u^2", "-exp(-x)/u^2", "-sigmoid(x)*(1 - sigmoid(x))"])
    assert r.status == "wrong" and r.first_broken == 2
    assert [line.status for line in r.lines] == ["ok", "broken", "ok"]
    assert "line 2" in r.message and "sign" in r.message and "x = " in r.message


def test_dropped_inner_derivative_is_named() -> None:
    spec = DerivationSpec(expected="2*x*cos(x^2)", variables=("x",))
    r = check_derivation(spec, ["cos(x^2)*2*x", "cos(x^2)"])
    assert r.first_broken == 2 and "chain-rule factor" in r.message and "2*x" in r.message


def test_dropped_chain_factor_through_an_intermediate() -> None:
    r = check_derivation(BCE, ["-y/a + (1 - y)/(1 - a)", "a - y"])
    assert r.first_broken == 1 and "∂a/∂z" in r.message
    assert r.score == 1.0       # "both": the final share only


def test_lost_factor_between_lines() -> None:
    r = check_derivation(SIGMA, ["exp(-x)/u^2", "exp(-x)/u", "sigmoid(x)"])
    assert r.first_broken == 2 and "factor" in r.message


def test_constant_offset() -> None:
    r = check_derivation(BCE, ["(-y/a + (1 - y)/(1 - a))*a*(1 - a)", "-y*(1 - a) + (1 - y)*a",
                               "a - y + 1"])
    assert r.first_broken == 3 and "additive constant" in r.message


def test_equation_form_and_labels() -> None:
    spec = DerivationSpec(expected=BCE.expected, variables=BCE.variables,
                          intermediates=BCE.intermediates, labels=BCE.labels,
                          domains=BCE.domains, equation=True, points=2)
    good = ["dz = (-y/a + (1 - y)/(1 - a))*a*(1 - a) = -y*(1 - a) + (1 - y)*a", "dz = a - y"]
    assert check_derivation(spec, good).status == "correct"
    bare = check_derivation(spec, ["(-y/a + (1 - y)/(1 - a))*a*(1 - a)", "a - y"])
    assert bare.status == "wrong" and "dz = ..." in bare.message


def test_intermediate_definition_lines_are_checked() -> None:
    assert check_derivation(SIGMA, ["u = 1 + exp(-x)", "exp(-x)/u^2",
                                    "sigmoid(x)*(1 - sigmoid(x))"]).status == "correct"
    r = check_derivation(SIGMA, ["u = 1 + exp(x)", "exp(-x)/u^2", "sigmoid(x)*(1-sigmoid(x))"])
    assert r.first_broken == 1 and r.status == "wrong"


def test_one_line_answer_where_allowed() -> None:
    assert check_derivation(SIGMA, ["sigmoid(x)*(1 - sigmoid(x))"]).score == 2.0
    strict = DerivationSpec(expected=SIGMA.expected, variables=("x",), allow_final_only=False,
                            points=2)
    r = check_derivation(strict, "sigmoid(x)*(1 - sigmoid(x))")
    assert r.score == 1.0 and "show the steps" in r.message


@pytest.mark.parametrize("credit, score", [("final", 2.0), ("steps", 0.0), ("both", 1.0)])
def test_credit_policy(credit: str, score: float) -> None:
    spec = DerivationSpec(expected=SIGMA.expected, variables=("x",),
                          intermediates=SIGMA.intermediates, credit=credit, points=2)
    r = check_derivation(spec, ["exp(-x)/u^2", "exp(-x)/u", "sigmoid(x)*(1 - sigmoid(x))"])
    assert r.score == score


def test_inequality_steps() -> None:
    spec = DerivationSpec(expected="eps*abs(x)/2", variables=("x", "d"),
                          intermediates=(("eps", "2^-52"),), start="abs(x*(1 + d) - x)",
                          domains=(("d", "[-1.1102230246251565e-16, 1.1102230246251565e-16]"),))
    good = ["abs(x*(1 + d) - x) = abs(x)*abs(d)", "<= abs(x)*eps/2"]
    assert check_derivation(spec, good).status == "correct"
    bad = check_derivation(spec, ["abs(x)*abs(d)", "<= abs(x)*eps/4"])
    assert bad.first_broken == 2 and bad.status == "wrong"


def test_parse_error_names_the_line_and_column() -> None:
    r = check_derivation(SIGMA, ["exp(-x)/u^2", "2*exp(-x"])
    assert r.status == "invalid" and r.message.startswith("line 2:") and r.first_broken == 2


def test_unknown_names_are_refused_not_evaluated() -> None:
    r = check_derivation(SIGMA, ["__import__('os').system('true')"])
    assert r.status == "invalid"


def test_too_many_lines_is_refused_before_parsing() -> None:
    r = check_derivation(SIGMA, ["x"] * 1000)
    assert r.status == "invalid" and str(MAX_LINES) in r.message and r.work == 0


def test_giant_line_is_refused() -> None:
    r = check_derivation(SIGMA, ["x + " * 5000 + "x"])
    assert r.status == "invalid" and str(MAX_LINE) in r.message


def test_many_heavy_lines_stay_within_the_work_budget() -> None:
    heavy = "*".join(["sigmoid(x + %d)" % i for i in range(30)])
    budget = Budget(limit=100_000)
    r = check_derivation(SIGMA, [heavy] * MAX_LINES, budget=budget)
    assert r.status in ("wrong", "undecided") and r.work <= 100_000 + 20_000


def test_blank_and_comment_lines_are_skipped() -> None:
    text = "# quotient rule\nexp(-x)/u^2\n\nsigmoid(x)*(1 - sigmoid(x))\n"
    assert split_lines(text)[0] == "# quotient rule"
    assert check_derivation(SIGMA, text).status == "correct"


def test_nothing_written_is_missing() -> None:
    assert check_derivation(SIGMA, "\n# nothing\n").status == "missing"


@pytest.mark.parametrize("line", ["a=b=c=d=e=f=g", "dz =", "= = =", "x^(10^9)", "(" * 150 + "x" + ")" * 150,
                                  "[x, x]", "u = ", "x\x00", "x" * 499, "dz = dz", "open('f')"])
def test_hostile_lines_are_invalid_without_work(line: str) -> None:
    r = check_derivation(SIGMA, [line, "sigmoid(x)*(1 - sigmoid(x))"])
    assert r.status == "invalid" and r.message.startswith("line 1") and r.work == 0


def test_slip_wording_names_lines_not_answers() -> None:
    spec = DerivationSpec(expected="2*x", variables=("x", "y"))
    message = check_derivation(spec, ["2*y", "2*x"]).message
    assert "line 1" in message and "your answer" not in message.lower()


def test_equation_one_liner_where_final_only_is_allowed() -> None:
    spec = DerivationSpec(expected=BCE.expected, variables=BCE.variables,
                          intermediates=BCE.intermediates, labels=BCE.labels,
                          domains=BCE.domains, equation=True, points=2)
    assert check_derivation(spec, ["dz = a - y"]).score == 2.0
    assert check_derivation(spec, ["a - y"]).score < 2.0


@pytest.mark.parametrize("line", ["1/0", "log(-1 - x^2)"])
def test_a_line_undefined_everywhere_is_broken_with_a_defined_witness(line: str) -> None:
    r = check_derivation(SIGMA, [line, "sigmoid(x)*(1 - sigmoid(x))"])
    assert r.first_broken == 1 and "line 1 is undefined" in r.message and "x = " in r.message
