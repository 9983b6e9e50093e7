"""The answer drawing `modl answer` shows (no sympy): layout, bounds and hostile sizes."""

from __future__ import annotations

import pytest

from modl_tutor.answers.parser import parse_tree
from modl_tutor.answers.sketch import ONE_LINE, WIDTH, draw, one_line, sketch


def test_a_quotient_is_drawn_over_a_bar_with_raised_exponents() -> None:
    rows = sketch("exp(-x)/(1+exp(-x))^2").splitlines()
    bar = next(i for i, r in enumerate(rows) if set(r.strip()) == {"─"})
    assert "ℯ" in rows[bar - 1] and "-x" in rows[bar - 2]          # e^(-x) on top
    assert "2" in rows[bar + 1] and "1 + ℯ" in rows[-1]             # (1 + e^(-x))^2 below


@pytest.mark.parametrize("text, shown", [
    ("sigmoid(x)*(1-sigmoid(x))", "σ(x)⋅(1 - σ(x))"),
    ("y_hat - y", "ŷ - y"),
    ("alpha*w_1", "α⋅w₁"),
    ("[0.842, 0.0419, 0.00209, 0.114]", "[0.842, 0.0419, 0.00209, 0.114]"),
    ("abs(x)", "│x│"),
])
def test_one_line_answers_read_as_typed(text: str, shown: str) -> None:
    assert sketch(text, variables=("x", "y", "y_hat", "alpha", "w_1")) == shown


@pytest.mark.parametrize("text", ["x - (y - z)", "-(a - b)^2/c", "a/(b*c)", "(-2)^x", "-x^2",
                                  "1.5e-400*x", "[1, x/2]", "max(x, 1) + log10(x)"])
def test_the_one_line_form_reads_back_as_the_same_tree(text: str) -> None:
    from modl_tutor.answers.equivalence import Verdict, equivalent

    back = one_line(parse_tree(text)).replace("⋅", "*").replace("log₁₀", "log10")
    assert equivalent(back, text) is Verdict.EQUIVALENT


def test_huge_and_deep_answers_are_bounded() -> None:
    wide = " + ".join(f"x{i}/(y{i} + 1)" for i in range(110))
    deep = "1/(" * 90 + "x" + ")" * 90
    for text in (wide, deep):
        shown = sketch(text)
        assert len(shown) <= ONE_LINE and "\n" not in shown
    assert all(len(row) <= WIDTH for row in draw(parse_tree("(x+1)^2/(x-1)")).splitlines())


def test_an_unreadable_answer_shows_where() -> None:
    shown = sketch("x +* 2")
    assert "\n" in shown and shown.splitlines()[-1].strip() == "^"
    assert sketch("") == "" and sketch("   ") == ""
