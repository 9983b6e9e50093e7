"""Gradescope's autograder `results.json` for one submission: a test per check, hidden → after_due_date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from modl_tutor import __version__
from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult

VISIBLE = "visible"
HIDDEN = "after_due_date"
"""Hidden checks are shown to students once the due date has passed."""

MAX_OUTPUT = 4000


def _exact(value: float) -> float:
    """A score as it is: never rounded per test, so the tests add up to the exact total."""
    return float(value)


def _total(value: float) -> float | int:
    """The submission total written exactly as the JSON/CSV reports write it (4 decimals)."""
    rounded = round(float(value), 4)
    return int(rounded) if rounded == int(rounded) else rounded


def _check_score(check: CheckResult) -> float:
    """A passed check scores its maximum exactly (no 3.9999/4 from float scaling)."""
    if check.passed and check.score >= check.max_score - 1e-9:
        return _exact(check.max_score)
    return _exact(min(check.score, check.max_score))


def _clip(text: str) -> str:
    return text if len(text) <= MAX_OUTPUT else text[:MAX_OUTPUT] + "\n… (cut)"


def _name(exercise: ExerciseResult, check: CheckResult | None) -> str:
    if check is None or (len(exercise.checks) == 1 and check.name == "answer"):
        return exercise.id
    return f"{exercise.id}: {check.name}"


def _check_output(exercise: ExerciseResult, check: CheckResult) -> str:
    lines = [check.message] if check.message else []
    if not check.passed and exercise.message:
        lines.append(exercise.message)
    if not check.passed and exercise.output:
        lines.append("your program printed:\n" + exercise.output)
    return _clip("\n".join(lines))


def _tests(exercise: ExerciseResult) -> list[dict[str, Any]]:
    topic = exercise.id.split("/")[0]
    if not exercise.checks:
        message = exercise.message or {
            "missing": "no answer was submitted", "error": "could not be graded",
            "not_graded": "the grader ran out of its own time: ask the course staff to "
                          "re-run the autograder"}.get(exercise.status, "")
        if exercise.output:
            message += "\nyour program printed:\n" + exercise.output
        return [{"name": exercise.id, "score": _exact(exercise.score),
                 "max_score": _exact(exercise.max_score),
                 "status": "passed" if exercise.status == "passed" else "failed",
                 "output": _clip(message), "tags": [topic], "visibility": VISIBLE}]
    return [{"name": _name(exercise, check), "score": _check_score(check),
             "max_score": _exact(check.max_score),
             "status": "passed" if check.passed else "failed",
             "output": _check_output(exercise, check), "tags": [topic],
             "visibility": HIDDEN if check.hidden else VISIBLE}
            for check in exercise.checks]


def _summary(result: SubmissionResult) -> str:
    if result.error:
        return (f"This submission could not be graded: {result.error}\n"
                "Upload your workspace folder: answers.toml, modl.toml and the <topic>/<slug>.py "
                "files.")
    lines = []
    hidden = sum(1 for e in result.exercises for c in e.checks if c.hidden)
    for exercise in result.exercises:
        if exercise.status == "missing":
            lines.append(f"{exercise.id}: no answer submitted")
        elif exercise.status == "error":
            first = exercise.message.splitlines()[0] if exercise.message else "error"
            lines.append(f"{exercise.id}: could not be graded ({first})")
    if hidden:
        lines.append(f"{hidden} hidden check(s) are shown after the due date.")
    return "\n".join(lines) or "All exercises were graded."


def gradescope_data(result: SubmissionResult) -> dict[str, Any]:
    """The results.json object (Gradescope autograder specification)."""
    tests = [test for exercise in result.exercises for test in _tests(exercise)]
    return {
        "score": _total(result.score),
        "execution_time": max(0, round(result.duration)),
        "output": _summary(result),
        "visibility": VISIBLE,
        "stdout_visibility": "hidden",
        "extra_data": {"modl_version": __version__,
                       "student": result.student or Path(result.submission).name,
                       "max_score": _total(result.max_score)},
        "tests": tests,
    }


def gradescope_report(result: SubmissionResult) -> str:
    """results.json text for one submission."""
    return json.dumps(gradescope_data(result), indent=2, ensure_ascii=False)
