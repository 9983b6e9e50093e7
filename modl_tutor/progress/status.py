"""The status of an exercise as every face shows it: derived from its grade now, plus history."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from modl_tutor.progress.store import ExerciseProgress
from modl_tutor.result import ExerciseResult

State = Literal["done", "attempted", "gave_up", "changed", "not_graded", "new"]
STATES: tuple[State, ...] = ("done", "attempted", "gave_up", "changed", "not_graded", "new")

MARKS: dict[str, tuple[str, str]] = {
    "done": ("✓", "green"),
    "solved_after_solution": ("✓", "cyan"),
    "attempted": ("~", "yellow"),
    "gave_up": ("✗", "red"),
    "changed": ("?", "yellow"),
    "not_graded": ("!", "magenta"),
    "new": ("·", "dim"),
}
"""Mark and rich style of each status, shared by `modl list`, watch mode and the app."""

LABELS: dict[str, str] = {
    "done": "done",
    "solved_after_solution": "solved after viewing the solution",
    "attempted": "attempted",
    "gave_up": "gave up",
    "changed": "changed since last graded",
    "not_graded": "not graded (the grader ran out of time)",
    "new": "new",
}


@dataclass(frozen=True)
class ExerciseStatus:
    """Where a student stands on one exercise: `state` is decided by the grade now only."""

    exercise: str
    state: State
    max_score: float
    score: float | None = None
    """The grade now; None when it is not known (a code file changed since it was graded)."""
    gave_up: bool = False
    hints_shown: int = 0
    attempts: int = 0
    full_at: float | None = None
    """When a submission last earned full marks (history, not the status)."""

    @property
    def done(self) -> bool:
        return self.state == "done"

    @property
    def key(self) -> str:
        """The key of MARKS / LABELS (done after giving up is its own)."""
        return "solved_after_solution" if self.done and self.gave_up else self.state

    @property
    def mark(self) -> tuple[str, str]:
        return MARKS[self.key]

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def history(self) -> str:
        """'you had this right on <date>; ...' when full marks were lost since, else ''."""
        if self.done or self.full_at is None:
            return ""
        day = time.strftime("%Y-%m-%d", time.localtime(self.full_at))
        now = {"changed": "your file changed since and is not graded yet",
               "not_graded": "your current answer could not be graded this time"}.get(
            self.state, "your current answer is not right")
        return f"you had this right on {day}; {now}"

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.state, "label": self.label, "score": self.score,
                "gave_up": self.gave_up, "hints_shown": self.hints_shown,
                "attempts": self.attempts,
                "had_full_marks_on": None if self.full_at is None else time.strftime(
                    "%Y-%m-%d", time.localtime(self.full_at))}


@dataclass(frozen=True)
class TopicStatus:
    """How far the student is in one topic (counts of exercise states)."""

    topic: str
    done: int
    attempted: int
    total: int
    score: float = 0.0
    max_score: float = 0.0


def derive_status(exercise_id: str, max_score: float, result: ExerciseResult | None,
                  progress: ExerciseProgress | None, *, edited: bool = False) -> ExerciseStatus:
    """The one status rule: done exactly when the grade now is full marks.

    `result` is the grade of the workspace now (None when it is unknown: a code file changed
    since it was last graded); `edited` says a code file differs from its starter.
    """
    p = progress or ExerciseProgress(exercise_id)
    state: State
    if result is None:
        state = "changed" if edited else "gave_up" if p.gave_up else "new"
    elif result.status == "not_graded":
        state = "not_graded"
    elif result.full_marks:
        state = "done"
    elif p.gave_up:
        state = "gave_up"
    elif result.status == "missing" and not p.attempts:
        state = "new"
    else:
        state = "attempted"
    score = None if result is None or result.status == "not_graded" else result.score
    return ExerciseStatus(exercise_id, state, max_score, score, p.gave_up, p.hints_shown,
                          p.attempts, p.full_at)


def topic_status(topic: str, statuses: list[ExerciseStatus]) -> TopicStatus:
    done = sum(s.done for s in statuses)
    tried = sum(s.state not in ("done", "new") for s in statuses)
    return TopicStatus(topic, done, tried, len(statuses),
                       sum(s.score or 0.0 for s in statuses), sum(s.max_score for s in statuses))
