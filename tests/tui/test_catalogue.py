"""Pilot tests of the catalogue, navigation, help, the command palette and quitting."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Markdown, OptionList

from modl_tutor.bank.models import TOPICS
from modl_tutor.errors import WorkspaceError
from modl_tutor.tui.app import ModlApp
from modl_tutor.tui.screens.catalogue import CatalogueScreen, matches
from modl_tutor.tui.screens.exercise import ExerciseScreen
from modl_tutor.tui.screens.modals import HelpScreen

from .conftest import SIZE, seed_state, settle

pytestmark = pytest.mark.anyio


def ids(listing: OptionList) -> list[str]:
    return [o.id for o in listing.options if not o.disabled]


async def test_catalogue_lists_topics_with_progress_and_every_exercise(make_app, ws_root,
                                                                       tui_bank):
    seed_state(ws_root, tui_bank, sigmoid=True, softmax=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogueScreen)
        topics = screen.query_one("#topics", OptionList)
        assert [o.id for o in topics.options][1:] == list(TOPICS)
        assert "1/3" in str(topics.get_option("derivatives").prompt)
        losses = str(topics.get_option("losses").prompt)
        assert "0/1" in losses and "~1" in losses
        assert "1/5" in str(topics.get_option_at_index(0).prompt)
        listing = screen.query_one("#exercises", OptionList)
        assert ids(listing) == [e.id for e in tui_bank]
        assert "✓" in str(listing.get_option("derivatives/sigmoid_prime").prompt)
        assert "~" in str(listing.get_option("losses/softmax").prompt)
        button = screen.query_one("#continue", Button)
        assert button.display and "softmax" in str(button.label)


async def test_search_and_topic_filter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        listing = screen.query_one("#exercises", OptionList)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"sigmoid deriv")
        assert ids(listing) == ["derivatives/sigmoid_prime", "derivatives/sigmoid_prime_steps"]
        await pilot.press(*"ation")
        assert ids(listing) == ["derivatives/sigmoid_prime_steps"]  # every word, any field
        await pilot.press(*" zzz")
        assert ids(listing) == [] and listing.options[0].id == "none"
        await pilot.press("escape")
        assert len(ids(listing)) == 5 and app.focused is listing
        await pilot.press("t", "down")  # highlight the 'derivatives' topic
        assert ids(listing) == ["derivatives/activation_choice", "derivatives/sigmoid_prime",
                                "derivatives/sigmoid_prime_steps"]
        assert not screen.query_one("#continue", Button).display


def test_search_matches_tags_kind_and_every_word(tui_bank):
    softmax = tui_bank.get("losses/softmax")
    assert matches(softmax, "CODE stability")  # kind and a tag, any case
    assert not matches(softmax, "code sigmoid")  # every word must match
    assert matches(softmax, "")
    assert not matches(softmax, "sigmoid")


async def test_open_navigate_and_come_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # second exercise: sigmoid_prime
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        assert screen.exercise.id == "derivatives/sigmoid_prime"
        await pilot.press("escape", "n")
        await settle(pilot)
        assert app.screen.exercise.id == "derivatives/sigmoid_prime_steps"
        await pilot.press("escape", "b")
        await settle(pilot)
        assert app.screen.exercise.id == "derivatives/sigmoid_prime"
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        assert "sigmoid_prime" in str(app.screen.query_one("#continue", Button).label)


async def test_help_screens_come_from_markdown_beside_the_screens(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "# The catalogue" in app.screen.markdown
        await pilot.press("escape")
        app.open_exercise("losses/softmax")
        await settle(pilot)
        await pilot.press("question_mark")
        assert "Code exercises" in app.screen.markdown
        assert app.screen.query_one(Markdown)
        await pilot.press("q")
        assert isinstance(app.screen, ExerciseScreen)


async def test_command_palette_lists_app_and_screen_commands(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Continue where I left off" in titles and "Open losses/softmax" in titles
        assert "Hint" not in titles
        app.open_exercise("derivatives/sigmoid_prime")
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Hint", "Give up", "Submit", "Toggle plot"} <= set(commands)
        assert "Grade my code" not in commands
        commands["Hint"].callback()
        await settle(pilot)
        assert app.screen.query_one("#hints").shown == 1
        commands["Open losses/softmax"].callback()
        await settle(pilot)
        assert app.screen.exercise.id == "losses/softmax"
        assert "Grade my code" in {c.title for c in app.get_system_commands(app.screen)}


async def test_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit


def test_broken_workspace_is_a_one_line_error(ws_root, tui_bank):
    (ws_root / "modl.toml").write_text('[student]\nid = "not valid!"\n', encoding="utf-8")
    with pytest.raises(WorkspaceError, match="student.id"):
        ModlApp(ws_root, bank=tui_bank)


def test_run_app_exits_2_with_one_line(ws_root, capsys):
    from modl_tutor.tui.app import run_app

    (ws_root / "modl.toml").write_text("[student\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        run_app(ws_root)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("modl: error:") and "modl.toml" in err and "\n" not in err


async def test_the_lists_stop_at_their_ends(make_app):
    """One ↓ too many on the last topic (or exercise) stays there: no jump back to the top."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for selector in ("#topics", "#exercises"):
            listing = app.screen.query_one(selector, OptionList)
            listing.focus()
            await pilot.pause()
            enabled = [i for i, o in enumerate(listing.options) if not o.disabled]
            listing.highlighted = enabled[-1]
            await pilot.press("down", "down")
            assert listing.highlighted == enabled[-1], selector
            listing.highlighted = enabled[0]
            await pilot.press("up")
            assert listing.highlighted == enabled[0], selector
            await pilot.press("down")
            assert listing.highlighted == enabled[1], selector
