"""Exact identities of exponential expressions (`answers.identity`): what it proves is true (the
two sides agree to 60 digits wherever both are defined), near misses and too-large trees prove
nothing, and a comparison's verdict, witness and work are the same with and without it."""

from __future__ import annotations

import mpmath
import pytest

from modl_tutor.answers import identity
from modl_tutor.answers.equivalence import compare
from modl_tutor.answers.evaluate import Budget
from modl_tutor.answers.parser import parse_math

SAME = [
    ("((exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2)/(exp(x) + exp(-x))^2", "1 - tanh(x)^2"),
    ("1 - (exp(x) - exp(-x))^2/(exp(x) + exp(-x))^2", "1 - tanh(x)^2"),
    ("exp(-x)/(1 + exp(-x))^2", "sigmoid(x)*(1 - sigmoid(x))"),
    ("exp(x)/(1 + exp(x))", "1/(1 + exp(-x))"),
    ("exp(x/2)^2", "exp(x)"),
    ("sinh(x)", "(exp(x) - exp(-x))/2"),
    ("cosh(2*x)", "2*cosh(x)^2 - 1"),
    ("tanh(x/3)", "(exp(2*x/3) - 1)/(exp(2*x/3) + 1)"),
    ("x^2/x", "x"),                       # equal wherever both are defined
    ("exp(x*y)*exp(-y*x)", "1"),
    ("(1 - y)*x/(1 - y)", "x"),
    ("abs(x*(1 + y) - x)", "abs(x*y)"),    # |p| of a polynomial that is one term
    ("abs(x*y)", "abs(x)*abs(y)"),
    ("abs(-3*x^2*y)/2^52", "3*abs(x)^2*abs(y)*2^-52"),
    ("-y/(1/(1 + exp(-z))) + (1 - y)/(1 - 1/(1 + exp(-z)))",
     "(1/(1 + exp(-z)) - y)/((1/(1 + exp(-z)))*(1 - 1/(1 + exp(-z))))"),
]
DIFFERENT = [
    ("1 - tanh(x)^2", "1 + tanh(x)^2"),
    ("x + 2^-60", "x"),                   # a constant far below the engine's tolerance
    ("x + 1e-300", "x"),                  # decimals are not followed
    ("exp(x + 1)", "exp(x)*exp(1)"),      # a constant exponent is not followed
    ("exp(x)^(1/2)", "exp(x/2)"),         # nor a fractional power
    ("(x - 2)*(x - 3)*(x - 4)*(x - 5)*(x - 6)", "0"),   # zero on part of a grid only
    ("exp(2^-10*x)", "1 + 2^-10*x"),
    ("exp(x)*(1 + 2^-100)", "exp(x)"),
    ("x^16*x^16*x^16", "x^48"),           # too large a degree: not tried
    ("log(exp(x))", "x"),                 # log is not followed
    ("tanh(x)*exp(y) + exp(-y)", "exp(y)*tanh(x) + exp(-y) + 2^-30*(x - y)"),
    ("abs(x + y)", "abs(x) + abs(y)"),      # two terms under the absolute value
    ("abs(x)^2", "x^2"),                    # true, but |x| is a letter of its own
    ("abs(x*y)", "abs(x)*abs(y) + 2^-60*abs(x)"),
    ("x*2^-70", "x*2^-71*3"),
]


def _parse(text: str) -> object:
    return parse_math(text, variables=["x", "y", "z"])


def _names(a: object, b: object) -> tuple[str, ...]:
    return tuple(sorted({s.name for s in (a.free_symbols | b.free_symbols)}))  # type: ignore


@pytest.mark.parametrize(("a", "b"), SAME, ids=[f"{a[:30]}|{b[:20]}" for a, b in SAME])
def test_what_it_proves_is_true(a: str, b: str) -> None:
    ea, eb = _parse(a), _parse(b)
    names = _names(ea, eb)
    assert identity.proven(ea, eb, names)
    assert identity.proven(ea, eb, names, defined=True)  # no side divides by 0 everywhere
    ctx = mpmath.MPContext()
    ctx.dps = 60
    for k, v in enumerate((-7.25, -1.5, -0.3, 0.7, 2.0, 5.5, 11.0)):
        point = {n: ctx.mpf(v + 0.37 * i * (k % 3)) for i, n in enumerate(names)}
        try:
            va = ctx.mpf(complex(ea.evalf(70, subs=point)).real)  # type: ignore[attr-defined]
            vb = ctx.mpf(complex(eb.evalf(70, subs=point)).real)  # type: ignore[attr-defined]
        except (ZeroDivisionError, TypeError, ValueError):
            continue
        assert abs(va - vb) <= ctx.mpf(10) ** -40 * max(1, abs(va)), (point, va, vb)


@pytest.mark.parametrize(("a", "b"), DIFFERENT, ids=[f"{a[:30]}|{b[:20]}" for a, b in DIFFERENT])
def test_near_misses_prove_nothing(a: str, b: str) -> None:
    ea, eb = _parse(a), _parse(b)
    assert not identity.proven(ea, eb, _names(ea, eb))


@pytest.mark.parametrize(("a", "b"), SAME[:5] + DIFFERENT[:3] + [
    ("1 - tanh(x)^2", "(1 + 1e-15)*(1 - tanh(x)^2)"),        # at the edge of the tolerance
    ("1 - tanh(x)^2", "(1 + 2e-15)*(1 - (exp(x) - exp(-x))^2/(exp(x) + exp(-x))^2)"),
    ("exp(-x)/(1 + exp(-x))^2", "exp(-x)/(1 + exp(-x))^2 + 1e-24"),
])
def test_verdicts_are_the_same_without_it(a: str, b: str, monkeypatch) -> None:
    ea, eb = _parse(a), _parse(b)

    def run() -> tuple:
        budget = Budget(limit=10 ** 9)
        verdict, witness = compare(ea, eb, budget=budget)
        return verdict, witness, budget.used, budget.points, budget.max_dps

    fast = run()
    monkeypatch.setattr(identity, "proven", lambda *args: False)
    assert run() == fast


def test_hostile_sizes_are_refused_quickly() -> None:
    deep = "x"
    for _ in range(7):  # degrees doubling at each level (the text stays under 2000 characters)
        deep = f"({deep})^2/({deep})"
    assert not identity.proven(_parse(deep), _parse("x"), ("x",))
    big = "*".join(["(10^40 + x)"] * 12)
    assert not identity.proven(_parse(big), _parse(big + " + 0"), ("x",))
    wide = " + ".join(f"exp({k}*x)" for k in range(1, 60))
    assert not identity.proven(_parse(wide), _parse(wide + " + 0*x"), ("x",))
