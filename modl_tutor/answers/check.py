"""Grade one typed math answer against a `Part` (the entry point the grader calls)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from modl_tutor.answers.evaluate import GUARD_SECONDS, Budget, BudgetSpent, OutOfTime
from modl_tutor.answers.parser import ParseError, parse_light

_log = logging.getLogger("modl")


@dataclass(frozen=True)
class PartOutcome:
    part: str                 # part name
    status: str               # "correct" | "wrong" | "invalid" | "undecided" | "timeout" | "missing"
    score: float              # points earned (0..part.points)
    max_score: float          # part.points
    message: str              # one or two lines of feedback for the student (what is wrong and why)
    shown: Any = field(default="", compare=False, repr=False)
    """The preview text, or a function drawing it the first time `preview` is read (grading
    never draws: drawing is for a face that shows it)."""
    column: int | None = None  # for "invalid": where the parse failed
    work: int = 0             # work units the engine spent deciding (see answers.evaluate)
    lines: tuple[Any, ...] = ()
    """A derivation's per-line verdicts (`derivation_spec.LineResult`), in order."""

    @property
    def preview(self) -> str:
        """The pretty-printed parse of the answer ("" if it did not parse)."""
        if callable(self.shown):
            object.__setattr__(self, "shown", str(self.shown()))
        return str(self.shown)


TIMEOUT_MESSAGE = ("Not graded: the grader ran out of time (the machine is overloaded or the "
                   "answer is enormous). This is not a mark; it is tried again next time.")

UNDECIDED_MESSAGE = ("The grader could not decide whether this equals the correct answer (it is "
                     "defined at too few points); it is not marked wrong - try a simpler form.")


@lru_cache(maxsize=1024)
def expected_of(expected: str, variables: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    """The parsed expected answer and the variable names of the part (cached)."""
    from modl_tutor.answers.equivalence import names_of

    expr = parse_light(expected, variables=variables)
    return expr, tuple(variables) or names_of(expr)


def check_part(part: Any, text: str | None, *, exercise_id: str = "", seed: str = "",
               timeout: float = GUARD_SECONDS, budget: Budget | None = None) -> PartOutcome:
    """Grade `text` for `part`; never raises. The verdict depends only on the work done
    (`budget`, fresh by default); `timeout` seconds is a guard against denial of service,
    and when it fires the status is "timeout" (not graded, never a 0)."""
    points = float(part.points)
    if text is None or not str(text).strip():
        return PartOutcome(part.name, "missing", 0.0, points, "No answer given.")
    text = str(text)
    budget = budget if budget is not None else Budget.guarded(timeout)
    try:
        if part.type == "choice":
            from modl_tutor.answers.choices import check_choice

            r = check_choice(part, text, seed=seed, exercise_id=exercise_id)
            return PartOutcome(part.name, r.status, r.score, points, r.message, r.preview,
                               r.column)
        outcome = _check_math(part, text, budget)
    except OutOfTime:
        return PartOutcome(part.name, "timeout", 0.0, points, TIMEOUT_MESSAGE,
                           work=budget.used)
    except Exception as err:  # noqa: BLE001 - a grader bug must not become a wrong mark
        _log.error("grading %s part %s failed", exercise_id, part.name, exc_info=True)
        return PartOutcome(part.name, "undecided", 0.0, points,
                           f"The grader could not check this answer ({type(err).__name__}); "
                           "it is not marked wrong.", work=budget.used)
    return _with_work(outcome, budget)


def _with_work(outcome: PartOutcome, budget: Budget) -> PartOutcome:
    from dataclasses import replace

    return replace(outcome, work=budget.used)


def _outcome(part: Any, status: str, message: str, preview: Any = "") -> PartOutcome:
    score = float(part.points) if status == "correct" else 0.0
    return PartOutcome(part.name, status, score, float(part.points), message, preview)


def _verdict_outcome(part: Any, verdict: Any, witness: Any, shown: Any) -> PartOutcome | None:
    """The outcome of an undecided or timed-out comparison (None for the other verdicts)."""
    from modl_tutor.answers.equivalence import Verdict

    if verdict is Verdict.TIMEOUT:
        raise OutOfTime
    if verdict is not Verdict.UNDECIDED:
        return None
    if witness is not None and witness.a is None and witness.b is not None:
        where = ", ".join(f"{k} = {v:g}" for k, v in witness.point.items())
        return _outcome(part, "undecided", f"Your answer is undefined at {where}, where the "
                        "correct answer is defined; the grader cannot decide, so it is not "
                        "marked wrong - check for a sign under a log or square root.", shown)
    return _outcome(part, "undecided", UNDECIDED_MESSAGE, shown)


def allowed_names(part: Any) -> tuple[str, ...]:
    """The variable names an answer to `part` may use (the grader's rule, shared with the
    live preview): the part's variables, else those of its expected answer; none for numbers."""
    if part.type == "number":
        return tuple(part.variables)
    return expected_of(part.expected, tuple(part.variables))[1]


def _drawn(text: str, variables: tuple[str, ...], allowed: tuple[str, ...]) -> str:
    from modl_tutor.answers.sketch import sketch_bounded

    return sketch_bounded(text, variables=variables, allowed=allowed)


def _check_math(part: Any, text: str, budget: Budget) -> PartOutcome:
    try:
        expected, names = expected_of(part.expected, tuple(part.variables))
    except ParseError as err:
        return _outcome(part, "undecided", "This exercise's expected answer cannot be read "
                        f"(authoring error: {err.message}); your answer is not marked wrong.")
    allowed = allowed_names(part)
    try:
        answer = parse_light(text, variables=part.variables, allowed=allowed)
    except ParseError as err:
        return PartOutcome(part.name, "invalid", 0.0, float(part.points),
                           f"{err.message}\n{err.pointer()}", "", err.column)
    shown = partial(_drawn, text, tuple(part.variables), tuple(allowed))
    if part.type == "expression":
        return _expression(part, answer, expected, names, budget, shown)
    if part.type == "number":
        return _number(part, text, answer, expected, budget, shown)
    return _vector(part, answer, expected, names, budget, shown)


def _expression(part: Any, answer: Any, expected: Any, names: tuple[str, ...], budget: Budget,
                shown: Any) -> PartOutcome:
    from modl_tutor.answers.equivalence import Verdict, compare
    from modl_tutor.answers.mistakes import diagnose_expression, known_mistake

    if isinstance(answer, tuple) and not isinstance(expected, tuple):
        return _outcome(part, "wrong", "Expected a single expression, not a vector.", shown)
    verdict, witness = compare(answer, expected, variables=names, domains=part.domains,
                               budget=budget)
    if verdict is Verdict.EQUIVALENT:
        return _outcome(part, "correct", "Correct.", shown)
    undecided = _verdict_outcome(part, verdict, witness, shown)
    if undecided is not None:
        return undecided
    message = known_mistake(part, answer, kind="expression", budget=budget)
    if message is None:
        message = diagnose_expression(answer, expected, variables=names, witness=witness,
                                      budget=budget, domains=part.domains)
    return _outcome(part, "wrong", message, shown)


def _number(part: Any, text: str, answer: Any, expected: Any, budget: Budget,
            shown: Any) -> PartOutcome:
    from modl_tutor.answers import numbers as num
    from modl_tutor.answers.evaluate import constant
    from modl_tutor.answers.lexer import typed_figures
    from modl_tutor.answers.mistakes import diagnose_number, known_mistake

    if isinstance(answer, tuple):
        return _outcome(part, "wrong", "Expected a single number, not a vector.", shown)
    try:
        value = constant(answer, budget)
    except num.Undefined:
        return _outcome(part, "wrong", "Your answer has no finite real value (division by "
                        "zero, log of a non-positive number, overflow...).", shown)
    except (num.Unsupported, BudgetSpent):
        return _outcome(part, "undecided", UNDECIDED_MESSAGE, shown)
    target = constant(expected, budget)
    if num.within(value, target, part.tolerance):
        return _outcome(part, "correct", "Correct.", shown)
    message = known_mistake(part, answer, kind="number", budget=budget)
    return _outcome(part, "wrong", message or diagnose_number(
        value, target, part.tolerance, typed=typed_figures(text)), shown)


def _flatten(v: Any) -> tuple[tuple[int, ...], list[Any]]:
    if isinstance(v, tuple) and v and isinstance(v[0], tuple):
        return (len(v), len(v[0])), [x for row in v for x in row]
    return ((len(v),) if isinstance(v, tuple) else ()), list(v) if isinstance(v, tuple) else [v]


def _vector(part: Any, answer: Any, expected: Any, names: tuple[str, ...], budget: Budget,
            shown: Any) -> PartOutcome:
    from modl_tutor.answers import numbers as num
    from modl_tutor.answers.equivalence import Verdict, compare
    from modl_tutor.answers.evaluate import constant
    from modl_tutor.answers.mistakes import diagnose_expression, diagnose_vector, known_mistake

    if not isinstance(answer, tuple):
        message = known_mistake(part, answer, kind="vector", budget=budget)
        return _outcome(part, "wrong", message or "Expected a vector written like [a, b, c].",
                        shown)
    shape, items = _flatten(answer)
    want, targets = _flatten(expected)
    if shape != want:
        what = "elements" if len(want) == 1 else "rows x columns"
        got = " x ".join(map(str, shape))
        return _outcome(part, "wrong", f"Expected {' x '.join(map(str, want))} {what}, "
                        f"got {got}.", shown)
    if any(t.free_symbols for t in targets):
        for i, (a, t) in enumerate(zip(items, targets)):
            verdict, witness = compare(a, t, variables=names, domains=part.domains,
                                       budget=budget)
            undecided = _verdict_outcome(part, verdict, witness, shown)
            if undecided is not None:
                return undecided
            if verdict is Verdict.NOT_EQUIVALENT:
                why = diagnose_expression(a, t, variables=names, witness=witness,
                                          budget=budget, domains=part.domains)
                return _outcome(part, "wrong", f"Element {i + 1} is wrong: {why}", shown)
        return _outcome(part, "correct", "Correct.", shown)
    try:
        values = [constant(a, budget) for a in items]
    except num.Undefined:
        return _outcome(part, "wrong", "An element of your vector has no finite real value.",
                        shown)
    except (num.Unsupported, BudgetSpent):
        return _outcome(part, "undecided", UNDECIDED_MESSAGE, shown)
    goals = [constant(t, budget) for t in targets]
    if all(num.within(v, g, part.tolerance) for v, g in zip(values, goals)):
        return _outcome(part, "correct", "Correct.", shown)
    message = known_mistake(part, answer, kind="vector", budget=budget)
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
            target = parse_light(mistake.expected, variables=part.variables)
        except ParseError as err:
            problems.append(f"part '{part.name}': mistakes[{i}].expected does not parse: "
                            f"{err.message}")
            continue
        if equivalent(target, expected, variables=names,
                      domains=part.domains) is Verdict.EQUIVALENT:
            problems.append(f"part '{part.name}': mistakes[{i}] equals the expected answer")
    return problems
