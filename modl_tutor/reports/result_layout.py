"""A graded result laid out for a terminal or the app: wrapped lines hanging under their text,
and NumPy arrays kept whole (one row a line, never split across lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from modl_tutor.reports.terminal import _STATUS_STYLE, points
from modl_tutor.result import ExerciseResult

_ARRAY_START = re.compile(r"\[\s*(?:[-+]?(?:\d|\.\d|nan|inf)|\[)", re.I)
"""An opening bracket followed by a number (or another bracket): a NumPy array printed by
the grader, as opposed to an index like output['W1'] or a list of names."""


@dataclass(frozen=True)
class Block:
    """Consecutive lines of the result: `text` wraps with a hanging indent, `array` lines
    never wrap (one row of the array per line; the block scrolls sideways when too wide)."""

    kind: str  # "text" | "array"
    lines: tuple[Text, ...]
    indent: int = 0


def hang(prefix: Text | str, body: Text | str) -> Table:
    """`prefix` then `body`; when the body wraps, its next lines start under the body."""
    prefix = Text(prefix) if isinstance(prefix, str) else prefix
    body = Text(body) if isinstance(body, str) else body
    grid = Table.grid(padding=0, expand=True)
    grid.add_column(width=prefix.cell_len, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(prefix, body)
    return grid


def _depth(line: str) -> int:
    return line.count("[") - line.count("]")


def _join_row_breaks(lines: list[str]) -> list[str]:
    """Undo NumPy's own line breaks inside a row (a line ending in ',' that does not end a
    row), so that every row of the array is one line."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1].rstrip() if joined else ""
        if previous.endswith(",") and not previous.endswith("],") and line.strip():
            joined[-1] = f"{previous} {line.strip()}"
        else:
            joined.append(line)
    return joined


def message_blocks(message: str, indent: int, style: str = "") -> list[Block]:
    """A check's message as text blocks and array blocks. An array's continuation rows are
    aligned under its first row (after 'expected ', '     got ', 'input: '...)."""
    blocks: list[Block] = []
    lines = message.splitlines()
    i = 0
    text: list[Text] = []

    def flush_text() -> None:
        if text:
            blocks.append(Block("text", tuple(text), indent))
            text.clear()

    while i < len(lines):
        line = lines[i]
        start = _ARRAY_START.search(line)
        if start is None:
            text.append(Text(line, style=style))
            i += 1
            continue
        depth, chunk = _depth(line), [line]
        i += 1
        while depth > 0 and i < len(lines):
            depth += _depth(lines[i])
            chunk.append(lines[i])
            i += 1
        rows = _join_row_breaks(chunk)
        column = start.start()
        aligned = [rows[0]] + [" " * column + row.rstrip() if row.strip() else ""
                               for row in rows[1:]]  # NumPy indents rows by their depth
        flush_text()
        blocks.append(Block("array", tuple(Text(row, style=style) for row in aligned), indent))
    flush_text()
    return blocks


def result_blocks(result: ExerciseResult, *, show_hidden: bool = False) -> list[Block]:
    """`modl check`'s report of one exercise (reports.terminal.exercise_text, same words) as
    blocks: heading, exercise message, each check with its feedback, the program's output."""
    heading = Text()
    heading.append(result.id, style="bold")
    heading.append(f"  {points(result.score, result.max_score)}  ")
    heading.append(result.status.upper() if result.status != "passed" else "FULL MARKS",
                   style=_STATUS_STYLE.get(result.status, "bold"))
    blocks = [Block("text", (heading,))]
    if result.message:
        blocks += message_blocks(result.message, 2,
                                 "red" if result.status != "passed" else "")
    for check in result.checks:
        mark, mark_style = ("✓", "green") if check.passed else ("✗", "red")
        if check.hidden and not show_hidden:
            blocks.append(Block("check", (Text(f"{mark} ", style="dim"),
                                          Text("(hidden check)", style="dim")), 2))
            continue
        name = Text(check.name)
        name.append(f"  {points(check.score, check.max_score)}", style="dim")
        blocks.append(Block("check", (Text(f"{mark} ", style=mark_style), name), 2))
        if check.message:
            blocks += message_blocks(check.message, 6, "yellow" if not check.passed else "dim")
    if result.output and result.status != "passed":
        blocks.append(Block("text", (Text("your program printed:", style="dim"),), 2))
        printed = [Text(f"| {line}", style="dim") for line in result.output.splitlines()[:20]]
        blocks.append(Block("array", tuple(printed), 4))
    return blocks


def block_plain(blocks: list[Block]) -> str:
    """The plain text of the blocks, one line per line (for tests and screen readers)."""
    out = []
    for block in blocks:
        if block.kind == "check":
            out.append(" " * block.indent + "".join(t.plain for t in block.lines))
        else:
            out += [" " * block.indent + t.plain for t in block.lines]
    return "\n".join(out)
