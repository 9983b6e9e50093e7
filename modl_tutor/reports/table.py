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


_MIN_SUBMISSION = 12
_MIN_ERROR = 20
_MAX_STUDENT = 16


def _tail(text: str, width: int) -> str:
    """`text` cut to `width` from the left: the end of a path is the part that tells."""
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _fits(width: int, columns: list[int]) -> bool:
    """Whether columns of these widths fit a box table `width` characters wide."""
    return 1 + sum(w + 3 for w in columns) <= width


def grade_table(results: Sequence[SubmissionResult], bank: Bank | None = None,
                width: int | None = None) -> Table:
    """The rich Table: submission, student, one column per topic, total, %, error.

    With a `width` (the terminal's), the table fits it: topic columns are dropped when they
    do not all fit, long submission paths keep their end, and errors stay on one line.
    """
    topics = _topics(results, bank)
    rows = []
    for result in results:
        cells = {}
        for topic in topics:
            mine = [e for e in result.exercises if e.id.split("/")[0] == topic]
            score, top = sum(e.score for e in mine), sum(e.max_score for e in mine)
            cells[topic] = f"{score:.4g}/{top:.4g}" if mine else ""
        percent = _percent(result.score, result.max_score)
        rows.append((result, cells, f"{result.score:.4g}/{result.max_score:.4g}",
                     f"{percent:.1f}", percent))
    sub_w = max([len("submission"), *(len(_cell(r.submission)) for r in results)])
    student_w = min(_MAX_STUDENT, max([len("student"), *(len(_cell(r.student))
                                                          for r in results)]))
    topic_w = [max([len(t), *(len(row[1][t]) for row in rows)]) for t in topics]
    total_w = max([len("total"), *(len(row[2]) for row in rows)])
    error_w = max([len("error"), *(len(_cell(error_text(r))) for r in results)])
    fixed = [student_w, total_w, 5]
    hidden_topics = 0
    sub_max = error_max = None
    if width is not None:
        narrow = [min(sub_w, _MIN_SUBMISSION), *fixed, min(error_w, _MIN_ERROR)]
        if topics and not _fits(width, [*narrow, *topic_w]):
            hidden_topics, topics, topic_w = len(topics), [], []
        spare = width - (1 + sum(w + 3 for w in [*fixed, *topic_w]) + 6)
        sub_max = max(min(sub_w, _MIN_SUBMISSION), min(sub_w, spare - min(error_w, _MIN_ERROR)))
        error_max = max(len("error"), spare - sub_max)
    table = Table(title="modl grade", title_justify="left", show_lines=False)
    table.add_column("submission", no_wrap=True, overflow="ellipsis", max_width=sub_max)
    table.add_column("student", no_wrap=True, overflow="ellipsis", max_width=_MAX_STUDENT)
    for topic in topics:
        table.add_column(topic, justify="right", no_wrap=True)
    table.add_column("total", justify="right", style="bold", no_wrap=True, min_width=total_w)
    table.add_column("%", justify="right", no_wrap=True, min_width=5)
    table.add_column("error", style="red", no_wrap=True, overflow="ellipsis",
                     max_width=error_max)
    for result, cells, total, percent_text, percent in rows:
        submission = _cell(result.submission).plain
        if sub_max is not None:
            submission = _tail(submission, sub_max)
        style = "red" if result.error else "green" if percent >= 100 - 1e-9 else ""
        table.add_row(Text(submission), _cell(result.student),
                      *(cells[t] for t in topics), total, percent_text,
                      _cell(error_text(result)), style=style or None)
    if results:
        mean = sum(_percent(r.score, r.max_score) for r in results) / len(results)
        errors = sum(1 for r in results if error_text(r))
        table.caption = (f"{len(results)} submission(s), mean {mean:.1f}%"
                         + (f", {errors} with errors" if errors else "")
                         + (f"; {hidden_topics} topic column(s) hidden at this width "
                            "(--format csv has every exercise)" if hidden_topics else ""))
        table.caption_justify = "left"
    return table


def print_table(results: Sequence[SubmissionResult], bank: Bank | None = None,
                console: Console | None = None) -> None:
    """Print the table to the terminal (colours only when stdout is one)."""
    console = console or Console()
    if not console.is_terminal:
        console.width = max(console.width, 200)
    console.print(grade_table(results, bank, width=console.width))


def table_text(results: Sequence[SubmissionResult], bank: Bank | None = None) -> str:
    """The table as plain text, for `--output FILE`."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(grade_table(results, bank, width=200))
    return console.export_text()
