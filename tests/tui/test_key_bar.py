"""The one-widget footer: the focused chain's keys, updated on focus moves, clickable."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from modl_tutor.tui.screens.exercise import ExerciseScreen
from modl_tutor.tui.widgets.key_bar import KeyBar

from .conftest import open_exercise, settle

pytestmark = pytest.mark.anyio


async def test_keys_follow_the_focus_and_a_click_presses_the_key(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        shown = bar.plain
        assert len(shown) == 80 and shown.rstrip().endswith("^p palette")
        for key in ("⏎ Open", "/ Search", "t Topics", "q Quit"):
            assert key in shown
        x = shown.index("t Topics")
        await pilot.click(KeyBar, offset=(x + 1, 0))
        await settle(pilot)
        assert app.focused is app.screen.query_one("#topics", OptionList)
        await open_exercise(pilot, "derivatives/sigmoid_prime")
        bar = app.screen.query_one(KeyBar)
        assert "^s Submit" in bar.plain and "h Hint" not in bar.plain  # typing: no letters
        await pilot.press("escape")
        await settle(pilot)
        assert "h Hint" in bar.plain and "g Give up" in bar.plain
        await pilot.click(KeyBar, offset=(bar.plain.index("^p palette") + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExerciseScreen)
