"""Where the student's code lives, how to edit it, and whether it is being watched."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static


class CodePanel(Static):
    """The file path, the keys to edit and grade it, and the watcher's state."""

    def __init__(self, path: Path, function: str, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.path = path
        self.function = function
        self.state = "starting the file watcher…"
        self._render_text()

    def set_state(self, state: str) -> None:
        self.state = state
        self._render_text()

    def _render_text(self) -> None:
        text = Text()
        text.append("Your file  ", style="bold")
        text.append(str(self.path), style="underline")
        if not self.path.exists():
            text.append("  (missing — run `modl init --force` to restore the starter)",
                        style="red")
        text.append("\nWrite ", style="dim")
        text.append(f"{self.function}(…)", style="bold")
        text.append(" there. ", style="dim")
        text.append("e", style="bold reverse")
        text.append(" opens it in $EDITOR, ", style="dim")
        text.append("r", style="bold reverse")
        text.append(" grades now; saving the file re-grades it.\n", style="dim")
        text.append(self.state, style="italic")
        self.update(text)
