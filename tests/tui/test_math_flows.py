"""Pilot tests of the math flows: typed answers, previews, parts, choices, hints, giving up."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Markdown, RadioButton, Static

from modl_tutor.progress.store import ProgressStore
from modl_tutor.tui.screens.exercise import ExerciseScreen
from modl_tutor.tui.screens.modals import ConfirmScreen
from modl_tutor.tui.widgets.hints_panel import HintsPanel
from modl_tutor.tui.widgets.result_panel import ResultPanel

from .conftest import SIZE, open_exercise, settle, type_answer

SIGMOID = "derivatives/sigmoid_prime"
MULTI = "backprop/logistic_worked_example"
pytestmark = pytest.mark.anyio
CHOICE = "derivatives/activation_choice"


def text_of(widget: Static | ResultPanel) -> str:
    return widget.text if isinstance(widget, ResultPanel) else str(widget.render())


def answers(root: Path) -> dict:
    return tomllib.loads((root / "answers.toml").read_text(encoding="utf-8"))


async def test_sigmoid_right_answer_is_saved_before_the_app_exits(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        assert isinstance(app.focused, Input)
        await type_answer(pilot, "σ(x)(1 - σ(x))", keys=True)  # unicode keys, one by one
        preview = screen.query_one("#preview-answer", Static)
        assert preview.display and "σ" in text_of(preview) and not preview.has_class("-error")
        await pilot.press("enter")
        await settle(pilot)
        result = screen.query_one(ResultPanel)
        assert result.has_class("-passed")
        assert text_of(result).startswith("Correct (2/2)")
        # Saved at submit time, while the app still runs: a kill now loses nothing.
        assert answers(ws_root)["derivatives"]["sigmoid_prime"] == "σ(x)(1 - σ(x))"
        progress = ProgressStore.for_workspace(ws_root).get(SIGMOID)
        assert progress.had_full_marks and progress.attempts == 1
        assert app.tutor.status(screen.exercise).done
        solution = screen.query_one("#solution", Markdown)
        assert solution.display and screen.solution_shown


async def test_sigmoid_known_mistake_gets_its_feedback(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        await type_answer(pilot, "sigmoid(x)*(1 + sigmoid(x))")
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = app.screen.query_one(ResultPanel)
        assert result.has_class("-failed")
        shown = text_of(result)
        assert shown.startswith("Not yet (0/2)")
        assert "with a minus" in shown  # the mistake's message from exercise.toml
        assert not app.screen.query_one("#solution", Markdown).display
        assert answers(ws_root)["derivatives"]["sigmoid_prime"] == "sigmoid(x)*(1 + sigmoid(x))"
        progress = ProgressStore.for_workspace(ws_root).get(SIGMOID)
        assert progress.attempted and not progress.had_full_marks


async def test_unreadable_answer_points_at_the_column_and_is_not_recorded(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        await type_answer(pilot, "x + * 2")
        preview = app.screen.query_one("#preview-answer", Static)
        assert preview.has_class("-error")
        assert "column 5" in text_of(preview) and "^" in text_of(preview)
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app.screen.query_one(ResultPanel)).startswith("Could not read that")
        assert answers(ws_root)["derivatives"]["sigmoid_prime"] == ""
        assert ProgressStore.for_workspace(ws_root).get(SIGMOID).attempts == 0


async def test_empty_submit_only_warns(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        await pilot.press("enter")
        await settle(pilot)
        assert not app.screen.query_one(ResultPanel).display
        assert ProgressStore.for_workspace(ws_root).get(SIGMOID).attempts == 0


async def test_multipart_grades_each_part(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, MULTI)
        screen = app.screen
        for name, text in (("z", "5"), ("a", "0.9933"), ("dz", "0.00669")):
            screen.query_one(f"#input-{name}", Input).focus()
            await type_answer(pilot, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Correct (1/1)" in text_of(screen.query_one("#feedback-z", Static))
        assert "Correct (1/1)" in text_of(screen.query_one("#feedback-a", Static))
        assert "Not yet (0/1)" in text_of(screen.query_one("#feedback-dz", Static))
        result = screen.query_one(ResultPanel)
        assert result.has_class("-failed") and "2/4" in text_of(result)
        stored = answers(ws_root)["backprop"]["logistic_worked_example"]
        assert stored["z"] == "5" and stored["dz"] == "0.00669"
        # Fix dz, choose the direction with the radio set, resubmit: full marks.
        field = screen.query_one("#input-dz", Input)
        field.value = "-0.00669"
        order = app.tutor.choice_order(screen.exercise, screen.exercise.part("sign"))
        position = order.index(0)  # option 0 ("w1 increases") is the right one
        screen.query_one(f"#option-sign-{position}", RadioButton).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert result.has_class("-passed") and "4/4" in text_of(result)
        stored = answers(ws_root)["backprop"]["logistic_worked_example"]
        assert stored["sign"] == "abc"[position]
        progress = ProgressStore.for_workspace(ws_root).get(MULTI)
        assert progress.had_full_marks and progress.max_score == 4
        assert app.tutor.status(screen.exercise).done


async def test_choice_with_checkboxes_in_display_order(make_app, ws_root, tui_bank):
    exercise = tui_bank.get(CHOICE)
    order = make_app().tutor.choice_order(exercise, exercise.parts[0])
    right = sorted(order.index(i) for i in exercise.parts[0].correct)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, CHOICE)
        screen = app.screen
        boxes = list(screen.query(Checkbox))
        assert [str(b.label)[0] for b in boxes] == list("abcd")
        assert str(boxes[0].label)[4:] == exercise.parts[0].options[order[0]]
        boxes[right[0]].focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one(ResultPanel).has_class("-failed")
        boxes[right[1]].focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(screen.query_one(ResultPanel)).startswith("Correct (1/1)")
        letters = ", ".join("abcd"[p] for p in right)
        assert answers(ws_root)["derivatives"]["activation_choice"] == letters


async def test_hints_are_revealed_one_at_a_time_and_kept(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        hints = app.screen.query_one(HintsPanel)
        assert not hints.display
        await pilot.press("h")  # typed into the answer box, not a command
        assert app.screen.query_one("#input-answer", Input).value == "h"
        await pilot.press("escape", "h")
        assert hints.display and hints.shown == 1
        assert "Hint 1/2" in text_of(hints) and "Hint 2/2" not in text_of(hints)
        await pilot.press("h", "h")
        assert hints.shown == 2 and "last hint" in text_of(hints)
    assert ProgressStore.for_workspace(ws_root).get(SIGMOID).hints_shown == 2
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        assert again.screen.query_one(HintsPanel).shown == 2


async def test_give_up_asks_first_then_shows_the_solution(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        screen = app.screen
        await pilot.press("escape", "g")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is screen and not screen.solution_shown
        assert not ProgressStore.for_workspace(ws_root).get(SIGMOID).gave_up
        await pilot.press("g")
        await pilot.press("y")
        await settle(pilot)
        assert screen.solution_shown and screen.query_one("#solution", Markdown).display
        assert ProgressStore.for_workspace(ws_root).get(SIGMOID).gave_up
        await pilot.press("escape")
        await settle(pilot)
        listing = app.screen.query_one("#exercises")
        row = listing.get_option(SIGMOID)
        assert "✗" in str(row.prompt)


async def test_progress_and_answers_survive_a_restart(make_app, ws_root):
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        await type_answer(pilot, "exp(-x)/(1+exp(-x))^2")
        await pilot.press("enter")
        await settle(pilot)
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        catalogue = second.screen
        assert "✓" in str(catalogue.query_one("#exercises").get_option(SIGMOID).prompt)
        assert "derivatives  " in str(catalogue.query_one("#topics").get_option("derivatives")
                                      .prompt) and "1/3" in str(
            catalogue.query_one("#topics").get_option("derivatives").prompt)
        await pilot.press("c")  # continue where I left off
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, ExerciseScreen) and screen.exercise.id == SIGMOID
        assert screen.query_one("#input-answer", Input).value == "exp(-x)/(1+exp(-x))^2"
        assert screen.solution_shown
