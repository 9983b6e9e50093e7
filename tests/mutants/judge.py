"""Grade a mutant in-process the way the grader judges it (no sandbox): static refusals, a call
on copies of the inputs, in-place modification, the wire round trip, compare and validate."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from modl_tutor.grading import wire
from modl_tutor.grading.code_grade import build_checks
from modl_tutor.grading.forbidden import find_forbidden
from modl_tutor.grading.toolkit import Check, Verdict, compare_outputs
from tests.inprocess import copied, memoised, module_from_source


@dataclass
class Outcome:
    """Which checks failed, with the message the student would read (hint included)."""

    refused: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    total: int = 0

    @property
    def full_marks(self) -> bool:
        return not self.refused and not self.failed


def _modified(before: Any, after: Any) -> bool:
    if isinstance(before, np.ndarray):
        return not (isinstance(after, np.ndarray) and before.shape == after.shape
                    and before.dtype == after.dtype and np.array_equal(
                        before, after, equal_nan=before.dtype.kind in "fc"))
    if isinstance(before, (list, tuple)):
        return len(before) != len(after) or any(_modified(b, a) for b, a in zip(before, after))
    if isinstance(before, dict):
        return before.keys() != after.keys() or any(_modified(before[k], after[k]) for k in before)
    return False


_CHECKS: dict[tuple[str, str], list[Check]] = {}


def _checks(exercise: Any, seed: str) -> list[Check]:
    """The exercise's checks, built once per (exercise, seed) for every mutant of it, each
    reference and known-mistake value computed once (the torch kernels are the cost)."""
    key = (exercise.id, seed)
    if key not in _CHECKS:
        _CHECKS[key] = memoised(build_checks(Path(exercise.checks_path), exercise.id, seed))
    return _CHECKS[key]


def judge_check(check: Check, module: Any, function: str) -> str | None:
    """None when the check passes, else the failure message (with the check's hint)."""
    args, kwargs = copied(check.args), copied(check.kwargs)
    try:
        with np.errstate(all="ignore"):
            got = (check.run(module) if check.run is not None
                   else getattr(module, check.function or function)(*args, **kwargs))
        got = wire.loads(wire.dumps(got))
    except Exception as err:  # noqa: BLE001 - a crash is a failed check
        message = f"{type(err).__name__}: {err}"
    else:
        if check.check_unmodified and (_modified(check.args, args)
                                       or _modified(check.kwargs, kwargs)):
            message = "your function modified its input in place"
        else:
            expected = check.expected_value() if check.has_reference else None
            verdict = (check.compare(got, expected, check) if check.compare is not None
                       else compare_outputs(got, expected, check) if check.has_reference
                       else Verdict.ok())
            if verdict.passed and check.validate is not None:
                problem = check.validate(got, check)
                verdict = Verdict.fail(problem) if problem else verdict
            if verdict.passed:
                return None
            message = verdict.message
    return f"{message}\nhint: {check.hint}" if check.hint else message


def judge_source(exercise: Any, source: str, seed: str = "") -> Outcome:
    """Every check of `exercise` on `source`, as the grader would score it."""
    assert exercise.code is not None
    refused = find_forbidden(source, tuple(exercise.code.forbidden), "submission.py")
    checks = _checks(exercise, seed)
    outcome = Outcome(refused=refused, total=len(checks))
    if refused:
        return outcome
    module = module_from_source(exercise.id.replace("/", "_"), source)
    for check in checks:
        message = judge_check(check, module, exercise.code.function)
        if message is not None:
            outcome.failed[check.name] = message
    return outcome
