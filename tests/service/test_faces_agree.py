"""Right answer, then a wrong one: `modl list`, the app's catalogue and `modl grade` agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from modl_tutor.cli import main
from modl_tutor.progress.store import ProgressStore
from modl_tutor.tui.app import ModlApp
from modl_tutor.tui.screens.modals import ConfirmScreen
from modl_tutor.tui.widgets.plot_panel import PlotPanel
from modl_tutor.tui.widgets.result_panel import ResultPanel

from ..tui.conftest import SIZE, open_exercise, settle

SIGMOID = "derivatives/sigmoid_prime"
RIGHT = "sigmoid(x)*(1-sigmoid(x))"
WRONG = "sigmoid(x)"


def listed(cli, ws: Path) -> dict:
    result = cli.invoke(main, ["list", "--json", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


def grade(cli, ws: Path) -> dict:
    result = cli.invoke(main, ["grade", str(ws), "--format", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    exercises = json.loads(result.stdout)["submissions"][0]["exercises"]
    return {e["id"]: e for e in exercises}


def test_cli_right_then_wrong(cli, ws):
    right = cli.invoke(main, ["answer", SIGMOID, RIGHT, "-w", str(ws)])
    assert right.exit_code == 0, right.output
    assert listed(cli, ws)[SIGMOID]["status"] == "done"
    assert grade(cli, ws)[SIGMOID]["status"] == "passed"
    wrong = cli.invoke(main, ["answer", SIGMOID, WRONG, "-w", str(ws)])
    assert wrong.exit_code == 1
    assert "warning: this replaces your correct answer" in wrong.stderr
    assert str((ws / "answers.toml").absolute()) in wrong.stderr
    row = listed(cli, ws)[SIGMOID]
    assert row["status"] == "attempted" and row["score"] == 0
    assert row["had_full_marks_on"] is not None
    graded = grade(cli, ws)[SIGMOID]
    assert graded["status"] == "failed" and graded["score"] == 0
    check = cli.invoke(main, ["check", SIGMOID, "-w", str(ws), "--json"])
    assert check.exit_code == 1 and json.loads(check.stdout)["score"] == 0
    text = cli.invoke(main, ["list", "-w", str(ws)]).stdout
    line = next(x for x in text.splitlines() if SIGMOID in x)
    assert line.startswith("~") and "you had this right on" in line


def test_cli_give_up_is_listed(cli, ws, math_env):
    from modl_tutor.tutor import Tutor

    Tutor.open(ws, math_env).give_up(math_env.get(SIGMOID))
    assert listed(cli, ws)[SIGMOID]["gave_up"] is True
    assert "[gave up]" in cli.invoke(main, ["list", "-w", str(ws)]).stdout
    cli.invoke(main, ["answer", SIGMOID, RIGHT, "-w", str(ws)])
    row = listed(cli, ws)[SIGMOID]
    assert row["status"] == "done" and row["label"] == "solved after viewing the solution"
    line = next(x for x in cli.invoke(main, ["list", "-w", str(ws)]).stdout.splitlines()
                if SIGMOID in x)
    assert "solved after viewing the solution" in line


@pytest.mark.anyio
async def test_app_right_then_wrong_asks_and_agrees(cli, ws, math_env):
    app = ModlApp(ws, bank=math_env)
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        assert not app.screen.query_one(PlotPanel).revealed  # nothing given away yet
        box = app.screen.query_one("#input-answer", Input)
        box.value = RIGHT
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(ResultPanel).has_class("-passed")
        assert app.screen.query_one(PlotPanel).revealed  # done: full marks now
        box.value = WRONG
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # asks before losing a right answer
        await pilot.press("n")
        await settle(pilot)
        assert json.loads(json.dumps(listed(cli, ws)[SIGMOID]))["status"] == "done"
        box.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        meta = str(app.screen.query_one("#meta").render())
        assert "attempted" in meta and "You had this right on" in meta
        app.open_exercise(SIGMOID)  # opened again: no longer done, so nothing revealed
        await settle(pilot)
        assert not app.screen.query_one(PlotPanel).revealed
        assert not app.screen.solution_shown
        await pilot.press("escape", "escape")
        await settle(pilot)
        row = app.screen.query_one("#exercises", OptionList).get_option(SIGMOID)
        assert "~" in str(row.prompt) and "✓" not in str(row.prompt)
    assert listed(cli, ws)[SIGMOID]["status"] == "attempted"
    assert grade(cli, ws)[SIGMOID]["score"] == 0
    assert ProgressStore.for_workspace(ws).get(SIGMOID).had_full_marks


@pytest.mark.anyio
async def test_app_shows_give_up_in_the_catalogue_after_solving(cli, ws, math_env):
    app = ModlApp(ws, bank=math_env)
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, SIGMOID)
        await pilot.press("escape", "g", "y")
        await settle(pilot)
        assert app.screen.query_one(PlotPanel).revealed  # gave up: the answer is shown
        box = app.screen.query_one("#input-answer", Input)
        box.focus()
        box.value = RIGHT
        await pilot.press("enter")
        await settle(pilot)
        meta = str(app.screen.query_one("#meta").render())
        assert "solved after viewing the solution" in meta
        await pilot.press("escape", "escape")
        await settle(pilot)
        details = str(app.screen.query_one("#details").render())
        assert "solved after viewing the solution" in details or SIGMOID not in details
    assert listed(cli, ws)[SIGMOID]["label"] == "solved after viewing the solution"
