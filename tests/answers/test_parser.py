"""The safe answer grammar: what it reads, how, and the errors it gives (with columns)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp

from modl_tutor.answers.build import symbol
from modl_tutor.answers.equivalence import Verdict, equivalent
from modl_tutor.answers.parser import ParseError, parse_math, parse_tree
from modl_tutor.answers.pretty import preview, to_text

x, y, a = symbol("x"), symbol("y"), symbol("a")


def same(text: str, reference: object, **kw: object) -> bool:
    return equivalent(parse_math(text, **kw), reference) is Verdict.EQUIVALENT


@pytest.mark.parametrize("text, reference", [
    ("-x^2", -x**2),
    ("-x**2", -x**2),
    ("2^3^2", sp.Integer(512)),          # right-associative
    ("2^-7", sp.Rational(1, 128)),
    ("e^-x", sp.exp(-x)),
    ("2x", 2 * x),
    ("2(x+1)", 2 * x + 2),
    ("x y", x * y),
    ("(x+1)(x-1)", x**2 - 1),
    ("2sigmoid(x)", 2 / (1 + sp.exp(-x))),
    ("2x^2y", 2 * x**2 * y),
    ("1/2x", x / 2),                      # implicit product has the precedence of '*'
    ("a(1-a)", a * (1 - a)),
    ("1e-3", sp.Rational(1, 1000)),
    ("2.5E4", sp.Integer(25000)),
    (".5", sp.Rational(1, 2)),
    ("π", sp.pi),
    ("pi", sp.pi),
    ("e", sp.E),
    ("√x", sp.sqrt(x)),
    ("√(x+1)", sp.sqrt(x + 1)),
    ("x²", x**2),
    ("x⁻¹", 1 / x),
    ("3 · x × 2", 6 * x),
    ("1 − x", 1 - x),
    ("σ(x)", 1 / (1 + sp.exp(-x))),
    ("sigma(x)", 1 / (1 + sp.exp(-x))),
    ("relu(x)", sp.Max(0, x)),
    ("max(x, 1, 2)", sp.Max(x, 2)),
    ("min(x, 0)", sp.Min(x, 0)),
    ("log(x)", sp.log(x)),
    ("ln(x)", sp.log(x)),
    ("log(x, 2)", sp.log(x) / sp.log(2)),
    ("abs(x)", sp.Abs(x)),
    ("sech(x)", 1 / sp.cosh(x)),
    ("tanh(x) + sinh(x) + cosh(x) + sin(x) + cos(x) + tan(x)",
     sp.tanh(x) + sp.sinh(x) + sp.cosh(x) + sp.sin(x) + sp.cos(x) + sp.tan(x)),
])
def test_grammar_reads_standard_notation(text: str, reference: object) -> None:
    assert same(text, reference)


def test_names_are_real_symbols() -> None:
    expr = parse_math("w1 + x_1 + alpha + y_hat + a_2 + α")
    names = {s.name for s in expr.free_symbols}
    assert names == {"w1", "x_1", "alpha", "y_hat", "a_2"}
    assert all(s.is_real for s in expr.free_symbols)


def test_sigmoid_is_the_plain_expression() -> None:
    expr = parse_math("sigmoid(x)")
    assert sp.simplify(expr - 1 / (1 + sp.exp(-x))) == 0
    assert float(expr.subs(x, 0)) == pytest.approx(0.5)


def test_vectors_and_matrices() -> None:
    v = parse_math("[1, x, 2^-1]")
    assert isinstance(v, tuple) and len(v) == 3
    m = parse_math("[[1, 2], [3, 4]]")
    assert m == ((1, 2), (3, 4))
    with pytest.raises(ParseError, match="equal length"):
        parse_math("[[1, 2], [3]]")
    with pytest.raises(ParseError, match="whole answer"):
        parse_math("2*[1, 2]")


def test_variables_shadow_function_and_constant_names() -> None:
    expr = parse_math("e*x", variables=["e"])
    assert {s.name for s in expr.free_symbols} == {"e", "x"}


@pytest.mark.parametrize("text, column, fragment", [
    ("(x+1", 4, "expected ')' to close '(' at column 1"),
    ("2*(x+(1", 7, "expected ')' to close '(' at column 6"),
    ("foo(x)", 0, "unknown function 'foo'"),
    ("sigmod(x)", 0, "did you mean 'sigmoid'"),
    ("__import__('os')", 0, "'__import__' is not allowed"),
    ("x.y", 1, "attribute"),
    ("x[1]", 1, "indexing"),
    ("'a'", 0, "strings"),
    ("x; y", 1, "';' is not allowed"),
    ("lambda: 1", 0, "'lambda' is not allowed"),
    ("2 +", 3, "after '+'"),
    ("sin x", 4, "expected '(' after function 'sin'"),
    ("max(x)", 0, "takes 2 to 50 arguments"),
    ("exp(1, 2)", 0, "takes 1 argument"),
    ("1,000", 1, "thousands separators"),
    ("x = 2", 2, "'='"),
    ("()", 1, "inside '( )'"),
    ("x)", 1, "unmatched ')'"),
    ("2 3", 2, "missing operator"),
    ("[]", 1, "empty vector"),
])
def test_errors_say_what_was_expected_and_where(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_math(text)
    err = info.value
    assert fragment in err.message
    assert err.column == column
    assert "\n" not in err.message
    line, caret = err.pointer().split("\n")
    assert line == text
    assert caret == " " * column + "^"


def test_unknown_variable_with_product_hint() -> None:
    with pytest.raises(ParseError) as info:
        parse_math("2 + xy", allowed=["x", "y"])
    assert info.value.column == 4
    assert "unknown variable 'xy'" in info.value.message
    assert "x*y" in info.value.message
    with pytest.raises(ParseError, match="a number is expected"):
        parse_math("x", allowed=[])


def test_pointer_windows_long_input() -> None:
    text = "x + " * 100 + "foo(x)"
    with pytest.raises(ParseError) as info:
        parse_math(text)
    line, caret = info.value.pointer().split("\n")
    assert len(line) <= 72
    assert line[caret.index("^"):].startswith("foo")


def test_parse_tree_does_not_need_sympy() -> None:
    code = ("import sys; from modl_tutor.answers.parser import parse_tree; "
            "import modl_tutor.answers; parse_tree('2x^2 + sigmoid(x)'); "
            "print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_tree_shape() -> None:
    tree = parse_tree("-x^2 + 3")
    assert tree.kind == "add"
    assert tree.args[0].kind == "neg" and tree.args[0].args[0].kind == "pow"


@pytest.mark.parametrize("text", ["sigmoid(x)*(1-sigmoid(x))", "[0.858, 0.0427]", "2^-7",
                                  "√(x+1)", "x/(1-x)"])
def test_preview_renders(text: str) -> None:
    shown = preview(text)
    assert shown and "Error" not in shown


def test_preview_shows_sigma_and_errors_never_raise() -> None:
    assert "σ(x)" in preview("sigmoid(x)*(1-sigmoid(x))")
    shown = preview("(x+1")
    assert "expected ')'" in shown and shown.endswith("^")
    assert preview("") == "" and preview(None) == ""
    assert preview("x" * 100_000).startswith("answer too long")


@pytest.mark.parametrize("text", ["-x^2", "1/(1+e^-x)", "(a+b)/(c*d)", "x^(1/3)", "-(a+b)*c",
                                  "log(x, 2)", "[1, x, 0.5]", "x/-2", "2^-7", "1e-05*x"])
def test_to_text_round_trips(text: str) -> None:
    expr = parse_math(text)
    printed = to_text(expr)
    assert equivalent(parse_math(printed), expr) is Verdict.EQUIVALENT
    assert to_text(parse_math(printed)) == printed
