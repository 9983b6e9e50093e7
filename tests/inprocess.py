"""Run bank checks in-process (no sandbox) for fast unit tests of what the checks tell apart."""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import numpy as np

from modl_tutor.grading.toolkit import Check, compare_outputs


def module_from_source(name: str, source: str) -> ModuleType:
    """A module made from `source` (bank code or a test's buggy variant), in-process."""
    module = ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)  # noqa: S102 - trusted test code
    return module


def copied(value: Any) -> Any:
    """A copy of plain-data inputs (arrays, containers); anything else (an `Fn`) as it is. The
    sandbox hands a submission decoded copies too: code that modifies its inputs in place
    never changes a check's own inputs (shared by every test that uses the check)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(copied(v) for v in value)
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    return value


def _read_only(value: Any) -> Any:
    """`value` with its arrays made read-only: a memoised reference cannot be changed by
    whoever compares with it (that would raise instead of passing silently)."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _read_only(item)
    elif isinstance(value, dict):
        for item in value.values():
            _read_only(item)
    return value


def memoised(checks: list[Check]) -> list[Check]:
    """`checks` with each reference and each list of known-mistake values computed once, on
    first use, then reused (as the judge's reference store hands them out): the torch kernels
    are most of the cost of judging in-process. The values are those the check computes."""
    for check in checks:
        expected = functools.cache(check.expected_value)
        mistakes = functools.cache(check.mistake_values)
        check.expected_value = (  # type: ignore[method-assign]
            lambda once=expected: _read_only(once()))
        check.mistake_values = (  # type: ignore[method-assign]
            lambda once=mistakes: list(_read_only(once())))
    return checks


def passes(check: Check, module: ModuleType, function: str) -> bool:
    """Run one check in-process and judge it as the grader does (reference, compare, validate)."""
    try:
        if check.run is not None:
            got = check.run(module)
        else:
            got = getattr(module, check.function or function)(*copied(check.args),
                                                               **copied(check.kwargs))
    except Exception:  # noqa: BLE001 - a crash is a failed check
        return False
    verdict = (check.compare or compare_outputs)(got, check.expected_value(), check)
    if verdict.passed and check.validate is not None:
        return check.validate(got, check) is None
    return verdict.passed
