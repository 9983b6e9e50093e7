"""Per-student variants: deterministic draws, substitution, and grading of the substituted answer."""

from __future__ import annotations

from pathlib import Path

from modl_tutor.answers.check import check_part
from modl_tutor.bank.models import Exercise, Mistake, ParamSpec, Part
from modl_tutor.bank.variants import apply_variant, draw_params, substitute


def exercise(params: tuple[ParamSpec, ...] = (), expected: str = "{a}*{n}*x^({n}-1)") -> Exercise:
    part = Part(name="answer", type="expression", points=1.0, expected=expected,
                label="d/dx of {a} x^{n}", variables=("x",),
                mistakes=(Mistake(expected="{a}*x^({n}-1)", message="Forgot the factor {n}."),))
    return Exercise(id="derivatives/power_variant", topic="derivatives", slug="power_variant",
                    title="Power rule", kind="expression", points=1.0,
                    prompt="Differentiate f(x) = {a} x^{n}. Keep \\frac{1}{2} as is.",
                    directory=Path("."), hints=("Bring {n} down.",), parts=(part,),
                    params=params)


PARAMS = (ParamSpec(name="a", minimum=-5, maximum=9), ParamSpec(name="n", choices=(2, 3, 4, 5)))


def test_no_params_means_unchanged() -> None:
    plain = exercise()
    assert draw_params(plain, "alice") == {}
    assert apply_variant(plain, "alice") is plain


def test_draws_are_deterministic_and_in_range() -> None:
    ex = exercise(PARAMS)
    first = draw_params(ex, "alice")
    assert first == draw_params(ex, "alice")
    for i in range(200):
        values = draw_params(ex, f"s{i}")
        assert -5 <= values["a"] <= 9 and values["n"] in (2, 3, 4, 5)
    assert len({tuple(draw_params(ex, f"s{i}").items()) for i in range(50)}) > 5


def test_different_exercises_draw_independently() -> None:
    ex = exercise(PARAMS)
    other = Exercise(**{**ex.__dict__, "id": "derivatives/other"})
    assert any(draw_params(ex, f"s{i}") != draw_params(other, f"s{i}") for i in range(20))


def test_substitution_everywhere() -> None:
    ex = exercise(PARAMS)
    values = draw_params(ex, "bob")
    variant = apply_variant(ex, "bob")
    a, n = values["a"], values["n"]
    assert "{a}" not in variant.prompt and f"x^{n}" in variant.prompt
    assert "\\frac{1}{2}" in variant.prompt          # unknown braces survive
    assert variant.hints == (f"Bring {n} down.",)
    part = variant.parts[0]
    shown_a = f"({a})" if a < 0 else str(a)
    assert part.expected == f"{shown_a}*{n}*x^({n}-1)"
    assert part.mistakes[0].message == f"Forgot the factor {n}."
    assert ex.parts[0].expected == "{a}*{n}*x^({n}-1)"  # original untouched


def test_substituted_answer_is_graded_by_the_engine() -> None:
    ex = exercise(PARAMS)
    for seed in ("alice", "bob", "carol", "dave"):
        values = draw_params(ex, seed)
        a, n = values["a"], values["n"]
        part = apply_variant(ex, seed).parts[0]
        right = f"{a * n}*x^{n - 1}"
        assert check_part(part, right).status == "correct", (seed, values, part.expected)
        if a not in (0,) and n != 1:
            wrong = check_part(part, f"{a}*x^{n - 1}" if a >= 0 else f"({a})*x^{n - 1}")
            assert wrong.status == "wrong"
            assert wrong.message == f"Forgot the factor {n}."


def test_negative_values_are_parenthesised_in_math_only() -> None:
    assert substitute("{a}^2", {"a": -3}, math=True) == "(-3)^2"
    assert substitute("a = {a}", {"a": -3}) == "a = -3"
    assert substitute("{b} {c}", {"b": 0.25, "c": "relu"}) == "0.25 relu"
