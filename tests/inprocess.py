"""Run bank checks in-process (no sandbox) for fast unit tests of what the checks tell apart."""

from __future__ import annotations

from types import ModuleType

from modl_tutor.grading.toolkit import Check, compare_outputs


def module_from_source(name: str, source: str) -> ModuleType:
    """A module made from `source` (bank code or a test's buggy variant), in-process."""
    module = ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)  # noqa: S102 - trusted test code
    return module


def passes(check: Check, module: ModuleType, function: str) -> bool:
    """Run one check in-process and judge it as the grader does (reference, compare, validate)."""
    try:
        if check.run is not None:
            got = check.run(module)
        else:
            got = getattr(module, check.function or function)(*check.args, **check.kwargs)
    except Exception:  # noqa: BLE001 - a crash is a failed check
        return False
    verdict = (check.compare or compare_outputs)(got, check.expected_value(), check)
    if verdict.passed and check.validate is not None:
        return check.validate(got, check) is None
    return verdict.passed
