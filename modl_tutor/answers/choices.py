"""Multiple-choice parts: deterministic per-student option order, letter answers, partial credit.

Scoring of a multiple-answer part: full marks only for the exact set of correct options;
otherwise `points * max(0, (right picks - wrong picks) / number of correct options)`, so
ticking every option earns nothing and each wrong tick cancels a right one.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from typing import Any

from modl_tutor.answers.parser import ParseError

LETTERS = string.ascii_lowercase


def letter(position: int) -> str:
    """Display letter of a 0-based position (a, b, ..., z, then aa, ab, ..., zz, aaa, ...)."""
    name, number = "", position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        name = LETTERS[remainder] + name
    return name


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


def display_order(part: Any, seed: str, exercise_id: str) -> list[int]:
    """Display position → original option index. Deterministic in (seed, exercise id, part
    name) via SHA-256 (a Fisher–Yates shuffle driven by the hash, independent of `random`)."""
    n = len(part.options)
    order = list(range(n))
    if not part.shuffle or n < 2:
        return order
    for i in range(n - 1, 0, -1):
        h = int.from_bytes(_digest(str(seed), exercise_id, part.name, str(i)), "big")
        j = h % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def displayed_options(part: Any, seed: str, exercise_id: str) -> list[tuple[str, str]]:
    """(letter, option text) in display order, for the UI."""
    return [(letter(pos), part.options[idx])
            for pos, idx in enumerate(display_order(part, seed, exercise_id))]


def parse_letters(text: str, count: int) -> list[int]:
    """Display positions chosen in `text` ("b", "a, c", "A C", "(a) and (c)").
    Raises `ParseError` pointing at the first token that is not an option letter."""
    valid = [letter(i) for i in range(count)]
    chosen: list[int] = []
    pos = 0
    for m in re.finditer(r"[^\s,;/&+()]+", text):
        token = m.group().strip(".):").lower()
        if token == "and":
            continue
        if token not in valid:
            span = f"{valid[0]}–{valid[-1]}" if count > 1 else valid[0]
            raise ParseError(f"'{m.group()}' is not an option letter (choose from {span})",
                             m.start(), text)
        p = valid.index(token)
        if p not in chosen:
            chosen.append(p)
        pos = m.end()
    if not chosen:
        raise ParseError("no option letter given", min(pos, len(text)), text)
    return chosen


@dataclass(frozen=True)
class ChoiceResult:
    status: str  # "correct" | "wrong" | "invalid"
    score: float
    message: str
    preview: str = ""
    column: int | None = None


def check_choice(part: Any, text: str, *, seed: str = "", exercise_id: str = "") -> ChoiceResult:
    """Grade a letter answer against `part.correct` (original indices)."""
    order = display_order(part, seed, exercise_id)
    try:
        positions = parse_letters(text, len(order))
    except ParseError as err:
        return ChoiceResult("invalid", 0.0, f"{err.message}\n{err.pointer()}", "", err.column)
    if not part.multiple and len(positions) > 1:
        return ChoiceResult("invalid", 0.0, "choose exactly one option (one letter)", "", None)
    picked = {order[p] for p in positions}
    shown = ", ".join(f"{letter(p)}) {part.options[order[p]]}" for p in sorted(positions))
    correct = set(part.correct)
    if picked == correct:
        return ChoiceResult("correct", float(part.points), "Correct.", shown)
    why = [part.feedback[i] for i in sorted(picked - correct)
           if i < len(getattr(part, "feedback", ())) and part.feedback[i]]
    if not part.multiple:
        message = f"Not this one: {why[0]}" if why else \
            "Not this one: reread the options and try again."
        return ChoiceResult("wrong", 0.0, message, shown)
    right, wrong = len(picked & correct), len(picked - correct)
    fraction = max(0.0, (right - wrong) / len(correct))
    score = round(part.points * fraction, 9)
    missed = len(correct) - right
    bits = [f"{right} of {len(correct)} correct option{'s' * (len(correct) > 1)} chosen"]
    if wrong:
        bits.append(f"{wrong} incorrect option{'s' * (wrong > 1)} chosen")
    if missed and not wrong:
        bits.append(f"{missed} more to find")
    extra = "".join(f" {w}" for w in why[:2])
    return ChoiceResult("wrong", score, "Partly right: " + ", ".join(bits) + "." + extra, shown)
