"""SVG snapshots of the main screens (pytest-textual-snapshot; update with --snapshot-update).

Deterministic by construction: the frozen test bank, a workspace at a fixed path with a fixed
student id, no clock in the header, the input cursor kept still, every worker finished.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from modl_tutor.tui.app import ModlApp

from .conftest import seed_state, settle

SIZE = (100, 40)


async def _still(pilot: Pilot) -> None:
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def _answer(exercise_id: str, typed: dict[str, str], submit: bool):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.open_exercise(exercise_id)  # type: ignore[attr-defined]
        await settle(pilot)
        for name, text in typed.items():
            pilot.app.screen.query_one(f"#input-{name}", Input).focus()
            await pilot.press(*text)
            await settle(pilot, delay=0.4)
        if submit:
            await pilot.press("ctrl+s")
        await _still(pilot)

    return run_before


class TestSnapshots:
    def test_catalogue(self, snap_compare, fixed_root, tui_bank) -> None:
        seed_state(fixed_root, tui_bank, choice=True, softmax=True,
                   give_up="backprop/logistic_worked_example")
        app = ModlApp(fixed_root, bank=tui_bank)
        assert snap_compare(app, press=["down"], terminal_size=SIZE, run_before=_still)

    def test_math_exercise_with_preview(self, snap_compare, fixed_root, tui_bank) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)
        run_before = _answer("derivatives/sigmoid_prime",
                             {"answer": "exp(-x)/(1+exp(-x))^2"}, submit=False)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_parse_error_points_at_column(self, snap_compare, fixed_root, tui_bank) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)
        run_before = _answer("derivatives/sigmoid_prime", {"answer": "sigmoid(x))"},
                             submit=False)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_result_with_mistake_feedback(self, snap_compare, fixed_root, tui_bank) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)
        run_before = _answer("derivatives/sigmoid_prime", {"answer": "sigmoid(x)"}, submit=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_multipart_result(self, snap_compare, fixed_root, tui_bank) -> None:
        app = ModlApp(fixed_root, bank=tui_bank)
        run_before = _answer("backprop/logistic_worked_example",
                             {"z": "5", "a": "0.9933", "dz": "0.00669"}, submit=True)
        assert snap_compare(app, press=["escape"], terminal_size=SIZE, run_before=run_before)
