"""The canonical exercises of CANONICAL.md exist exactly as written (ids, kinds, functions, parts)."""

from __future__ import annotations

import ast

import pytest

CODE = {
    "losses/softmax": ("softmax", ["z", "axis"]),
    "losses/cross_entropy": ("cross_entropy", ["logits", "targets"]),
    "losses/bce_with_logits": ("bce_with_logits", ["logits", "targets"]),
    "derivatives/numerical_gradient": ("numerical_gradient", ["f", "x", "h"]),
    "backprop/logistic_regression_step": ("logistic_regression_step", ["w", "b", "X", "Y", "lr"]),
    "backprop/mlp2_backward": ("mlp2_backward", ["X", "y", "W1", "b1", "W2", "b2"]),
    "precision/round_to_bfloat16": ("round_to_bfloat16", ["x"]),
    "precision/fixed_point": ("to_fixed_point", ["x", "int_bits", "frac_bits"]),
    "optimization/adam_step": ("adam_step", ["param", "grad", "m", "v", "t", "lr", "beta1",
                                             "beta2", "eps"]),
}

MATH = {
    "derivatives/sigmoid_prime": ("expression", None),
    "derivatives/tanh_prime": ("expression", None),
    "derivatives/power_rule_slope": ("number", None),
    "losses/bce_derivative": ("expression", None),
    "losses/softmax_example": ("vector", None),
    "backprop/logistic_worked_example": (
        "multipart", ["z", "a", "dz", "dw1", "dw2", "db", "w1_new", "w2_new", "b_new"]),
    "precision/fp16_max": ("number", None),
    "precision/bf16_epsilon": ("number", None),
}


@pytest.mark.parametrize("exercise_id", sorted(CODE))
def test_canonical_code_exercise(bank, exercise_id):
    function, params = CODE[exercise_id]
    exercise = bank.get(exercise_id)
    assert exercise.id == exercise_id and exercise.kind == "code"
    assert exercise.code is not None and exercise.code.function == function
    for source_path in (exercise.starter_path,
                        bank.solutions_root / exercise.topic / f"{exercise.slug}.py"):
        tree = ast.parse(source_path.read_text())
        defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert function in defs, f"{source_path} does not define {function}"
        names = [a.arg for a in defs[function].args.args]
        assert names == params, f"{source_path}: {function}{tuple(names)}"


@pytest.mark.parametrize("exercise_id", sorted(MATH))
def test_canonical_math_exercise(bank, exercise_id):
    kind, parts = MATH[exercise_id]
    exercise = bank.get(exercise_id)
    assert exercise.kind == kind
    assert not exercise.params, "canonical exercises have no per-student variation"
    if parts:
        assert [p.name for p in exercise.parts] == parts


def test_logistic_worked_example_numbers_are_computed(bank):
    """Our numbers, not the slides' (which write dz = -0.00693)."""
    import math

    exercise = bank.get("backprop/logistic_worked_example")
    a = 1 / (1 + math.exp(-5.0))
    dz = a - 1
    truth = {"z": 5.0, "a": a, "dz": dz, "dw1": 5 * dz, "dw2": 3 * dz, "db": dz,
             "w1_new": 0.5 - 0.01 * 5 * dz, "w2_new": 0.5 - 0.01 * 3 * dz, "b_new": 1 - 0.01 * dz}
    from modl_tutor.answers.check import check_part

    updated = {"w1_new": 5 * dz, "w2_new": 3 * dz, "b_new": dz}  # minus alpha times these
    for part in exercise.parts:
        if part.name in updated:  # 5 decimal places: the step itself is only ~3e-4
            assert part.tolerance.abs == pytest.approx(5e-6)
            start = 1.0 if part.name == "b_new" else 0.5
            for wrong in (start, start + 0.01 * updated[part.name],
                          start - 0.1 * updated[part.name]):  # no step, wrong way, 10x
                outcome = check_part(part, repr(wrong), exercise_id=exercise.id)
                assert outcome.status == "wrong", (part.name, wrong)
        else:  # 3 significant figures
            assert part.tolerance.rel == pytest.approx(1e-3) or part.tolerance.sig_figs == 3
        outcome = check_part(part, repr(truth[part.name]), exercise_id=exercise.id)
        assert outcome.status == "correct", (part.name, outcome.message)
    slip = check_part(exercise.part("dz"), "-0.00693", exercise_id=exercise.id)
    assert slip.status == "wrong"
    assert check_part(exercise.part("dz"), "-0.00669", exercise_id=exercise.id).status == "correct"


def test_bank_size_and_mix(bank):
    by_topic = {t: [e for e in bank if e.topic == t] for t in
                ("derivatives", "backprop", "losses", "precision", "optimization")}
    for topic in ("derivatives", "backprop", "losses", "precision"):
        assert len(by_topic[topic]) >= 15, topic
    assert len(by_topic["optimization"]) >= 8
    assert len(bank) >= 70
    assert sum(e.is_code for e in bank) * 3 >= len(bank)
    for exercise in bank:
        assert len(exercise.hints) >= 2, f"{exercise.id} needs at least two hints"
