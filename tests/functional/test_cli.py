"""The `modl` command line end to end: every command of CANONICAL.md and its exit status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib

import pytest

from modl_tutor.cli import main


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_init_then_list(runner, tmp_path):
    target = tmp_path / "ws"
    result = run(runner, "init", str(target), "--student", "bob")
    assert result.exit_code == 0, result.output
    assert (target / "answers.toml").is_file() and (target / "losses" / "softmax.py").is_file()
    listing = run(runner, "list", "--json", "--workspace", str(target))
    rows = json.loads(listing.stdout)
    ids = {r["id"] for r in rows}
    assert {"derivatives/sigmoid_prime", "losses/softmax"} <= ids
    assert all(r["status"] == "new" for r in rows)
    again = run(runner, "init", str(target))
    assert again.exit_code == 2 and "already a workspace" in again.output


def test_show_prints_the_prompt(runner, workspace):
    result = run(runner, "show", "derivatives/sigmoid_prime", "--workspace", str(workspace.root))
    assert result.exit_code == 0
    assert "derivative of the sigmoid" in result.output.lower()
    assert "σ(x) = 1/(1 + e⁻ˣ)" in result.output


def test_unknown_exercise_is_a_one_line_error(runner, workspace):
    result = runner.invoke(main, ["show", "derivatives/sigmoid_prim"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "modl: error: unknown exercise 'derivatives/sigmoid_prim' (did you mean "
        "derivatives/sigmoid_prime?); `modl list` shows them all"]


def test_missing_workspace_folder_is_reported(runner, tmp_path):
    result = runner.invoke(main, ["check", "losses/softmax", "--workspace",
                                  str(tmp_path / "nope")])
    assert result.exit_code == 2 and "workspace folder not found" in result.output


def test_hint_reveals_one_more_each_time(runner, workspace):
    first = run(runner, "hint", "derivatives/sigmoid_prime", "-w", str(workspace.root))
    assert "Hint 1/2" in first.output and "Hint 2/2" not in first.output
    second = run(runner, "hint", "derivatives/sigmoid_prime", "-w", str(workspace.root))
    assert "Hint 2/2" in second.output and "last hint" in second.output


def test_answer_correct_wrong_and_garbage(runner, workspace):
    ws = str(workspace.root)
    right = run(runner, "answer", "derivatives/sigmoid_prime", "sigmoid(x)*(1-sigmoid(x))",
                "-w", ws)
    assert right.exit_code == 0, right.output
    recorded = tomllib.loads(workspace.answers_path.read_text())
    assert recorded["derivatives"]["sigmoid_prime"] == "sigmoid(x)*(1-sigmoid(x))"
    wrong = run(runner, "answer", "derivatives/sigmoid_prime", "sigmoid(x)", "-w", ws)
    assert wrong.exit_code == 1
    assert "function itself" in wrong.output  # the known-mistake message
    garbage = run(runner, "answer", "derivatives/sigmoid_prime", "sigmoid(x", "-w", ws)
    assert garbage.exit_code == 2
    assert "^" in garbage.output  # the caret points at the column
    assert tomllib.loads(workspace.answers_path.read_text())["derivatives"][
        "sigmoid_prime"] == "sigmoid(x)"  # invalid input is not recorded
    as_json = run(runner, "answer", "derivatives/power_rule_slope", "10", "-w", ws, "--json")
    data = json.loads(as_json.stdout)
    assert as_json.exit_code == 0 and data["correct"] is True and data["score"] == 1


def test_answer_refuses_code_exercises_and_unknown_parts(runner, workspace):
    ws = str(workspace.root)
    code = runner.invoke(main, ["answer", "losses/softmax", "1", "-w", ws])
    assert code.exit_code == 2 and "code exercise" in code.output
    part = runner.invoke(main, ["answer", "derivatives/sigmoid_prime", "1", "--part", "zz",
                                "-w", ws])
    assert part.exit_code == 2 and "no part 'zz'" in part.output


def test_check_math_from_answers_toml(runner, workspace):
    workspace.answers_path.write_text('[derivatives]\nsigmoid_prime = "exp(-x)/(1+exp(-x))^2"\n')
    result = run(runner, "check", "derivatives/sigmoid_prime", "-w", str(workspace.root), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "passed" and data["score"] == data["max_score"] == 2
    workspace.answers_path.write_text("[derivatives\n")
    broken = runner.invoke(main, ["check", "derivatives/sigmoid_prime", "-w", str(workspace.root)])
    assert broken.exit_code == 2 and "answers.toml" in broken.output


def test_equiv_exit_codes(runner):
    assert runner.invoke(main, ["equiv", "sigmoid(x)*(1-sigmoid(x))",
                                "exp(-x)/(1+exp(-x))^2"]).exit_code == 0
    assert runner.invoke(main, ["equiv", "sigmoid(x)", "tanh(x)"]).exit_code == 1
    assert runner.invoke(main, ["equiv", "x +* 2", "x"]).exit_code == 2


@pytest.mark.slow
def test_check_softmax_starter_fails_and_solution_passes(tmp_path, bank):
    """The issue's acceptance test, through the installed `modl` executable."""
    env = dict(os.environ, MODL_WORKSPACE=str(tmp_path / "default"))
    ws = tmp_path / "ws"
    modl = [sys.executable, "-m", "modl_tutor"]
    subprocess.run([*modl, "init", str(ws)], check=True, env=env, capture_output=True)
    starter = subprocess.run([*modl, "check", "losses/softmax", "--json"], cwd=ws, env=env,
                             capture_output=True, text=True)
    assert starter.returncode == 1, starter.stderr
    data = json.loads(starter.stdout)
    assert data["score"] == 0 and data["status"] == "failed"
    assert "not written yet" in json.dumps(data)
    shutil.copy(bank.solutions_root / "losses" / "softmax.py", ws / "losses" / "softmax.py")
    solved = subprocess.run([*modl, "check", "losses/softmax"], cwd=ws, env=env,
                            capture_output=True, text=True)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert "FULL MARKS" in solved.stdout


def test_cli_import_does_not_load_heavy_modules():
    code = ("import sys, modl_tutor.cli; "
            "print(','.join(m for m in ('torch', 'sympy', 'textual', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_app_import_does_not_load_what_the_first_paint_does_not_need():
    """The catalogue's first paint pays for Textual, not for torch, the math engine's sympy
    and mpmath, NumPy or tomlkit (answers.toml is written with it, never read)."""
    code = ("import sys, modl_tutor.tui.app; print(','.join(m for m in ('torch', 'sympy', "
            "'mpmath', 'numpy', 'tomlkit') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_one_right_part_does_not_mark_a_multipart_exercise_done(runner, workspace):
    ws = str(workspace.root)
    result = run(runner, "answer", "backprop/logistic_worked_example", "5", "--part", "z",
                 "-w", ws)
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(run(runner, "list", "--json", "-w", ws).stdout)}
    assert rows["backprop/logistic_worked_example"]["status"] == "attempted"
    negative = run(runner, "answer", "backprop/logistic_worked_example", "--part", "dz",
                   "-0.00669", "-w", ws)
    assert negative.exit_code == 0, negative.output  # a leading minus is an answer, not an option


def test_equiv_says_undecided_with_its_own_exit_status(runner, monkeypatch):
    import modl_tutor.answers.equiv_texts as equiv_texts

    monkeypatch.setattr(equiv_texts, "equiv_report", lambda a, b, **_: {
        "equivalent": None, "verdict": "undecided", "message": "could not decide"})
    result = runner.invoke(main, ["equiv", "x", "y"])
    assert result.exit_code == 3 and "could not decide" in result.output
