"""Checkbox and radio button whose long option texts wrap (with a hanging indent)."""

from __future__ import annotations

import re
from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Checkbox, RadioButton, RadioSet


_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`")


def option_content(text: str) -> Content:
    """An option's text as Content: **bold**, *italic* and `code` honoured, no markup parsed
    (so `[0.1, 0.2]` stays literal)."""
    parts: list[str | tuple[str, str]] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        parts.append(text[position:match.start()])
        bold, italic, code = match.groups()
        parts.append((bold, "bold") if bold else (italic, "italic") if italic else (code, "bold"))
        position = match.end()
    parts.append(text[position:])
    return Content.assemble(*parts)


class _Wrapping:
    """Mixin over a ToggleButton: the label wraps under itself instead of being cut off."""

    def _lines(self, width: int) -> list[Content]:
        indent = self._button.cell_length + 1  # type: ignore[attr-defined]
        label: Content = self._label  # type: ignore[attr-defined]
        return label.wrap(max(8, width - indent - 1)) or [Content("")]

    def render(self) -> Content:
        button = self._button  # type: ignore[attr-defined]
        style = self.get_visual_style("toggle--label")  # type: ignore[attr-defined]
        lines = self._lines(self.content_region.width)  # type: ignore[attr-defined]
        pad = " " * (button.cell_length + 1)
        rows = [Content.assemble(button, lines[0].pad(1, 1).stylize_before(style))]
        rows += [Content.assemble(pad, line.stylize_before(style)) for line in lines[1:]]
        return Content("\n").join(rows)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))


class OptionCheckbox(_Wrapping, Checkbox):
    """A checkbox for one option of a several-answers choice: space ticks it, enter submits
    (as everywhere on the exercise screen), up/down move to the neighbouring checkbox."""

    BINDINGS = [
        Binding("space", "toggle_button", "Toggle", show=False),
        Binding("enter", "screen.submit", "Submit", show=False),
        Binding("up", "step(-1)", "Previous option", show=False),
        Binding("down", "step(1)", "Next option", show=False),
    ]

    def action_step(self, step: int) -> None:
        """Focus the previous/next checkbox of the same choice (none past either end)."""
        parent = self.parent
        if parent is None:
            return
        boxes = [box for box in parent.children if isinstance(box, OptionCheckbox)]
        index = boxes.index(self) + step
        if 0 <= index < len(boxes):
            boxes[index].focus()


class OptionRadioButton(_Wrapping, RadioButton):
    """A radio button for one option of a single-answer choice."""


class OptionRadioSet(RadioSet):
    """A single-answer choice: arrows move, space picks, enter picks the highlighted option
    and submits (as everywhere on the exercise screen)."""

    BINDINGS = [Binding("enter", "pick_and_submit", "Submit", show=False)]

    def __init__(self, *buttons: RadioButton, **kwargs: Any) -> None:
        super().__init__(*buttons, **kwargs)
        self._submit_on_change = False

    async def action_pick_and_submit(self) -> None:
        highlighted = self._selected
        if highlighted is not None and highlighted != self.pressed_index:
            self._submit_on_change = True  # submitted once the set has taken the new pick
            self.action_toggle_button()
            return
        await self.run_action("screen.submit")

    async def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set is self and self._submit_on_change:
            self._submit_on_change = False
            await self.run_action("screen.submit")
