"""Derivations in JSON carry a mark per line (index, text, status, ok, message): `modl answer
--steps --json` and `modl check --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from modl_tutor.cli import main

ID = "derivatives/sigmoid_prime_steps"


@pytest.fixture()
def ws(workspace) -> Path:  # the shared fresh workspace
    return workspace.root


def _answer(ws: Path, tmp_path: Path, *lines: str) -> tuple[int, dict]:
    steps = tmp_path / "steps.txt"
    steps.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID, "--steps", str(steps),
                                       "--json"])
    return result.exit_code, json.loads(result.output)


def test_a_broken_middle_line_is_marked_and_the_others_are_ok(ws: Path, tmp_path: Path):
    code, data = _answer(ws, tmp_path, "exp(-x)/u^2", "", "# the sign slips here",
                         "-exp(-x)/u^2", "-sigmoid(x)*(1 - sigmoid(x))")
    assert code == 1
    marks = data["lines"]
    assert [m["index"] for m in marks] == [1, 4, 5]          # blank and comment lines skipped
    assert [m["ok"] for m in marks] == [True, False, True]
    assert [m["status"] for m in marks] == ["ok", "broken", "ok"]
    assert marks[1]["text"] == "-exp(-x)/u^2" and "line 4" in marks[1]["message"]
    assert marks[0]["message"] == "" and set(marks[0]) == {"index", "text", "status", "ok",
                                                           "message"}
    assert data["status"] == "wrong" and "preview" in data and "exercise" in data


def test_an_unreadable_line_is_marked_with_its_column(ws: Path, tmp_path: Path):
    code, data = _answer(ws, tmp_path, "exp(-x)/u^2", "exp(-x)/u^^2")
    assert code == 2 or data["status"] == "invalid"
    bad = [m for m in data["lines"] if m["status"] == "invalid"]
    assert bad and bad[0]["index"] == 2 and bad[0]["ok"] is False and "column" in bad[0]


def test_modl_check_json_keeps_its_fields_and_adds_the_marks(ws: Path, tmp_path: Path):
    code, _ = _answer(ws, tmp_path, "exp(-x)/u^2", "(1/u)*((u - 1)/u)",
                      "sigmoid(x)*(1 - sigmoid(x))")
    assert code == 0
    result = CliRunner().invoke(main, ["-w", str(ws), "check", ID, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"id", "score", "max_score", "status", "checks"} <= set(data)
    check = data["checks"][0]
    assert {"name", "passed", "score", "max_score", "message"} <= set(check)
    assert [m["ok"] for m in check["lines"]] == [True, True, True]
    assert [m["index"] for m in check["lines"]] == [1, 2, 3]


def test_other_math_answers_have_no_marks(ws: Path):
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", "derivatives/sigmoid_prime",
                                       "sigmoid(x)", "--json"])
    assert "lines" not in json.loads(result.output)
    result = CliRunner().invoke(main, ["-w", str(ws), "check", "derivatives/sigmoid_prime",
                                       "--json"])
    assert all("lines" not in c for c in json.loads(result.output)["checks"])
