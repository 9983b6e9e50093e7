"""Starters from solutions: each `# BEGIN SOLUTION` … `# END SOLUTION` region becomes a stub."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from modl_tutor.atomic import write_text_atomic
from modl_tutor.bank.loader import Bank
from modl_tutor.errors import BankError

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+([A-Za-z_][A-Za-z0-9_]*)")


def starter_from_solution(text: str, path: Path | str = "<solution>") -> str:
    """The starter: each solution region replaced by `raise NotImplementedError(...)`.

    The stub keeps the region's indentation and names the enclosing function; everything
    outside the regions (imports, signatures, docstrings, TODO comments) is kept as is.
    """
    out: list[str] = []
    enclosing = "this"
    inside = False
    begin_line = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise BankError(path, None, f"line {number}: nested {BEGIN}")
            inside, begin_line = True, number
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{enclosing} is not written yet")\n')
            continue
        if stripped == END:
            if not inside:
                raise BankError(path, None, f"line {number}: {END} without {BEGIN}")
            inside = False
            continue
        if inside:
            continue
        match = _DEF.match(line)
        if match:
            enclosing = match.group(2)
        out.append(line)
    if inside:
        raise BankError(path, None, f"line {begin_line}: {BEGIN} is never closed")
    return "".join(out)


@dataclass(frozen=True)
class StarterStatus:
    """Whether an exercise's starter.py matches what its solution generates."""

    exercise: str
    path: Path
    in_sync: bool
    problem: str = ""


def starter_statuses(bank: Bank) -> list[StarterStatus]:
    """For every code exercise: is starter.py what the solution's regions generate?"""
    statuses = []
    for exercise in bank:
        if not exercise.is_code:
            continue
        solution = bank.solutions_root / exercise.topic / f"{exercise.slug}.py"
        if not solution.is_file():
            statuses.append(StarterStatus(exercise.id, exercise.starter_path, False,
                                          f"{solution} is missing"))
            continue
        text = solution.read_text(encoding="utf-8")
        if BEGIN not in text:
            statuses.append(StarterStatus(exercise.id, exercise.starter_path, False,
                                          f"{solution} has no {BEGIN} region"))
            continue
        wanted = starter_from_solution(text, solution)
        current = exercise.starter_path.read_text(encoding="utf-8") \
            if exercise.starter_path.is_file() else ""
        statuses.append(StarterStatus(exercise.id, exercise.starter_path, current == wanted,
                                      "" if current == wanted else
                                      "starter.py is out of sync with the solution "
                                      "(run `modl build-starters`)"))
    return statuses


def build_starters(bank: Bank) -> list[Path]:
    """Regenerate every out-of-sync starter.py; returns the files written."""
    written = []
    for status in starter_statuses(bank):
        if status.in_sync or "out of sync" not in status.problem:
            continue
        exercise = bank.get(status.exercise)
        solution = bank.solutions_root / exercise.topic / f"{exercise.slug}.py"
        write_text_atomic(status.path, starter_from_solution(solution.read_text("utf-8"),
                                                             solution))
        written.append(status.path)
    return written
