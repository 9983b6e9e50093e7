"""Hidden checks run in a second phase of the child (see test_phases): students never see what
the submission printed there."""

from __future__ import annotations

import shutil

import pytest

from modl_tutor.grading.core import grade_code_exercise

PRINTING_SOFTMAX = '''
import numpy as np


def softmax(z, axis=-1):
    print("SEEN", z.shape, axis)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)
'''


@pytest.mark.slow
def test_output_of_hidden_checks_is_not_shown(workspace, bank, shared_grader):
    exercise = bank.get("losses/softmax")
    hidden = [c for c in __import__("modl_tutor.grading.code_grade", fromlist=["x"])
              .build_checks(exercise.checks_path, exercise.id, workspace.student_id) if c.hidden]
    assert hidden and hidden[0].args[0].shape == (2, 3, 4)
    workspace.code_path(exercise).write_text(PRINTING_SOFTMAX)
    result = grade_code_exercise(exercise, workspace, shared_grader)
    assert result.full_marks  # the hidden check is still graded, and passes
    assert any(c.hidden and c.passed for c in result.checks)
    assert "SEEN (3, 5) -1" in result.output  # output of visible checks is kept
    assert "(2, 3, 4)" not in result.output  # the hidden check's input never leaks
    assert "(2, 3, 4)" not in result.visible().output


@pytest.mark.slow
def test_a_hidden_check_failure_still_costs_marks(workspace, bank, shared_grader):
    exercise = bank.get("losses/softmax")
    source = (bank.solutions_root / "losses" / "softmax.py").read_text()
    wrong_3d = source.replace("    # BEGIN SOLUTION\n", "    # BEGIN SOLUTION\n"
                              "    if z.ndim == 3:\n        return z * 0\n")
    workspace.code_path(exercise).write_text(wrong_3d)
    result = grade_code_exercise(exercise, workspace, shared_grader)
    failed = [c for c in result.checks if not c.passed]
    assert failed and all(c.hidden for c in failed)
    assert not result.full_marks
    shutil.rmtree(workspace.root / "losses", ignore_errors=True)
