"""Render results for a terminal with rich: one exercise's checks, or a one-line summary."""

from __future__ import annotations

import math

from rich.console import Console
from rich.text import Text

from modl_tutor.result import ExerciseResult

_STATUS_STYLE = {"passed": "bold green", "failed": "bold red", "error": "bold red",
                 "missing": "bold yellow"}


def _score(value: float) -> str:
    return f"{round(value, 2):g}"


def points(score: float, max_score: float) -> str:
    """Points as a student reads them, at most two decimals (`1/1.33`, not `1/1.333`); a
    score short of the maximum never rounds up to look like it."""
    shown = round(score, 2)
    if score < max_score and shown >= round(max_score, 2):
        shown = math.floor(score * 100) / 100
    return f"{shown:g}/{_score(max_score)}"


def exercise_text(result: ExerciseResult, *, show_hidden: bool = False) -> Text:
    """A readable report of one exercise: score, then each check with its feedback."""
    text = Text()
    style = _STATUS_STYLE.get(result.status, "bold")
    text.append(f"{result.id}", style="bold")
    text.append(f"  {points(result.score, result.max_score)}  ")
    text.append(result.status.upper() if result.status != "passed" else "FULL MARKS", style=style)
    text.append("\n")
    if result.message:
        text.append(f"  {result.message}\n", style="red" if result.status != "passed" else "")
    for check in result.checks:
        if check.hidden and not show_hidden:
            mark = "✓" if check.passed else "✗"
            text.append(f"  {mark} (hidden check)\n", style="dim")
            continue
        mark, mark_style = ("✓", "green") if check.passed else ("✗", "red")
        text.append(f"  {mark} ", style=mark_style)
        text.append(f"{check.name}")
        text.append(f"  {points(check.score, check.max_score)}\n", style="dim")
        if check.message and not check.passed:
            for line in check.message.splitlines():
                text.append(f"      {line}\n", style="yellow")
        elif check.message:
            text.append(f"      {check.message}\n", style="dim")
    if result.output and result.status != "passed":
        text.append("  your program printed:\n", style="dim")
        for line in result.output.splitlines()[:20]:
            text.append(f"    | {line}\n", style="dim")
    return text


def print_exercise(result: ExerciseResult, console: Console | None = None, *,
                   show_hidden: bool = False) -> None:
    """`exercise_text`'s words laid out for the terminal: a wrapped line hangs under its own
    text, and each row of a NumPy array stays one line (the terminal shows a long row as it
    is, never broken by us), aligned under the array's first row."""
    from modl_tutor.reports.result_layout import result_blocks

    console = console or Console()
    for block in result_blocks(result, show_hidden=show_hidden):
        pad = Text(" " * block.indent)
        if block.kind == "check":  # the mark, then the name (under itself when it wraps)
            mark, name = block.lines
            _print_hanging(console, pad + mark, name)
        elif block.kind == "array":
            for line in block.lines:
                console.print(pad + line, soft_wrap=True)
        else:
            for line in block.lines:
                _print_hanging(console, pad, line)


def _print_hanging(console: Console, prefix: Text, body: Text) -> None:
    """`prefix` then `body` wrapped to the terminal, its next lines under the body's start."""
    width = max(20, console.width - prefix.cell_len)
    for number, piece in enumerate(body.wrap(console, width) or [Text()]):
        piece.rstrip()
        lead = prefix if number == 0 else Text(" " * prefix.cell_len)
        console.print(lead + piece, soft_wrap=True)


ANSWER_LABELS = {"correct": "Correct", "wrong": "Not yet", "invalid": "Could not read that",
                 "undecided": "Could not decide", "missing": "No answer"}
"""The words `modl answer` and the app use for each answer status."""


def answer_line(status: str, score: float, max_score: float, message: str) -> Text:
    """One graded answer: status word, score, and the feedback (none needed when correct)."""
    line = Text()
    style = {"correct": "bold green", "undecided": "bold yellow",
             "missing": "bold yellow"}.get(status, "bold red")
    line.append(f"{ANSWER_LABELS.get(status, status)} ({points(score, max_score)})",
                style=style)
    if message and status != "correct":
        line.append(f" — {message}")
    return line
