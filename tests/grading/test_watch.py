"""`modl watch`: grading on save through one warm grader, and the h / n / l / q keys."""

from __future__ import annotations

import io
import os
import queue
import shutil
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from modl_tutor.bank.loader import Bank, load_bank
from modl_tutor.watch import KeyReader, WatchSession, run_watch
from modl_tutor.workspace.workspace import Workspace

pytestmark = pytest.mark.slow
IDS = ("losses/softmax", "losses/cross_entropy")


@pytest.fixture(scope="module")
def small_bank() -> Bank:
    full = load_bank(strict=False)
    chosen = [e for e in full if e.id in IDS]
    if len(chosen) != len(IDS):
        pytest.skip("the watched exercises are not in the bank yet")
    return Bank(chosen, full.root)


@pytest.fixture(scope="module")
def grader(shared_grader):  # type: ignore[no-untyped-def]
    """The worker's warm grader (watch never starts or closes the grader it is given)."""
    return shared_grader


@pytest.fixture()
def workspace(tmp_path: Path, small_bank: Bank) -> Workspace:
    root = tmp_path / "ws"
    for exercise in small_bank:
        target = root / exercise.workspace_file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(exercise.starter_path, target)
    (root / "answers.toml").write_text("", encoding="utf-8")
    return Workspace(root)


def session(workspace, small_bank, grader):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None)
    return WatchSession(workspace, small_bank, grader, console), out


def solve(workspace: Workspace, bank: Bank, exercise_id: str) -> Path:
    exercise = bank.get(exercise_id)
    target = workspace.code_path(exercise)
    shutil.copy(bank.solutions_root / f"{exercise_id}.py", target)
    return target


def test_save_grades_the_saved_exercise_and_records_it(workspace, small_bank, grader):
    watch, out = session(workspace, small_bank, grader)
    assert watch.current.id == IDS[0]
    path = solve(workspace, small_bank, IDS[1])
    results = watch.on_changes([str(path), str(workspace.root / "answers.toml")])
    assert [r.id for r in results] == [IDS[1]] and results[0].full_marks
    assert watch.current.id == IDS[1]
    assert "FULL MARKS" in out.getvalue() and "Done! Press n" in out.getvalue()
    assert watch.tutor.status(small_bank.get(IDS[1])).done  # the grade of the file now
    assert watch.on_changes([str(workspace.root / "notes.txt")]) == []


def test_keys_hint_list_next_quit(workspace, small_bank, grader):
    watch, out = session(workspace, small_bank, grader)
    watch.on_key("h")
    watch.on_key("h")
    text = out.getvalue()
    hints = small_bank.get(IDS[0]).hints
    assert f"Hint 1/{len(hints)}" in text and f"Hint 2/{len(hints)}" in text
    watch.on_key("l")
    assert f"▶   {IDS[0]}" in out.getvalue() and IDS[1] in out.getvalue()
    watch.on_key("n")
    assert watch.current.id == IDS[1] and f"Next: {IDS[1]}" in out.getvalue()
    assert "not written yet" in out.getvalue()
    watch.on_key("?")
    assert "keys: h hint" in out.getvalue()
    watch.on_key("Q")
    assert not watch.running


def test_next_skips_finished_exercises_and_the_start_resumes(workspace, small_bank, grader):
    watch, out = session(workspace, small_bank, grader)
    watch.on_changes([solve(workspace, small_bank, IDS[0]), solve(workspace, small_bank, IDS[1])])
    watch.on_key("n")
    assert "Every code exercise has full marks" in out.getvalue()
    again, _ = session(workspace, small_bank, grader)
    assert again.current.id == watch.current.id  # the last exercise worked on


def test_key_reader_reads_lines_from_a_pipe():
    read_fd, write_fd = os.pipe()
    keys: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    with os.fdopen(read_fd, "r") as stream:
        reader = KeyReader(stream, keys, stop)
        assert not reader.is_tty
        reader.start()
        os.write(write_fd, b"h\n\nnext\nq\n")
        os.close(write_fd)
        assert stop.wait(10)
        assert [keys.get(timeout=5) for _ in range(3)] == ["h", "n", "q"]
        reader.stop()


def test_key_reader_uses_cbreak_on_a_terminal():
    import termios

    master, slave = os.openpty()
    keys: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    stream = os.fdopen(slave, "r")
    before = termios.tcgetattr(slave)
    reader = KeyReader(stream, keys, stop)
    assert reader.is_tty
    reader.start()
    assert not termios.tcgetattr(slave)[3] & termios.ICANON  # single keys, no Enter needed
    os.write(master, b"l")
    assert keys.get(timeout=5) == "l"
    os.write(master, b"q")
    assert stop.wait(5)
    reader.stop()
    assert termios.tcgetattr(slave) == before
    stream.close()
    os.close(master)


def test_run_watch_end_to_end(workspace, small_bank, grader):
    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None)
    read_fd, write_fd = os.pipe()
    stdin = os.fdopen(read_fd, "r")
    thread = threading.Thread(target=run_watch, args=(workspace, small_bank),
                              kwargs={"console": console, "stdin": stdin, "grader": grader},
                              daemon=True)
    thread.start()

    def wait_for(text: str, save: bool = False) -> None:
        deadline = time.monotonic() + 60
        next_save = time.monotonic()
        while text not in out.getvalue():
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{out.getvalue()}"
            if save and time.monotonic() >= next_save:  # until the watcher has seen a save
                solve(workspace, small_bank, IDS[0])
                next_save = time.monotonic() + 2.0
            time.sleep(0.05)

    wait_for("not written yet")  # the current exercise is shown at start
    wait_for("FULL MARKS", save=True)
    os.write(write_fd, b"q\n")
    thread.join(30)
    assert not thread.is_alive()
    assert "Stopped watching." in out.getvalue()
    assert grader.sync(), "run_watch closed the grader it was given"  # it still answers
    os.close(write_fd)
    stdin.close()
