"""The one `Result` model of grading: checks, exercises, submissions, and their plain-dict form."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

Status = Literal["passed", "failed", "error", "missing", "not_graded"]
"""`not_graded`: the grader ran out of its own time (machine overload), not the student's fault:
never a final 0, never cached; `modl grade` retries it once."""


@dataclass(frozen=True)
class CheckResult:
    """One graded check (a math part or a code test case)."""

    name: str
    passed: bool
    score: float
    max_score: float
    message: str = ""
    hidden: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "score": _round(self.score),
                "max_score": _round(self.max_score), "message": self.message,
                "hidden": self.hidden}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        return cls(name=str(data["name"]), passed=bool(data["passed"]),
                   score=float(data["score"]), max_score=float(data["max_score"]),
                   message=str(data.get("message", "")), hidden=bool(data.get("hidden", False)))


@dataclass(frozen=True)
class ExerciseResult:
    """The grade of one exercise of one submission."""

    id: str
    score: float
    max_score: float
    status: Status
    checks: tuple[CheckResult, ...] = ()
    message: str = ""
    output: str = ""
    duration: float = 0.0

    @property
    def full_marks(self) -> bool:
        return self.max_score > 0 and self.score >= self.max_score - 1e-9

    def visible(self) -> ExerciseResult:
        """The same result as a student may see it: hidden checks reduced to their score."""
        checks = tuple(c if not c.hidden else replace(c, message="(hidden check)")
                       for c in self.checks)
        return replace(self, checks=checks)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "score": _round(self.score),
                                "max_score": _round(self.max_score), "status": self.status,
                                "checks": [c.to_dict() for c in self.checks]}
        if self.message:
            data["message"] = self.message
        if self.output:
            data["output"] = self.output
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExerciseResult:
        return cls(id=str(data["id"]), score=float(data["score"]),
                   max_score=float(data["max_score"]), status=data["status"],
                   checks=tuple(CheckResult.from_dict(c) for c in data.get("checks", [])),
                   message=str(data.get("message", "")), output=str(data.get("output", "")),
                   duration=float(data.get("duration", 0.0)))


def unread_file(request: dict[str, Any], duration: float = 0.0) -> dict[str, Any] | None:
    """The result of a code job whose file could not be read (absent, a folder, too large, not
    UTF-8: `code_request` says which), or None when it was read. The judge and the client
    (which then sends no job at all) decide it alike, here."""
    if request.get("source") is not None:
        return None
    shown = str(request.get("filename", "submission.py"))
    status = str(request.get("source_status") or "error")
    result = ExerciseResult(id=str(request["exercise_id"]), score=0.0,
                            max_score=float(request["points"]),
                            status=status if status == "missing" else "error",
                            message=str(request.get("source_error") or
                                        f"{shown} could not be read"), duration=duration)
    return {**result.to_dict(), "duration": duration}


@dataclass(frozen=True)
class SubmissionResult:
    """The grades of every exercise of one submission (a workspace folder)."""

    submission: str
    exercises: tuple[ExerciseResult, ...] = ()
    error: str = ""
    student: str = ""
    duration: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(e.max_score for e in self.exercises)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"submission": self.submission, "score": _round(self.score),
                                "max_score": _round(self.max_score),
                                "exercises": [e.to_dict() for e in self.exercises]}
        if self.student:
            data["student"] = self.student
        if self.error:
            data["error"] = self.error
        return data


def scaled_checks(checks: list[CheckResult], total: float) -> tuple[CheckResult, ...]:
    """Rescale check weights so that their maxima add up to the exercise's points."""
    weight = sum(c.max_score for c in checks)
    if weight <= 0:
        return tuple(checks)
    factor = total / weight
    return tuple(replace(c, score=c.score * factor, max_score=c.max_score * factor)
                 for c in checks)


def exercise_status(checks: tuple[CheckResult, ...], max_score: float) -> Status:
    score = sum(c.score for c in checks)
    return "passed" if checks and score >= max_score - 1e-9 else "failed"


def _round(value: float) -> float | int:
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded
