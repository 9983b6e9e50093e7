"""The hints the student has revealed so far, numbered, one more each time they ask."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from modl_tutor.reports.mathtext import render_math


class HintsPanel(Static):
    """Shows hints 1..shown of an exercise; hidden while none is revealed."""

    def __init__(self, hints: tuple[str, ...], shown: int = 0, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.hints = hints
        self.shown = 0
        self.show_hints(shown)

    def show_hints(self, shown: int) -> None:
        self.shown = max(0, min(shown, len(self.hints)))
        text = Text()
        for number in range(1, self.shown + 1):
            if number > 1:
                text.append("\n")
            text.append(f"Hint {number}/{len(self.hints)}: ", style="bold")
            text.append(render_math(self.hints[number - 1]))
        if self.shown and self.shown == len(self.hints):
            text.append("\nThat was the last hint.", style="dim")
        self.update(text)
        self.display = self.shown > 0
