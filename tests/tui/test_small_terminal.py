"""Pilot tests of the app in an 80×24 terminal: keys of the choices, catalogue, results."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import (Button, Checkbox, Input, Label, Markdown, OptionList,
                             RadioButton, RadioSet, Static)
from textual.widgets.markdown import MarkdownFence

from modl_tutor.reports.terminal import points
from modl_tutor.result import CheckResult, ExerciseResult
from modl_tutor.tui.app import ModlApp
from modl_tutor.tui.screens.catalogue import CatalogueScreen
from modl_tutor.tui.screens.exercise import ExerciseScreen
from modl_tutor.tui.widgets.answer_field import AnswerField
from modl_tutor.tui.widgets.result_panel import ResultPanel
from modl_tutor.tutor import Tutor

from .conftest import open_exercise, seed_state, settle, type_answer

SMALL = (80, 24)
CHOICE = "derivatives/activation_choice"
MULTI = "backprop/logistic_worked_example"
SIGMOID = "derivatives/sigmoid_prime"
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


def _prompts(listing: OptionList) -> list[str]:
    return [str(o.prompt) for o in listing.options if not o.disabled]


async def test_catalogue_at_80_columns_shows_titles_and_points(make_app, tui_bank):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#exercises", OptionList)
        width = listing.scrollable_content_region.width
        for exercise, prompt in zip(tui_bank, _prompts(listing), strict=True):
            shown = prompt[:width - 1]  # what fits before the ellipsis
            assert f"{exercise.points:g} pt" in shown
            assert exercise.title[:15] in shown
        await pilot.resize_terminal(120, 40)  # wide again: slug and kind come back
        await settle(pilot)
        first = next(iter(tui_bank))
        assert first.slug in _prompts(listing)[0] and first.kind in _prompts(listing)[0]


async def test_continue_button_names_a_long_exercise_in_full(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_exercise(pilot, MULTI)
        await pilot.press("escape", "escape")
        await settle(pilot)
        button = app.screen.query_one("#continue", Button)
        lines = str(button.label).splitlines()
        assert "logistic_worked_example" in lines[-1]
        assert max(len(line) for line in lines) <= button.content_region.width


async def test_no_match_says_the_topic_filter_is_active(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#exercises", OptionList)
        await pilot.press("slash", *"zzz")
        assert str(listing.options[0].prompt).strip() == "no exercise matches"
        await pilot.press("escape", "t", "down", "slash", *"zzz")  # in 'derivatives'
        prompt = str(listing.options[0].prompt)
        assert "no exercise matches" in prompt and "in topic derivatives" in prompt


async def test_one_enter_in_the_search_box_opens_the_match(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sigmoid", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.exercise.id == "derivatives/sigmoid_prime"
        await pilot.press("escape", "escape")
        await settle(pilot)
        listing = app.screen.query_one("#exercises", OptionList)
        assert app.focused is listing  # back from it, q quits (not typed into the search)
        await pilot.press("escape")  # clears the search
        await pilot.press("slash", *"zzz", "enter")  # nothing to open: the list takes focus
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        assert app.focused is app.screen.query_one("#exercises", OptionList)


async def _still(pilot: Pilot) -> None:
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


class TestSnapshots80x24:
    """The catalogue, a code result with points 1.33/4... are in test_snapshots.py."""

    def test_catalogue_no_match_in_topic_80x24(self, snap_compare, fixed_root,
                                               tui_bank) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)
        assert snap_compare(app, press=["t", "down", "slash", *"zzz"], terminal_size=SMALL,
                            run_before=_still)

    def test_solution_formulas_wrap_80x24(self, snap_compare, fixed_root, tui_bank) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)

        async def run_before(pilot: Pilot) -> None:
            solution = await _give_up_sigmoid(pilot)
            solution.query(MarkdownFence).last().scroll_visible(animate=False)
            await _still(pilot)

        assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("variables, names, example", [
    (("z", "y"), "z, y", "2*z + exp(-y)"),
    (("mu", "s", "eps"), "mu, s, eps", "2*mu + exp(-eps)"),
    ((), "x", "2*x + exp(-x)"),
])
async def test_placeholder_names_the_exercises_own_variables(tui_bank, variables, names,
                                                             example):
    part = replace(tui_bank.get("derivatives/sigmoid_prime").parts[0], variables=variables)

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield AnswerField(part)

    app = One()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        box = app.query_one(Input)
        assert box.placeholder == f"an expression in {names}, e.g. {example}"
        assert len(box.placeholder) <= box.content_region.width  # not cut at 80 columns
        if variables:
            assert "x" not in box.placeholder.replace("exp", "").replace("expression", "")


async def test_answer_loaded_from_answers_toml_previews_like_a_typed_one(make_app, ws_root,
                                                                         tui_bank):
    seed_state(ws_root, tui_bank, sigmoid=True)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_exercise(pilot, "derivatives/sigmoid_prime")
        await settle(pilot, delay=0.4)
        preview = app.screen.query_one("#preview-answer", Static)
        loaded = str(preview.render())
        assert preview.display and "σ(x)" in loaded and "sigmoid" not in loaded
        box = app.screen.query_one("#input-answer", Input)
        typed = box.value
        box.value = ""
        box.focus()
        await type_answer(pilot, typed)
        assert str(preview.render()) == loaded


@pytest.mark.parametrize("score, max_score, shown", [
    (4 / 3, 4 / 3, "1.33/1.33"), (0, 4 / 3, "0/1.33"), (1, 4 / 3, "1/1.33"),
    (1.3299, 4 / 3, "1.32/1.33"),  # short of full marks never reads as full marks
    (0.99999, 1, "0.99/1"), (2, 4, "2/4"), (0.5, 2, "0.5/2"),
])
def test_points_read_as_a_student_reads_them(score, max_score, shown):
    assert points(score, max_score) == shown


SOFTMAX = "losses/softmax"
THIRD = 4 / 3


def _thirds_result() -> ExerciseResult:
    checks = (CheckResult("shape", True, THIRD, THIRD),
              CheckResult("sums to one", False, 0.0, THIRD, "the rows sum to 2"),
              CheckResult("large logits", False, 0.0, THIRD, "overflow for z = 1000"))
    return ExerciseResult(SOFTMAX, THIRD, 4, "failed", checks)


async def test_results_panel_prints_points_with_two_decimals(make_app, ws_root, tui_bank):
    tutor = Tutor.open(ws_root, tui_bank)
    code = tui_bank.get(SOFTMAX)
    tutor.record_code_result(code, _thirds_result(), tutor.code_fingerprint(code))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_exercise(pilot, SOFTMAX)
        screen = app.screen
        panel = screen.query_one(ResultPanel)
        assert "earns 1.33/4" in panel.text
        assert "grade now 1.33/4" in str(screen.query_one("#meta", Static).render())
        panel.show_code(_thirds_result())
        await pilot.pause()
        shown = panel.text
        assert "1.33/4" in shown and "1.33/1.33" in shown and "0/1.33" in shown
        assert "1.333" not in shown


async def test_reference_solution_has_no_solution_markers(make_app, ws_root):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_exercise(pilot, SOFTMAX)
        await pilot.press("g", "y")
        await settle(pilot)
        source = app.screen.query_one("#solution", Markdown).source
        assert "np.max(z, axis=axis, keepdims=True)" in source
        assert "BEGIN SOLUTION" not in source and "END SOLUTION" not in source


async def _give_up_sigmoid(pilot: Pilot) -> Markdown:
    await settle(pilot)
    pilot.app.open_exercise(SIGMOID)  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("escape", "g", "y")
    await settle(pilot)
    solution = pilot.app.screen.query_one("#solution", Markdown)
    solution.scroll_visible(animate=False, top=True)
    await settle(pilot)
    return solution


async def test_solution_display_formulas_wrap_never_cut(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        solution = await _give_up_sigmoid(pilot)
        fences = list(solution.query(MarkdownFence))
        assert fences
        long_line = ("e^(−x) / (1 + e^(−x))² = 1/(1 + e^(−x)) · e^(−x)/(1 + e^(−x)) = σ(x) · "
                     "(1 − σ(x))")
        assert any(long_line in fence.code for fence in fences)
        for fence in fences:
            label = fence.query_one(Label)
            assert fence.virtual_size.width <= fence.size.width  # nothing past the edge
            assert label.region.right <= solution.content_region.right
        wrapped = next(f for f in fences if long_line in f.code).query_one(Label)
        assert wrapped.size.height >= 2  # the long formula takes two lines or more
