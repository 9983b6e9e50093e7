"""Checkbox and radio button whose long option texts wrap (with a hanging indent)."""

from __future__ import annotations

import re

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Checkbox, RadioButton


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
    """A checkbox for one option of a several-answers choice."""


class OptionRadioButton(_Wrapping, RadioButton):
    """A radio button for one option of a single-answer choice."""
