"""The table report of `modl grade`: a rich table, one row per submission, per-topic and total scores."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from modl_tutor.bank.loader import Bank
from modl_tutor.reports.csv_report import error_text
from modl_tutor.result import SubmissionResult


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _cell(value: str) -> Text:
    """Untrusted text as a plain cell: one line, control characters shown as \\xNN, no markup."""
    value = " ".join(value.split())
    return Text(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value))


def _topics(results: Sequence[SubmissionResult], bank: Bank | None) -> list[str]:
    topics = [e.topic for e in bank] if bank is not None else []
    for result in results:
        topics.extend(e.id.split("/")[0] for e in result.exercises)
    return list(dict.fromkeys(topics))


def _percent(score: float, max_score: float) -> float:
    return 100 * score / max_score if max_score else 0.0


def grade_table(results: Sequence[SubmissionResult], bank: Bank | None = None) -> Table:
    """The rich Table: submission, student, one column per topic, total, %, error."""
    topics = _topics(results, bank)
    table = Table(title="modl grade", title_justify="left", show_lines=False)
    table.add_column("submission", overflow="fold")
    table.add_column("student")
    for topic in topics:
        table.add_column(topic, justify="right")
    table.add_column("total", justify="right", style="bold")
    table.add_column("%", justify="right")
    table.add_column("error", style="red", overflow="fold")
    for result in results:
        cells: list[str | Text] = [_cell(result.submission), _cell(result.student)]
        for topic in topics:
            mine = [e for e in result.exercises if e.id.split("/")[0] == topic]
            score, top = sum(e.score for e in mine), sum(e.max_score for e in mine)
            cells.append(f"{score:.4g}/{top:.4g}" if mine else "")
        percent = _percent(result.score, result.max_score)
        style = "red" if result.error else "green" if percent >= 100 - 1e-9 else ""
        cells += [f"{result.score:.4g}/{result.max_score:.4g}", f"{percent:.1f}",
                  _cell(error_text(result))]
        table.add_row(*cells, style=style or None)
    if results:
        mean = sum(_percent(r.score, r.max_score) for r in results) / len(results)
        errors = sum(1 for r in results if error_text(r))
        table.caption = (f"{len(results)} submission(s), mean {mean:.1f}%"
                         + (f", {errors} with errors" if errors else ""))
        table.caption_justify = "left"
    return table


def print_table(results: Sequence[SubmissionResult], bank: Bank | None = None,
                console: Console | None = None) -> None:
    """Print the table to the terminal (colours only when stdout is one)."""
    console = console or Console()
    if not console.is_terminal:
        console.width = max(console.width, 200)
    console.print(grade_table(results, bank))


def table_text(results: Sequence[SubmissionResult], bank: Bank | None = None) -> str:
    """The table as plain text, for `--output FILE`."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(grade_table(results, bank))
    return console.export_text()
