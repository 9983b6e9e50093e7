"""`modl show` at 80 columns: display math wraps between formulas or before a top-level
operator, never inside a token, and no line is wider than the terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console

from modl_tutor.bank.loader import default_bank
from modl_tutor.reports.formula_wrap import formulas, wrap_display, wrap_formula
from modl_tutor.reports.mathtext import latex_to_unicode
from modl_tutor.reports.prompt import print_prompt
from modl_tutor.workspace.workspace import Workspace

WIDTH = 80
WITH_MATH = sorted(e.id for e in default_bank() if "$$" in e.prompt)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shown(exercise_id: str, tmp_path: Path) -> str:
    out = io.StringIO()
    console = Console(file=out, width=WIDTH, color_system=None, force_terminal=False)
    print_prompt(default_bank().get(exercise_id), Workspace(tmp_path), "", console)
    return out.getvalue()


@pytest.mark.parametrize("exercise_id", WITH_MATH)
def test_display_math_fits_80_columns_and_keeps_every_token(exercise_id: str,
                                                            tmp_path: Path) -> None:
    shown = _shown(exercise_id, tmp_path)
    lines = shown.splitlines()
    assert all(cell_len(line) <= WIDTH for line in lines), max(lines, key=cell_len)
    for latex in re.findall(r"\$\$(.+?)\$\$", default_bank().get(exercise_id).prompt, re.S):
        formula = latex_to_unicode(latex.strip())
        wrapped = wrap_display(formula, WIDTH - 4)
        assert _flat(" ".join(wrapped)) == _flat(formula)      # no token cut or lost
        for line in wrapped:
            assert "    " + line in lines                      # shown as wrapped, whole


def test_the_cli_wraps_a_long_formula_between_formulas(workspace: Workspace) -> None:
    from modl_tutor.cli import main

    result = CliRunner().invoke(main, ["-w", str(workspace.root), "show",
                                       "backprop/logistic_worked_example"],
                                env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "    z = w₁ x₁ + w₂ x₂ + b,    a = σ(z) = 1/(1 + e^(-z))," in lines
    assert "    L(a, y) = -( y log a + (1 - y) log(1 - a) )" in lines
    assert all(cell_len(line) <= WIDTH for line in lines)


def test_one_long_formula_breaks_before_top_level_operators() -> None:
    chain = "L = " + " + ".join(f"w{i} (x{i} - y{i})" for i in range(14))
    lines = wrap_formula(chain, 60)
    assert len(lines) > 1 and all(len(line) <= 60 for line in lines)
    assert all(line.startswith("    + ") for line in lines[1:])
    assert not any(line.rstrip().endswith("(x1") for line in lines)  # not inside brackets
    assert _flat(" ".join(lines)) == _flat(chain)


def test_a_token_wider_than_the_line_is_kept_whole() -> None:
    token = "x_(" + "n" * 90 + ")"
    lines = wrap_formula(f"a = {token} + 1", 40)
    assert any(token in line for line in lines)


def test_formulas_split_only_at_wide_gaps_outside_brackets() -> None:
    assert formulas("a = 1,    b = (c,    d)") == ["a = 1,", "b = (c,    d)"]
