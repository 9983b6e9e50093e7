"""One exercise: prompt, plot, answer inputs or the code file, result, hints and solution."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input, Markdown, RadioSet, Static
from textual.worker import get_current_worker

from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError
from modl_tutor.tui import engine
from modl_tutor.tui.session import MARKS, status_of
from modl_tutor.tui.widgets.answer_field import AnswerField
from modl_tutor.tui.widgets.choice_field import ChoiceField
from modl_tutor.tui.widgets.code_panel import CodePanel
from modl_tutor.tui.widgets.hints_panel import HintsPanel
from modl_tutor.tui.widgets.prompt_view import PromptView
from modl_tutor.tui.widgets.result_panel import ResultPanel

if TYPE_CHECKING:
    from modl_tutor.tui.app import ModlApp

CODE_ONLY = {"edit", "grade"}
WATCHING = "Watching the file: every save is graded."


class ExerciseScreen(Screen[None]):
    """Answer one exercise; everything submitted is saved before the result is shown."""

    HELP_FILE = "exercise.md"
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

    @property
    def modl(self) -> ModlApp:
        return self.app  # type: ignore[return-value]

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        from modl_tutor.grading.core import for_student

        session = self.modl.session
        shown = for_student(self.exercise, session.seed)
        progress = session.store.get(self.exercise.id)
        yield Header()
        with Horizontal(id="exercise-main"):
            yield from self.body(shown, progress.hints_shown)
            if self.exercise.plot is not None:
                from modl_tutor.tui.widgets.plot_panel import PlotPanel

                with Vertical(id="aside"):
                    yield PlotPanel(self.exercise.plot, id="plot")
        yield Footer()

    def body(self, shown: Exercise, hints_shown: int) -> ComposeResult:
        session = self.modl.session
        with VerticalScroll(id="exercise-body"):
            yield Static(self.meta_text(), id="meta")
            yield PromptView(shown.prompt, id="prompt")
            if self.exercise.is_code:
                assert self.exercise.code is not None
                yield CodePanel(session.workspace.code_path(self.exercise),
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
        session = self.modl.session
        try:
            answers = session.workspace.load_answers()
        except ModlError as err:
            self.notify(str(err), severity="error", timeout=10)
            answers = {}
        for part in shown.parts:
            try:
                stored = session.workspace.answer(self.exercise, part.name, answers) or ""
            except ModlError:
                stored = ""
            if part.type == "choice":
                order = engine.choice_order(self.exercise, part, session.seed)
                yield ChoiceField(part, order, engine.positions_from(stored, len(order)),
                                  multipart=self.exercise.is_multipart)
            else:
                yield AnswerField(part, stored, multipart=self.exercise.is_multipart)

    def meta_text(self) -> Text:
        e = self.exercise
        progress = self.modl.session.store.get(e.id)
        status = status_of(progress)
        mark, style = MARKS[status]
        text = Text()
        text.append(f"{e.kind}", style="bold")
        text.append(f" · {e.points:g} pt · ")
        text.append("★" * e.difficulty + "☆" * (3 - e.difficulty), style="yellow")
        text.append(f" · {mark} {status.replace('_', ' ')}", style=style)
        if progress.attempts:
            text.append(f" · best {progress.best_score:g}/{progress.max_score:g}", style="dim")
        return text

    def on_mount(self) -> None:
        session = self.modl.session
        self.title = "modl-tutor"
        self.sub_title = f"{self.exercise.id} — {self.exercise.title}"
        session.store.set_last_exercise(self.exercise.id)
        progress = session.store.get(self.exercise.id)
        self.query_one("#solution", Markdown).display = False
        if progress.done or progress.gave_up:
            self.show_solution()
        if self.exercise.is_code:
            self.query_one("#exercise-body").focus()
            if progress.attempts:
                self.query_one(ResultPanel).show_note(
                    f"Best so far {progress.best_score:g}/{progress.max_score:g}. "
                    "Save your file or press r to grade it again.")
            self.watch_file()
        else:
            self.modl.warm_up_math()
            self.focus_first_field()

    def on_unmount(self) -> None:
        if self._stop_watch is not None:
            self._stop_watch.set()
        self.modl.session.store.add_time(self.exercise.id, time.monotonic() - self.started)

    def focus_first_field(self) -> None:
        field = self.query(".field").first()
        if isinstance(field, ChoiceField):
            field.focus_first()
        elif isinstance(field, AnswerField):
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
    def fields(self) -> list[AnswerField | ChoiceField]:
        return [w for w in self.query(".field") if isinstance(w, (AnswerField, ChoiceField))]

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
        try:
            submission = engine.submit_math(self.modl.session, self.exercise, texts)
        except ModlError as err:
            self.app.call_from_thread(self.query_one(ResultPanel).show_note, str(err), error=True)
            return
        self.app.call_from_thread(self.show_submission, submission)

    def show_submission(self, submission: engine.MathSubmission) -> None:
        for field in self.fields() if self.exercise.is_multipart else []:
            outcome = submission.outcomes.get(field.part.name)
            if outcome is not None and field.value.strip():
                field.show_feedback(outcome.status, outcome.score, field.part.points,
                                    outcome.message)
        panel = self.query_one(ResultPanel)
        panel.show_math(submission.result, submission.outcomes)
        self.after_result(submission.result.full_marks)

    def after_result(self, full_marks: bool) -> None:
        self.query_one("#meta", Static).update(self.meta_text())
        if full_marks:
            self.show_solution()
            self.notify("Full marks! Press n for the next exercise.", title="Well done")
        self.query_one(ResultPanel).scroll_visible()

    # -- code ------------------------------------------------------------------------------
    @property
    def code_path(self) -> Path:
        return self.modl.session.workspace.code_path(self.exercise)

    def _mtime(self) -> int | None:
        try:
            return self.code_path.stat().st_mtime_ns
        except OSError:
            return None

    def action_grade(self) -> None:
        if not self.exercise.is_code:
            self.action_submit()
            return
        first = not self.modl.session.grader_started
        self.query_one(ResultPanel).show_note(
            "Grading… (starting the grader, the first time takes a few seconds)" if first
            else "Grading…")
        self._graded_mtime = self._mtime()
        self.grade_code()

    @work(thread=True, exclusive=True, group="grade")
    def grade_code(self) -> None:
        try:
            result = engine.grade_code(self.modl.session, self.exercise)
        except Exception as err:  # noqa: BLE001 - a grader failure is shown, never a crash
            message = str(err) if isinstance(err, ModlError) else f"grading failed: {err}"
            self.app.call_from_thread(self.query_one(ResultPanel).show_note, message, error=True)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_code_result, result)

    def show_code_result(self, result: Any) -> None:
        self.query_one(ResultPanel).show_code(result)
        self.query_one(CodePanel).set_state(WATCHING)
        self.after_result(result.full_marks)

    @work(exclusive=True, group="watch")
    async def watch_file(self) -> None:
        """Re-grade whenever the student's file is saved (rustlings' watch mode)."""
        from watchfiles import awatch

        path = self.code_path.resolve()
        folder = path.parent if path.parent.is_dir() else self.modl.session.workspace.root
        self._stop_watch = asyncio.Event()
        panel = self.query_one(CodePanel)
        panel.set_state(WATCHING)

        def only_this(_change: object, changed: str) -> bool:
            return Path(changed).resolve() == path

        try:
            async for _changes in awatch(folder, watch_filter=only_this, debounce=300,
                                         stop_event=self._stop_watch, recursive=False):
                if self._mtime() != self._graded_mtime and path.exists():
                    panel.set_state("Saved: grading your file…")
                    self.action_grade()
        except Exception as err:  # noqa: BLE001 - no watching is not fatal: r still grades
            panel.set_state(f"Cannot watch the file ({err}); press r after saving.")

    def action_edit(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        before = self._mtime()
        try:
            with self.app.suspend():
                subprocess.call([*shlex.split(editor), str(self.code_path)])
        except Exception as err:  # noqa: BLE001 - SuspendNotSupported, editor not found...
            self.notify(f"Cannot open an editor here ({err}); edit {self.code_path} yourself: "
                        "saving it grades it.", severity="warning", timeout=8)
            return
        self.refresh()
        if self._mtime() != before:
            self.action_grade()

    # -- hints, solution, navigation -------------------------------------------------------
    def action_hint(self) -> None:
        hints = self.exercise.hints
        panel = self.query_one(HintsPanel)
        if panel.shown >= len(hints):
            self.notify("That was the last hint. Press g to give up and see the solution.")
            return
        panel.show_hints(self.modl.session.store.reveal_hint(self.exercise.id, len(hints)))
        panel.scroll_visible()

    def action_give_up(self) -> None:
        if self.solution_shown:
            self.query_one("#solution").scroll_visible()
            return
        from modl_tutor.tui.screens.modals import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes:
                self.modl.session.store.give_up(self.exercise.id)
                self.query_one("#meta", Static).update(self.meta_text())
                self.show_solution()

        self.app.push_screen(ConfirmScreen("Give up and see the worked solution?\n"
                                           "You can still answer afterwards.",
                                           yes="Give up", no="Keep trying"), decided)

    def solution_markdown(self) -> str:
        from modl_tutor.reports.mathtext import render_math

        if self.exercise.solution.strip():
            return render_math(self.exercise.solution)
        reference = self.modl.session.solution_file(self.exercise) if self.exercise.is_code \
            else None
        if reference is not None:
            source = reference.read_text(encoding="utf-8")
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
        target = self.modl.session.neighbour(self.exercise, step)
        if target is None:
            self.notify("No more exercises that way.", severity="warning")
            return
        self.modl.open_exercise(target.id, replace=True)

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, (Input, RadioSet, Checkbox)):
            self.query_one("#exercise-body").focus()  # arrows scroll, single keys work
            return
        self.app.pop_screen()
