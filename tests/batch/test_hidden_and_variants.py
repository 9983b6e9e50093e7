"""Hidden checks reach instructors only; per-student variants grade each student on their numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modl_tutor.batch.runner import grade_batch
from modl_tutor.cli import main
from tests.batch.helpers import ABS_DOUBLE, write_submission

pytestmark = pytest.mark.slow


def test_modl_check_hides_what_grade_shows(use_bank, runner_cli, tmp_path: Path) -> None:
    sub = write_submission(tmp_path / "s", code=ABS_DOUBLE)
    student = runner_cli.invoke(main, ["check", "losses/double", "--workspace", str(sub),
                                       "--json"])
    assert student.exit_code == 1, student.output
    checks = json.loads(student.stdout)["checks"]
    hidden = [c for c in checks if c["hidden"]]
    assert len(hidden) == 1 and hidden[0]["message"] == "(hidden check)"
    assert "-2" not in student.stdout  # the hidden check's expected values never leak

    instructor = runner_cli.invoke(main, ["grade", str(sub), "--format", "json", "--no-cache"])
    assert instructor.exit_code == 0, instructor.output
    (exercise,) = [e for e in json.loads(instructor.stdout)["submissions"][0]["exercises"]
                   if e["id"] == "losses/double"]
    (real,) = [c for c in exercise["checks"] if c["hidden"]]
    assert real["message"] and real["message"] != "(hidden check)"


def _two_students_with_different_numbers(exercise) -> tuple[tuple[str, int], tuple[str, int]]:  # type: ignore[no-untyped-def]
    from modl_tutor.bank.variants import draw_params

    seen: dict[int, str] = {}
    for i in range(200):
        student = f"student{i}"
        value = int(draw_params(exercise, student)["a"])
        seen.setdefault(value, student)
        if len(seen) == 2:
            (a1, s1), (a2, s2) = seen.items()
            return (s1, a1), (s2, a2)
    raise AssertionError("every student drew the same number")


def test_each_student_is_graded_against_their_own_variant(tmp_path: Path, small_bank,
                                                          grader) -> None:
    pytest.importorskip("modl_tutor.bank.variants")
    pytest.importorskip("modl_tutor.answers.check")
    exercise = small_bank.get("derivatives/scaled")
    (first, a1), (second, a2) = _two_students_with_different_numbers(exercise)

    def answers(value: int) -> str:
        return f'[derivatives]\nscaled = "{3 * value}"\n'

    subs = [write_submission(tmp_path / "own1", student=first, answers=answers(a1)),
            write_submission(tmp_path / "own2", student=second, answers=answers(a2)),
            write_submission(tmp_path / "swap1", student=first, answers=answers(a2)),
            write_submission(tmp_path / "swap2", student=second, answers=answers(a1))]
    results = grade_batch(subs, small_bank, grader=grader, progress=False)
    scaled = [{e.id: e for e in r.exercises}["derivatives/scaled"] for r in results]
    assert [s.status for s in scaled] == ["passed", "passed", "failed", "failed"]
    assert [r.student for r in results] == [first, second, first, second]


def test_the_instructor_not_the_submission_says_who_it_is(tmp_path: Path, small_bank, use_bank,
                                                          runner_cli) -> None:
    """A submission that claims another student's id in its modl.toml (to reuse their solved
    variant) is graded as its folder — or its roster entry — says."""
    exercise = small_bank.get("derivatives/scaled")
    (first, a1), (second, a2) = _two_students_with_different_numbers(exercise)
    solved = f'[derivatives]\nscaled = "{3 * a1}"\n'
    honest = write_submission(tmp_path / first, student=first, answers=solved)
    copier = write_submission(tmp_path / second, student=first, answers=solved)  # claims `first`

    def graded(*extra: str) -> dict[str, dict]:  # type: ignore[type-arg]
        run = runner_cli.invoke(main, ["grade", str(honest), str(copier), "--format", "json",
                                       "--no-cache", *extra])
        assert run.exit_code == 0, run.output
        return {Path(s["submission"]).name: s for s in json.loads(run.stdout)["submissions"]}

    def scaled(row: dict) -> float:  # type: ignore[type-arg]
        return next(e["score"] for e in row["exercises"] if e["id"] == "derivatives/scaled")

    by_folder = graded()
    assert by_folder[first]["student"] == first and scaled(by_folder[first]) > 0
    assert by_folder[second]["student"] == second and scaled(by_folder[second]) == 0
    roster = tmp_path / "roster.csv"
    roster.write_text(f"student,submission\n{first},{first}\nzed,{second}\n")
    by_roster = graded("--roster", str(roster))
    assert by_roster[second]["student"] == "zed"
