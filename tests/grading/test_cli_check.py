"""`modl check` on code exercises: relative workspace paths, --json, and a grader that fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from modl_tutor.bank.loader import load_bank
from modl_tutor.cli import main
from modl_tutor.grading.client import CodeGrader, GraderUnavailable

pytestmark = pytest.mark.slow


@pytest.fixture()
def solved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bank = load_bank(strict=False)
    if "losses/softmax" not in {e.id for e in bank}:
        pytest.skip("losses/softmax is not in the bank")
    root = tmp_path / "ws"
    (root / "losses").mkdir(parents=True)
    (root / "answers.toml").write_text("", encoding="utf-8")
    shutil.copy(bank.solutions_root / "losses" / "softmax.py", root / "losses" / "softmax.py")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MODL_WORKSPACE", str(tmp_path / "default-ws"))
    return root


def test_relative_workspace_and_json(solved: Path, borrowed_grader: CodeGrader) -> None:
    # The warm shared grader: the paths and the JSON are the CLI's (tests/functional runs the
    # real executable, which starts its own).
    result = CliRunner().invoke(main, ["check", "losses/softmax", "--workspace", "ws", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "passed" and data["score"] == data["max_score"]
    assert [c for c in data["checks"] if c["hidden"]]  # shown, but as hidden checks


def test_grader_that_cannot_start_is_a_one_line_error(solved: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: CodeGrader) -> None:
        raise GraderUnavailable("the grading server did not start: no torch here")

    monkeypatch.setattr(CodeGrader, "start", broken)
    result = CliRunner().invoke(main, ["check", "losses/softmax", "--workspace", "ws"])
    assert result.exit_code == 2
    assert result.output.strip() == ("modl: error: the grading server did not start: "
                                     "no torch here")
