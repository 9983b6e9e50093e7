"""Grade one typed math answer against a `Part` (the entry point the grader calls)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from modl_tutor.answers.parser import ParseError, parse_math


@dataclass(frozen=True)
class PartOutcome:
    part: str                 # part name
    status: str               # "correct" | "wrong" | "invalid" | "undecided" | "missing"
    score: float              # points earned (0..part.points)
    max_score: float          # part.points
    message: str              # one or two lines of feedback for the student (what is wrong and why)
    preview: str = ""         # pretty-printed parse of the answer ("" if it did not parse)
    column: int | None = None  # for "invalid": where the parse failed


UNDECIDED_MESSAGE = ("The grader could not decide whether this equals the correct answer (it is "
                     "defined at too few points); it is not marked wrong - try a simpler form.")


@lru_cache(maxsize=1024)
def expected_of(expected: str, variables: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    """The parsed expected answer and the variable names of the part (cached)."""
    from modl_tutor.answers.equivalence import names_of

    expr = parse_math(expected, variables=variables)
    return expr, tuple(variables) or names_of(expr)


def check_part(part: Any, text: str | None, *, exercise_id: str = "", seed: str = "",
               timeout: float = 2.0) -> PartOutcome:
    """Grade `text` for `part`; never raises and never takes much longer than `timeout`."""
    points = float(part.points)
    if text is None or not str(text).strip():
        return PartOutcome(part.name, "missing", 0.0, points, "No answer given.")
    text = str(text)
    try:
        if part.type == "choice":
            from modl_tutor.answers.choices import check_choice

            r = check_choice(part, text, seed=seed, exercise_id=exercise_id)
            return PartOutcome(part.name, r.status, r.score, points, r.message, r.preview,
                               r.column)
        return _check_math(part, text, time.monotonic() + timeout)
    except Exception as err:  # a grader bug must not become a traceback or a wrong mark
        return PartOutcome(part.name, "undecided", 0.0, points,
                           f"The grader could not check this answer ({type(err).__name__}); "
                           "it is not marked wrong.")


def _outcome(part: Any, status: str, message: str, preview: str = "") -> PartOutcome:
    score = float(part.points) if status == "correct" else 0.0
    return PartOutcome(part.name, status, score, float(part.points), message, preview)


def _check_math(part: Any, text: str, deadline: float) -> PartOutcome:
    from modl_tutor.answers.pretty import render

    try:
        expected, names = expected_of(part.expected, tuple(part.variables))
    except ParseError as err:
        return _outcome(part, "undecided", "This exercise's expected answer cannot be read "
                        f"(authoring error: {err.message}); your answer is not marked wrong.")
    allowed = names if part.type != "number" else tuple(part.variables)
    try:
        answer = parse_math(text, variables=part.variables, allowed=allowed)
    except ParseError as err:
        return PartOutcome(part.name, "invalid", 0.0, float(part.points),
                           f"{err.message}\n{err.pointer()}", "", err.column)
    try:
        shown = render(parse_math(text, variables=part.variables, allowed=allowed, display=True))
    except Exception:
        shown = ""
    if part.type == "expression":
        return _expression(part, answer, expected, names, deadline, shown)
    if part.type == "number":
        return _number(part, answer, expected, deadline, shown)
    return _vector(part, answer, expected, names, deadline, shown)


def _expression(part: Any, answer: Any, expected: Any, names: tuple[str, ...], deadline: float,
                shown: str) -> PartOutcome:
    from modl_tutor.answers.equivalence import Verdict, compare
    from modl_tutor.answers.mistakes import diagnose_expression, known_mistake

    if isinstance(answer, tuple) and not isinstance(expected, tuple):
        return _outcome(part, "wrong", "Expected a single expression, not a vector.", shown)
    verdict, witness = compare(answer, expected, variables=names,
                               timeout=max(0.0, deadline - time.monotonic()))
    if verdict is Verdict.EQUIVALENT:
        return _outcome(part, "correct", "Correct.", shown)
    if verdict is Verdict.UNDECIDED:
        if witness is not None and witness.a is None:
            where = ", ".join(f"{k} = {v:g}" for k, v in witness.point.items())
            return _outcome(part, "undecided", f"Your answer is undefined at {where}, where the "
                            "correct answer is defined; the grader cannot decide, so it is not "
                            "marked wrong - check for a sign under a log or square root.", shown)
        return _outcome(part, "undecided", UNDECIDED_MESSAGE, shown)
    message = known_mistake(part, answer, kind="expression", deadline=deadline)
    if message is None:
        message = diagnose_expression(answer, expected, variables=names, witness=witness,
                                      deadline=min(deadline, time.monotonic() + 0.5))
    return _outcome(part, "wrong", message, shown)


def _number(part: Any, answer: Any, expected: Any, deadline: float, shown: str) -> PartOutcome:
    from modl_tutor.answers import numbers as num
    from modl_tutor.answers.mistakes import diagnose_number, known_mistake

    if isinstance(answer, tuple):
        return _outcome(part, "wrong", "Expected a single number, not a vector.", shown)
    try:
        value = num.value(answer)
    except num.Undefined:
        return _outcome(part, "wrong", "Your answer has no finite real value (division by "
                        "zero, log of a non-positive number, overflow...).", shown)
    except num.Unsupported:
        return _outcome(part, "undecided", UNDECIDED_MESSAGE, shown)
    target = num.value(expected)
    if num.within(value, target, part.tolerance):
        return _outcome(part, "correct", "Correct.", shown)
    message = known_mistake(part, answer, kind="number", deadline=deadline)
    return _outcome(part, "wrong", message or diagnose_number(value, target, part.tolerance),
                    shown)


def _flatten(v: Any) -> tuple[tuple[int, ...], list[Any]]:
    if isinstance(v, tuple) and v and isinstance(v[0], tuple):
        return (len(v), len(v[0])), [x for row in v for x in row]
    return ((len(v),) if isinstance(v, tuple) else ()), list(v) if isinstance(v, tuple) else [v]


def _vector(part: Any, answer: Any, expected: Any, names: tuple[str, ...], deadline: float,
            shown: str) -> PartOutcome:
    from modl_tutor.answers import numbers as num
    from modl_tutor.answers.equivalence import Verdict, compare
    from modl_tutor.answers.mistakes import diagnose_expression, diagnose_vector, known_mistake

    if not isinstance(answer, tuple):
        return _outcome(part, "wrong", "Expected a vector written like [a, b, c].", shown)
    shape, items = _flatten(answer)
    want, targets = _flatten(expected)
    if shape != want:
        what = "elements" if len(want) == 1 else "rows x columns"
        got = " x ".join(map(str, shape))
        return _outcome(part, "wrong", f"Expected {' x '.join(map(str, want))} {what}, "
                        f"got {got}.", shown)
    if any(t.free_symbols for t in targets):
        for i, (a, t) in enumerate(zip(items, targets)):
            verdict, witness = compare(a, t, variables=names,
                                       timeout=max(0.0, deadline - time.monotonic()))
            if verdict is Verdict.UNDECIDED:
                return _outcome(part, "undecided", UNDECIDED_MESSAGE, shown)
            if verdict is Verdict.NOT_EQUIVALENT:
                why = diagnose_expression(a, t, variables=names, witness=witness)
                return _outcome(part, "wrong", f"Element {i + 1} is wrong: {why}", shown)
        return _outcome(part, "correct", "Correct.", shown)
    try:
        values = [num.value(a) for a in items]
    except num.Undefined:
        return _outcome(part, "wrong", "An element of your vector has no finite real value.",
                        shown)
    except num.Unsupported:
        return _outcome(part, "undecided", UNDECIDED_MESSAGE, shown)
    goals = [num.value(t) for t in targets]
    if all(num.within(v, g, part.tolerance) for v, g in zip(values, goals)):
        return _outcome(part, "correct", "Correct.", shown)
    message = known_mistake(part, answer, kind="vector", deadline=deadline)
    return _outcome(part, "wrong", message or diagnose_vector(values, goals, part.tolerance),
                    shown)


def validate_part(part: Any) -> list[str]:
    """Authoring problems of a math part (for `modl verify`): unreadable expected or mistake
    answers, a mistake equal to the expected answer, a non-numeric expected number."""
    from modl_tutor.answers import numbers as num
    from modl_tutor.answers.equivalence import Verdict, equivalent

    if part.type == "choice":
        return []
    problems = []
    try:
        expected, names = expected_of(part.expected, tuple(part.variables))
    except ParseError as err:
        return [f"part '{part.name}': expected {part.expected!r} does not parse: {err.message}"]
    if part.type == "number":
        try:
            num.value(expected)
        except (num.Undefined, num.Unsupported):
            problems.append(f"part '{part.name}': expected {part.expected!r} is not a number")
    for i, mistake in enumerate(part.mistakes):
        try:
            target = parse_math(mistake.expected, variables=part.variables)
        except ParseError as err:
            problems.append(f"part '{part.name}': mistakes[{i}].expected does not parse: "
                            f"{err.message}")
            continue
        if equivalent(target, expected, variables=names) is Verdict.EQUIVALENT:
            problems.append(f"part '{part.name}': mistakes[{i}] equals the expected answer")
    return problems
