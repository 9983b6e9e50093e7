"""What a derivation exercise declares and what checking one returns (plain data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_LINES = 30
"""Lines a derivation may have (blank lines and `#` comments included)."""
CREDITS = ("final", "steps", "both")
"""What earns a derivation's points: the final answer, valid steps to it, or a share of each."""


@dataclass(frozen=True)
class DerivationSpec:
    """What an exercise declares about a derivation (read from a bank `Part`)."""

    expected: str
    variables: tuple[str, ...] = ()
    intermediates: tuple[tuple[str, str], ...] = ()
    """(name, definition) pairs, in order; a definition may use the names before it."""
    labels: tuple[str, ...] = ()
    """Names of the quantity derived (`dz`, `dL/dz`): a line may start with `label =`."""
    start: str = ""
    """The expression the first line must equal ("" = none: an equality chain's first line is
    compared with the expected answer)."""
    equation: bool = False
    """The last line must be an equation `label = ...`."""
    allow_final_only: bool = True
    credit: str = "both"
    final_weight: float = 0.5
    domains: tuple[tuple[str, str], ...] = ()
    points: float = 1.0
    mistakes: tuple[Any, ...] = ()
    name: str = "answer"

    @classmethod
    def of(cls, part: Any) -> DerivationSpec:
        return cls(expected=part.expected, variables=tuple(part.variables),
                   intermediates=tuple(getattr(part, "intermediates", ())),
                   labels=tuple(getattr(part, "labels", ())), start=getattr(part, "start", ""),
                   equation=bool(getattr(part, "equation", False)),
                   allow_final_only=bool(getattr(part, "allow_final_only", True)),
                   credit=getattr(part, "credit", "both") or "both",
                   final_weight=float(getattr(part, "final_weight", 0.5)),
                   domains=tuple(getattr(part, "domains", ())), points=float(part.points),
                   mistakes=tuple(getattr(part, "mistakes", ())),
                   name=getattr(part, "name", "answer"))


@dataclass(frozen=True)
class LineResult:
    """The verdict on one line: ok, broken, invalid, undecided, definition, blank."""

    number: int
    text: str
    status: str
    message: str = ""
    column: int | None = None

    @property
    def ok(self) -> bool | None:
        """True for a step that follows (or a definition), False for a broken or unreadable
        line, None when it is not decided."""
        return {"ok": True, "definition": True, "broken": False, "invalid": False}.get(
            self.status)

    def to_dict(self) -> dict[str, Any]:
        """The line's mark in JSON output (`modl answer --steps --json`, `modl check --json`)."""
        data: dict[str, Any] = {"index": self.number, "text": self.text, "status": self.status,
                                "ok": self.ok, "message": self.message}
        if self.column is not None:
            data["column"] = self.column
        return data


@dataclass(frozen=True)
class DerivationResult:
    """The whole derivation: per-line verdicts, the first broken line, score and message."""

    lines: tuple[LineResult, ...]
    status: str
    score: float
    max_score: float
    message: str
    first_broken: int | None = None
    final_correct: bool = False
    steps_valid: bool = False
    work: int = 0

    def preview(self) -> str:
        marks = {"ok": "✓", "definition": "✓", "broken": "✗", "invalid": "✗",
                 "undecided": "?", "unchecked": "·"}
        return "\n".join(f"{marks.get(r.status, ' ')} {r.number:>2}  {r.text.strip()}"
                         for r in self.lines if r.status != "blank")
