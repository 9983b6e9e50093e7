"""`modl grade` retries once what the grader ran out of its own time on, and never caches it."""

from __future__ import annotations

from dataclasses import replace

from modl_tutor.batch import runner
from modl_tutor.batch.cache import ResultCache
from modl_tutor.result import ExerciseResult, SubmissionResult

SIGMOID = "derivatives/sigmoid_prime"


def _fake_grader(outcomes: list[str]):  # type: ignore[no-untyped-def]
    """grade_submission that answers `outcomes` in turn for the sigmoid exercise."""
    calls: list[list[str]] = []

    def grade(path, bank, grader, exercises, *, student=None):  # type: ignore[no-untyped-def]
        calls.append([e.id for e in exercises])
        status = outcomes[min(len(calls), len(outcomes)) - 1]
        score = 2.0 if status == "passed" else 0.0
        rows = tuple(ExerciseResult(e.id, score if e.id == SIGMOID else 0.0, e.points,
                                    status if e.id == SIGMOID else "missing")  # type: ignore[arg-type]
                     for e in exercises)
        return SubmissionResult(str(path), rows)

    return grade, calls


def test_not_graded_is_retried_once_then_cached(ws, math_env, monkeypatch, tmp_path):
    grade, calls = _fake_grader(["not_graded", "passed"])
    monkeypatch.setattr(runner, "grade_submission", grade)
    cache = ResultCache(tmp_path / "cache")
    exercises = list(math_env)
    result = runner.grade_one(ws, math_env, None, exercises, cache=cache, bank_key="k")
    assert calls == [[e.id for e in exercises], [SIGMOID]]  # only the late one, once
    assert {e.id: e.status for e in result.exercises}[SIGMOID] == "passed"
    assert runner.grade_one(ws, math_env, None, exercises, cache=cache,
                            bank_key="k").extra.get("cached")


def test_still_not_graded_after_the_retry_is_never_cached(ws, math_env, monkeypatch, tmp_path):
    grade, calls = _fake_grader(["not_graded"])
    monkeypatch.setattr(runner, "grade_submission", grade)
    cache = ResultCache(tmp_path / "cache")
    exercises = list(math_env)
    result = runner.grade_one(ws, math_env, None, exercises, cache=cache, bank_key="k")
    assert len(calls) == 2
    late = {e.id: e for e in result.exercises}[SIGMOID]
    assert late.status == "not_graded"
    again = runner.grade_one(ws, math_env, None, exercises, cache=cache, bank_key="k")
    assert not again.extra.get("cached") and len(calls) == 4
    assert replace(late, duration=0) == replace(
        {e.id: e for e in again.exercises}[SIGMOID], duration=0)
