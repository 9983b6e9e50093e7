"""A derivation typed one step per line: each line's ✓/✗ live, the first broken line highlighted."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea
from textual.worker import get_current_worker

from modl_tutor.bank.models import Part

CHECK_DELAY = 0.4
"""Seconds of typing pause before the derivation is checked."""
LIVE_WORK = 1_000_000
"""Work units of one live check (a submission gets the full budget)."""

MARKS = {"ok": ("✓", "green"), "definition": ("✓", "green"), "broken": ("✗", "bold red"),
         "invalid": ("✗", "bold red"), "undecided": ("?", "yellow")}


def live_check(part: Part, text: str) -> Any:
    """The derivation engine's verdict on `text` with the live (smaller) work budget."""
    from modl_tutor.answers.derivation import DerivationSpec, check_derivation
    from modl_tutor.answers.evaluate import Budget

    return check_derivation(DerivationSpec.of(part), text,
                            budget=Budget.guarded(10.0, limit=LIVE_WORK))


def marks_text(lines: list[str], result: Any) -> Text:
    """One row per typed line: its mark and number, the first broken line in reverse video,
    then the message of that line."""
    verdicts = {r.number: r for r in result.lines}
    out = Text()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        verdict = verdicts.get(number)
        mark, style = MARKS.get(verdict.status if verdict else "", ("·", "dim"))
        first = result.first_broken == number
        row = Text(f"{mark} {number:>2}  ", style=style)
        row.append(line.strip(), style="reverse red" if first else "")
        out.append_text(row)
        out.append("\n")
    if result.message and result.status != "correct":
        out.append(result.message.splitlines()[0], style="red" if result.first_broken else "")
    elif result.status == "correct":
        out.append("Every step follows and the last line is the answer.", style="green")
    return out


class DerivationField(Vertical):
    """Label + multi-line editor + live per-line marks + pretty preview of the cursor's line
    + the last submission's feedback, for a derivation part."""

    def __init__(self, part: Part, value: str = "") -> None:
        super().__init__(classes="field", id=f"field-{part.name}")
        self.part = part
        self.initial = value
        self._timer: Timer | None = None
        self.last: Any = None

    def compose(self) -> ComposeResult:
        names = ", ".join(n for n, _ in self.part.intermediates)
        hint = "One step per line; each line must equal the one before."
        if names:
            hint += f" You may use {names}."
        yield Label(hint, classes="field-label", markup=False)
        yield TextArea(self.initial, id=f"input-{self.part.name}", soft_wrap=True)
        yield Static("", classes="derivation-marks", id=f"marks-{self.part.name}")
        yield Static("", classes="preview", id=f"preview-{self.part.name}", markup=False)
        yield Static("", classes="feedback", id=f"feedback-{self.part.name}")

    def on_mount(self) -> None:
        self.editor.styles.height = 8
        if self.initial.strip():
            self.refresh_marks()

    @property
    def editor(self) -> TextArea:
        return self.query_one(TextArea)

    @property
    def input(self) -> TextArea:
        return self.editor

    @property
    def value(self) -> str:
        return self.editor.text

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self.query_one(".feedback", Static).update("")
        self._timer = self.set_timer(CHECK_DELAY, self.refresh_marks)

    @on(TextArea.SelectionChanged)
    def _moved(self, event: TextArea.SelectionChanged) -> None:
        event.stop()
        self._preview_line()

    def _preview_line(self) -> None:
        from modl_tutor.answers.pretty import preview

        row = self.editor.cursor_location[0]
        lines = self.value.split("\n")
        line = lines[row] if row < len(lines) else ""
        piece = line.split("=")[-1].lstrip("<>≤≥ ")
        names = [*self.part.variables, *(n for n, _ in self.part.intermediates)]
        shown = preview(piece, variables=names, allowed=names) if piece.strip() else ""
        widget = self.query_one(".preview", Static)
        widget.update(shown)
        widget.display = bool(shown)

    def refresh_marks(self) -> None:
        self._timer = None
        self._check(self.value)

    @work(thread=True, exclusive=True, group="derivation")
    def _check(self, text: str) -> None:
        result = live_check(self.part, text) if text.strip() else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_marks, text, result)

    def _show_marks(self, text: str, result: Any) -> None:
        if text != self.value:
            return  # typed on meanwhile: a newer check is on its way
        self.last = result
        marks = self.query_one(".derivation-marks", Static)
        marks.update(marks_text(text.split("\n"), result) if result is not None else "")
        self._preview_line()

    def show_feedback(self, status: str, score: float, points: float, message: str) -> None:
        """Show the submission's outcome (the grading core's message) under the editor."""
        from modl_tutor.tui.widgets.answer_field import show_feedback

        show_feedback(self, status, score, points, message)
