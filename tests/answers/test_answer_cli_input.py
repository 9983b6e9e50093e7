"""`modl answer` reads an answer that starts with '-' as the answer, never as options."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from modl_tutor.cli import main


def test_an_answer_starting_with_a_minus_is_an_expression(tmp_path: Path) -> None:
    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(main, ["init", str(ws)]).exit_code == 0
    wrong = runner.invoke(main, ["-w", str(ws), "answer", "derivatives/elu_prime", "-alpha*exp(x)"])
    assert wrong.exit_code == 1, wrong.output
    assert "sign" in wrong.output
    right = runner.invoke(main, ["answer", "backprop/logistic_worked_example", "-p", "dz",
                                 "-0.00669", "-w", str(ws)])
    assert right.exit_code == 0, right.output
    assert 'dz = "-0.00669"' in (ws / "answers.toml").read_text(encoding="utf-8")
