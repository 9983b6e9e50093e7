"""The result of the last submission, worded exactly as the command line words it."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import AwaitMount
from textual.timer import Timer
from textual.containers import HorizontalScroll, Vertical
from textual.widgets import Static

from modl_tutor.result import ExerciseResult
from modl_tutor.reports.result_layout import Block, block_plain, hang, result_blocks


class ArrayBlock(HorizontalScroll):
    """Lines that never wrap (the rows of a NumPy array): too wide, they scroll sideways."""

    def __init__(self, block: Block) -> None:
        super().__init__(classes="result-array")
        self.block = block

    def compose(self) -> ComposeResult:
        yield Static(Text("\n").join(self.block.lines), classes="result-rows")


def _renderable(block: Block) -> RenderableType:
    if block.kind == "check":
        return Padding(hang(*block.lines), (0, 0, 0, block.indent))
    return Group(*(Padding(line, (0, 0, 0, block.indent)) for line in block.lines))


class ResultPanel(Vertical):
    """Hidden until something is graded; then the score, status and each check's feedback.
    Wrapped lines hang under their text; NumPy arrays keep each row on one line."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.display = False
        self.result: ExerciseResult | None = None
        self.text = ""
        """The plain text shown, one line per line (what the student reads)."""
        self._revealing = False
        self._reveal_timer: Timer | None = None
        self._mounting: AwaitMount | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="result-text")

    def _set_state(self, result: ExerciseResult | None) -> None:
        self.result = result
        passed = result is not None and result.full_marks
        self.set_class(passed, "-passed")
        self.set_class(result is not None and not passed, "-failed")
        self.display = True

    def _show(self, head: RenderableType, text: str, rest: list[Block] | None = None) -> None:
        """`head` in the first Static; `rest` as further Statics and array blocks."""
        self.text = text
        self.query_one(".result-text", Static).update(head)
        extra = list(self.children)[1:]
        if extra:
            self.remove_children(extra)
        widgets: list[Static | ArrayBlock] = []
        pending: list[RenderableType] = []
        for block in rest or []:
            if block.kind == "array":
                if pending:
                    widgets.append(Static(Group(*pending), classes="result-more"))
                    pending = []
                array = ArrayBlock(block)
                array.styles.margin = (0, 0, 0, block.indent)
                widgets.append(array)
            else:
                pending.append(_renderable(block))
        if pending:
            widgets.append(Static(Group(*pending), classes="result-more"))
        self._mounting = self.mount_all(widgets) if widgets else None

    def reveal(self) -> None:
        """Scroll the panel into view once its new content is mounted and laid out (mounting
        the array blocks grows it after the first refresh), and again as it grows for half
        a second after that: counted from the content, not from now, so a busy machine that
        mounts slowly still ends with the result in view."""
        self._revealing = True
        if self._reveal_timer is not None:
            self._reveal_timer.stop()
            self._reveal_timer = None
        self.run_worker(self._reveal_when_mounted(), exclusive=True, group="reveal")

    async def _reveal_when_mounted(self) -> None:
        mounting, self._mounting = self._mounting, None
        if mounting is not None:
            await mounting
        self.call_after_refresh(self._scroll_into_view)
        self._reveal_timer = self.set_timer(0.5, self._stop_revealing)

    def _stop_revealing(self) -> None:
        self._revealing = False

    def _scroll_into_view(self) -> None:
        if self._revealing:
            self.scroll_visible(animate=False, top=True)

    def on_resize(self) -> None:
        self._scroll_into_view()

    def _show_blocks(self, blocks: list[Block]) -> None:
        first_array = next((i for i, b in enumerate(blocks) if b.kind == "array"), len(blocks))
        head = Group(*(_renderable(b) for b in blocks[:first_array]))
        self._show(head, block_plain(blocks), blocks[first_array:])

    def show_math(self, result: ExerciseResult, outcomes: dict[str, Any], *,
                  single: bool = True) -> None:
        """A math submission: the `modl answer` line for a single-part exercise, the check
        table of the whole exercise otherwise."""
        from modl_tutor.reports.terminal import answer_line

        self._set_state(result)
        if single and len(outcomes) == 1:
            outcome = next(iter(outcomes.values()))
            line = answer_line(outcome.status, outcome.score, outcome.max_score, "")
            message = outcome.message if outcome.status != "correct" else ""
            if not message:
                self._show(line, line.plain)
                return
            line.append(" — ")
            self._show(hang(line, Text(message)), line.plain + message)
            return
        self._show_blocks(result_blocks(result))

    def show_code(self, result: ExerciseResult) -> None:
        """A code grading: the same report as `modl check`."""
        self._set_state(result)
        self._show_blocks(result_blocks(result))

    def show_note(self, message: str, *, error: bool = False) -> None:
        """A status line (grading in progress, grader failed to start...)."""
        self._set_state(None)
        self.set_class(error, "-failed")
        self._show(Text(message, style="bold red" if error else "italic"), message)
