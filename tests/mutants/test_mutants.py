"""Mutation tests: plausible wrong solutions (bad_*.py) lose marks, correct ones written
differently from solutions/ (ok_*.py) earn full marks. Layout: <topic>/<slug>/*.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from modl_tutor.bank.loader import load_bank
from modl_tutor.grading.client import CodeGrader, code_request
from modl_tutor.result import ExerciseResult

pytestmark = pytest.mark.slow

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


@pytest.fixture(scope="module")
def grader():  # type: ignore[no-untyped-def]
    with CodeGrader(jobs=2) as own:
        yield own


def test_every_canonical_exercise_has_both_kinds_of_mutant():
    for exercise_id in CANONICAL:
        names = [p.name for p in (HERE / exercise_id).glob("*.py")]
        assert any(n.startswith("ok_") for n in names), exercise_id
        assert sum(n.startswith("bad_") for n in names) >= 3, exercise_id


@pytest.mark.parametrize("path", MUTANTS, ids=_id)
def test_mutant(path: Path, bank, grader):  # type: ignore[no-untyped-def]
    exercise_id = f"{path.parent.parent.name}/{path.parent.name}"
    if exercise_id not in {e.id for e in bank}:
        pytest.skip(f"{exercise_id} is not in the bank yet")
    exercise = bank.get(exercise_id)
    result = ExerciseResult.from_dict({**grader.grade(code_request(exercise, str(path))),
                                       "id": exercise_id})
    failures = "\n".join(f"{c.name}: {c.message}" for c in result.checks if not c.passed)
    if path.name.startswith("ok_"):
        assert result.full_marks, f"{result.message}\n{failures}"
    else:
        assert result.status != "error", f"a mutant should run: {result.message}"
        assert result.score < result.max_score, f"{path.name} earned full marks"
        assert failures or result.message
