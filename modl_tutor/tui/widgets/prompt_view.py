"""The exercise prompt: markdown with inline formulas in unicode and display formulas stacked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Markdown, Static

from modl_tutor.tui.formula import split_prompt


class PromptView(Vertical):
    """Renders a prompt's markdown; `$$…$$` formulas become centred blocks."""

    class Shown(Message):
        """Every markdown block of the prompt is mounted: the next frame shows it whole."""

    def __init__(self, markdown: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.markdown = markdown
        self._pending = 0
        self.shown = False

    def compose(self) -> ComposeResult:
        for kind, text in split_prompt(self.markdown):
            if kind == "formula":
                yield Static(text, classes="formula", markup=False)
            else:
                self._pending += 1
                yield Markdown(text, classes="prompt-md")

    def on_mount(self) -> None:
        if not self._pending:
            self._set_shown()

    def on_markdown_table_of_contents_updated(self,
                                              event: Markdown.TableOfContentsUpdated) -> None:
        # a Markdown posts this once its blocks are mounted (its first update, on mount)
        if event.markdown.parent is self and not self.shown:
            self._pending -= 1
            if self._pending <= 0:
                self._set_shown()

    def _set_shown(self) -> None:
        self.shown = True
        self.post_message(self.Shown())
