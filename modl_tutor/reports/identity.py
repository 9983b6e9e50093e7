"""Who each submission belongs to: a roster (CSV or Gradescope metadata), the workspace's id, or its folder."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from modl_tutor.errors import ModlError
from modl_tutor.result import SubmissionResult

MAX_ROSTER_BYTES = 20 * 1024 * 1024
ANY_SUBMISSION = "*"
"""Roster key of a Gradescope metadata file: it describes the one submission being graded."""

_ALIASES = {
    "student": ("student", "student id", "student_id", "username"),
    "submission": ("submission", "folder", "directory"),
    "name": ("name", "student name", "full name", "fullname"),
    "sis_id": ("sis user id", "sis_user_id", "sis id", "sis_id", "id number", "idnumber"),
    "login": ("sis login id", "sis_login_id", "login", "login id", "login_id"),
    "canvas_id": ("canvas id", "canvas_id", "canvas user id", "user id"),
    "section": ("section", "group"),
    "email": ("email", "email address", "e-mail"),
}


class RosterError(ModlError):
    """The roster file cannot be read; the message names the file (and line)."""


@dataclass(frozen=True)
class Person:
    """One roster entry; only `student` is required."""

    student: str
    name: str = ""
    sis_id: str = ""
    login: str = ""
    canvas_id: str = ""
    section: str = ""
    email: str = ""


@dataclass(frozen=True)
class Roster:
    """Roster entries by submission folder name/path and by student id."""

    by_submission: dict[str, Person]
    by_student: dict[str, Person]

    def find(self, submission: str, declared: str) -> Person | None:
        """The entry for a submission: by its folder, else its folder as an id, else its id."""
        folder = Path(submission).name
        for key in (submission, folder, ANY_SUBMISSION):
            if key in self.by_submission:
                return self.by_submission[key]
        for key in (folder, declared):
            if key and key in self.by_student:
                return self.by_student[key]
        return None


def _read(path: Path) -> str:
    try:
        if path.is_symlink() or not path.is_file():
            raise RosterError(f"{path}: roster file not found")
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise RosterError(f"{path}: roster is larger than {MAX_ROSTER_BYTES} bytes")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(f"{path}: roster is not UTF-8 text") from None
    except OSError as err:
        raise RosterError(f"{path}: cannot be read ({err.strerror or err})") from None


def _gradescope_roster(path: Path, text: str) -> Roster:
    """Gradescope's submission_metadata.json: its first user is the one being graded."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise RosterError(f"{path}: line {err.lineno}: not valid JSON ({err.msg})") from None
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, list) or not users or not isinstance(users[0], dict):
        raise RosterError(f"{path}: field 'users' must be a non-empty list (Gradescope "
                          "submission metadata)")
    user = {k: "" if v is None else str(v).strip() for k, v in users[0].items()}
    student = user.get("sid") or user.get("email") or user.get("id") or ""
    if not student:
        raise RosterError(f"{path}: field 'users[0]' has no sid, email or id")
    person = Person(student=student, name=user.get("name", ""), sis_id=user.get("sid", ""),
                    email=user.get("email", ""))
    return Roster(by_submission={ANY_SUBMISSION: person}, by_student={student: person})


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    """Which column holds each field (header names are matched case-insensitively)."""
    normal = [" ".join(h.strip().lower().split()) for h in header]
    found: dict[str, int] = {}
    for field, names in _ALIASES.items():
        for name in names:
            if name in normal and normal.index(name) not in found.values():
                found[field] = normal.index(name)
                break
    if "student" not in found:
        raise RosterError(f"{path}: line 1: no 'student' column (the header needs student, "
                          "and may have submission, name, sis user id, sis login id, "
                          "canvas id, section, email)")
    return found


def load_roster(path: Path | str) -> Roster:
    """A roster CSV (header row; a `student` column) or a Gradescope submission_metadata.json."""
    path = Path(path)
    text = _read(path)
    if path.suffix.lower() == ".json":
        return _gradescope_roster(path, text)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
        if header is None:
            raise RosterError(f"{path}: the roster is empty")
        columns = _columns(path, header)
        by_submission: dict[str, Person] = {}
        by_student: dict[str, Person] = {}
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            line = rows.line_num
            values = {f: row[i].strip() if i < len(row) else "" for f, i in columns.items()}
            if not values["student"]:
                raise RosterError(f"{path}: line {line}: field 'student' is empty")
            submission = values.pop("submission", "")
            person = Person(**values)
            if person.student in by_student:
                raise RosterError(f"{path}: line {line}: student {person.student!r} is listed "
                                  "twice")
            by_student[person.student] = person
            if submission:
                by_submission[submission] = person
    except csv.Error as err:
        raise RosterError(f"{path}: line {rows.line_num}: not valid CSV ({err})") from None
    return Roster(by_submission=by_submission, by_student=by_student)


def person_of(result: SubmissionResult) -> Person:
    """The roster entry `identify` attached, else a bare one from the row's student id."""
    person = result.extra.get("person")
    return person if isinstance(person, Person) else Person(student=result.student)


def identify(results: Sequence[SubmissionResult],
             roster: Roster | None = None) -> tuple[list[SubmissionResult], list[str]]:
    """Give every row an id: the roster's, else the workspace's `[student] id`, else its folder.

    The id the grader drew the variants from is kept as `extra["variant_seed"]`. Returns the
    rows and the submissions a roster was given for but does not list.
    """
    named: list[SubmissionResult] = []
    unlisted: list[str] = []
    for result in results:
        declared = result.student
        person = roster.find(result.submission, declared) if roster is not None else None
        if person is None:
            if roster is not None:
                unlisted.append(result.submission)
            person = Person(student=declared or Path(result.submission).name)
        extra = {**result.extra, "person": person, "variant_seed": declared}
        named.append(replace(result, student=person.student, extra=extra))
    return named, unlisted
