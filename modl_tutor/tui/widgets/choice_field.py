"""A choice part: a RadioSet (one answer) or checkboxes (several), in the student's order."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Label, RadioSet, Static

from modl_tutor.bank.models import Part
from modl_tutor.reports.mathtext import render_math
from modl_tutor.tutor import letters_answer, option_letter
from modl_tutor.tui.widgets.answer_field import show_feedback
from modl_tutor.tui.widgets.option_toggles import (OptionCheckbox, OptionRadioButton,
                                                    OptionRadioSet, option_content)


class ChoiceField(Vertical):
    """Options lettered a, b, c... (aa, ab... past z) in display order; `value` is the answer
    text (`"a, c"`)."""

    def __init__(self, part: Part, order: list[int], chosen: list[int], *,
                 multipart: bool = False) -> None:
        super().__init__(classes="field choice", id=f"field-{part.name}")
        self.part = part
        self.order = order
        self.chosen = chosen
        self.multipart = multipart

    def compose(self) -> ComposeResult:
        label = render_math(self.part.label) if self.part.label else ""
        if self.multipart:
            label = f"{self.part.name}" + (f":  {label}" if label else "")
        hint = "choose every correct option" if self.part.multiple else "choose one option"
        yield Label(f"{label}  ({hint})" if label else hint.capitalize(),
                    classes="field-label", markup=False)
        labels = [option_content(f"{option_letter(pos)})  "
                                 f"{render_math(self.part.options[index])}")
                  for pos, index in enumerate(self.order)]
        if self.part.multiple:
            with Vertical(classes="checkboxes", id=f"input-{self.part.name}"):
                for pos, text in enumerate(labels):
                    yield OptionCheckbox(text, pos in self.chosen,
                                         id=f"option-{self.part.name}-{pos}")
        else:
            with OptionRadioSet(id=f"input-{self.part.name}"):
                for pos, text in enumerate(labels):
                    yield OptionRadioButton(text, pos in self.chosen[:1],
                                            id=f"option-{self.part.name}-{pos}")
        yield Static("", classes="feedback", id=f"feedback-{self.part.name}")

    @property
    def positions(self) -> list[int]:
        if self.part.multiple:
            return [pos for pos, box in enumerate(self.query(Checkbox)) if box.value]
        index = self.query_one(RadioSet).pressed_index
        return [] if index < 0 else [index]

    @property
    def value(self) -> str:
        return letters_answer(self.positions)

    def focus_first(self) -> None:
        target = self.query(Checkbox).first() if self.part.multiple else self.query_one(RadioSet)
        target.focus()

    def show_feedback(self, status: str, score: float, points: float, message: str) -> None:
        show_feedback(self, status, score, points, message)
