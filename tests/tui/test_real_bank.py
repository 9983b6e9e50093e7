"""Every exercise of the installed bank opens in the app, and every plot it declares draws."""

from __future__ import annotations

import pytest

from modl_tutor import paths
from modl_tutor.bank.loader import load_bank
from modl_tutor.tui.app import ModlApp
from modl_tutor.workspace.workspace import init_workspace

from .conftest import SIZE, settle

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_every_exercise_opens_and_every_plot_draws(tmp_path, monkeypatch):
    monkeypatch.delenv("MODL_BANK", raising=False)
    bank = load_bank(paths.exercises_dir(), strict=False)
    assert len(bank) > 0
    root = tmp_path / "ws"
    init_workspace(root, bank, student="tester")
    app = ModlApp(root, bank=bank)
    problems = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for exercise in bank:
            app.open_exercise(exercise.id)
            await settle(pilot)
            screen = app.screen
            if getattr(screen, "exercise", None) is None or screen.exercise.id != exercise.id:
                problems.append(f"{exercise.id}: did not open")
                continue
            fields = screen.query(".field")
            if not exercise.is_code and len(fields) != len(exercise.parts):
                problems.append(f"{exercise.id}: {len(fields)} inputs for "
                                f"{len(exercise.parts)} parts")
            for plot in screen.query("#plot"):
                if plot.error or plot.data is None or not plot.data.series:
                    problems.append(f"{exercise.id}: plot: {plot.error or 'no data'}")
    assert problems == []
