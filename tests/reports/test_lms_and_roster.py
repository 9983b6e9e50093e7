"""Canvas/Moodle gradebooks, roster ids on every row, --fail-under lines and the 80-column table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from modl_tutor.reports.commands import below_threshold, fail_under_status
from modl_tutor.reports.identity import RosterError, identify, load_roster
from modl_tutor.reports.json_report import json_data
from modl_tutor.reports.lms import CANVAS_COLUMNS, canvas_report, moodle_report
from modl_tutor.reports.table import grade_table
from modl_tutor.result import ExerciseResult, SubmissionResult


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_without_a_roster_every_row_gets_an_id(results) -> None:
    named, unlisted = identify(results)
    assert [r.student for r in named] == ["alice", "-bob", "carol"]  # carol: her folder
    assert unlisted == []
    assert json_data(named)["submissions"][2]["variant_seed"] == ""
    assert "variant_seed" not in json_data(named)["submissions"][0]


def test_canvas_gradebook_columns_points_row_and_ids(results) -> None:
    named, _ = identify(results)
    rows = table(canvas_report(named))
    assert tuple(rows[0][:5]) == CANVAS_COLUMNS and rows[0][5] == "modl-tutor"
    assert rows[1][0].strip() == "Points Possible" and rows[1][5] == "5"
    assert [r[2] for r in rows[2:]] == ["alice", "'-bob", "carol"]  # SIS User ID, no formula
    assert [r[5] for r in rows[2:]] == ["4", "0", "0"]
    assert all(len(r) == 6 for r in rows)


def test_moodle_gradebook_has_an_id_grade_and_feedback(results) -> None:
    named, _ = identify(results)
    rows = table(moodle_report(named))
    assert rows[0] == ["ID number", "Email address", "Full name", "modl-tutor",
                       "modl-tutor feedback"]
    assert rows[1][0] == "alice" and rows[1][3] == "4" and rows[1][4].startswith("4/5 (80.0%)")
    assert rows[3][0] == "carol" and "not valid TOML" in rows[3][4]


def test_a_roster_names_students_by_folder_or_id(tmp_path: Path, results) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("Student,Submission,Name,SIS User ID,Section,Canvas ID,Email\n"
                      "s-001,carol,Carol Doe,900001,A,17,carol@example.org\n"
                      "alice,,Alice Roe,900002,B,18,alice@example.org\n", encoding="utf-8")
    named, unlisted = identify(results, load_roster(roster))
    assert unlisted == ["subs/=bob"]
    assert [r.student for r in named] == ["alice", "-bob", "s-001"]
    rows = table(canvas_report(named))
    assert rows[4][:5] == ["Carol Doe", "17", "900001", "", "A"]
    assert rows[2][:5] == ["Alice Roe", "18", "900002", "", "B"]
    assert table(moodle_report(named))[3][:3] == ["900001", "carol@example.org", "Carol Doe"]


def test_gradescope_metadata_is_a_roster_of_one(tmp_path: Path, results) -> None:
    meta = tmp_path / "submission_metadata.json"
    meta.write_text(json.dumps({"users": [{"email": "s@x.org", "id": 7, "name": "Sam",
                                           "sid": "12345"}]}), encoding="utf-8")
    named, unlisted = identify(results[2:], load_roster(meta))
    assert named[0].student == "12345" and unlisted == []


@pytest.mark.parametrize(("text", "problem"), [
    ("name,section\nAlice,A\n", "line 1: no 'student' column"),
    ("student,name\n,Alice\n", "line 2: field 'student' is empty"),
    ("student\nalice\nalice\n", "line 3: student 'alice' is listed twice"),
    ("", "the roster is empty"),
])
def test_bad_rosters_are_one_line_errors(tmp_path: Path, text: str, problem: str) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError, match=problem) as info:
        load_roster(roster)
    assert str(roster) in str(info.value) and "\n" not in str(info.value)


def test_bad_roster_files(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="not found"):
        load_roster(tmp_path / "missing.csv")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RosterError, match="not UTF-8"):
        load_roster(tmp_path / "bin.csv")
    (tmp_path / "m.json").write_text('{"users": []}', encoding="utf-8")
    with pytest.raises(RosterError, match="'users'"):
        load_roster(tmp_path / "m.json")
    (tmp_path / "j.json").write_text("{", encoding="utf-8")
    with pytest.raises(RosterError, match="line 1: not valid JSON"):
        load_roster(tmp_path / "j.json")


def test_fail_under_names_each_submission_on_stderr(results, capsys) -> None:
    named, _ = identify(results)
    assert [r.student for r in below_threshold(named, 50)] == ["-bob", "carol"]
    assert fail_under_status(named, 50) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("modl: below 50%: subs/=bob (-bob) 0.0% (0/5)")
    assert "subs/carol (carol) 0.0% (0/5): subs/carol/answers.toml: not valid TOML" in err[1]
    assert err[-1] == "modl: 2 of 3 submission(s) below 50%"
    assert fail_under_status(named, 0) == 0 and fail_under_status(named, None) == 0
    assert capsys.readouterr().err == ""


def _render(rows: list[SubmissionResult], width: int) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(grade_table(rows, width=width))
    return console.export_text()


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_table_fits_the_terminal(width: int) -> None:
    topics = ["derivatives", "backprop", "losses", "precision", "optimization", "generative"]
    exercises = tuple(ExerciseResult(f"{t}/x", 68.5, 100, "failed") for t in topics)
    rows = [SubmissionResult("submissions/2026/section-b/alice-with-a-long-name", exercises,
                             student="alice"),
            SubmissionResult("subs/carol", tuple(ExerciseResult(e.id, 0, 100, "error")
                                                 for e in exercises), student="carol",
                             error="subs/carol/answers.toml: not valid TOML: Expected ']' at "
                                   "the end of a table declaration (at line 1, column 13)")]
    text = _render(rows, width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == 2  # one line per submission: nothing wraps
    assert "411/600" in body[0] and "68.5" in body[0]  # totals are never cut
    assert "alice-with-a-long-name" in body[0] or "long-name" in body[0]
    if width < 120:
        assert "6 topic column(s) hidden" in " ".join(text.split())


def test_a_folder_holding_workspaces_is_an_explained_error_row(tmp_path: Path,
                                                               tiny_bank) -> None:
    from modl_tutor.reports.commands import grade_submissions

    nested = tmp_path / "subs" / "dan"
    (nested / "hw3" / "dan").mkdir(parents=True)
    (nested / "hw3" / "dan" / "modl.toml").write_text('[student]\nid = "dan"\n', "utf-8")
    pair = tmp_path / "subs" / "eve"
    for name in ("a", "b"):
        (pair / name).mkdir(parents=True)
        (pair / name / "answers.toml").write_text("", "utf-8")
    dan, eve = grade_submissions([nested, pair], tiny_bank, jobs=1, cache=None)
    assert "wrong layout: found the workspace 2 folders down (hw3/dan/)" in dan.error
    assert "found 2 workspaces side by side (a/, b/)" in eve.error
    assert (dan.student, eve.student) == ("dan", "eve")  # the folder names: ids on every row
    assert dan.max_score == sum(e.points for e in tiny_bank) and dan.score == 0


def test_gradescope_metadata_names_one_submission_only(tmp_path: Path, tiny_bank) -> None:
    from modl_tutor.reports.commands import grade_submissions

    meta = tmp_path / "submission_metadata.json"
    meta.write_text(json.dumps({"users": [{"sid": "1"}]}), encoding="utf-8")
    with pytest.raises(RosterError, match="names one student"):
        grade_submissions([tmp_path / "a", tmp_path / "b"], tiny_bank, jobs=1, cache=None,
                          roster=str(meta))
