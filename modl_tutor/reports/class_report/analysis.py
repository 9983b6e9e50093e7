"""Per-exercise class statistics from graded submissions: plain data the terminal and HTML views draw."""

from __future__ import annotations

import logging
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modl_tutor.bank.loader import Bank
from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError
from modl_tutor.reports.class_report import diagnoses as dx
from modl_tutor.reports.class_report.wrong_answers import AnswerGroup, WrongAnswers
from modl_tutor.result import ExerciseResult, SubmissionResult

logger = logging.getLogger("modl")

BINS = ("0%", "1–24%", "25–49%", "50–74%", "75–99%", "100%")
TOP = 8


def score_bin(score: float, max_score: float) -> str:
    """Which of BINS a score falls in."""
    if max_score <= 0 or score <= 1e-9:
        return BINS[0]
    if score >= max_score - 1e-9:
        return BINS[-1]
    fraction = score / max_score
    return BINS[1 + min(3, int(fraction * 4))]


@dataclass
class ExerciseStats:
    """What the class did on one exercise."""

    id: str
    title: str
    kind: str
    max_score: float
    students: int = 0
    mean_percent: float = 0.0
    median_percent: float = 0.0
    histogram: list[tuple[str, int]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    mistakes: list[tuple[str, int]] = field(default_factory=list)
    diagnoses: list[tuple[str, int]] = field(default_factory=list)
    causes: list[tuple[str, int]] = field(default_factory=list)
    wrong_answers: list[AnswerGroup] = field(default_factory=list)
    failing_checks: list[tuple[str, int, int]] = field(default_factory=list)

    def share(self, count: int) -> float:
        """`count` students as a percentage of those graded."""
        return 100.0 * count / self.students if self.students else 0.0


@dataclass
class ClassReport:
    """The whole class: totals and one ExerciseStats per exercise (bank order)."""

    submissions: int
    graded: int
    errors: list[tuple[str, str]]
    total_percents: list[float]
    histogram: list[tuple[str, int]]
    exercises: list[ExerciseStats]

    @property
    def mean_percent(self) -> float:
        return statistics.fmean(self.total_percents) if self.total_percents else 0.0


def load_answers(submission: str) -> dict[str, Any]:
    """A submission's answers.toml ({} when it is absent or unreadable)."""
    from modl_tutor.workspace.workspace import Workspace

    try:
        return Workspace(Path(submission)).load_answers()
    except ModlError:
        return {}


def _answer_text(exercise: Exercise, part: str, answers: dict[str, Any],
                 submission: str) -> str | None:
    from modl_tutor.workspace.workspace import Workspace

    try:
        value = Workspace(Path(submission)).answer(exercise, part, answers=answers)
    except ModlError:
        return None
    return value if isinstance(value, str) else None


class _Tally:
    """Counters for one exercise while the submissions are read."""

    def __init__(self, exercise: Exercise | None) -> None:
        self.exercise = exercise
        self.patterns = dx.mistake_patterns(exercise) if exercise is not None else []
        self.percents: list[float] = []
        self.bins: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.mistakes: Counter[str] = Counter()
        self.diagnoses: Counter[str] = Counter()
        self.causes: Counter[str] = Counter()
        self.fails: Counter[str] = Counter()
        self.runs: Counter[str] = Counter()
        self.answers = WrongAnswers()

    def add(self, result: ExerciseResult, answers: Callable[[], dict[str, Any]],
            submission: str = "") -> None:
        self.submission = submission
        self.percents.append(100 * result.score / result.max_score if result.max_score else 0)
        self.bins[score_bin(result.score, result.max_score)] += 1
        self.statuses[result.status] += 1
        mistakes: set[str] = set()
        found: set[str] = set()
        causes: set[str] = set()
        if result.status == "missing" and not any(c.passed for c in result.checks):
            found.add(dx.UNANSWERED)
        elif result.status in ("error", "not_graded"):
            found.add(dx.UNGRADABLE)
        for check in result.checks:
            self.runs[check.name] += 1
            if check.passed:
                continue
            self.fails[check.name] += 1
            if result.status in ("missing", "error", "not_graded"):
                continue
            self._wrong_check(result, check.name, check.message, answers, mistakes, found,
                              causes)
        self.mistakes.update(mistakes)
        self.diagnoses.update(found)
        self.causes.update(causes)

    def _wrong_check(self, result: ExerciseResult, name: str, message: str,
                     answers: Callable[[], dict[str, Any]], mistakes: set[str],
                     found: set[str], causes: set[str]) -> None:
        exercise = self.exercise
        if exercise is not None and not exercise.is_code:
            part = next((p for p in exercise.parts if p.name == name), None)
            known = dx.known_mistake(name, message, self.patterns)
            if known:
                mistakes.add(f"{name}: {known}" if exercise.is_multipart else known)
            elif message.strip():
                found.add(dx.generic_diagnosis(message))
            if part is not None:
                text = _answer_text(exercise, name, answers(), self.submission)
                if text:
                    self.answers.add(part, text, message)
            return
        lines = dx.likely_causes(message)
        if not lines and message.strip():
            label = dx.generic_diagnosis(message)
            found.add(label)
        for line in lines:
            label = dx.generic_diagnosis(line)
            found.add(label)
            if label == dx.OTHER:
                causes.add(line)

    def stats(self, exercise_id: str, max_score: float) -> ExerciseStats:
        exercise = self.exercise
        return ExerciseStats(
            id=exercise_id, title=exercise.title if exercise else exercise_id,
            kind=exercise.kind if exercise else "", max_score=max_score,
            students=len(self.percents),
            mean_percent=statistics.fmean(self.percents) if self.percents else 0.0,
            median_percent=statistics.median(self.percents) if self.percents else 0.0,
            histogram=[(b, self.bins.get(b, 0)) for b in BINS],
            statuses=dict(self.statuses),
            mistakes=self.mistakes.most_common(TOP),
            diagnoses=self.diagnoses.most_common(TOP),
            causes=self.causes.most_common(TOP),
            wrong_answers=self.answers.most_common(TOP),
            failing_checks=sorted(((n, f, self.runs[n]) for n, f in self.fails.items()),
                                  key=lambda t: (-t[1], t[0]))[:TOP])


def analyse(results: Sequence[SubmissionResult], bank: Bank | None = None, *,
            answers_of: Callable[[str], dict[str, Any]] = load_answers) -> ClassReport:
    """The class report of graded submissions (rows that could not be graded are listed apart).

    `answers_of(submission)` reads a submission's answers.toml, for the wrong-answer groups.
    """
    by_id = {e.id: e for e in bank} if bank is not None else {}
    graded = [r for r in results if not r.error]
    order = list(by_id)
    for result in graded:
        order.extend(e.id for e in result.exercises)
    order = list(dict.fromkeys(order))
    tallies: dict[str, _Tally] = {}
    maxima: dict[str, float] = {}
    for result in graded:
        cache: dict[str, dict[str, Any]] = {}

        def answers(sub: str = result.submission) -> dict[str, Any]:
            if sub not in cache:
                cache[sub] = answers_of(sub)
            return cache[sub]

        for exercise in result.exercises:
            tally = tallies.setdefault(exercise.id, _Tally(by_id.get(exercise.id)))
            maxima.setdefault(exercise.id, exercise.max_score)
            tally.add(exercise, answers, result.submission)
    percents = [100 * r.score / r.max_score if r.max_score else 0.0 for r in graded]
    bins = Counter(score_bin(r.score, r.max_score) for r in graded)
    return ClassReport(
        submissions=len(results), graded=len(graded),
        errors=[(r.submission, r.error) for r in results if r.error],
        total_percents=percents, histogram=[(b, bins.get(b, 0)) for b in BINS],
        exercises=[tallies[i].stats(i, maxima[i]) for i in order if i in tallies])
