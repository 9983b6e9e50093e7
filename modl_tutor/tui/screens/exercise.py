"""One exercise: prompt, plot, answer inputs or the code file, result, hints and solution."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (Checkbox, Header, Input, Markdown, RadioSet, Static,
                             TextArea)

from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError
from modl_tutor.log import logger
from modl_tutor.progress.status import ExerciseStatus
from modl_tutor.reports.terminal import points
from modl_tutor.tutor import Submission, chosen_positions
from modl_tutor.tui.screens.code_actions import CodeActions
from modl_tutor.tui.widgets.answer_field import AnswerField
from modl_tutor.tui.widgets.choice_field import ChoiceField
from modl_tutor.tui.widgets.derivation_field import DerivationField
from modl_tutor.tui.widgets.code_panel import CodePanel
from modl_tutor.tui.widgets.hints_panel import HintsPanel
from modl_tutor.tui.widgets.key_bar import KeyBar
from modl_tutor.tui.widgets.prompt_view import PromptView
from modl_tutor.tui.widgets.result_panel import ResultPanel

if TYPE_CHECKING:
    from modl_tutor.tui.app import ModlApp

CODE_ONLY = {"edit", "grade"}


class ExerciseScreen(CodeActions, Screen[None]):
    """Answer one exercise; everything submitted is saved before the result is shown."""

    HELP_FILE = "exercise.md"
    AUTO_FOCUS = ""  # on_mount focuses: the first answer box, or the body after the first frame
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("r", "grade", "Grade"),
        Binding("e", "edit", "Edit in $EDITOR"),
        Binding("h", "hint", "Hint"),
        Binding("g", "give_up", "Give up"),
        Binding("p", "toggle_plot", "Plot"),
        Binding("n", "step(1)", "Next"),
        Binding("b", "step(-1)", "Previous"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise
        self.started = time.monotonic()
        self.solution_shown = False
        self._stop_watch: asyncio.Event | None = None
        self._graded_mtime: int | None = None
        self._resumed_before = False
        self._opened_status: ExerciseStatus | None = None
        self._prompt_shown = asyncio.Event()
        self._opened_recorded = False

    @property
    def modl(self) -> ModlApp:
        return self.app  # type: ignore[return-value]

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        tutor = self.modl.tutor
        shown = tutor.for_student(self.exercise)
        status = self._opened_status = self.status()  # read once per open (answers.toml)
        yield Header()
        with Horizontal(id="exercise-main"):
            yield from self.body(shown, tutor.hints_shown(self.exercise))
            if self.exercise.plot is not None:
                with Vertical(id="aside"):
                    yield self.plot_panel(status.done or status.gave_up)
        yield KeyBar()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Pushed: its widgets were styled as they mounted; Textual's own handler (called after
        # this one, from the MRO) restyles the whole screen on every resume: a quarter of the
        # styling work of an open. Coming back from a dialog or the palette: as usual.
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False

    def status(self) -> ExerciseStatus:
        """The status of this exercise (its grade now), from the tutor service."""
        try:
            return self.modl.tutor.status(self.exercise)
        except ModlError:  # a broken answers.toml: reported where the answers are loaded
            return ExerciseStatus(self.exercise.id, "new", self.exercise.points)

    def plot_panel(self, revealed: bool) -> Any:
        """The plot; its answer curves are revealed once the exercise is done or given up."""
        from modl_tutor.tui.widgets.plot_panel import PlotPanel

        assert self.exercise.plot is not None
        return PlotPanel(self.exercise.plot, revealed=revealed, start=False, id="plot")

    def reveal_plot(self) -> None:
        """Show the plot's answer curves (after full marks now, or after giving up)."""
        from modl_tutor.tui.widgets.plot_panel import PlotPanel

        for panel in self.query(PlotPanel):
            panel.reveal()

    def body(self, shown: Exercise, hints_shown: int) -> ComposeResult:
        tutor = self.modl.tutor
        with VerticalScroll(id="exercise-body"):
            yield Static(self.meta_text(self._opened_status), id="meta")
            yield PromptView(shown.prompt, id="prompt")
            if self.exercise.is_code:
                assert self.exercise.code is not None
                yield CodePanel(tutor.workspace.code_path(self.exercise),
                                self.exercise.code.function, id="code")
            else:
                with Vertical(id="answers"):
                    yield from self.answer_fields(shown)
                yield Static(Text.assemble(("enter", "bold"), " submit · ", ("esc", "bold"),
                                           " then ", ("h", "bold"), " hint, ", ("g", "bold"),
                                           " give up, ", ("?", "bold"), " help"),
                             id="submit-hint")
            yield ResultPanel(id="result")
            yield HintsPanel(self.exercise.hints, hints_shown, id="hints")
            yield Markdown("", id="solution")

    def answer_fields(self, shown: Exercise) -> ComposeResult:
        tutor = self.modl.tutor
        try:
            answers = tutor.workspace.load_answers()
        except ModlError as err:
            self.notify(str(err), severity="error", timeout=10)
            answers = {}
        for part in shown.parts:
            try:
                stored = tutor.workspace.answer(self.exercise, part.name, answers) or ""
            except ModlError:
                stored = ""
            if part.type == "choice":
                order = tutor.choice_order(self.exercise, part)
                yield ChoiceField(part, order, chosen_positions(stored, len(order)),
                                  multipart=self.exercise.is_multipart)
            elif part.type == "derivation":
                yield DerivationField(part, stored)
            else:
                yield AnswerField(part, stored, multipart=self.exercise.is_multipart)

    def meta_text(self, status: ExerciseStatus | None = None) -> Text:
        e = self.exercise
        status = status or self.status()
        mark, style = status.mark
        text = Text()
        text.append(f"{e.kind}", style="bold")
        text.append(f" · {e.points:g} pt · ")
        text.append("★" * e.difficulty + "☆" * (3 - e.difficulty), style="yellow")
        text.append(f" · {mark} {status.label}", style=style)
        if status.score is not None and status.state != "new":
            text.append(f" · grade now {points(status.score, status.max_score)}", style="dim")
        if status.history:
            text.append(f"\n{status.history[0].upper()}{status.history[1:]}.", style="yellow")
        return text

    def on_mount(self) -> None:
        self.title = "modl-tutor"
        self.sub_title = f"{self.exercise.id} — {self.exercise.title}"
        self.call_after_refresh(self._record_opened)  # a store write: not before the frame
        status = self._opened_status or self.status()
        self.query_one("#solution", Markdown).display = False
        if status.done or status.gave_up:
            self.show_solution()
        if self.exercise.is_code:
            # arrows scroll, single keys work; focusing restyles the whole body: after the
            # first frame, so that the exercise shows first
            self.call_after_refresh(self.query_one("#exercise-body").focus)
            if status.state == "changed":
                self.query_one(ResultPanel).show_note(
                    "Your file changed since it was last graded: save it or press r to grade "
                    "it.")
            elif status.score is not None and status.attempts:
                self.query_one(ResultPanel).show_note(
                    f"Your file as it is now earns {points(status.score, status.max_score)}. "
                    "Save it or press r to grade it again.")
            self.call_after_refresh(self.watch_file)  # after the first frame (imports)
        else:
            self.focus_first_field()
        self._after_prompt()

    @on(PromptView.Shown)
    def _on_prompt_shown(self) -> None:
        self._prompt_shown.set()

    @work(group="open")
    async def _after_prompt(self) -> None:
        """Once the prompt is painted whole, the plot's numbers and the math engine's warm-up
        (threads). Started with the screen, their imports (NumPy, the engine) took the GIL
        from the prompt's markdown: about half of a first open."""
        if not self.query_one(PromptView).shown:
            try:
                await asyncio.wait_for(self._prompt_shown.wait(), timeout=2.0)
            except TimeoutError:  # the plot must not wait for ever: say so, go on
                logger.warning("%s: the prompt was not shown within 2 s", self.exercise.id)
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()
        for panel in self.query("#plot"):
            panel.start()  # type: ignore[attr-defined]
        if not self.exercise.is_code:
            self.modl.warm_up_math()

    def _record_opened(self) -> None:
        if not self._opened_recorded:
            self._opened_recorded = True
            self.modl.tutor.opened(self.exercise)

    def on_unmount(self) -> None:
        self._record_opened()  # closed before its first frame: recorded all the same
        if self._stop_watch is not None:
            self._stop_watch.set()
        self.modl.tutor.add_time(self.exercise, time.monotonic() - self.started)

    def focus_first_field(self) -> None:
        field = self.query(".field").first()
        if isinstance(field, ChoiceField):
            field.focus_first()
        elif isinstance(field, (AnswerField, DerivationField)):
            field.input.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CODE_ONLY:
            return self.exercise.is_code
        if action == "submit":
            return not self.exercise.is_code
        if action == "toggle_plot":
            return self.exercise.plot is not None
        if action == "hint":
            return bool(self.exercise.hints)
        return True

    # -- math ------------------------------------------------------------------------------
    def fields(self) -> list[AnswerField | ChoiceField | DerivationField]:
        return [w for w in self.query(".field")
                if isinstance(w, (AnswerField, ChoiceField, DerivationField))]

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.exercise.is_code:
            self.action_grade()
            return
        texts = {f.part.name: f.value for f in self.fields()}
        if not any(t.strip() for t in texts.values()):
            self.notify("Type an answer first.", severity="warning")
            return
        self.query_one(ResultPanel).show_note("Checking…")
        self.submit_math(texts)

    @work(thread=True, exclusive=True, group="submit")
    def submit_math(self, texts: dict[str, str]) -> None:
        """Check the answers; save them unless they replace a correct answer (then ask)."""
        tutor = self.modl.tutor
        try:
            submission = tutor.check(self.exercise, texts)
            if not submission.replaced_correct:
                submission = tutor.record(submission)
        except ModlError as err:
            self.app.call_from_thread(self.query_one(ResultPanel).show_note, str(err), error=True)
            return
        if submission.recorded or not submission.saved:
            self.app.call_from_thread(self.show_submission, submission)
        else:
            self.app.call_from_thread(self.confirm_replace, submission)

    def confirm_replace(self, submission: Submission) -> None:
        """Ask before a wrong answer replaces a correct one in answers.toml."""
        from modl_tutor.tui.screens.modals import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes:
                self.record_math(submission)
            else:
                self.show_submission(submission)

        self.app.push_screen(ConfirmScreen(f"Careful: {submission.warning()}.\n"
                                           "Save it to answers.toml anyway?",
                                           yes="Save it", no="Keep my answer"), decided)

    @work(thread=True, exclusive=True, group="submit")
    def record_math(self, submission: Submission) -> None:
        try:
            recorded = self.modl.tutor.record(submission)
        except ModlError as err:
            self.app.call_from_thread(self.query_one(ResultPanel).show_note, str(err), error=True)
            return
        self.app.call_from_thread(self.show_submission, recorded)

    def show_submission(self, submission: Submission) -> None:
        for field in self.fields() if self.exercise.is_multipart else []:
            outcome = submission.outcomes.get(field.part.name)
            if outcome is not None and field.value.strip():
                field.show_feedback(outcome.status, outcome.score, field.part.points,
                                    outcome.message)
        panel = self.query_one(ResultPanel)
        panel.show_math(submission.result, submission.outcomes,
                        single=not self.exercise.is_multipart)
        if submission.saved and not submission.recorded:
            self.notify("Not saved: answers.toml keeps your correct answer.",
                        severity="warning")
        self.after_result()

    def after_result(self) -> None:
        status = self.status()
        self.query_one("#meta", Static).update(self.meta_text(status))
        if status.done:
            self.show_solution()
            self.reveal_plot()
            self.notify("Full marks! Press n for the next exercise.", title="Well done")
        self.scroll_to_result()

    def scroll_to_result(self) -> None:
        """Bring the result panel into view once its new content is laid out."""
        self.query_one(ResultPanel).reveal()

    # -- hints, solution, navigation -------------------------------------------------------
    def action_hint(self) -> None:
        hints = self.exercise.hints
        panel = self.query_one(HintsPanel)
        if panel.shown >= len(hints):
            self.notify("That was the last hint. Press g to give up and see the solution.")
            return
        panel.show_hints(self.modl.tutor.reveal_hint(self.exercise))
        panel.scroll_visible()

    def action_give_up(self) -> None:
        if self.solution_shown:
            self.query_one("#solution").scroll_visible()
            return
        from modl_tutor.tui.screens.modals import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes:
                self.modl.tutor.give_up(self.exercise)
                self.query_one("#meta", Static).update(self.meta_text())
                self.show_solution()
                self.reveal_plot()

        self.app.push_screen(ConfirmScreen("Give up and see the worked solution?\n"
                                           "You can still answer afterwards.",
                                           yes="Give up", no="Keep trying"), decided)

    def solution_markdown(self) -> str:
        from modl_tutor.reports.mathtext import render_math

        if self.exercise.solution.strip():
            return render_math(self.exercise.solution)
        reference = self.modl.tutor.solution_file(self.exercise)
        if reference is not None:
            from modl_tutor.bank.starters import BEGIN, END

            source = "".join(line for line in reference.read_text(encoding="utf-8")
                             .splitlines(keepends=True) if line.strip() not in (BEGIN, END))
            return f"Reference solution (`{reference.name}`):\n\n```python\n{source}\n```"
        return "_No worked solution for this exercise yet._"

    def show_solution(self) -> None:
        solution = self.query_one("#solution", Markdown)
        solution.update("## Worked solution\n\n" + self.solution_markdown())
        solution.display = True
        self.solution_shown = True

    def action_toggle_plot(self) -> None:
        for aside in self.query("#aside"):
            aside.display = not aside.display

    def action_step(self, step: int) -> None:
        target = self.modl.tutor.neighbour(self.exercise, step)
        if target is None:
            self.notify("No more exercises that way.", severity="warning")
            return
        self.modl.open_exercise(target.id, replace=True)

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, (Input, RadioSet, Checkbox, TextArea)):
            self.query_one("#exercise-body").focus()  # arrows scroll, single keys work
            return
        self.app.pop_screen()

