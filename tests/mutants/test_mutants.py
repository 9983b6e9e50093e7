"""Mutation tests: plausible wrong solutions (bad_*.py) lose marks, correct ones written
differently from solutions/ (ok_*.py) earn full marks. Layout: <topic>/<slug>/*.py.

They run in-process (tests/mutants/judge.py), for two seeds each: what the checks tell apart
does not depend on the sandbox, which has tests of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from modl_tutor.bank.loader import load_bank
from tests.mutants.judge import judge_source

HERE = Path(__file__).parent
MUTANTS = sorted(p for p in HERE.glob("*/*/*.py") if p.name.startswith(("ok_", "bad_")))
CANONICAL = ("losses/softmax", "losses/cross_entropy", "losses/bce_with_logits",
             "derivatives/numerical_gradient", "backprop/logistic_regression_step",
             "backprop/mlp2_backward", "precision/round_to_bfloat16", "precision/fixed_point",
             "optimization/adam_step")


def _id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}/{path.stem}"


@pytest.fixture(scope="module")
def bank():  # type: ignore[no-untyped-def]
    return load_bank(strict=False)


def test_every_canonical_exercise_has_both_kinds_of_mutant():
    for exercise_id in CANONICAL:
        names = [p.name for p in (HERE / exercise_id).glob("*.py")]
        assert any(n.startswith("ok_") for n in names), exercise_id
        assert sum(n.startswith("bad_") for n in names) >= 3, exercise_id


@pytest.mark.parametrize("path", MUTANTS, ids=_id)
def test_mutant(path: Path, bank):  # type: ignore[no-untyped-def]
    exercise_id = f"{path.parent.parent.name}/{path.parent.name}"
    if exercise_id not in {e.id for e in bank}:
        pytest.skip(f"{exercise_id} is not in the bank yet")
    exercise = bank.get(exercise_id)
    source = path.read_text(encoding="utf-8")
    for seed in ("", "student-7"):
        outcome = judge_source(exercise, source, seed)
        report = "\n".join([*outcome.refused, *(f"[{name}] {message}"
                                                for name, message in outcome.failed.items())])
        if path.name.startswith("ok_"):
            assert outcome.full_marks, f"seed {seed!r}:\n{report}"
        else:
            assert not outcome.full_marks, f"{path.name} earned full marks (seed {seed!r})"
