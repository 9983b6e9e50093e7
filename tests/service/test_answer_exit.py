"""`modl answer` exit statuses: 0 correct, 1 wrong, 2 invalid, 3 not decided / not graded
(then nothing is recorded as a final 0, and the answer text is kept)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace

import pytest

from modl_tutor.cli import main
from modl_tutor.grading import core
from modl_tutor.progress.store import ProgressStore

SIGMOID = "derivatives/sigmoid_prime"


@pytest.mark.parametrize("status, code", [("timeout", 3), ("undecided", 3)])
def test_not_decided_exits_3(cli, ws, monkeypatch, status, code):
    original = core.check_answer

    def engine(exercise, part, text, *, seed=""):  # type: ignore[no-untyped-def]
        return replace(original(exercise, part, text, seed=seed), status=status, score=0.0,
                       message=f"{status}: not decided")

    monkeypatch.setattr(core, "check_answer", engine)
    result = cli.invoke(main, ["answer", SIGMOID, "sech(x)^2", "-w", str(ws), "--json"])
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["status"] == status
    stored = tomllib.loads((ws / "answers.toml").read_text(encoding="utf-8"))
    assert stored["derivatives"]["sigmoid_prime"] == "sech(x)^2"  # the student's text is kept
    rows = {r["id"]: r for r in json.loads(cli.invoke(main, ["list", "--json", "-w",
                                                             str(ws)]).stdout)}
    attempts = ProgressStore.for_workspace(ws).get(SIGMOID).attempts
    if status == "timeout":
        assert rows[SIGMOID]["status"] == "not_graded" and rows[SIGMOID]["score"] is None
        assert attempts == 0  # a time-out is never recorded as a score
    else:
        assert rows[SIGMOID]["status"] == "attempted"


def test_empty_answer_is_a_usage_error(cli, ws):
    result = cli.invoke(main, ["answer", SIGMOID, "  ", "-w", str(ws)])
    assert result.exit_code == 2 and "empty" in result.output
