"""Pilot tests of the app in an 80×24 terminal: keys of the choices, catalogue, results."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Checkbox, RadioButton, RadioSet

from modl_tutor.tui.widgets.result_panel import ResultPanel

from .conftest import open_exercise, settle

SMALL = (80, 24)
CHOICE = "derivatives/activation_choice"
MULTI = "backprop/logistic_worked_example"
pytestmark = pytest.mark.anyio


def answers(root: Path) -> dict:
    return tomllib.loads((root / "answers.toml").read_text(encoding="utf-8"))


async def test_checkboxes_arrows_move_space_ticks_enter_submits(make_app, ws_root, tui_bank):
    exercise = tui_bank.get(CHOICE)
    order = make_app().tutor.choice_order(exercise, exercise.parts[0])
    right = sorted(order.index(i) for i in exercise.parts[0].correct)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_exercise(pilot, CHOICE)
        boxes = list(app.screen.query(Checkbox))
        assert app.focused is boxes[0]
        await pilot.press("up")  # no wrap past the first
        assert app.focused is boxes[0]
        for _ in range(len(boxes) + 1):
            await pilot.press("down")
        assert app.focused is boxes[-1]  # nor past the last
        await pilot.press("up")
        assert app.focused is boxes[-2]
        boxes[0].focus()
        for position in range(len(boxes)):
            if position in right:
                await pilot.press("space")
            await pilot.press("down")
        assert [b.value for b in boxes] == [p in right for p in range(len(boxes))]
        await pilot.press("enter")
        await settle(pilot)
        assert [b.value for b in boxes] == [p in right for p in range(len(boxes))]
        panel = app.screen.query_one(ResultPanel)
        assert panel.display and panel.has_class("-passed")
        letters = ", ".join("abcd"[p] for p in right)
        assert answers(ws_root)["derivatives"]["activation_choice"] == letters


async def test_radio_set_enter_picks_the_highlighted_option_and_submits(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_exercise(pilot, MULTI)
        screen = app.screen
        order = app.tutor.choice_order(screen.exercise, screen.exercise.part("sign"))
        position = order.index(0)
        radio = screen.query_one("#input-sign", RadioSet)
        radio.focus()
        await pilot.pause()
        for _ in range(position):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one(f"#option-sign-{position}", RadioButton).value
        assert screen.query_one(ResultPanel).display
        assert answers(ws_root)["backprop"]["logistic_worked_example"]["sign"] == \
            "abc"[position]
        # Enter again on the pressed option submits again, the pick unchanged.
        await pilot.press("enter")
        await settle(pilot)
        assert radio.pressed_index == position
