"""A small temporary bank (math, per-student variant, code with a hidden check) and submissions."""

from __future__ import annotations

import textwrap
from pathlib import Path

from modl_tutor.bank.starters import starter_from_solution

SLOPE = """\
title = "Slope of x² + 2 at x = 5"
kind = "number"
points = 1
hints = ["power rule", "2x at x = 5"]

[answer]
expected = "10"
rel_tol = 1e-6

[[answer.mistakes]]
expected = "27"
message = "27 is f(5), not its slope."
"""

SCALED = """\
title = "Slope of {a}x"
kind = "number"
points = 2
hints = ["the slope of a line", "it is the coefficient"]

[params]
a = { min = 2, max = 9 }

[answer]
expected = "3*{a}"
rel_tol = 1e-9
"""

DOUBLE = """\
title = "Double a vector"
kind = "code"
points = 3
hints = ["multiply", "by two"]

[code]
function = "double"
timeout = 10
"""

CHECKS = '''\
import numpy as np

from modl_tutor.grading.toolkit import Check


def checks(rng):
    yield Check("doubles a vector", args=(np.array([1.0, 2.0]),),
                expected=np.array([2.0, 4.0]))
    yield Check("doubles zeros", args=(np.zeros(3),), expected=np.zeros(3))
    yield Check("doubles negatives", args=(np.array([-1.0, -3.0]),),
                expected=np.array([-2.0, -6.0]), hidden=True)
'''

SOLUTION = '''\
import numpy as np


def double(x):
    """Twice `x`, same shape and dtype."""
    # BEGIN SOLUTION
    return x * 2
    # END SOLUTION
'''

ABS_DOUBLE = "import numpy as np\n\n\ndef double(x):\n    return np.abs(x) * 2\n"
"""Passes the visible checks, fails the hidden one."""


def write_bank(root: Path, *, math: bool = True) -> Path:
    """Write the bank under `root` (exercises/ and solutions/); returns `root/exercises`."""
    def put(relative: str, text: str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")

    if math:
        put("exercises/derivatives/slope/exercise.toml", SLOPE)
        put("exercises/derivatives/slope/prompt.md", "What is the slope of x² + 2 at x = 5?\n")
        put("solutions/derivatives/slope.md", "2x = 10 at x = 5.\n")
        put("exercises/derivatives/scaled/exercise.toml", SCALED)
        put("exercises/derivatives/scaled/prompt.md", "Slope of 3·{a}·x?\n")
        put("solutions/derivatives/scaled.md", "3·{a}.\n")
    put("exercises/losses/double/exercise.toml", DOUBLE)
    put("exercises/losses/double/prompt.md", "Write `double(x)`.\n")
    put("exercises/losses/double/checks.py", CHECKS)
    put("solutions/losses/double.py", SOLUTION)
    put("exercises/losses/double/starter.py", starter_from_solution(SOLUTION))
    return root / "exercises"


def write_submission(root: Path, *, student: str = "alice", answers: str | None = None,
                     code: str | None = SOLUTION) -> Path:
    """A workspace folder with modl.toml, answers.toml and losses/double.py."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "modl.toml").write_text(f'[student]\nid = "{student}"\n', encoding="utf-8")
    if answers is not None:
        (root / "answers.toml").write_text(answers, encoding="utf-8")
    if code is not None:
        (root / "losses").mkdir(exist_ok=True)
        (root / "losses" / "double.py").write_text(code, encoding="utf-8")
    return root
