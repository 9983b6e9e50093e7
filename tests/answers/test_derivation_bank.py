"""Derivation exercises in the bank: loading and validation, answers.toml arrays, grading, verify."""

from __future__ import annotations

import pytest

from modl_tutor.bank.loader import load_exercise
from modl_tutor.errors import BankError

GOOD = """
title = "Demo derivation"
kind = "derivation"
points = 2
hints = ["one", "two"]

[answer]
expected = "2*x*cos(x^2)"
variables = ["x"]
labels = ["f'(x)"]
steps = ["cos(u)*2*x", "2*x*cos(x^2)"]
intermediates = { u = "x^2" }

[[answer.broken]]
steps = ["cos(u)*2*x", "cos(u)"]
line = 2
slip = "chain-rule factor"
"""


def test_loads_a_derivation_exercise(make_exercise):
    exercise = load_exercise(make_exercise(GOOD))
    (part,) = exercise.parts
    assert exercise.kind == "derivation" and part.type == "derivation"
    assert part.intermediates == (("u", "x^2"),) and part.steps[0] == "cos(u)*2*x"
    assert part.broken[0].line == 2 and part.credit == "both" and part.allow_final_only


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ('credit = "both"', 'credit = "some"', "answer.credit", "must be one of"),
        ("steps = [", "stepz = [", "answer.stepz", "is not a known field"),
        ('intermediates = { u = "x^2" }', 'intermediates = { x = "x^2" }',
         "answer.intermediates.x", "not a variable"),
        ("line = 2", "line = 3", "answer.broken[0].line", "must be a line number"),
        ('labels = ["f\'(x)"]', "equation = true", "answer.equation", "needs `labels`"),
        ("credit", "final_weight = 1.5\ncredit", "answer.final_weight", "between 0 and 1"),
    ],
)
def test_bad_derivation_fields_are_named(make_exercise, old, new, field, problem):
    toml = GOOD.replace('labels = ["f\'(x)"]', 'labels = ["f\'(x)"]\ncredit = "both"')
    with pytest.raises(BankError) as info:
        load_exercise(make_exercise(toml.replace(old, new, 1)))
    assert info.value.field == field and problem in str(info.value)
    assert "exercise.toml" in str(info.value)


def test_missing_steps_is_an_authoring_error(make_exercise):
    toml = GOOD.replace('steps = ["cos(u)*2*x", "2*x*cos(x^2)"]\n', "")
    with pytest.raises(BankError, match="answer.steps"):
        load_exercise(make_exercise(toml))


def test_derivation_keys_are_refused_on_other_kinds(make_exercise):
    toml = GOOD.replace('kind = "derivation"', 'kind = "expression"')
    with pytest.raises(BankError, match="is not a known field"):
        load_exercise(make_exercise(toml))


def test_verify_accepts_the_canonical_steps_and_rejects_the_broken_routes(make_exercise):
    from modl_tutor.batch.verify import _derivation_findings

    exercise = load_exercise(make_exercise(GOOD))
    assert _derivation_findings(exercise.id, exercise.parts[0]) == []
    # a "broken" route that is in fact correct, and one flagged at the wrong line
    lying = GOOD.replace('steps = ["cos(u)*2*x", "cos(u)"]', 'steps = ["cos(u)*2*x", "2*x*cos(u)"]')
    wrong = load_exercise(make_exercise(lying, slug="lying"))
    problems = [f.problem for f in _derivation_findings(wrong.id, wrong.parts[0])]
    assert problems and "broken[0]" in problems[0]
    unaccepted = GOOD.replace('"2*x*cos(x^2)"]', '"x*cos(x^2)"]', 1)
    bad = load_exercise(make_exercise(unaccepted, slug="bad_canon"))
    assert any("canonical steps" in f.problem
               for f in _derivation_findings(bad.id, bad.parts[0]))


def test_the_bank_has_twelve_verified_derivations(bank):
    derivations = [e for e in bank if e.kind == "derivation"]
    assert len(derivations) >= 12
    for exercise in derivations:
        part = exercise.parts[0]
        assert len(exercise.hints) >= 2 and exercise.solution.strip() and part.broken


@pytest.mark.parametrize("slug", ["backprop/bce_sigmoid_dz_steps",
                                  "precision/rounding_error_bound_steps"])
def test_real_derivations_verify(bank, slug):
    from modl_tutor.batch.verify import _math_findings

    assert _math_findings(bank.get(slug)) == []


def test_answers_toml_array_is_graded_and_recorded_as_an_array(workspace, bank):
    from modl_tutor.grading.core import grade_math

    exercise = bank.get("derivatives/sigmoid_prime_steps")
    path = workspace.answers_path
    text = path.read_text(encoding="utf-8")
    text += ('\n[derivatives_extra]\n')  # unrelated table, kept as written
    path.write_text(text.replace('sigmoid_prime_steps = ""',
                                 'sigmoid_prime_steps = ["exp(-x)/u^2", '
                                 '"sigmoid(x)*(1 - sigmoid(x))"]'), encoding="utf-8")
    assert workspace.answer(exercise) == "exp(-x)/u^2\nsigmoid(x)*(1 - sigmoid(x))"
    result = grade_math(exercise, workspace)
    assert result.status == "passed" and result.score == 2
    workspace.record_answer(exercise, "exp(-x)/u^2\n-exp(-x)/u^2\n")
    assert workspace.load_answers()["derivatives"]["sigmoid_prime_steps"] == [
        "exp(-x)/u^2", "-exp(-x)/u^2"]
    broken = grade_math(exercise, workspace)
    assert broken.status == "failed" and "line 2" in broken.checks[0].message
    assert "derivatives_extra" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("slug, route", [
    ("losses/logsumexp_gradient_steps",
     ["exp(z1 - z2)/(exp(z1 - z2) + 1 + exp(z3 - z2))"]),                # shifted by z2
    ("losses/softmax_ce_gradient_steps",
     ["-(1/s1)*s1*(1 - s1)", "s1 - 1"]),                                    # chain through s1
    ("derivatives/tanh_prime_steps",
     ["4/(exp(x) + exp(-x))^2", "1/cosh(x)^2", "1 - tanh(x)^2"]),           # via sech²
    ("backprop/bce_sigmoid_dz_steps",
     ["dz = -y + a*y + a - a*y", "dz = a - y"]),                            # expanded
])
def test_unusual_routes_through_real_exercises(bank, slug, route):
    from modl_tutor.answers.derivation import DerivationSpec, check_derivation

    result = check_derivation(DerivationSpec.of(bank.get(slug).parts[0]), route)
    assert result.status == "correct", result.message
