"""The footer in one widget: the screen's keys as one line of text, the palette on the right.

Textual's Footer recomposes one widget per key whenever the focus moves (three times while an
exercise opens), which was half of the styling work of opening one; this bar only re-renders.
"""

from __future__ import annotations

import inspect
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """Shown bindings of the focused chain as ` key description `; a click presses the key."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys: list[tuple[Binding, bool]] = []
        """(binding, enabled) in the order shown (one per action)."""
        self.palette: Binding | None = None
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.update_keys()
        self.call_after_refresh(self.update_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self.update_keys()

    def update_keys(self) -> None:
        """Re-read the active bindings (after a focus change or a binding's state change)."""
        if not self.is_attached:
            return
        active = self.screen.active_bindings
        keys, actions = [], set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append((binding, enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            palette = found[1] if found is not None else None
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()

    @property
    def plain(self) -> str:
        """The bar's text (for tests)."""
        return self.render().plain

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        right = Text()
        if self.palette is not None:
            right.append("▏", style=text_style)
            right.append(f"{self.app.get_key_display(self.palette)} ", style=key_style)
            right.append(f"{self.palette.description} ", style=text_style)
        room = self.size.width - right.cell_len
        for binding, enabled in self.keys:
            piece = Text(no_wrap=True)
            piece.append(f" {self.app.get_key_display(binding)} ", style=key_style)
            piece.append(f"{binding.description} ", style=text_style)
            if not enabled:
                piece.stylize("dim")
            if text.cell_len + piece.cell_len > room:
                break
            self._spans.append((text.cell_len, text.cell_len + piece.cell_len, binding.key))
            text.append_text(piece)
        if right:
            text.append(" " * max(0, room - text.cell_len))
            self._spans.append((text.cell_len, text.cell_len + right.cell_len,
                                self.palette.key if self.palette else ""))
            text.append_text(right)
        return text

    def on_resize(self) -> None:
        self.refresh()

    async def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end and key:
                event.stop()
                pressed = self.app.simulate_key(key.split(",")[0])
                if inspect.isawaitable(pressed):  # older Textual: a coroutine
                    await pressed
                return
