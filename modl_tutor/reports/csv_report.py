"""The CSV gradebook of `modl grade --format csv`: one row per submission, ready for an LMS import."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from modl_tutor.bank.loader import Bank
from modl_tutor.result import SubmissionResult

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection) and keep it on one line."""
    value = " ".join(value.split())
    return "'" + value if value.startswith(_FORMULA_START) else value


def _number(value: float) -> str:
    return f"{round(value, 4):g}"


def exercise_columns(results: Sequence[SubmissionResult], bank: Bank | None) -> list[str]:
    """Exercise ids in bank order, then any id a result has that the bank does not."""
    ids = [e.id for e in bank] if bank is not None else []
    for result in results:
        ids.extend(e.id for e in result.exercises)
    return list(dict.fromkeys(ids))


def error_text(result: SubmissionResult) -> str:
    """The submission's error, else the exercises that could not be graded, else ''."""
    if result.error:
        return result.error
    broken = [f"{e.id}: {(e.message or e.status).splitlines()[0]}"
              for e in result.exercises if e.status == "error"]
    return "; ".join(broken)


def csv_report(results: Sequence[SubmissionResult], bank: Bank | None = None) -> str:
    """Columns: submission, student, one per exercise id, total, max, percent, error."""
    columns = exercise_columns(results, bank)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["submission", "student", *columns, "total", "max", "percent", "error"])
    for result in results:
        scores = {e.id: e.score for e in result.exercises}
        percent = 100 * result.score / result.max_score if result.max_score else 0.0
        writer.writerow([_text(result.submission), _text(result.student),
                         *(_number(scores[c]) if c in scores else "" for c in columns),
                         _number(result.score), _number(result.max_score),
                         f"{percent:.2f}", _text(error_text(result))])
    return out.getvalue()
