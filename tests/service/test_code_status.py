"""A code exercise is done only while its file is the one that was graded with full marks."""

from __future__ import annotations

import os
import shutil

import pytest

from modl_tutor.bank.loader import load_bank
from modl_tutor.result import ExerciseResult
from modl_tutor.tutor import Tutor
from modl_tutor.workspace.workspace import init_workspace

from .conftest import TUI_BANK

SOFTMAX = "losses/softmax"


@pytest.fixture()
def code_tutor(tmp_path):  # type: ignore[no-untyped-def]
    bank = load_bank(TUI_BANK / "exercises")
    init_workspace(tmp_path / "ws", bank, student="tester")
    return Tutor.open(tmp_path / "ws", bank)


def full(exercise) -> ExerciseResult:  # type: ignore[no-untyped-def]
    return ExerciseResult(exercise.id, exercise.points, exercise.points, "passed")


def test_the_untouched_starter_is_new_and_an_edit_is_changed(code_tutor):
    exercise = code_tutor.exercise(SOFTMAX)
    assert code_tutor.status(exercise).state == "new"
    path = code_tutor.workspace.code_path(exercise)
    path.write_text(path.read_text() + "\n# started\n")
    assert code_tutor.status(exercise).state == "changed"


def test_full_marks_hold_only_for_the_graded_file(code_tutor):
    exercise = code_tutor.exercise(SOFTMAX)
    path = code_tutor.workspace.code_path(exercise)
    shutil.copy(TUI_BANK / "solutions" / "losses" / "softmax.py", path)
    code_tutor.record_code_result(exercise, full(exercise), code_tutor.code_fingerprint(exercise))
    assert code_tutor.status(exercise).done
    assert Tutor.open(code_tutor.workspace.root, code_tutor.bank).status(exercise).done
    path.write_text(path.read_text() + "\n# a comment changes the file\n")
    status = code_tutor.status(exercise)
    assert status.state == "changed" and not status.done and status.history


def test_a_grade_is_not_kept_when_the_file_changed_during_grading(code_tutor):
    exercise = code_tutor.exercise(SOFTMAX)
    before = code_tutor.code_fingerprint(exercise)
    path = code_tutor.workspace.code_path(exercise)
    path.write_text("def softmax(z, axis=-1):\n    return z\n")
    code_tutor.record_code_result(exercise, full(exercise), before)
    assert not code_tutor.status(exercise).done


def test_not_graded_and_transient_failures_are_never_the_status(code_tutor):
    exercise = code_tutor.exercise(SOFTMAX)
    fingerprint = code_tutor.code_fingerprint(exercise)
    late = ExerciseResult(exercise.id, 0, exercise.points, "not_graded")
    code_tutor.record_code_result(exercise, late, fingerprint)
    assert code_tutor.store.get(SOFTMAX).attempts == 0
    crashed = ExerciseResult(exercise.id, 0, exercise.points, "error",
                             message="the grading server stopped: killed")
    code_tutor.record_code_result(exercise, crashed, fingerprint)
    assert code_tutor.status(exercise).state == "new"  # recorded as an attempt, not a grade


def test_a_symlinked_file_is_never_followed(code_tutor, tmp_path):
    exercise = code_tutor.exercise(SOFTMAX)
    path = code_tutor.workspace.code_path(exercise)
    secret = tmp_path / "secret.py"
    secret.write_text("x = 1\n")
    path.unlink()
    os.symlink(secret, path)
    assert code_tutor.code_fingerprint(exercise) is None
    assert code_tutor.status(exercise).state == "changed"


def test_statuses_of_all_exercises_agree_with_one_by_one_and_read_the_store_twice(
        code_tutor, monkeypatch):  # type: ignore[no-untyped-def]
    """The catalogue asks for every status at once: the same answers as `status`, with the
    stored grades of every code exercise read in one connection (not one per exercise)."""
    exercise = code_tutor.exercise(SOFTMAX)
    shutil.copy(TUI_BANK / "solutions" / "losses" / "softmax.py",
                code_tutor.workspace.code_path(exercise))
    code_tutor.record_code_result(exercise, full(exercise), code_tutor.code_fingerprint(exercise))
    one_by_one = {e.id: code_tutor.status(e) for e in code_tutor.bank}
    opened = []
    real = type(code_tutor.store)._connect
    monkeypatch.setattr(type(code_tutor.store), "_connect",
                        lambda self: opened.append(1) or real(self))
    together = code_tutor.statuses()
    assert together == one_by_one and together[SOFTMAX].done
    assert len(opened) <= 2
    assert code_tutor.store.grades([SOFTMAX], lambda _: "not-this-fingerprint") == {}
    assert code_tutor.store.grades([], lambda _: "never asked") == {}
    fingerprinted: list[str] = []
    real_fingerprint = type(code_tutor).code_fingerprint
    monkeypatch.setattr(type(code_tutor), "code_fingerprint", lambda self, e: (
        fingerprinted.append(e.id) or real_fingerprint(self, e)))
    assert code_tutor.statuses() == together
    assert fingerprinted == [SOFTMAX]  # only an exercise with a stored grade is fingerprinted


def test_a_fresh_workspace_fingerprints_no_file(workspace, bank, monkeypatch):  # type: ignore[no-untyped-def]
    """The catalogue's first paint: no stored grade, so no code file is read and hashed for
    one (the exercise folders' and grader's digests are not computed either)."""
    service = Tutor.open(workspace.root, bank)
    monkeypatch.setattr(type(service), "code_fingerprint",
                        lambda self, e: pytest.fail(f"fingerprinted {e.id}"))
    statuses = service.statuses()
    assert len(statuses) == len(bank) and not any(s.done for s in statuses.values())


def test_the_whole_bank_reads_the_store_in_two_connections(workspace, bank, monkeypatch):  # type: ignore[no-untyped-def]
    service = Tutor.open(workspace.root, bank)
    opened = []
    real = type(service.store)._connect
    monkeypatch.setattr(type(service.store), "_connect", lambda self: opened.append(1) or real(self))
    statuses = service.statuses()
    assert sum(e.is_code for e in bank) > 40 and len(statuses) == len(bank)
    assert len(opened) == 2


def test_every_grading_source_file_is_in_the_fingerprint_and_nothing_else(tmp_path, monkeypatch):
    """A new grader never trusts old grades: any .py below answers/, grading/ or kernels/ (at
    any depth) or result.py changes the code digest; bytecode and other files do not."""
    from modl_tutor.progress import fingerprint

    for relative in ("answers/a.py", "grading/sandbox/deep/b.py", "kernels/k.py", "result.py",
                     "grading/__pycache__/b.cpython-311.pyc", "grading/notes.txt", "tui/t.py"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(f"# {relative}\n")
    monkeypatch.setattr(fingerprint, "_PACKAGE", tmp_path)

    def digest() -> str:
        monkeypatch.setattr(fingerprint, "_DIGESTS", {})
        return fingerprint.grading_code_digest()

    first = digest()
    for relative in ("grading/__pycache__/b.cpython-311.pyc", "grading/notes.txt", "tui/t.py"):
        (tmp_path / relative).write_text("changed\n")
        assert digest() == first, relative
    seen = {first}
    for relative in ("answers/a.py", "grading/sandbox/deep/b.py", "kernels/k.py", "result.py"):
        (tmp_path / relative).write_text("changed\n")
        seen.add(digest())
    assert len(seen) == 5  # each change made a new digest
