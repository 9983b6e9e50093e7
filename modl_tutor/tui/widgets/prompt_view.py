"""The exercise prompt: markdown with inline formulas in unicode and display formulas stacked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static

from modl_tutor.tui.formula import split_prompt


class PromptView(Vertical):
    """Renders a prompt's markdown; `$$…$$` formulas become centred blocks."""

    def __init__(self, markdown: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        for kind, text in split_prompt(self.markdown):
            if kind == "formula":
                yield Static(text, classes="formula", markup=False)
            else:
                yield Markdown(text, classes="prompt-md")
