"""Pilot test of a code exercise: grade on demand, then re-graded by the watcher on save."""

from __future__ import annotations

import shutil

import pytest

from modl_tutor.progress.store import ProgressStore
from modl_tutor.tui.widgets.code_panel import CodePanel
from modl_tutor.tui.widgets.result_panel import ResultPanel

from .conftest import BANK_ROOT, SIZE, open_exercise, settle

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SOFTMAX = "losses/softmax"


async def wait_for(pilot, predicate, seconds: float = 90.0, touch=None) -> None:
    """Poll the app until `predicate()`; `touch()` re-saves the file now and then, in case
    the save happened before the watcher was listening."""
    for step in range(int(seconds / 0.25)):
        if predicate():
            return
        if touch is not None and step and step % 40 == 0:
            touch()
        await pilot.pause(0.25)
    raise AssertionError("the app did not update in time")


async def test_softmax_is_regraded_when_the_file_is_saved(make_app, ws_root):
    app = make_app()
    target = ws_root / "losses" / "softmax.py"
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SOFTMAX)
        screen = app.screen
        panel = screen.query_one(CodePanel)
        assert str(target) in str(panel.render())
        result = screen.query_one(ResultPanel)
        assert not result.display
        await pilot.press("r")  # grade the untouched starter now
        await wait_for(pilot, lambda: result.result is not None)
        assert result.has_class("-failed") and result.result.score == 0
        assert "NotImplementedError" in result.text or "not written yet" in (
            result.text)
        await wait_for(pilot, lambda: "Watching" in panel.state)

        def save_solution() -> None:
            shutil.copy(BANK_ROOT / "solutions" / "losses" / "softmax.py", target)

        save_solution()
        await wait_for(pilot, lambda: result.has_class("-passed"), touch=save_solution)
        shown = result.text
        assert "FULL MARKS" in shown and "(hidden check)" in shown
        assert screen.solution_shown
        await settle(pilot)
    progress = ProgressStore.for_workspace(ws_root).get(SOFTMAX)
    assert progress.had_full_marks and progress.attempts >= 2
    assert not app.tutor.grader_started  # closed with the app
    again = make_app()
    assert again.tutor.status(again.tutor.exercise(SOFTMAX)).done  # the file as graded
    target.write_text(target.read_text() + "\n# edited\n")
    assert again.tutor.status(again.tutor.exercise(SOFTMAX)).state == "changed"
