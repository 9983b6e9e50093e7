"""The app stays up on bad input: broken answers.toml, a bad plot, no terminal for $EDITOR."""

from __future__ import annotations

from dataclasses import replace

import pytest

from modl_tutor.bank.models import PlotSpec
from modl_tutor.tui.screens.exercise import ExerciseScreen
from modl_tutor.tui.widgets.plot_panel import PlotPanel
from modl_tutor.tui.widgets.result_panel import ResultPanel

from .conftest import SIZE, open_exercise, settle, type_answer

pytestmark = pytest.mark.anyio


def messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def test_broken_answers_toml_is_reported_not_fatal(make_app, ws_root):
    (ws_root / "answers.toml").write_text("[derivatives\nsigmoid_prime = ", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, "derivatives/sigmoid_prime")
        assert any("answers.toml" in m for m in messages(app))
        await type_answer(pilot, "sigmoid(x)")
        await pilot.press("enter")
        await settle(pilot)
        result = app.screen.query_one(ResultPanel)
        assert result.has_class("-failed") and "answers.toml" in result.text
        assert app.is_running
    assert (ws_root / "answers.toml").read_text(encoding="utf-8").startswith("[derivatives\n")


async def test_a_bad_plot_expression_is_shown_on_the_plot(make_app, tui_bank):
    exercise = tui_bank.get("derivatives/sigmoid_prime")
    broken = replace(exercise, plot=PlotSpec("function", ("sigmoid(y)",), (-1.0, 1.0)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ExerciseScreen(broken))
        await settle(pilot)
        plot = app.screen.query_one(PlotPanel)
        assert "unknown variable" in plot.error and plot.border_title == "cannot plot"
        await pilot.press("escape", "p")
        assert not app.screen.query_one("#aside").display


async def test_edit_without_a_terminal_says_where_the_file_is(make_app, ws_root, monkeypatch):
    monkeypatch.setenv("EDITOR", "true")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, "losses/softmax")
        await pilot.press("e")
        await settle(pilot)
        assert any(str(ws_root / "losses" / "softmax.py") in m for m in messages(app))
        assert isinstance(app.screen, ExerciseScreen) and not app.tutor.grader_started
