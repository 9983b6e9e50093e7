"""The live preview follows the grader's rule for names: an unknown variable is flagged while
the student types, not only when the answer is submitted."""

from __future__ import annotations


def test_an_unknown_variable_is_flagged_before_submitting(workspace, bank):
    from modl_tutor.tutor import Tutor

    tutor = Tutor.open(workspace.root, bank)
    part = bank.get("derivatives/sigmoid_prime").parts[0]
    flagged = tutor.preview(part, "sigmoid(y)*q")
    assert flagged.error and "unknown variable 'y'" in flagged.text
    fine = tutor.preview(part, "sigmoid(x)*(1 - sigmoid(x))")
    assert not fine.error and "σ(x)" in fine.text
