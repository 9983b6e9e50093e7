"""What the first paint and an exercise's first frame leave for later is still done, in order:
the other screens' rules, the plot's numbers, the math warm-up."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Button

from modl_tutor.tui.app import SCREENS_CSS, ModlApp
from modl_tutor.tui.screens.exercise import ExerciseScreen
from modl_tutor.tui.widgets.continue_button import ContinueButton
from modl_tutor.tui.widgets.plot_panel import PlotPanel
from modl_tutor.tui.widgets.prompt_view import PromptView

from .conftest import SIZE, seed_state, settle

pytestmark = pytest.mark.anyio


def _has_screens_css(app: ModlApp) -> bool:
    return app.stylesheet.has_source(str(SCREENS_CSS))


async def test_screens_css_comes_after_the_first_paint_and_restyles_nothing(
        make_app, ws_root, tui_bank):
    seed_state(ws_root, tui_bank, softmax=True)  # the continue button shows
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _has_screens_css(app)
        painted = app.export_screenshot()
        # restyling the catalogue with every rule loaded changes nothing: no rule of
        # screens.tcss may match a catalogue widget (they are never applied to one)
        app.stylesheet.update(app.screen)
        await pilot.pause()
        assert app.export_screenshot() == painted
        app.load_screens_css()  # idempotent
        assert list(app.stylesheet.source).count((str(SCREENS_CSS), "")) == 1


async def test_an_exercise_opened_before_the_first_paint_is_styled(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_exercise("derivatives/sigmoid_prime")  # no pause: nothing painted yet
        assert _has_screens_css(app)
        await settle(pilot)
        body = app.screen.query_one("#exercise-body")
        assert isinstance(app.screen, ExerciseScreen)
        assert (body.styles.padding.left, body.styles.padding.right) == (2, 2)


async def test_the_plot_and_warm_up_start_once_the_prompt_is_shown(make_app, monkeypatch):
    seen: list[tuple[str, bool]] = []
    start, warm_up = PlotPanel.start, ModlApp.warm_up_math

    def prompt_shown(widget) -> bool:  # type: ignore[no-untyped-def]
        return widget.screen.query_one(PromptView).shown

    def started(panel: PlotPanel) -> None:
        seen.append(("plot", prompt_shown(panel)))
        start(panel)

    def warmed(app: ModlApp) -> None:
        seen.append(("warm-up", app.screen.query_one(PromptView).shown))
        warm_up(app)

    monkeypatch.setattr(PlotPanel, "start", started)
    monkeypatch.setattr(ModlApp, "warm_up_math", warmed)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_exercise("derivatives/sigmoid_prime")
        await settle(pilot)
        plot = app.screen.query_one(PlotPanel)
        assert seen == [("plot", True), ("warm-up", True)]
        assert plot.started and plot.data is not None and plot.data.series


async def test_the_last_exercise_is_recorded_after_the_frame_or_on_close(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_exercise("derivatives/sigmoid_prime")
        await settle(pilot)
        assert app.tutor.last_exercise().id == "derivatives/sigmoid_prime"
        app.open_exercise("losses/softmax", replace=True)
        await pilot.pause()
        app.pop_screen()  # at once: closed before (or right at) its first frame
        await settle(pilot)
        assert app.tutor.last_exercise().id == "losses/softmax"


class _Prompts(App[None]):
    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown
        self.shown: list[PromptView] = []

    def compose(self) -> ComposeResult:
        yield PromptView(self.markdown)

    def on_prompt_view_shown(self, event: PromptView.Shown) -> None:
        self.shown.append(event.control)  # type: ignore[arg-type]


@pytest.mark.parametrize("markdown", ["Some *text*, $$x^2$$ and more text.", "$$x^2$$", ""])
async def test_a_prompt_says_once_when_all_its_blocks_are_mounted(markdown):
    app = _Prompts(markdown)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause()
            if app.shown:
                break
        prompt = app.query_one(PromptView)
        assert prompt.shown and len(app.shown) == 1
        assert all(md.children for md in prompt.query(".prompt-md"))


async def test_a_plot_panel_started_later_computes_then(make_app, tui_bank):
    spec = tui_bank.get("derivatives/sigmoid_prime").plot

    class _Plot(App[None]):
        def compose(self) -> ComposeResult:
            yield PlotPanel(spec, start=False)

    app = _Plot()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(PlotPanel)
        panel.reveal()  # before the start: only the flag
        await settle(pilot)
        assert panel.data is None and not panel.started
        panel.start()
        await settle(pilot)
        assert panel.started and panel.data is not None and len(panel.data.series) > 1


class _Buttons(App[None]):
    CSS = "Button, ContinueButton { width: 24; }"
    AUTO_FOCUS = ""
    pressed: ClassVar[list[Button]] = []

    def compose(self) -> ComposeResult:
        yield Button("▶ Continue: x", variant="primary", id="plain")
        yield ContinueButton("▶ Continue: x", id="light")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.pressed.append(event.button)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
async def test_the_continue_button_looks_and_acts_as_a_primary_button(theme):
    app = _Buttons(ansi_color=theme.startswith("ansi"))  # the :ansi rules too
    async with app.run_test(size=(40, 8)) as pilot:
        app.theme = theme
        await pilot.pause()
        plain, light = app.query_one("#plain", Button), app.query_one("#light", Button)
        assert light.region.size == plain.region.size
        crop = Region(0, 0, *plain.region.size)
        assert light.render_lines(crop) == plain.render_lines(crop)  # neither focused
        looks = []
        for button in (light, plain):
            button.focus()
            await pilot.pause()
            looks.append(button.render_lines(crop))
        assert looks[0] == looks[1]  # each focused
        app.pressed = []
        await pilot.click("#light")
        await pilot.pause()
        assert app.pressed == [light]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_list_rows_are_the_content_textual_would_make(make_app, tui_bank, theme):
    from rich.text import Text
    from textual.content import Content

    from modl_tutor.progress.status import STATES, ExerciseStatus
    from modl_tutor.tui.screens.catalogue import Prompts, exercise_prompt, topic_prompt

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await settle(pilot)
        convert = Prompts(app)
        rows = [Text("LOSSES", style="bold magenta"), Text("plain"), Text()]
        for state in STATES:
            for exercise in tui_bank:
                status = ExerciseStatus(exercise.id, state, exercise.points,
                                        gave_up=state == "done")
                rows += [exercise_prompt(exercise, status),
                         exercise_prompt(exercise, status, compact=True)]
        rows += [topic_prompt(row) for row in app.tutor.topics()]
        for row in rows:
            ours, textuals = convert(row), Content.from_rich_text(row)
            assert (ours.plain, list(ours.spans)) == (textuals.plain, list(textuals.spans))
