"""Hostile input: code injection is refused with a column, DoS attempts are refused or bounded."""

from __future__ import annotations

import pytest

from modl_tutor.answers.check import check_part
from modl_tutor.answers.equivalence import equivalent
from modl_tutor.answers.evaluate import WORK_LIMIT, Budget
from modl_tutor.answers.parser import MAX_LENGTH, ParseError, parse_math
from modl_tutor.answers.pretty import ONE_LINE_CHARS, PRETTY_CHARS, preview
from modl_tutor.bank.models import Part

EXPR = Part(name="answer", type="expression", points=1.0,
            expected="sigmoid(x)*(1-sigmoid(x))", variables=("x",))
NUMBER = Part(name="answer", type="number", points=1.0, expected="65504")

INJECTION = [
    ("__import__('os')", 0, "'__import__' is not allowed"),
    ("__import__('os').system('ls')", 0, "not allowed"),
    ("().__class__", 2, "attribute"),
    ("().__class__.__bases__[0]", 2, "attribute"),
    ("lambda: 1", 0, "'lambda' is not allowed"),
    ("'a'", 0, "strings"),
    ('"a"', 0, "strings"),
    ("import os", 0, "'import' is not allowed"),
    ("x.y", 1, "attribute"),
    ("foo(x)", 0, "unknown function 'foo'"),
    ("eval(1)", 0, "'eval' is not allowed"),
    ("exec('1')", 0, "'exec' is not allowed"),
    ("open('/etc/passwd')", 0, "'open' is not allowed"),
    ("x; import os", 1, "';'"),
    ("getattr(x, 'y')", 0, "not allowed"),
    ("x[0]", 1, "indexing"),
    ("{1: 2}", 0, "braces"),
    ("f'{x}'", 1, "strings"),
    ("x if x else y", 2, "'if' is not allowed"),
    ("[i for i in x]", 3, "'for' is not allowed"),
    ("sympify('x')", 0, "not allowed"),
    ("x.__class__", 1, "attribute"),
]


@pytest.mark.parametrize("text, column, fragment", INJECTION)
def test_injection_is_refused_with_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_math(text)
    assert fragment in info.value.message
    assert info.value.column == column
    outcome = check_part(EXPR, text)
    assert outcome.status == "invalid" and outcome.score == 0
    assert outcome.column == column
    assert "Traceback" not in outcome.message


DOS = [
    "9^9^9^9",
    "2^(10^10)",
    "x^99999999",
    "(" * 5000 + "x" + ")" * 5000,
    "(" * 900 + "x" + ")" * 900,
    "-" * 1500 + "x",
    "x^" * 900 + "x",
    "x" * 100_000,
    "1" * 1000,
    "9" * 61,
    "1e9999999",
    "(2^9999)^9999",
    "((2^9999)^9999)^9999",
    "exp(exp(exp(exp(exp(x)))))",
    "exp(10^4000)",
    "sin(10^300*x)",
    "tanh(1e9999*x)",
    "(x+1)^10000 - (x+2)^10000",
    "sqrt(2^9999+1)*sqrt(3^5000+1)*sqrt(5^4000+7)",
    "(123456789012345678901234567890123456789012345678901234567891)^(1/3)",
    "+".join(["sigmoid(sigmoid(x))^9999"] * 40),
    "*".join(["(x+1)^9999"] * 150),
    "[" + ",".join(["exp(exp(x))"] * 300) + "]",
    "max(" + ",".join(["x^9999"] * 50) + ")",
    "sigmoid(" * 99 + "x" + ")" * 99,
    "log(0)^(1/0)",
    "0^(-1)",
    "2^(1/0)",
    "max(sqrt(-1), 1)",
]


@pytest.mark.parametrize("text", DOS, ids=lambda t: t[:40])
@pytest.mark.parametrize("part", [EXPR, NUMBER], ids=["expression", "number"])
def test_dos_is_refused_or_decided_within_the_cap(text: str, part: Part) -> None:
    outcome = check_part(part, text)
    # bounded by work, not seconds ("timeout" is the denial-of-service guard, never a 0)
    assert outcome.work <= WORK_LIMIT + 64_000, outcome.work
    assert outcome.status in ("invalid", "wrong", "undecided", "timeout")
    assert outcome.score == 0
    assert "Traceback" not in outcome.message and outcome.message
    shown = preview(text)
    assert isinstance(shown, str)
    assert len(shown) <= max(PRETTY_CHARS, ONE_LINE_CHARS) + 200


@pytest.mark.parametrize("text, fragment", [
    ("9^9^9^9", "exponent"),
    ("2^(10^10)", "exponent"),
    ("x^99999999", "exponent"),
    ("(" * 5000 + "x" + ")" * 5000, "too long"),
    ("(" * 900 + "x" + ")" * 900, "nested too deeply"),
    ("x" * 100_000, "too long"),
    ("1" * 1000, "number too long"),
])
def test_absurd_sizes_are_refused_by_the_parser(text: str, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment):
        parse_math(text)
    assert len(text) > MAX_LENGTH or fragment != "too long"


def test_equivalence_of_huge_but_legal_expressions_is_bounded() -> None:
    big = "*".join(["(x+1)^9999"] * 150)
    budget = Budget()
    equivalent(big, big + "*2", budget=budget)
    assert budget.used <= WORK_LIMIT + 64_000


@pytest.mark.parametrize("text", [
    "sqrt(" * 99 + "x" + ")" * 99,
    ("sqrt(1/(" * 49 + "x" + "))" * 49 + "+") * 2 + "sqrt(1/(" * 49 + "x" + "))" * 49,
    "1/(1+" * 60 + "x" + ")" * 60,
])
def test_previews_of_deep_answers_fall_back_to_one_bounded_line(text: str) -> None:
    shown = preview(text)
    assert "\n" not in shown and 0 < len(shown) <= ONE_LINE_CHARS
    outcome = check_part(EXPR, text)
    assert outcome.status in ("wrong", "invalid", "undecided") and len(outcome.preview) <= ONE_LINE_CHARS


def test_ordinary_previews_are_drawn_in_two_dimensions() -> None:
    assert "\n" in preview("sigmoid(x)*(1 - sigmoid(x))/(1 + x^2)")
