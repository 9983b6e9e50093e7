"""The Textual app behind `modl`: a catalogue of exercises and one screen per exercise."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from modl_tutor.bank.loader import Bank
from modl_tutor.errors import ModlError
from modl_tutor.tui.screens.catalogue import CatalogueScreen
from modl_tutor.tutor import Tutor

HERE = Path(__file__).resolve().parent
SCREENS_CSS = HERE / "screens.tcss"
"""The exercise screens' and dialogs' rules: parsed after the catalogue's first frame."""


_gc_paused = False


def pause_gc_until_first_paint() -> None:
    """No cyclic GC passes while the bank loads and the first screen is built (they cost
    ~60 ms of the first paint); the app resumes them once painted (or when it stops)."""
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc() -> None:
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.enable()


class ModlApp(App[None]):
    """modl-tutor: pick an exercise, answer it, get feedback; progress is saved as you go."""

    CSS_PATH = "app.tcss"
    TITLE = "modl-tutor"
    SUB_TITLE = "Mathematics of Deep Learning"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("f1", "help", "Help", show=False),
    ]

    def __init__(self, workspace_root: Path, *, bank: Bank | None = None) -> None:
        super().__init__()
        self.tutor = Tutor.open(Path(workspace_root), bank)
        self._math_warm = False

    def on_mount(self) -> None:
        self.push_screen(CatalogueScreen())
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        # What is loaded now (bank, textual, the catalogue) lives as long as the app: out of
        # the cyclic collector's way (its full passes over it cost ~100 ms per opened exercise).
        gc.freeze()
        resume_gc()
        self.load_screens_css()
        self._prepare_exercise_screen()

    def load_screens_css(self) -> None:
        """Add the rules of the other screens (none matches a catalogue widget, so nothing is
        restyled); idempotent, and done before any of those screens shows."""
        if not self.stylesheet.has_source(str(SCREENS_CSS)):
            self.stylesheet.read(SCREENS_CSS)
            self.stylesheet.parse()

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(screen, CatalogueScreen):
            self.load_screens_css()
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        if not isinstance(screen, CatalogueScreen):
            self.load_screens_css()
        return super().switch_screen(screen)

    @work(thread=True, group="warm-up")
    def _prepare_exercise_screen(self) -> None:
        """Import the exercise screen while the student reads the catalogue (the first open
        paid ~50 ms for it, the first plot as much for plotext) and hash the grading code for
        the first code exercise's status; the math engine waits for a math exercise
        (warm_up_math)."""
        import modl_tutor.tui.screens.exercise  # noqa: F401
        import modl_tutor.tui.widgets.plot_panel  # noqa: F401

        self.tutor.warm_up_code_status()

    def on_unmount(self) -> None:
        gc.unfreeze()  # another app in this process (tests, modl serve) starts afresh
        resume_gc()
        self.tutor.close()

    # -- navigation ------------------------------------------------------------------------
    def open_exercise(self, exercise_id: str, *, replace: bool = False) -> None:
        """Show one exercise (on top of the catalogue, or instead of the current exercise)."""
        from modl_tutor.tui.screens.exercise import ExerciseScreen

        try:
            exercise = self.tutor.bank.get(exercise_id)
        except ModlError as err:
            self.notify(str(err), severity="error")
            return
        screen = ExerciseScreen(exercise)
        if replace and isinstance(self.screen, ExerciseScreen):
            self.switch_screen(screen)
        else:
            while isinstance(self.screen, ExerciseScreen) or self.screen.is_modal:
                self.pop_screen()
            self.push_screen(screen)

    def action_catalogue(self) -> None:
        while not isinstance(self.screen, CatalogueScreen) and len(self.screen_stack) > 2:
            self.pop_screen()

    def action_continue(self) -> None:
        last = self.tutor.last_exercise()
        if last is None:
            self.notify("Nothing to continue yet: pick an exercise.", severity="warning")
            return
        self.open_exercise(last.id)

    def action_help(self) -> None:
        from modl_tutor.tui.screens.modals import HelpScreen, help_text

        if isinstance(self.screen, HelpScreen):
            return
        name = getattr(self.screen, "HELP_FILE", "catalogue.md")
        self.push_screen(HelpScreen(help_text(name)))

    # -- background work -------------------------------------------------------------------
    def warm_up_math(self) -> None:
        """Import the math engine in a thread so the first preview is quick."""
        if not self._math_warm:
            self._math_warm = True
            self._warm_up()

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        self.tutor.warm_up()
        gc.freeze()  # the math engine, too, stays for the session

    # -- command palette -------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from modl_tutor.tui.screens.exercise import ExerciseScreen

        yield from super().get_system_commands(screen)
        yield SystemCommand("Catalogue", "Back to the list of exercises", self.action_catalogue)
        yield SystemCommand("Continue where I left off", "Open the last exercise you worked on",
                            self.action_continue)
        yield SystemCommand("Help", "Keys and how this screen works", self.action_help)
        if isinstance(screen, ExerciseScreen):
            commands = [("Hint", "Reveal the next hint", screen.action_hint),
                        ("Give up", "Show the worked solution (asks first)", screen.action_give_up),
                        ("Next exercise", "Go to the next exercise",
                         partial(screen.action_step, 1)),
                        ("Previous exercise", "Go to the previous exercise",
                         partial(screen.action_step, -1))]
            if screen.exercise.is_code:
                commands += [("Grade my code", "Run the checks on your file now",
                              screen.action_grade),
                             ("Edit my code", "Open your file in $EDITOR", screen.action_edit)]
            else:
                commands.append(("Submit", "Check your answers", screen.action_submit))
            if screen.exercise.plot is not None:
                commands.append(("Toggle plot", "Show or hide the plot", screen.action_toggle_plot))
            for title, help_, callback in commands:
                yield SystemCommand(title, help_, callback)
        for exercise in self.tutor.bank:
            yield SystemCommand(f"Open {exercise.id}", exercise.title,
                                partial(self.open_exercise, exercise.id), discover=False)


def run_app(workspace_root: Path) -> None:
    """Run the app on a workspace; a broken workspace or bank is a one-line error (exit 2)."""
    pause_gc_until_first_paint()
    try:
        app = ModlApp(Path(workspace_root))
    except ModlError as err:
        resume_gc()
        print(f"modl: error: {err}", file=sys.stderr)
        sys.exit(2)
    try:
        app.run()
    finally:
        app.tutor.close()
