"""Glue between the app and the grading core: previews, math submissions, code grading.

Nothing here scores anything itself: parts go through `grading.core.check_answer`, code through
`grading.core.grade_code_exercise`. This module only records what was graded (answers.toml
first, then the progress store) so that a crash after a submit loses nothing.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from modl_tutor.bank.models import Exercise, Part
from modl_tutor.result import CheckResult, ExerciseResult
from modl_tutor.tui.session import Session

LETTERS = string.ascii_lowercase

@dataclass(frozen=True)
class Preview:
    """What the parser made of a typed answer (or why it could not read it)."""

    text: str
    error: bool = False


@dataclass(frozen=True)
class MathSubmission:
    """The outcome of submitting every part of a math exercise."""

    result: ExerciseResult
    outcomes: dict[str, Any]
    recorded: tuple[str, ...]


def warm_up() -> None:
    """Import the math engine (and sympy) ahead of the first keystroke; call from a thread."""
    import modl_tutor.answers.check  # noqa: F401
    from modl_tutor.answers.pretty import preview

    preview("x")


def preview_part(part: Part, text: str) -> Preview:
    """The live preview of one typed answer: the pretty print, or the error with a caret."""
    if not text.strip() or part.type == "choice":
        return Preview("")
    from modl_tutor.answers.parser import ParseError, parse_tree
    from modl_tutor.answers.pretty import preview

    try:
        parse_tree(text, variables=part.variables)
    except ParseError as err:
        return Preview(f"{err.message} (column {err.column + 1})\n{err.pointer()}", error=True)
    except Exception as err:  # noqa: BLE001 - the preview must never break the app
        return Preview(f"cannot read this answer ({type(err).__name__})", error=True)
    return Preview(preview(text, variables=part.variables))


def choice_order(exercise: Exercise, part: Part, seed: str) -> list[int]:
    """Option indices in the order this student sees them (letters a, b, c... follow it)."""
    from modl_tutor.answers.choices import display_order

    return list(display_order(part, seed, exercise.id))


def letters_for(positions: list[int]) -> str:
    """The answer text for chosen display positions: `[0, 2]` -> `"a, c"`."""
    return ", ".join(LETTERS[p] for p in sorted(positions))


def positions_from(text: str | None, count: int) -> list[int]:
    """Display positions named by a stored choice answer (`"a, c"`); unknown letters ignored."""
    if not text:
        return []
    chosen = []
    for token in text.replace(";", ",").replace(" ", ",").split(","):
        token = token.strip().lower().rstrip(")")
        if len(token) == 1 and token in LETTERS[:count]:
            chosen.append(LETTERS.index(token))
    return sorted(set(chosen))


def submit_math(session: Session, exercise: Exercise, texts: dict[str, str]) -> MathSubmission:
    """Check every part, write readable answers to answers.toml, then the attempt to SQLite.

    Blank parts are graded as missing (an earlier answer stays in answers.toml); answers the
    parser cannot read are not recorded, exactly like `modl answer`.
    """
    from modl_tutor.grading.core import check_answer

    outcomes: dict[str, Any] = {}
    checks = []
    rows = []
    recorded = []
    for part in exercise.parts:
        text = texts.get(part.name, "")
        outcome = check_answer(exercise, part.name, text if text.strip() else None,
                               seed=session.seed)
        outcomes[part.name] = outcome
        checks.append(CheckResult(name=part.name, passed=outcome.status == "correct",
                                  score=outcome.score, max_score=part.points,
                                  message=outcome.message))
        if text.strip() and outcome.status != "invalid":
            session.workspace.record_answer(exercise, text, part.name)
            recorded.append(part.name)
            rows.append((part.name, text, outcome.score, part.points, outcome.status))
    score = sum(c.score for c in checks)
    answered = any(texts.get(p.name, "").strip() for p in exercise.parts)
    status = "missing" if not answered else (
        "passed" if score >= exercise.points - 1e-9 else "failed")
    result = ExerciseResult(id=exercise.id, score=score, max_score=exercise.points,
                            status=status, checks=tuple(checks))  # type: ignore[arg-type]
    if rows:
        session.store.record_submission(exercise.id, score, exercise.points, status, rows)
    return MathSubmission(result=result, outcomes=outcomes, recorded=tuple(recorded))


def grade_code(session: Session, exercise: Exercise) -> ExerciseResult:
    """Grade the student's file through the zygote, record the attempt, hide hidden checks."""
    from modl_tutor.grading.core import grade_code_exercise

    result = grade_code_exercise(exercise, session.workspace, session.grader(),
                                 seed=session.seed)
    session.store.record_attempt(exercise.id, result.score, result.max_score, result.status)
    return result.visible()
