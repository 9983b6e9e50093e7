"""Batch grading: every submission gets a row, broken ones an error row, order is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from modl_tutor.batch.runner import grade_batch
from tests.batch.helpers import ABS_DOUBLE, write_submission

pytestmark = pytest.mark.slow

GOOD_ANSWERS = '[derivatives]\nslope = "10"\n'


def test_broken_submissions_never_stop_the_batch(tmp_path: Path, small_bank, grader) -> None:
    good = write_submission(tmp_path / "good", answers=GOOD_ANSWERS)
    bad_answers = write_submission(tmp_path / "bad_answers", answers="[derivatives\nslope = ")
    bad_marker = write_submission(tmp_path / "bad_marker", answers=GOOD_ANSWERS)
    (bad_marker / "modl.toml").write_text("[student\n", encoding="utf-8")
    bad_bytes = write_submission(tmp_path / "bad_bytes")
    (bad_bytes / "answers.toml").write_bytes(b"[derivatives]\nslope = \"\xff\xfe\"\n")
    folder_answers = write_submission(tmp_path / "folder_answers")
    (folder_answers / "answers.toml").mkdir()
    folder_code = write_submission(tmp_path / "folder_code", answers=GOOD_ANSWERS, code=None)
    (folder_code / "losses" / "double.py").mkdir(parents=True)
    plain_file = tmp_path / "plain_file"
    plain_file.write_text("not a workspace")
    syntax = write_submission(tmp_path / "syntax", code="def double(x):\n    return x *\n")
    paths = [good, tmp_path / "missing", bad_answers, bad_marker, bad_bytes, folder_answers,
             folder_code, plain_file, syntax]

    results = grade_batch(paths, small_bank, grader=grader, progress=False)

    assert [r.submission for r in results] == [str(p) for p in paths]
    by_name = {Path(r.submission).name: r for r in results}
    assert by_name["good"].error == "" and by_name["good"].score == 4  # slope 1 + double 3
    for name, fragment in [("missing", "not found"), ("bad_answers", "not valid TOML"),
                           ("bad_marker", "not valid TOML"), ("bad_bytes", "cannot be read"),
                           ("folder_answers", "is a folder"), ("plain_file", "not a folder")]:
        row = by_name[name]
        assert fragment in row.error, (name, row.error)
        assert row.score == 0 and row.max_score == 6
        assert {e.status for e in row.exercises} == {"error"}
    code_row = {e.id: e for e in by_name["folder_code"].exercises}["losses/double"]
    assert code_row.status == "error" and "is a folder" in code_row.message
    assert by_name["folder_code"].score == 1  # the math answer still counts
    syntax_row = {e.id: e for e in by_name["syntax"].exercises}["losses/double"]
    assert syntax_row.status == "error" and "SyntaxError" in syntax_row.message


def test_hidden_checks_are_graded_but_only_instructors_see_them(tmp_path: Path, small_bank,
                                                                 grader) -> None:
    sub = write_submission(tmp_path / "abs", code=ABS_DOUBLE)
    (result,) = grade_batch([sub], small_bank, grader=grader, progress=False)
    double = {e.id: e for e in result.exercises}["losses/double"]
    hidden = [c for c in double.checks if c.hidden]
    assert len(hidden) == 1 and not hidden[0].passed and hidden[0].message
    assert double.score == pytest.approx(2.0)  # 2 of 3 equal-weight checks
    student_view = double.visible()
    shown = [c for c in student_view.checks if c.hidden]
    assert shown[0].message == "(hidden check)"
    assert hidden[0].message not in str(student_view.to_dict())


def test_a_crashing_grader_call_becomes_an_error_row(tmp_path: Path, small_bank, grader,
                                                     monkeypatch) -> None:
    import modl_tutor.batch.runner as runner

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(runner, "grade_submission", boom)
    sub = write_submission(tmp_path / "s")
    (result,) = grade_batch([sub], small_bank, grader=grader, progress=False)
    assert "could not be graded (RuntimeError: disk on fire)" in result.error


def test_progress_only_on_a_terminal(tmp_path: Path, small_bank, grader, capsys,
                                     monkeypatch) -> None:
    import sys

    sub = write_submission(tmp_path / "s")
    grade_batch([sub], small_bank, grader=grader)
    assert capsys.readouterr().err == ""  # stderr is not a terminal here: quiet
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    grade_batch([sub, sub], small_bank, grader=grader)
    assert "graded 2 submission(s)" in capsys.readouterr().err
