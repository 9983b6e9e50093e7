"""Synthetic grading results covering every status, hidden checks and hostile text."""

from __future__ import annotations

import pytest

from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult

NASTY = "bad \x00 byte \x1b[31m ansi, <tag> & \"quotes\"\nsecond line"


@pytest.fixture()
def results() -> list[SubmissionResult]:
    softmax = ExerciseResult(
        id="losses/softmax", score=3.0, max_score=4.0, status="failed",
        checks=(CheckResult("vector of 4 logits", True, 1.0, 1.0),
                CheckResult("large logits", True, 2.0, 2.0),
                CheckResult("3-D input, middle axis", False, 0.0, 1.0,
                            "values differ: max abs error 0.3", hidden=True)),
        output="debug print\n", duration=0.5)
    slope = ExerciseResult(id="derivatives/power_rule_slope", score=1.0, max_score=1.0,
                           status="passed", checks=(CheckResult("answer", True, 1.0, 1.0),))
    good = SubmissionResult(submission="subs/alice", student="alice",
                            exercises=(slope, softmax), duration=1.25)
    broken_code = ExerciseResult(id="losses/softmax", score=0.0, max_score=4.0, status="error",
                                 message="your file could not be imported: " + NASTY)
    missing = ExerciseResult(id="derivatives/power_rule_slope", score=0.0, max_score=1.0,
                             status="missing",
                             checks=(CheckResult("answer", False, 0.0, 1.0, "no answer"),))
    partial = SubmissionResult(submission="subs/=bob", student="-bob",
                               exercises=(missing, broken_code), duration=0.25)
    error_row = SubmissionResult(
        submission="subs/carol", error="subs/carol/answers.toml: not valid TOML",
        exercises=(ExerciseResult("derivatives/power_rule_slope", 0.0, 1.0, "error",
                                  message="subs/carol/answers.toml: not valid TOML"),
                   ExerciseResult("losses/softmax", 0.0, 4.0, "error",
                                  message="subs/carol/answers.toml: not valid TOML")))
    return [good, partial, error_row]


@pytest.fixture()
def tiny_bank(tmp_path):  # type: ignore[no-untyped-def]
    from modl_tutor.bank.loader import load_bank
    from tests.batch.helpers import write_bank

    return load_bank(write_bank(tmp_path / "bank"))
