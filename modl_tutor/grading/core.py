"""The one grading core: `grade_exercise` and `grade_submission`, used by CLI, app, batch and CI."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modl_tutor.bank.loader import Bank
from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError
from modl_tutor.grading.client import CodeGrader, code_request
from modl_tutor.result import CheckResult, ExerciseResult, Status, SubmissionResult
from modl_tutor.workspace.workspace import Workspace


def for_student(exercise: Exercise, seed: str) -> Exercise:
    """The exercise as this student sees it (variant parameters drawn from the seed)."""
    if not exercise.params:
        return exercise
    from modl_tutor.bank.variants import apply_variant

    return apply_variant(exercise, seed)


def check_answer(exercise: Exercise, part: str, text: str | None, *, seed: str = ""):  # type: ignore[no-untyped-def]
    """The answer engine's full outcome (status, score, message, preview) for one part."""
    from modl_tutor.answers.check import check_part

    exercise = for_student(exercise, seed)
    spec = exercise.part(part)
    if spec.type == "derivation":
        from modl_tutor.answers.derivation import check_part_derivation

        return check_part_derivation(spec, text, exercise_id=exercise.id)
    return check_part(spec, text, exercise_id=exercise.id, seed=seed)


def grade_answer(exercise: Exercise, part: str, text: str | None, *, seed: str = "") -> CheckResult:
    """Grade one typed answer to one part of a math exercise."""
    return _check_result(exercise.part(part), check_answer(exercise, part, text, seed=seed))


def _check_result(spec: Any, outcome: Any) -> CheckResult:
    return CheckResult(name=spec.name, passed=outcome.status == "correct", score=outcome.score,
                       max_score=spec.points, message=outcome.message)


@dataclass(frozen=True)
class MathGrade:
    """The grade of a math exercise and the answer engine's outcome of each part."""

    result: ExerciseResult
    outcomes: dict[str, Any]


def grade_texts(exercise: Exercise, texts: Mapping[str, str | None], *, seed: str = "",
                known: Mapping[str, tuple[str, Any]] | None = None) -> MathGrade:
    """Grade a math exercise from its answer texts (part -> text, None or blank = missing).

    The one place where part outcomes become an exercise's score and status: a part the
    grader ran out of time on makes the exercise `not_graded` (never a final 0).
    `known` maps part -> (text, outcome) already checked, so nothing is checked twice.
    """
    started = time.monotonic()
    texts = {p.name: (t if t is not None and t.strip() else None)
             for p in exercise.parts for t in [texts.get(p.name)]}
    outcomes: dict[str, Any] = {}
    checks = []
    for part in exercise.parts:
        text = texts[part.name]
        if text is None:
            outcome = _MissingOutcome(part.name, float(part.points))
        elif known is not None and part.name in known and known[part.name][0] == text:
            outcome = known[part.name][1]
        else:
            outcome = check_answer(exercise, part.name, text, seed=seed)
        outcomes[part.name] = outcome
        checks.append(_check_result(part, outcome))
    score = sum(c.score for c in checks)
    status: Status
    if all(t is None for t in texts.values()):
        status = "missing"
    elif any(o.status == "timeout" for o in outcomes.values()):
        status = "not_graded"
    else:
        status = "passed" if score >= exercise.points - 1e-9 else "failed"
    result = ExerciseResult(id=exercise.id, score=score, max_score=exercise.points,
                            status=status, checks=tuple(checks),
                            duration=time.monotonic() - started)
    return MathGrade(result, outcomes)


@dataclass(frozen=True)
class _MissingOutcome:
    """A blank part, without importing the answer engine (a fresh workspace stays fast)."""

    part: str
    max_score: float
    status: str = "missing"
    score: float = 0.0
    message: str = "No answer given."
    preview: str = ""
    column: int | None = None


def math_texts(exercise: Exercise, workspace: Workspace,
               answers: dict | None = None) -> dict[str, str | None]:
    """The workspace's answer text of every part (None when blank or absent)."""
    data = workspace.load_answers() if answers is None else answers
    return {p.name: workspace.answer(exercise, p.name, data) for p in exercise.parts}


def grade_math(exercise: Exercise, workspace: Workspace, *, seed: str | None = None,
               answers: dict | None = None) -> ExerciseResult:
    """Grade a math exercise from the workspace's answers.toml."""
    seed = workspace.student_id if seed is None else seed
    return grade_texts(exercise, math_texts(exercise, workspace, answers), seed=seed).result


def grade_code_exercise(exercise: Exercise, workspace: Workspace, grader: CodeGrader,
                        *, seed: str | None = None) -> ExerciseResult:
    """Grade a code exercise: the zygote runs the student's file in a sandbox."""
    seed = workspace.student_id if seed is None else seed
    request = code_request(exercise, str(workspace.code_path(exercise)), seed)
    return ExerciseResult.from_dict({**grader.grade(request), "id": exercise.id})


def grade_exercise(exercise: Exercise, workspace: Workspace,
                   grader: CodeGrader | None = None) -> ExerciseResult:
    """Grade one exercise of a workspace (math in-process, code through the zygote)."""
    if exercise.is_code:
        if grader is None:
            with CodeGrader(jobs=1) as own:
                return grade_code_exercise(exercise, workspace, own)
        return grade_code_exercise(exercise, workspace, grader)
    return grade_math(exercise, workspace)


def grade_submission(path: Path, bank: Bank, grader: CodeGrader,
                     exercises: Iterable[Exercise] | None = None, *,
                     student: str | None = None) -> SubmissionResult:
    """Grade every exercise of one submission; a broken submission becomes an error row.

    `student` (from the instructor's side) keys the variants; None: the modl.toml id."""
    started = time.monotonic()
    chosen = list(exercises) if exercises is not None else list(bank)
    workspace = Workspace(Path(path))
    if not Path(path).is_dir():
        return SubmissionResult(submission=str(path), error=f"{path}: not a folder",
                                exercises=_all_error(chosen, "submission folder not found"))
    extra: dict[str, str] = {}
    try:
        declared = workspace.student_id
        answers = workspace.load_answers()
    except ModlError as err:
        return SubmissionResult(submission=str(path), error=str(err), student=student or "",
                                exercises=_all_error(chosen, str(err)))
    seed = declared if student is None else student
    if student is not None and declared and declared != student:
        extra["declared_student"] = declared
    boxes = {e.id: grader.submit(code_request(e, workspace.code_path(e), seed,
                                              root=workspace.root))
             for e in chosen if e.is_code}
    results = []
    for exercise in chosen:
        if exercise.is_code:
            results.append(ExerciseResult.from_dict({**boxes[exercise.id].get(),
                                                     "id": exercise.id}))
            continue
        try:
            results.append(grade_math(exercise, workspace, seed=seed, answers=answers))
        except ModlError as err:
            results.append(ExerciseResult(id=exercise.id, score=0, max_score=exercise.points,
                                          status="error", message=str(err)))
    return SubmissionResult(submission=str(path), exercises=tuple(results), student=seed,
                            duration=time.monotonic() - started, extra=extra)


def _all_error(exercises: list[Exercise], message: str) -> tuple[ExerciseResult, ...]:
    return tuple(ExerciseResult(id=e.id, score=0, max_score=e.points, status="error",
                                message=message) for e in exercises)
