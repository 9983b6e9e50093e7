"""A derivation step proven exactly (`identity.proven`, defined almost everywhere) is valid
without the numbers: the same verdict as the numeric check on every kind of step (right ones
written differently, removable holes, near misses, 0/0), on random rewrites, with less work."""

from __future__ import annotations

import random

import pytest

from modl_tutor.answers import derivation, identity
from modl_tutor.answers.derivation import DerivationSpec, check_derivation
from modl_tutor.answers.parser import parse_math

ZERO = "(tanh(x) - (exp(2*x) - 1)/(exp(2*x) + 1))"
"""Identically 0, though no automatic simplification sees it."""


def _verdict(result) -> tuple:  # type: ignore[no-untyped-def]
    return (result.status, result.score,
            tuple((line.number, line.status, line.message) for line in result.lines))


def _both(monkeypatch, spec: DerivationSpec, steps: list[str]):  # type: ignore[no-untyped-def]
    """(with proofs, with the numbers only) for the same derivation."""
    proved = check_derivation(spec, steps)
    with monkeypatch.context() as patch:
        patch.setattr(derivation, "_proven_step", lambda *args: False)
        numeric = check_derivation(spec, steps)
    return proved, numeric


@pytest.mark.parametrize("steps", [
    ["(q*q - p*p)/q^2", "1 - (p/q)^2", "1 - tanh(x)^2"],                  # the textbook route
    ["4/(exp(x) + exp(-x))^2", "1/cosh(x)^2", "1 - tanh(x)^2"],           # another one
    ["(1 - tanh(x)^2)*tanh(x)/tanh(x)", "1 - tanh(x)^2"],                  # a removable hole
    ["(q*q + p*p)/q^2", "1 + tanh(x)^2"],                                  # a sign slip
    ["(q*q - p*p)/q", "1 - tanh(x)^2"],                                    # a lost factor
    ["1 - tanh(x)^2 + 2^-60*exp(x)", "1 - tanh(x)^2"],                     # below the tolerance
    ["1 - tanh(2*x)^2", "1 - tanh(x)^2"],
])
def test_the_verdict_is_the_numbers_verdict(monkeypatch, steps: list[str]) -> None:
    spec = DerivationSpec(expected="1 - tanh(x)^2", variables=("x",),
                          intermediates=(("p", "exp(x) - exp(-x)"), ("q", "exp(x) + exp(-x)")))
    proved, numeric = _both(monkeypatch, spec, steps)
    assert _verdict(proved) == _verdict(numeric)


def test_a_proven_route_costs_a_fraction_of_the_work(monkeypatch) -> None:
    spec = DerivationSpec(expected="1 - tanh(x)^2", variables=("x",),
                          intermediates=(("p", "exp(x) - exp(-x)"), ("q", "exp(x) + exp(-x)")))
    proved, numeric = _both(monkeypatch, spec, ["(q*q - p*p)/q^2", "1 - (p/q)^2",
                                                  "1 - tanh(x)^2"])
    assert proved.status == "correct" and numeric.status == "correct"
    assert proved.work * 20 < numeric.work


def test_zero_over_zero_is_equal_to_anything_but_never_proven_defined() -> None:
    a = parse_math(f"{ZERO}/{ZERO}", variables=["x"])
    one = parse_math("1", variables=["x"])
    assert identity.proven(a, one, ("x",))                   # "equal wherever both are defined"
    assert not identity.proven(a, one, ("x",), defined=True)  # but it is defined nowhere
    spec = DerivationSpec(expected="1", variables=("x",))
    steps = ["1", f"{ZERO}/{ZERO}"]
    assert not derivation._proven_step(derivation._State(spec, derivation.Budget(), ("x",), {},
                                                         ("x",)), one, a)
    assert check_derivation(spec, steps, budget=derivation.Budget(limit=20_000)).status \
        != "correct"  # the numbers find it undefined everywhere (or cannot decide)


def test_a_discrete_domain_is_left_to_the_numbers(monkeypatch) -> None:
    spec = DerivationSpec(expected="n", variables=("n",), domains=(("n", "integer in [1, 3]"),))
    called = []
    monkeypatch.setattr(identity, "proven", lambda *args, **kw: called.append(1) or True)
    check_derivation(spec, ["n*(n - 2)/(n - 2)", "n"])
    assert called == []


_ATOMS = ("x", "exp(x)", "exp(-x)", "tanh(x)", "sinh(x)", "cosh(2*x)", "2", "3", "1/2")
_REWRITES = (("tanh(x)", "((exp(2*x) - 1)/(exp(2*x) + 1))"), ("exp(-x)", "(1/exp(x))"),
             ("sinh(x)", "((exp(x) - exp(-x))/2)"), ("cosh(2*x)", "(2*cosh(x)^2 - 1)"))
_SLIPS = (("exp(-x)", "exp(x)"), ("tanh(x)", "tanh(x)^2"), ("2", "3"), ("sinh(x)", "cosh(x)"))


def _random_expression(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(_ATOMS)
    a, b = _random_expression(rng, depth - 1), _random_expression(rng, depth - 1)
    return f"({a} {rng.choice('+*' if a == b else '+-*/')} {b})"  # no 0/0 everywhere


def _pairs(count: int) -> list[tuple[str, str]]:
    rng = random.Random(20261126)
    out = []
    while len(out) < count:
        a = _random_expression(rng, 3)
        b = a
        for old, new in (_REWRITES if len(out) % 2 == 0 else _SLIPS):
            if old in b and rng.random() < 0.7:
                b = b.replace(old, new, 1)
        if b != a:
            out.append((a, b))
    return out


@pytest.mark.parametrize(("a", "b"), _pairs(24))
def test_random_steps_get_the_numbers_verdict(monkeypatch, a: str, b: str) -> None:
    """An independent check: every proven step is one the numbers accept too (or cannot
    decide), every other verdict is the numbers' own."""
    spec = DerivationSpec(expected=a, variables=("x",))
    proved, numeric = _both(monkeypatch, spec, [a, b])
    if numeric.status == "undecided" or numeric.status == "timeout":
        assert proved.status in ("correct", numeric.status)
    else:
        assert _verdict(proved) == _verdict(numeric), (a, b)


def test_the_random_steps_exercise_the_proofs() -> None:
    pairs = _pairs(24)
    proofs = [identity.proven(parse_math(a, variables=["x"]), parse_math(b, variables=["x"]),
                              ("x",), defined=True) for a, b in pairs]
    assert sum(proofs[0::2]) >= 8  # most rewrites are proven (the rest: too large a degree)
    assert not any(proofs[1::2])   # no slip is
