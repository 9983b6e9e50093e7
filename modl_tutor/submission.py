"""What the tutor service hands its faces: a checked submission, a preview, option letters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from modl_tutor.bank.models import Exercise
from modl_tutor.result import ExerciseResult


@dataclass(frozen=True)
class Preview:
    """What the parser made of a typed answer (or why it could not read it)."""

    text: str
    error: bool = False


def option_letter(position: int) -> str:
    """The letter of a 0-based option position: a..z, then aa, ab, ... (the one definition)."""
    from modl_tutor.answers.choices import letter

    return letter(position)


def letters_answer(positions: Iterable[int]) -> str:
    """The answer text of chosen display positions: [2, 0] -> 'a, c'."""
    return ", ".join(option_letter(p) for p in sorted(set(positions)))


def chosen_positions(text: str | None, count: int) -> list[int]:
    """Display positions named by a stored choice answer ('a, c'); [] when unreadable."""
    from modl_tutor.answers.choices import parse_letters
    from modl_tutor.answers.parser import ParseError

    if not text or not text.strip() or count <= 0:
        return []
    try:
        return sorted(set(parse_letters(text, count)))
    except ParseError:
        return []


def marks_of(outcome: Any) -> list[dict[str, Any]]:
    """A derivation outcome's per-line marks as JSON-ready dicts (index, text, status, ok,
    message; blank and comment lines left out); [] for any other answer."""
    return [line.to_dict() for line in getattr(outcome, "lines", ()) if line.status != "blank"]


@dataclass(frozen=True)
class Submission:
    """Answers to some parts of a math exercise, checked (and recorded once `recorded`)."""

    exercise: Exercise
    texts: dict[str, str]
    """What was submitted, part -> text ('' clears a part)."""
    outcomes: dict[str, Any]
    """The answer engine's outcome of each submitted, non-blank part."""
    result: ExerciseResult
    """The exercise's grade once recorded: exactly what `modl grade` gives it."""
    saved: dict[str, str]
    """What goes to answers.toml, part -> text (invalid answers are never saved)."""
    replaced_correct: tuple[str, ...] = ()
    """Parts whose correct answer this submission replaces with one that is not correct."""
    previous: dict[str, str] = field(default_factory=dict)
    """The answers.toml texts that `saved` replaces."""
    recorded: bool = False

    def warning(self) -> str:
        """One line when the submission replaces a correct answer with a wrong one, else ''."""
        if not self.replaced_correct:
            return ""
        shown = ", ".join(f"{p}: {self.previous.get(p, '')!r}" if self.exercise.is_multipart
                          else repr(self.previous.get(p, "")) for p in self.replaced_correct)
        return f"this replaces your correct answer ({shown}) with one that is not correct"
