"""SVG snapshots of the main screens at 80×24 and 120×40 (pytest-textual-snapshot; update
with --snapshot-update): catalogue, a math exercise, a code exercise with a result, a
derivation and multiple choice; plus a parse error and a multipart result at 100×40.

Deterministic by construction: the frozen test bank, a workspace at a fixed path with a fixed
student id, no clock in the header, cursors kept still, every worker finished.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from modl_tutor.tui.app import ModlApp
from modl_tutor.tui.widgets.result_panel import ResultPanel

from .conftest import code_result, seed_state, settle

SIZE = (100, 40)
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


async def _still(pilot: Pilot) -> None:
    await settle(pilot)
    for box in [*pilot.app.screen.query(Input), *pilot.app.screen.query(TextArea)]:
        box.cursor_blink = False
    await pilot.pause()


def _answer(exercise_id: str, typed: dict[str, str], submit: bool):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.open_exercise(exercise_id)  # type: ignore[attr-defined]
        await settle(pilot)
        for box in [*pilot.app.screen.query(Input), *pilot.app.screen.query(TextArea)]:
            box.cursor_blink = False  # a steady cursor from the first key on
        for name, text in typed.items():  # as typed, at once (typing is tested elsewhere)
            box = pilot.app.screen.query_one(f"#input-{name}")
            box.focus()
            box.insert(text) if isinstance(box, TextArea) else box.insert_text_at_cursor(text)
        await settle(pilot, delay=0.45)  # the debounced live preview and marks
        if submit:
            await pilot.press("ctrl+s")
        await _still(pilot)

    return run_before


async def _code_result(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.open_exercise("losses/softmax")  # type: ignore[attr-defined]
    await settle(pilot)
    pilot.app.screen.query_one("#code").display = False  # its path is the machine's
    panel = pilot.app.screen.query_one(ResultPanel)
    panel.show_code(code_result())
    panel.reveal()
    await settle(pilot, delay=0.2)
    await _still(pilot)


@pytest.mark.parametrize("size", list(SIZES))
class TestMainScreens:
    def test_catalogue(self, snap_compare, fixed_root, tui_bank, size) -> None:
        seed_state(fixed_root, tui_bank, choice=True, softmax=True,
                   give_up="backprop/logistic_worked_example")
        app = ModlApp(fixed_root, bank=tui_bank)
        assert snap_compare(app, press=["down"], terminal_size=SIZES[size], run_before=_still)

    def test_math_exercise(self, snap_compare, fixed_root, tui_bank, size) -> None:
        """A known mistake: the preview, the result hanging under its text, the plot."""
        app = ModlApp(fixed_root, bank=tui_bank)
        run_before = _answer("derivatives/sigmoid_prime", {"answer": "sigmoid(x)"}, True)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)

    def test_code_exercise_with_result(self, snap_compare, fixed_root, tui_bank, size) -> None:
        """Points 1.33/4, wrapped feedback indented, NumPy rows whole (a wide one scrolls)."""
        app = ModlApp(fixed_root, bank=tui_bank)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=_code_result)

    def test_derivation(self, snap_compare, fixed_root, tui_bank, size) -> None:
        """A broken middle line: ✗ on line 2 with the slip named, live and after submitting."""
        app = ModlApp(fixed_root, bank=tui_bank)
        run_before = _answer("derivatives/sigmoid_prime_steps",
                             {"answer": "exp(-x)/u^2\n-exp(-x)/u^2\n-sigmoid(x)*(1-sigmoid(x))"},
                             True)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)

    def test_multiple_choice(self, snap_compare, fixed_root, tui_bank, size) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            pilot.app.open_exercise("derivatives/activation_choice")  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press("space", "down", "enter")  # tick the first, submit
            await _still(pilot)

        assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


class TestSnapshots:
    def test_parse_error_points_at_column(self, snap_compare, fixed_root, tui_bank) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)
        run_before = _answer("derivatives/sigmoid_prime", {"answer": "sigmoid(x))"},
                             submit=False)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_multipart_result(self, snap_compare, fixed_root, tui_bank) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)
        run_before = _answer("backprop/logistic_worked_example",
                             {"z": "5", "a": "0.9933", "dz": "0.00669"}, submit=True)
        assert snap_compare(app, press=["escape"], terminal_size=SIZE, run_before=run_before)
