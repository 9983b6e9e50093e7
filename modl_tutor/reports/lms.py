"""LMS gradebooks: the CSV layouts Canvas' and Moodle's grade importers read without editing."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from modl_tutor.reports.csv_report import error_text
from modl_tutor.reports.identity import person_of
from modl_tutor.result import SubmissionResult

ASSIGNMENT = "modl-tutor"
"""The gradebook column (Canvas: a new assignment of this name on first import)."""

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_COLUMNS = ("ID number", "Email address", "Full name")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """One line, and never a spreadsheet formula (CSV injection)."""
    value = " ".join(value.split())
    return "'" + value if value.startswith(_FORMULA_START) else value


def _number(value: float) -> str:
    """Scores exactly as the CSV/JSON reports round them (4 decimals)."""
    return f"{round(value, 4):g}"


def _writer(out: io.StringIO) -> csv.writer:  # type: ignore[valid-type]
    return csv.writer(out, lineterminator="\r\n")


def canvas_report(results: Sequence[SubmissionResult], assignment: str = ASSIGNMENT) -> str:
    """Canvas' gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, the score.

    The second row is Canvas' `Points Possible` row. Canvas matches a row by ID, SIS User ID or
    SIS Login ID: without a roster the student id goes in SIS User ID.
    """
    top = max((r.max_score for r in results), default=0.0)
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow([*CANVAS_COLUMNS, _text(assignment)])
    writer.writerow(["    Points Possible", "", "", "", "", _number(top)])
    for result in results:
        person = person_of(result)
        writer.writerow([_text(person.name or person.student), _text(person.canvas_id),
                         _text(person.sis_id or person.student), _text(person.login),
                         _text(person.section), _number(result.score)])
    return out.getvalue()


def _feedback(result: SubmissionResult) -> str:
    percent = 100 * result.score / result.max_score if result.max_score else 0.0
    text = f"{_number(result.score)}/{_number(result.max_score)} ({percent:.1f}%)"
    problem = error_text(result)
    return f"{text}; {problem}" if problem else text


def moodle_report(results: Sequence[SubmissionResult], assignment: str = ASSIGNMENT) -> str:
    """Moodle's "Import grades: CSV file": an identifier column, the grade and its feedback.

    Map "ID number" (or "Email address") to the user on import, the grade column to the grade
    item, and `<assignment> feedback` to its feedback. Moodle has no points-possible row: set
    the grade item's maximum to the total shown in the feedback.
    """
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow([*MOODLE_COLUMNS, _text(assignment), _text(f"{assignment} feedback")])
    for result in results:
        person = person_of(result)
        writer.writerow([_text(person.sis_id or person.student), _text(person.email),
                         _text(person.name), _number(result.score),
                         _text(_feedback(result))])
    return out.getvalue()
