"""Sort feedback messages into generic diagnoses (sign, factor, sum vs mean, overflow…) and causes."""

from __future__ import annotations

import re
from collections.abc import Iterable

from modl_tutor.bank.models import Exercise

# (label, pattern) — first match wins; patterns read the grader's own feedback wording.
GENERIC: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE)) for label, pattern in (
        ("sum vs mean", r"a (sum|mean) where a (mean|sum) was expected|extra division"),
        ("sign", r"off by a sign|sign is flipped|sign is wrong"),
        ("missing/extra factor", r"factor of 2|missing or extra (factor|constant)|"
                                 r"off by the same factor"),
        ("constant offset", r"off by the same constant"),
        ("overflow / nan", r"overflow|nan|inf-inf|log\(0\)|infinite value"),
        ("log base", r"log10"),
        ("shape / axis", r"transpose|axis|broadcasting|reshape|keepdims|shape"),
        ("precision / rounding", r"decimal place|significant figure|float16|bfloat16|"
                                 r"precision|round"),
        ("input returned unchanged", r"unchanged"),
        ("wrong order", r"wrong order"),
        ("extra variable", r"depends on"),
        ("magnitude", r"much (smaller|larger) in magnitude|your answer is 0"),
    ))

OTHER = "other wrong answer"
UNANSWERED = "no answer"
UNGRADABLE = "could not be graded"
_CAUSE = re.compile(r"likely cause:\s*(.+)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\\\{[A-Za-z_][A-Za-z0-9_]*\\\}")


def generic_diagnosis(message: str) -> str:
    """The generic diagnosis a feedback message shows, or OTHER."""
    for label, pattern in GENERIC:
        if pattern.search(message):
            return label
    return OTHER


def likely_causes(message: str) -> list[str]:
    """The `likely cause:` lines of a code check's feedback (one line each, trimmed)."""
    return [" ".join(m.group(1).split())[:160] for m in _CAUSE.finditer(message)]


def mistake_patterns(exercise: Exercise) -> list[tuple[str, str, re.Pattern[str]]]:
    """(part, message, regex) for every known mistake; `{a}` parameters match any text."""
    patterns = []
    for part in exercise.parts:
        for mistake in part.mistakes:
            text = " ".join(mistake.message.split())
            if not text:
                continue
            regex = _PLACEHOLDER.sub(".+?", re.escape(text))
            patterns.append((part.name, text, re.compile(regex)))
    return patterns


def known_mistake(part: str, message: str,
                  patterns: Iterable[tuple[str, str, re.Pattern[str]]]) -> str | None:
    """The known mistake (its bank message) a part's feedback reports, if any."""
    flat = " ".join(message.split())
    for name, text, regex in patterns:
        if name == part and regex.search(flat):
            return text
    return None
