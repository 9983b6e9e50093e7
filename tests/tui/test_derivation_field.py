"""Pilot tests of the derivation editor: live ✓/✗ per line, the first broken line highlighted."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static, TextArea

from modl_tutor.bank.models import Part
from modl_tutor.tui.widgets.derivation_field import DerivationField, marks_text

from .conftest import settle

pytestmark = pytest.mark.anyio

PART = Part(name="answer", type="derivation", points=2.0,
            expected="sigmoid(x)*(1 - sigmoid(x))", variables=("x",),
            intermediates=(("u", "1 + exp(-x)"),), steps=("exp(-x)/u^2",))


class _Host(App[None]):
    def __init__(self, value: str = "") -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        yield DerivationField(PART, self.value)


def _marks(app: App[None]) -> str:
    return str(app.query_one(".derivation-marks", Static).render())


async def test_typed_broken_middle_line_is_flagged_live() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(TextArea).focus()
        await pilot.press(*"exp(-x)/u^2", "enter", *"-exp(-x)/u^2", "enter",
                          *"-sigmoid(x)*(1-sigmoid(x))")
        await settle(pilot, delay=0.5)
        field = app.query_one(DerivationField)
        assert field.last is not None and field.last.first_broken == 2
        shown = _marks(app)
        assert "✓  1" in shown and "✗  2" in shown and "sign" in shown
        text = marks_text(field.value.split("\n"), field.last)
        highlighted = [text.plain[s.start:s.end] for s in text.spans if "reverse" in str(s.style)]
        assert highlighted == ["-exp(-x)/u^2"]


async def test_unusual_correct_route_is_all_ticks() -> None:
    route = "(1 - tanh(x/2)^2)/4\nsigmoid(x) - sigmoid(x)^2"
    app = _Host(route)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, delay=0.1)
        shown = _marks(app)
        assert "✓  1" in shown and "✓  2" in shown and "✗" not in shown
        assert app.query_one(DerivationField).last.status == "correct"


async def test_exercise_screen_submits_a_derivation(make_app, ws_root) -> None:
    import tomllib

    from modl_tutor.tui.widgets.result_panel import ResultPanel

    from .conftest import open_exercise

    app = make_app()  # the frozen test bank holds a copy of derivatives/sigmoid_prime_steps
    async with app.run_test(size=(80, 24)) as pilot:
        await open_exercise(pilot, "derivatives/sigmoid_prime_steps")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"exp(-x)/u^2", "enter", *"-exp(-x)/u^2")
        await settle(pilot, delay=0.5)
        await pilot.press("ctrl+s")
        await settle(pilot, delay=0.2)
        result = app.screen.query_one(ResultPanel)
        shown = result.text
        assert result.has_class("-failed") and "line 2" in shown and "sign" in shown
    saved = tomllib.loads((ws_root / "answers.toml").read_text(encoding="utf-8"))
    assert saved["derivatives"]["sigmoid_prime_steps"] == ["exp(-x)/u^2", "-exp(-x)/u^2"]
