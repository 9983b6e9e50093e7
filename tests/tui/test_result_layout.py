"""The results panel at 80×24: wrapped lines hang under their text, NumPy arrays keep each
row whole (one line a row, sideways scrolling when too wide), and `r` scrolls to the result."""

from __future__ import annotations

import numpy as np
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from modl_tutor.reports.terminal import exercise_text
from modl_tutor.result import ExerciseResult
from modl_tutor.tui.app import ModlApp
from modl_tutor.reports.result_layout import block_plain, message_blocks, result_blocks
from modl_tutor.tui.widgets.result_panel import ArrayBlock, ResultPanel

from .conftest import code_result, open_exercise, screen_lines, settle

SMALL = (80, 24)
SOFTMAX = "losses/softmax"
pytestmark = pytest.mark.anyio

WIDE = np.array([[0.0900305, 0.244728, 0.665241, 1.5e-7, 0.2, 0.3, 0.4, 0.5]] * 2)


def _array(a: np.ndarray) -> str:
    return np.array2string(a, precision=6, separator=", ")  # as the grader prints them


def _result() -> ExerciseResult:
    return code_result()


def test_layout_keeps_the_cli_words_and_each_array_row_on_one_line():
    result = _result()
    plain = block_plain(result_blocks(result))
    assert plain.split() == exercise_text(result).plain.split()  # same words as `modl check`
    # NumPy broke the wide rows itself (linewidth 75): the layout joins each row back.
    assert any(line.rstrip().endswith(",") and not line.rstrip().endswith("],")
               for line in _array(WIDE).splitlines())
    rows = [b for b in result_blocks(result) if b.kind == "array"]
    texts = [[t.plain for t in b.lines] for b in rows]
    assert texts[0] == ["expected [[0.090031, 0.244728, 0.665241],",
                        "          [0.333333, 0.333333, 0.333333]]"]  # aligned under row 1
    assert texts[1][0].startswith("     got [[0.333333")
    assert len(texts[2]) == 2 and all(row.count(",") >= 7 for row in texts[2])
    assert len(texts[3]) == 1 and texts[3][0].startswith("input: [")


@pytest.mark.parametrize("message, kinds", [
    ("output['W1']: missing key", ["text"]),  # an index is not an array
    ("expected a dict with keys ['W1', 'b1']", ["text"]),
    ("expected 0.5, got [nan, 1.]\nlikely cause: overflow", ["array", "text"]),
    ("got [[1, 2],\n [3, 4]]", ["array"]),
])
def test_only_numeric_brackets_start_an_array(message, kinds):
    assert [b.kind for b in message_blocks(message, 6)] == kinds


async def _show(app: ModlApp, pilot: Pilot) -> ResultPanel:
    await open_exercise(pilot, SOFTMAX)
    screen = app.screen
    screen.query_one("#code").display = False
    panel = screen.query_one(ResultPanel)
    panel.show_code(_result())
    await settle(pilot)
    return panel


async def test_wrapped_result_lines_hang_under_their_text_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        panel = await _show(app, pilot)
        body = app.screen.query_one("#exercise-body")
        panel.query(".result-more").first().scroll_visible(animate=False, top=True)
        await settle(pilot)
        lines = screen_lines(app)
        start = next(i for i, line in enumerate(lines) if "likely cause: the rows" in line)
        column = lines[start].index("likely cause")
        follow = lines[start + 1]
        assert follow[column - 1] == " " and follow[column] != " "  # hangs under the text
        assert follow[:column].strip("│ ▊▎▁▔╭╮╰╯─") == ""  # nothing before it in the panel
        assert body.size.width <= 80


async def test_numpy_rows_are_never_split_wide_arrays_scroll_sideways(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        panel = await _show(app, pilot)
        blocks = list(panel.query(ArrayBlock))
        assert len(blocks) == 4
        for block in blocks:
            rows = [t.plain for t in block.block.lines]
            shown = block.query_one(Static)
            assert shown.size.height == len(rows)  # one line per row, none wrapped
            assert shown.size.width >= max(len(r) for r in rows)
            fits = max(len(r) for r in rows) <= block.scrollable_content_region.width
            assert (block.max_scroll_x == 0) == fits
        wide = blocks[2]
        assert wide.max_scroll_x > 0  # wider than 80 columns: it scrolls, it is not cut
        wide.scroll_visible(animate=False)
        await settle(pilot)
        lines = screen_lines(app)
        narrow_rows = [t.plain.strip() for t in blocks[0].block.lines]
        assert any(narrow_rows[0] in line for line in lines)
        row2 = next(i for i, line in enumerate(lines) if narrow_rows[1] in line)
        assert lines[row2].index(narrow_rows[1]) == lines[row2 - 1].index("[[") + 1


async def test_r_scrolls_the_view_to_the_result(make_app, monkeypatch):
    app = make_app()
    monkeypatch.setattr(app.tutor, "grade", lambda exercise: _result())
    async with app.run_test(size=SMALL) as pilot:
        await open_exercise(pilot, SOFTMAX)
        body = app.screen.query_one("#exercise-body")
        body.scroll_home(animate=False)
        await settle(pilot)
        panel = app.screen.query_one(ResultPanel)
        await pilot.press("r")
        await settle(pilot)
        assert panel.result is not None
        top, height = panel.virtual_region.y, panel.virtual_region.height
        seen_from, seen_to = body.scroll_offset.y, body.scroll_offset.y + body.size.height
        assert body.scroll_offset.y > 0  # it did scroll: the result is below the prompt
        # as much of the result as the view can hold is in view (not only the 1-line
        # "Grading…" note it replaced)
        assert min(top + height, seen_to) - max(top, seen_from) >= min(height, seen_to -
                                                                          seen_from)
