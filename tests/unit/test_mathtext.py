"""LaTeX in prompts becomes readable unicode in the terminal."""

from __future__ import annotations

import pytest

from modl_tutor.reports.mathtext import latex_to_unicode, render_math


@pytest.mark.parametrize(("latex", "text"), [
    (r"\sigma(x) = \frac{1}{1 + e^{-x}}", "σ(x) = 1/(1 + e⁻ˣ)"),
    (r"\hat y = \tfrac{1}{2}", "ŷ = 1/2"),
    (r"x \in \mathbb{R}^n", "x ∈ ℝⁿ"),
    (r"W^{\top} x", "Wᵀ x"),
    (r"w_{1} \cdot x_1", "w₁ · x₁"),
    (r"\frac{\partial L}{\partial w}", "(∂L)/(∂w)"),
    (r"\sqrt{x+1}", "√(x+1)"),
    (r"e^{z_i}", "e^(zᵢ)"),
])
def test_latex_to_unicode(latex, text):
    assert latex_to_unicode(latex) == text


def test_render_math_handles_inline_and_display():
    rendered = render_math("Let $x^2$ be:\n$$\\alpha \\leq 1$$\nend")
    assert "Let x² be:" in rendered
    assert "\n    α ≤ 1\n" in rendered
    assert "$" not in rendered


def test_fraction_after_a_function_name_keeps_its_meaning():
    assert latex_to_unicode(r"\cos\frac{\pi t}{T}") == "cos((π t)/T)"
