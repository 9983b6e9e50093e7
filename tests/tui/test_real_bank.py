"""Every exercise of the installed bank can be shown: its prompt splits into text and formulas,
every plot it declares draws (hidden and revealed); and the app opens one exercise of every
kind and a plotted one (opening all 160 in the app would cost minutes)."""

from __future__ import annotations

import re

import pytest
from textual.widgets import OptionList

from modl_tutor import paths
from modl_tutor.bank.loader import load_bank
from modl_tutor.bank.models import TOPICS
from modl_tutor.tui.app import ModlApp
from modl_tutor.workspace.workspace import init_workspace

from .conftest import SIZE, screen_lines, settle

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_bank():  # type: ignore[no-untyped-def]
    return load_bank(paths.exercises_dir(), strict=False)


def test_every_prompt_splits_and_every_plot_draws(real_bank):
    from modl_tutor.tui.formula import split_prompt
    from modl_tutor.tui.plotdata import plot_data

    problems = []
    for exercise in real_bank:
        pieces = list(split_prompt(exercise.prompt))
        if not pieces or not all(text.strip() for _, text in pieces if _ == "formula"):
            problems.append(f"{exercise.id}: prompt does not split into text and formulas")
        if exercise.plot is not None:
            for revealed in (False, True):
                try:
                    data = plot_data(exercise.plot, revealed=revealed)
                except Exception as err:  # noqa: BLE001 - reported with the exercise
                    problems.append(f"{exercise.id}: plot (revealed={revealed}): {err!r}")
                    continue
                if not data.series:
                    problems.append(f"{exercise.id}: plot (revealed={revealed}): no data")
    assert problems == []


@pytest.mark.anyio
async def test_one_exercise_of_every_kind_opens_with_its_plot(real_bank, tmp_path,
                                                               monkeypatch):
    monkeypatch.delenv("MODL_BANK", raising=False)
    chosen: dict[str, str] = {}
    for exercise in real_bank:
        chosen.setdefault(exercise.kind, exercise.id)
        if exercise.plot is not None:  # every plot draws in-process (above); one per plot kind
            chosen.setdefault(f"plot:{exercise.plot.kind}", exercise.id)
    root = tmp_path / "ws"
    init_workspace(root, real_bank, student="tester")
    app = ModlApp(root, bank=real_bank)
    problems = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        check_topic_list_at_80_columns(app)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        for exercise_id in dict.fromkeys(chosen.values()):
            exercise = real_bank.get(exercise_id)
            app.open_exercise(exercise_id)
            await settle(pilot)
            screen = app.screen
            if getattr(screen, "exercise", None) is None or screen.exercise.id != exercise_id:
                problems.append(f"{exercise_id}: did not open")
                continue
            fields = screen.query(".field")
            if not exercise.is_code and exercise.kind != "derivation" and \
                    len(fields) != len(exercise.parts):
                problems.append(f"{exercise_id}: {len(fields)} inputs for "
                                f"{len(exercise.parts)} parts")
            for plot in screen.query("#plot"):
                if plot.error or plot.data is None or not plot.data.series:
                    problems.append(f"{exercise_id}: plot: {plot.error or 'no data'}")
    assert len(set(chosen.values())) >= 7 and problems == []


def check_topic_list_at_80_columns(app: ModlApp) -> None:
    """Every topic of the real bank on one line of its own at 80x24, its name apart from its
    bar (the longest names touched it), and the whole list without a scrollbar."""
    topics = app.screen.query_one("#topics", OptionList)
    assert topics.max_scroll_y == 0 and topics.option_count == len(TOPICS) + 1
    lines = screen_lines(app)
    for name in ("All topics", *TOPICS):
        rows = [line for line in lines if re.search(rf"│ {name} +[█▓░─]", line)]
        assert len(rows) == 1, (name, lines)
        done_total = re.search(r"[█▓░─]+ (\d+/\d+)", rows[0])
        assert done_total is not None and done_total.group(1) in str(
            topics.get_option(name if name in TOPICS else "__all__").prompt)
