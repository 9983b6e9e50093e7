"""Fixtures of the app's tests: a frozen test bank, fresh workspaces, and waiting for workers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerState

from modl_tutor.bank.loader import Bank, load_bank
from modl_tutor.result import CheckResult, ExerciseResult
from modl_tutor.tui.app import ModlApp
from modl_tutor.tutor import Tutor, letters_answer
from modl_tutor.workspace.workspace import init_workspace

BANK_ROOT = Path(__file__).resolve().parent / "bank"
"""A small bank frozen for these tests (copies of canonical exercises + a multipart one),
so that authors editing the real bank never break the app's tests or snapshots."""

SIZE = (100, 40)


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Async tests run on asyncio through anyio's pytest plugin (`pytest.mark.anyio`)."""
    return "asyncio"


@pytest.fixture(scope="session")
def tui_bank() -> Bank:
    return load_bank(BANK_ROOT / "exercises")


@pytest.fixture(autouse=True)
def _bank_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODL_BANK", str(BANK_ROOT))


@pytest.fixture()
def ws_root(tmp_path: Path, tui_bank: Bank) -> Path:
    root = tmp_path / "ws"
    init_workspace(root, tui_bank, student="tester")
    return root


@pytest.fixture()
def make_app(ws_root: Path, tui_bank: Bank) -> Callable[[], ModlApp]:
    """A new app on the same workspace each call (a 'restart')."""
    return lambda: ModlApp(ws_root, bank=tui_bank)


@pytest.fixture()
def fixed_root(tmp_path: Path, tui_bank: Bank) -> Path:
    """A workspace with a fixed student id, for deterministic snapshots (its path is never
    on screen in them: the code panel that names it is hidden). A fixed shared path under
    /tmp let two concurrent runs of the suite delete each other's workspaces."""
    root = tmp_path / "ws"
    init_workspace(root, tui_bank, student="snapshot")
    return root


async def settle(pilot: Pilot, delay: float = 0.0) -> None:
    """Let timers fire and every worker finish (the endless file watcher excepted)."""
    app = pilot.app
    if delay:
        await pilot.pause(delay)
    for _ in range(200):
        await pilot.pause()
        busy = [w for w in app.workers if w.group != "watch"
                and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            return
        await app.workers.wait_for_complete(busy)
    raise AssertionError("workers did not finish")


async def open_exercise(pilot: Pilot, exercise_id: str) -> None:
    pilot.app.open_exercise(exercise_id)  # type: ignore[attr-defined]
    await settle(pilot)


async def type_answer(pilot: Pilot, text: str, *, keys: bool = False) -> None:
    """Put `text` in the focused box as a paste does (one change, the same path as typing:
    Input.Changed), or key by key with keys=True; then wait for the debounced preview.
    Key by key costs a wait per key: only the tests about typing itself use it."""
    await pilot.pause()  # a focus() just asked for has happened
    focused = pilot.app.focused
    if keys or not isinstance(focused, Input):
        await pilot.press(*text)
    else:
        focused.insert_text_at_cursor(text)
    await settle(pilot, delay=0.4)


def seed_state(root: Path, bank: Bank, *, choice: bool = False, sigmoid: bool = False,
               softmax: bool = False, give_up: str | None = None) -> None:
    """Put a workspace in a known state through the tutor service, as a student would:
    right answers in answers.toml, a graded (1/4) softmax file, a given-up exercise."""
    tutor = Tutor.open(root, bank)
    if choice:
        exercise = bank.get("derivatives/activation_choice")
        part = exercise.parts[0]
        order = tutor.choice_order(exercise, part)
        tutor.submit(exercise, {part.name: letters_answer(order.index(i) for i in part.correct)})
    if sigmoid:
        tutor.submit(bank.get("derivatives/sigmoid_prime"),
                     {"answer": "sigmoid(x)*(1-sigmoid(x))"})
    if softmax:
        code = bank.get("losses/softmax")
        tutor.record_code_result(code, ExerciseResult(code.id, 1, 4, "failed"),
                                 tutor.code_fingerprint(code))
    if give_up:
        tutor.give_up(bank.get(give_up))


def screen_lines(app: ModlApp) -> list[str]:
    """The text of the screen as a terminal shows it, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _array(a: object) -> str:
    import numpy as np

    return np.array2string(a, precision=6, separator=", ")  # as the grader prints them


LONG_CAUSE = ("the rows of your output do not sum to one: you normalised over axis 0 (the "
              "batch) instead of the last axis (the classes), so each column sums to one "
              "instead")


def code_result() -> ExerciseResult:
    """A graded softmax (1.33/4) whose feedback holds a long line and NumPy arrays: one narrow
    2-D array, one whose rows are wider than 80 columns (NumPy itself breaks them)."""
    import numpy as np

    narrow = np.array([[0.090031, 0.244728, 0.665241], [0.333333, 0.333333, 0.333333]])
    wide = np.array([[0.0900305, 0.244728, 0.665241, 1.5e-7, 0.2, 0.3, 0.4, 0.5]] * 2)
    third = 4 / 3
    sums = (f"output: 6 of 6 values differ; max abs error 0.3\nexpected {_array(narrow)}\n"
            f"     got {_array(narrow[::-1])}\nlikely cause: {LONG_CAUSE}")
    classes = f"output: 2 of 16 values differ\nexpected {_array(wide)}\ninput: {_array(wide[0])}"
    checks = (CheckResult("shape and dtype", True, third, third),
              CheckResult("sums to one", False, 0.0, third, sums),
              CheckResult("eight classes", False, 0.0, third, classes))
    return ExerciseResult("losses/softmax", third, 4.0, "failed", checks)
