"""Held-out audit: independently solved answers (right forms and plausible wrong ones) against
the bank, in-process; plus the feedback the audit found teaching the wrong lesson."""

from __future__ import annotations

import pytest

from modl_tutor.answers.choices import display_order, letter
from modl_tutor.bank.loader import default_bank
from modl_tutor.grading.core import check_answer
from tests.answers.audit_cases import CHOICES, all_cases

CASES = all_cases()
RIGHT = [(c.exercise, c.part, c.seed, t) for c in CASES for t in c.right]
WRONG = [(c.exercise, c.part, c.seed, t) for c in CASES for t in c.wrong]


def _id(probe: tuple[str, str, str, str]) -> str:
    exercise, part, seed, text = probe
    return f"{exercise.split('/')[1]}:{part}:{seed or '-'}:{text[:30]}"


def _check(exercise: str, part: str, seed: str, text: str):  # type: ignore[no-untyped-def]
    return check_answer(default_bank().get(exercise), part, text, seed=seed)


@pytest.mark.parametrize("probe", RIGHT, ids=_id)
def test_independent_right_answers_are_accepted(probe: tuple[str, str, str, str]) -> None:
    outcome = _check(*probe)
    assert outcome.status == "correct", outcome.message


@pytest.mark.parametrize("probe", WRONG, ids=_id)
def test_plausible_wrong_answers_are_rejected_with_a_reason(probe: tuple[str, str, str, str]) -> None:
    outcome = _check(*probe)
    assert outcome.status == "wrong", outcome.message
    assert outcome.score == 0 and outcome.message and "Correct" not in outcome.message


def test_the_audit_covers_the_bank() -> None:
    classic = ("expression", "number", "vector", "choice", "multipart")
    math_ids = {e.id for e in default_bank() if e.kind in classic and not e.slug.endswith("_steps")
                and e.topic in ("derivatives", "backprop", "losses", "optimization", "precision")}
    covered = {c.exercise for c in CASES} | {ex for ex, _ in CHOICES}
    assert math_ids <= covered, sorted(math_ids - covered)
    assert len(RIGHT) >= 250 and len(WRONG) >= 300


@pytest.mark.parametrize("key", sorted(CHOICES), ids=lambda k: f"{k[0]}:{k[1]}")
def test_choices_accept_exactly_the_right_options(key: tuple[str, str]) -> None:
    exercise_id, part_name = key
    exercise = default_bank().get(exercise_id)
    part = exercise.part(part_name)
    for seed in ("", "alice"):
        order = display_order(part, seed, exercise.id)
        right = ", ".join(letter(order.index(i)) for i in sorted(CHOICES[key]))
        assert check_answer(exercise, part_name, right, seed=seed).status == "correct"
        for i in range(len(part.options)):
            if {i} != CHOICES[key]:
                outcome = check_answer(exercise, part_name, letter(order.index(i)), seed=seed)
                assert outcome.status == "wrong" and outcome.score < part.points


@pytest.mark.parametrize("exercise, part, text, fragment", [
    ("derivatives/power_rule_slope", "answer", "10.0001", "secant"),
    ("precision/fp16_neighbours", "answer", "[0.0999755859375, 0.1]", "not a float16"),
    ("precision/fp16_neighbours", "answer", "0.1", "not a float16"),
    ("backprop/logistic_worked_example", "w1_new", "0.5", "before the step"),
    ("backprop/logistic_worked_example", "w1_new", "0.499665", "wrong way"),
    ("backprop/logistic_worked_example", "w1_new", "0.503346", "ten times"),
    ("backprop/logistic_worked_example", "b_new", "1.000693", "0.1 instead of 0.01"),
    ("backprop/linear_layer_shapes", "dW_shape", "WRONG:1", "shape of the parameter"),
    ("optimization/minibatch_noise", "answer", "WRONG:0", "variance"),
    ("derivatives/relu_slopes", "at_zero", "WRONG:2", "PyTorch"),
    ("optimization/gd_step_2d", "answer", "(2.6, 0.2)", "[2.6, 0.2]"),
])
def test_feedback_teaches_the_right_lesson(exercise: str, part: str, text: str,
                                           fragment: str) -> None:
    ex = default_bank().get(exercise)
    if text.startswith("WRONG:"):
        order = display_order(ex.part(part), "", ex.id)
        text = letter(order.index(int(text.split(":")[1])))
    outcome = check_answer(ex, part, text)
    assert outcome.status in ("wrong", "invalid") and fragment in outcome.message


def test_significant_figures_are_counted_as_typed() -> None:
    rate = _check("optimization/gd_condition_rate", "rate", "", "0.980")
    assert rate.status == "correct"
    coarse = _check("derivatives/difference_quotients", "forward", "", "3.3")
    assert coarse.status == "wrong" and "only 2 significant figures" in coarse.message
    exact = _check("derivatives/power_rule_slope", "answer", "", "10.001")
    assert "significant" not in exact.message and "more digits" not in exact.message


def test_exact_derivative_for_a_finite_difference_gets_the_lesson_for_every_variant() -> None:
    from modl_tutor.bank.variants import draw_params

    ex = default_bank().get("derivatives/finite_difference_slope")
    for seed in ("", "alice", "s3", "b17", "zed", "q"):
        a = draw_params(ex, seed)["a"]
        outcome = check_answer(ex, "forward", str(2 * a), seed=seed)
        assert outcome.status == "wrong" and "exact slope" in outcome.message, seed
