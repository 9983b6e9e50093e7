"""Exceptions that carry a one-line, user-facing message (the CLI prints them, never a traceback)."""

from __future__ import annotations

from pathlib import Path


class ModlError(Exception):
    """Base class: `str(err)` is a complete one-line message for the user."""


class BankError(ModlError):
    """An exercise file is malformed; the message names the file and the field."""

    def __init__(self, path: Path | str, field: str | None, problem: str) -> None:
        self.path = Path(path)
        self.field = field
        self.problem = problem
        where = f"{self.path}" + (f": field '{field}'" if field else "")
        super().__init__(f"{where}: {problem}")


class WorkspaceError(ModlError):
    """The workspace is missing, unreadable or malformed; the message names the file."""


class UnknownExercise(ModlError):
    """An exercise id that the bank does not hold."""

    def __init__(self, exercise_id: str, suggestion: str | None = None) -> None:
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        super().__init__(f"unknown exercise '{exercise_id}'{hint}; `modl list` shows them all")
