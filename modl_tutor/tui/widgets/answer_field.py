"""One typed answer: its label, the input, a debounced live preview and its last feedback."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Label, Static
from textual.worker import get_current_worker

from modl_tutor.bank.models import Part
from modl_tutor.reports.mathtext import render_math

PREVIEW_DELAY = 0.25
"""Seconds of typing pause before the preview is parsed."""

PLACEHOLDERS = {"number": "a number, e.g. 0.25 or 2^-7",
                "vector": "a vector, e.g. [0.1, 0.2, 0.7]"}


def placeholder(part: Part) -> str:
    """What the empty box asks for; an expression's example is written in its own variables."""
    if part.type == "expression":
        names = list(part.variables) or ["x"]
        return (f"an expression in {', '.join(names)}, "
                f"e.g. 2*{names[0]} + exp(-{names[-1]})")
    return PLACEHOLDERS.get(part.type, "your answer")


class AnswerField(Vertical):
    """Label + Input + preview + feedback for one expression, number or vector part."""

    def __init__(self, part: Part, value: str = "", *, multipart: bool = False) -> None:
        super().__init__(classes="field", id=f"field-{part.name}")
        self.part = part
        self.initial = value
        self.multipart = multipart
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        label = render_math(self.part.label) if self.part.label else ""
        if self.multipart:
            label = f"{self.part.name}" + (f":  {label}" if label else "")
        if label:
            yield Label(label, classes="field-label", markup=False)
        yield Input(self.initial, placeholder=placeholder(self.part),
                    id=f"input-{self.part.name}", select_on_focus=False)
        yield Static("", classes="preview", id=f"preview-{self.part.name}", markup=False)
        yield Static("", classes="feedback", id=f"feedback-{self.part.name}")

    def on_mount(self) -> None:
        if self.initial:
            self.refresh_preview()

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self.query_one(".feedback", Static).update("")
        self._timer = self.set_timer(PREVIEW_DELAY, self.refresh_preview)

    def refresh_preview(self) -> None:
        self._timer = None
        self._parse(self.value)

    @work(thread=True, exclusive=True, group="preview")
    def _parse(self, text: str) -> None:
        shown = self.app.tutor.preview(self.part, text)  # type: ignore[attr-defined]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_preview, text, shown.text, shown.error)

    def _show_preview(self, text: str, shown: str, error: bool) -> None:
        if text != self.value:
            return  # typed on meanwhile: a newer preview is on its way
        preview = self.query_one(".preview", Static)
        preview.update(shown)
        preview.set_class(error, "-error")
        preview.display = bool(shown)

    def show_feedback(self, status: str, score: float, points: float, message: str) -> None:
        """Show one part's outcome (the grading core's message) under its input."""
        show_feedback(self, status, score, points, message)


def show_feedback(field: Vertical, status: str, score: float, points: float,
                  message: str) -> None:
    """Fill the `.feedback` line of a field with ✓/✗, the status word, score and message."""
    from rich.text import Text

    from modl_tutor.reports.terminal import answer_line

    good = status == "correct"
    text = Text()
    text.append("✓ " if good else "✗ ", style="bold green" if good else "bold red")
    text.append_text(answer_line(status, score, points, message))
    feedback = field.query_one(".feedback", Static)
    feedback.update(text)
    feedback.set_class(good, "-correct")
    feedback.set_class(not good, "-wrong")
