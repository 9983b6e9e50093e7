"""`modl answer ID --steps FILE`: a derivation checked line by line from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from modl_tutor.cli import main

ID = "derivatives/sigmoid_prime_steps"


@pytest.fixture()
def ws(tmp_path: Path, workspace) -> Path:  # noqa: ARG001 - the shared fresh workspace
    return workspace.root


def _steps(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "steps.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_correct_derivation_is_accepted_and_recorded_as_an_array(tmp_path: Path, ws: Path):
    steps = _steps(tmp_path, "exp(-x)/u^2", "(1/u)*((u - 1)/u)", "sigmoid(x)*(1 - sigmoid(x))")
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID, "--steps", steps])
    assert result.exit_code == 0, result.output
    assert "✓  1" in result.output and "✓  3" in result.output
    text = (ws / "answers.toml").read_text(encoding="utf-8")
    assert 'sigmoid_prime_steps = [\n    "exp(-x)/u^2",' in text


def test_broken_middle_line_is_named_with_its_slip(tmp_path: Path, ws: Path):
    steps = _steps(tmp_path, "exp(-x)/u^2", "-exp(-x)/u^2", "-sigmoid(x)*(1 - sigmoid(x))")
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID, "--steps", steps, "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["status"] == "wrong" and "line 2" in data["message"]
    assert "sign" in data["message"] and "✗  2" in data["preview"]


def test_steps_from_standard_input(ws: Path):
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID, "--steps", "-"],
                                input="exp(-x)/u^2\nsigmoid(x)*(1 - sigmoid(x))\n")
    assert result.exit_code == 0, result.output


def test_one_line_answer_without_steps_where_allowed(ws: Path):
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID,
                                       "sigmoid(x)*(1 - sigmoid(x))"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args, words", [
    (["--steps", "missing.txt"], "cannot be read"),
    (["x", "--steps", "STEPS"], "not both"),
    ([], "missing ANSWER"),
])
def test_bad_invocations_fail_in_one_line(tmp_path: Path, ws: Path, args, words):
    args = [a.replace("STEPS", _steps(tmp_path, "x")) for a in args]
    args = [str(tmp_path / a) if a == "missing.txt" else a for a in args]
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID, *args])
    assert result.exit_code != 0 and words in result.output
    assert "Traceback" not in result.output


def test_steps_for_a_non_derivation_is_refused(tmp_path: Path, ws: Path):
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", "derivatives/sigmoid_prime",
                                       "--steps", _steps(tmp_path, "x")])
    assert result.exit_code != 0 and "not a derivation" in result.output


def test_hostile_steps_files_are_bounded(tmp_path: Path, ws: Path):
    huge = tmp_path / "huge.txt"
    huge.write_text("x + " * 40_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID, "--steps", str(huge)])
    assert result.exit_code != 0 and "too large" in result.output
    many = _steps(tmp_path, *(["x"] * 1000))
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID, "--steps", many])
    assert result.exit_code == 2 and "too many lines" in result.output
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00x")
    result = CliRunner().invoke(main, ["-w", str(ws), "answer", ID, "--steps", str(binary)])
    assert result.exit_code != 0 and "not UTF-8" in result.output
