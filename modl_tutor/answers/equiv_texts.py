"""`modl equiv A B`: two typed answers compared by the grader's own rule, explained in one line."""

from __future__ import annotations

from typing import Any

from modl_tutor.answers.equivalence import Verdict, compare
from modl_tutor.answers.evaluate import GUARD_SECONDS, Budget


def compare_texts(a: str, b: str, *, timeout: float = GUARD_SECONDS,
                  budget: Budget | None = None) -> tuple[Verdict, str]:
    """`modl equiv A B`: parse both (raises `ParseError`), compare, explain in one line."""
    from modl_tutor.answers.parser import parse_light

    ea, eb = parse_light(a), parse_light(b)
    verdict, witness = compare(ea, eb, timeout=timeout, budget=budget)
    if verdict is Verdict.EQUIVALENT:
        return verdict, "equivalent: the grader treats these two answers as the same"
    if verdict is Verdict.NOT_EQUIVALENT:
        if witness is None:
            return verdict, "not equivalent: one is a vector of a different shape"
        return verdict, f"not equivalent: {witness.describe()}"
    if verdict is Verdict.TIMEOUT:
        return verdict, "not decided: the grader ran out of time (this is not a verdict)"
    detail = f" ({witness.describe()})" if witness is not None else ""
    return verdict, ("undecided: too few points where both sides are defined"
                     f"{detail}; the grader would not mark this wrong")


def equiv_report(a: str, b: str, *, timeout: float = GUARD_SECONDS) -> dict[str, Any]:
    """The `modl equiv --json` object. `verdict` is "invalid" when a side does not parse."""
    from modl_tutor.answers.parser import ParseError, parse_light
    from modl_tutor.answers.sketch import sketch as preview

    for label, text in (("a", a), ("b", b)):
        try:
            parse_light(text)
        except ParseError as err:
            return {"equivalent": None, "verdict": "invalid", "a": preview(a), "b": preview(b),
                    "message": f"{label.upper()}: {err.message}", "invalid": label,
                    "column": err.column}
    verdict, message = compare_texts(a, b, timeout=timeout)
    flag = {Verdict.EQUIVALENT: True, Verdict.NOT_EQUIVALENT: False}.get(verdict)
    return {"equivalent": flag, "verdict": verdict.value, "a": preview(a), "b": preview(b),
            "message": message}
