"""`modl verify`: a sound bank passes; each kind of problem is found and named; exit statuses."""

from __future__ import annotations

import queue
import shutil
from pathlib import Path

import pytest

import modl_tutor.batch.verify as verify
from modl_tutor.bank.loader import load_bank
from modl_tutor.cli import main
from tests.batch.helpers import write_bank


def _box(data: dict) -> queue.Queue:
    box: queue.Queue = queue.Queue()
    box.put(data)
    return box


def _result(*passes: bool) -> dict:
    checks = [{"name": f"c{i}", "passed": p, "score": 1.0 if p else 0.0, "max_score": 1.0,
               "message": ""} for i, p in enumerate(passes)]
    return {"score": sum(passes), "max_score": len(passes),
            "status": "passed" if all(passes) else "failed", "checks": checks}


def test_judge_code_finds_every_code_problem(tmp_path: Path) -> None:
    exercise = load_bank(write_bank(tmp_path)).get("losses/double")
    assert verify._judge_code(exercise, _box(_result(True, True)), _box(_result(True, True)),
                              _box(_result(False, False))) == []
    problems = [f.problem for f in verify._judge_code(
        exercise, _box(_result(True, False)), _box(_result(True, True)),
        _box(_result(True, False)))]
    assert problems[0].startswith("reference solution scores 1/2 (c1")
    assert problems[1].startswith("grading is not repeatable") and "c1" in problems[1]
    assert problems[2] == "starter earns 1 points (passes: c0)"


def test_sandbox_warning_is_read_from_the_capabilities(monkeypatch) -> None:
    from modl_tutor.grading import client

    monkeypatch.setattr(client, "_PROBED", None)
    monkeypatch.delenv("MODL_SANDBOX", raising=False)
    expected_namespaces = client.probe_capabilities()["mode"] == "namespaces"
    assert (verify.sandbox_warning() == "") is expected_namespaces
    monkeypatch.setattr(client, "_PROBED", None)
    monkeypatch.setenv("MODL_SANDBOX", "limits")
    warning = verify.sandbox_warning()
    assert warning.startswith("the sandbox runs with resource limits only")
    assert "MODL_SANDBOX=limits" in warning
    monkeypatch.setattr(client, "_PROBED", None)


@pytest.mark.slow
def test_a_sound_bank_verifies(bank_root: Path) -> None:
    lines: list[str] = []
    assert verify.run_verify(jobs=2, root=bank_root / "exercises", echo=lines.append)
    assert [line for line in lines if line.startswith("✓ ") and "/" in line.split()[1]][:3] == [
        "✓ derivatives/scaled", "✓ derivatives/slope", "✓ losses/double"]
    assert lines[-1].startswith("✓ 3 exercise(s) verified")


@pytest.mark.slow
def test_every_kind_of_problem_is_reported(bank_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "bank"
    shutil.copytree(bank_root, root)
    double = root / "exercises" / "losses" / "double"
    solution = root / "solutions" / "losses" / "double.py"
    solution.write_text(solution.read_text().replace("x * 2", "x * 3"))
    (double / "starter.py").write_text("def double(x):\n    return x * 0\n")
    slope = root / "exercises" / "derivatives" / "slope" / "exercise.toml"
    slope.write_text(slope.read_text().replace('expected = "27"', 'expected = "2*5"'))
    bogus = root / "exercises" / "derivatives" / "bogus"
    bogus.mkdir()
    (bogus / "exercise.toml").write_text('title = "x"\nkind = "essay"\npoints = 1\n')
    (bogus / "prompt.md").write_text("x\n")

    lines: list[str] = []
    assert not verify.run_verify(jobs=2, root=root / "exercises", echo=lines.append)
    text = "\n".join(lines)
    assert "✗ " in text and "bogus/exercise.toml: field 'kind'" in text
    assert "✗ losses/double: reference solution scores 1/3" in text
    assert "✗ losses/double: starter earns 1 points (passes: doubles zeros)" in text
    assert "✗ losses/double: starter.py is out of sync" in text
    assert "✗ derivatives/slope: part 'answer': known mistake '2*5' is accepted" in text
    assert "✓ derivatives/scaled" in text
    assert lines[-1] == "✗ 5 problem(s) in 3 of 4 exercise(s)."

    topic: list[str] = []
    assert verify.run_verify(root=root / "exercises", topic="derivatives",
                             echo=topic.append) is False
    assert not [line for line in topic if "losses/" in line]


@pytest.mark.slow
def test_cli_exit_statuses(use_bank, runner_cli) -> None:
    ok = runner_cli.invoke(main, ["verify", "--jobs", "2", "--topic", "losses"])
    assert ok.exit_code == 0, ok.output
    assert "✓ losses/double" in ok.output and "derivatives/" not in ok.output
    bad_topic = runner_cli.invoke(main, ["verify", "--topic", "nope"])
    assert bad_topic.exit_code == 2 and "not a topic" in bad_topic.output
