"""Unexpected failures are never swallowed: `--debug` / MODL_DEBUG=1 show their traceback."""

from __future__ import annotations

import pytest

from modl_tutor.bank.loader import default_bank, load_bank
from modl_tutor.cli import main
from modl_tutor.tutor import Tutor
from modl_tutor.workspace.workspace import init_workspace

from .conftest import TUI_BANK


@pytest.fixture()
def broken_grade(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A workspace whose stored grade of softmax is garbage (a damaged progress file)."""
    monkeypatch.setenv("MODL_BANK", str(TUI_BANK))
    monkeypatch.delenv("MODL_DEBUG", raising=False)
    default_bank.cache_clear()
    bank = load_bank(TUI_BANK / "exercises")
    root = tmp_path / "ws"
    init_workspace(root, bank, student="tester")
    tutor = Tutor.open(root, bank)
    softmax = bank.get("losses/softmax")
    tutor.store.record_submission(softmax.id, 0, 4, "failed", [],
                                  (tutor.code_fingerprint(softmax), "{not json"))
    yield root
    default_bank.cache_clear()


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_logged_traceback(broken_grade, runner, monkeypatch, how):
    args = ["list", "-w", str(broken_grade)]
    if how == "flag":
        args.insert(0, "--debug")
    else:
        monkeypatch.setenv("MODL_DEBUG", "1")
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert "modl: debug:" in result.stderr and "unreadable stored grade" in result.stderr
    assert "Traceback" in result.stderr and "JSONDecodeError" in result.stderr


def test_without_debug_the_failure_is_quiet_and_handled(broken_grade, runner):
    result = runner.invoke(main, ["list", "-w", str(broken_grade)])
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    line = next(x for x in result.stdout.splitlines() if "losses/softmax" in x)
    assert line.startswith("·")  # no usable grade: the untouched starter is new
