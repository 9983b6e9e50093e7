"""The one grading core: `grade_exercise` and `grade_submission`, used by CLI, app, batch and CI."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from modl_tutor.bank.loader import Bank
from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError
from modl_tutor.grading.client import CodeGrader, code_request
from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult
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
    return check_part(exercise.part(part), text, exercise_id=exercise.id, seed=seed)


def grade_answer(exercise: Exercise, part: str, text: str | None, *, seed: str = "") -> CheckResult:
    """Grade one typed answer to one part of a math exercise."""
    spec = exercise.part(part)
    outcome = check_answer(exercise, part, text, seed=seed)
    return CheckResult(name=spec.name, passed=outcome.status == "correct", score=outcome.score,
                       max_score=spec.points, message=outcome.message)


def grade_math(exercise: Exercise, workspace: Workspace, *, seed: str | None = None,
               answers: dict | None = None) -> ExerciseResult:
    """Grade a math exercise from the workspace's answers.toml."""
    started = time.monotonic()
    seed = workspace.student_id if seed is None else seed
    data = workspace.load_answers() if answers is None else answers
    checks = []
    answered = False
    for part in exercise.parts:
        text = workspace.answer(exercise, part.name, data)
        answered = answered or text is not None
        checks.append(grade_answer(exercise, part.name, text, seed=seed))
    score = sum(c.score for c in checks)
    if not answered:
        status = "missing"
    else:
        status = "passed" if score >= exercise.points - 1e-9 else "failed"
    return ExerciseResult(id=exercise.id, score=score, max_score=exercise.points,
                          status=status, checks=tuple(checks),  # type: ignore[arg-type]
                          duration=time.monotonic() - started)


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
                     exercises: Iterable[Exercise] | None = None) -> SubmissionResult:
    """Grade every exercise of one submission; a broken submission becomes an error row."""
    started = time.monotonic()
    chosen = list(exercises) if exercises is not None else list(bank)
    workspace = Workspace(Path(path))
    if not Path(path).is_dir():
        return SubmissionResult(submission=str(path), error=f"{path}: not a folder",
                                exercises=_all_error(chosen, "submission folder not found"))
    try:
        seed = workspace.student_id
        answers = workspace.load_answers()
    except ModlError as err:
        return SubmissionResult(submission=str(path), error=str(err),
                                exercises=_all_error(chosen, str(err)))
    boxes = {e.id: grader.submit(code_request(e, str(workspace.code_path(e)), seed))
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
                            duration=time.monotonic() - started)


def _all_error(exercises: list[Exercise], message: str) -> tuple[ExerciseResult, ...]:
    return tuple(ExerciseResult(id=e.id, score=0, max_score=e.points, status="error",
                                message=message) for e in exercises)
