"""`modl check` in a terminal: the same words as before, a wrapped line hangs under its own text,
each row of an array is one line aligned under the first, and no line ends in padding."""

from __future__ import annotations

import io

import numpy as np
from rich.console import Console

from modl_tutor.reports.terminal import exercise_text, print_exercise
from modl_tutor.result import CheckResult, ExerciseResult

WIDE = np.array2string(np.linspace(0.1, 0.9, 24).reshape(2, 12), separator=", ",
                       max_line_width=75)  # NumPy breaks each row itself at 75 columns
RESULT = ExerciseResult("losses/softmax", 1.0, 4.0, "failed", checks=[
    CheckResult("vector of 4 logits", True, 1.0, 1.0),
    CheckResult("batch (3, 5), last axis", False, 0.0, 1.0,
                "likely cause: your values sum to 1 along axis 0: normalised over the wrong "
                "axis? Normalise along `axis`, the last one by default, as the prompt says."),
    CheckResult("a wide batch", False, 0.0, 1.0, f"expected {WIDE}\n     got {WIDE}"),
    CheckResult("secret", False, 0.0, 1.0, "hidden input", hidden=True),
])


def _printed(width: int = 60) -> list[str]:
    out = io.StringIO()
    print_exercise(RESULT, Console(file=out, width=width, color_system=None))
    return out.getvalue().splitlines()


def test_same_words_as_the_plain_report() -> None:
    assert " ".join(_printed()).split() == exercise_text(RESULT).plain.split()


def test_a_wrapped_line_hangs_under_its_text_and_nothing_is_padded() -> None:
    lines = _printed()
    start = next(i for i, line in enumerate(lines) if "likely cause" in line)
    assert lines[start].startswith("      likely cause")
    assert lines[start + 1].startswith("      ") and lines[start + 1].strip()
    assert all(line == line.rstrip() for line in lines)
    assert all(len(line) <= 60 for line in lines if "[" not in line)


def test_each_array_row_is_one_line_under_the_first_row() -> None:
    lines = _printed()
    rows = [line for line in lines if "0.1" in line or "0.9" in line]
    first = next(line for line in lines if "expected [[" in line)
    second = lines[lines.index(first) + 1]
    assert second.index("[") == first.index("[[") + 1  # aligned under the first row
    assert first.count(",") == 12 and second.rstrip().endswith("]]")  # 12 values, one line
    assert len(rows) >= 4 and all(len(r) > 60 for r in rows)  # never broken to fit
    assert "hidden input" not in "\n".join(lines)
