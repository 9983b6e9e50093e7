"""Grade one code exercise in the trusted worker: run the sandbox, compute references, compare."""

from __future__ import annotations

import hashlib
import importlib.util
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from modl_tutor.grading import wire
from modl_tutor.grading.forbidden import find_forbidden
from modl_tutor.grading.toolkit.check import Check
from modl_tutor.grading.toolkit.compare import Verdict, compare_outputs
from modl_tutor.result import CheckResult, ExerciseResult, exercise_status, scaled_checks

_CHECK_MODULES: dict[str, ModuleType] = {}


def load_checks_module(path: Path) -> ModuleType:
    """Import an exercise's checks.py once per process (it is trusted bank code)."""
    key = str(path)
    if key not in _CHECK_MODULES:
        name = "modl_checks_" + hashlib.sha1(key.encode()).hexdigest()[:12]
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _CHECK_MODULES[key] = module
    return _CHECK_MODULES[key]


def build_checks(checks_path: Path, exercise_id: str, seed: str = "") -> list[Check]:
    """The exercise's checks, generated from an rng that depends only on the id and seed."""
    import numpy as np

    module = load_checks_module(checks_path)
    digest = hashlib.sha256(f"{exercise_id}|{seed}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    checks = list(module.checks(rng))
    if not checks or not all(isinstance(c, Check) for c in checks):
        raise TypeError(f"{checks_path}: checks(rng) must yield Check objects")
    return checks


def _error(exercise_id: str, points: float, status: str, message: str,
           started: float) -> dict[str, Any]:
    result = ExerciseResult(id=exercise_id, score=0.0, max_score=points, status=status,  # type: ignore[arg-type]
                            message=message, duration=time.monotonic() - started)
    data = result.to_dict()
    data["duration"] = result.duration
    return data


def grade_code(request: dict[str, Any]) -> dict[str, Any]:
    """Grade one (submission file, exercise) request; returns `ExerciseResult.to_dict()` data."""
    from modl_tutor.grading.sandbox import run_checks

    started = time.monotonic()
    exercise_id = request["exercise_id"]
    points = float(request["points"])
    student_file = Path(request["student_file"])
    if not student_file.is_file():
        return _error(exercise_id, points, "missing",
                      f"{student_file.name} is missing from the workspace", started)
    try:
        source = student_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return _error(exercise_id, points, "error", f"{student_file}: cannot be read ({err})",
                      started)
    try:
        problems = find_forbidden(source, tuple(request.get("forbidden", ())), str(student_file))
    except SyntaxError as err:
        return _error(exercise_id, points, "error",
                      f"{student_file.name}: SyntaxError at line {err.lineno}: {err.msg}", started)
    except (ValueError, RecursionError, MemoryError) as err:
        return _error(exercise_id, points, "error", f"{student_file.name}: cannot be parsed "
                                                    f"({type(err).__name__})", started)
    if problems:
        return _error(exercise_id, points, "failed", "\n".join(problems), started)
    checks = build_checks(Path(request["checks_path"]), exercise_id, request.get("seed", ""))
    run = run_checks(student_file, request["function"], checks,
                     timeout=float(request.get("timeout", 10.0)),
                     memory_mb=int(request.get("memory_mb", 2048)))
    if run.import_error:
        result = ExerciseResult(id=exercise_id, score=0.0, max_score=points, status="error",
                                message=f"your file could not be imported: {run.import_error}",
                                output=run.output, duration=time.monotonic() - started)
        data = result.to_dict()
        data["duration"] = result.duration
        return data
    results = [_judge(index, check, run) for index, check in enumerate(checks)]
    scaled = scaled_checks(results, points)
    message = ""
    if run.timed_out:
        message = f"time limit of {request.get('timeout', 10.0):g} s reached: the process was stopped"
    elif not run.finished:
        message = f"the submission stopped early: {run.exit_description}"
    result = ExerciseResult(id=exercise_id, score=sum(c.score for c in scaled), max_score=points,
                            status=exercise_status(scaled, points), checks=scaled,
                            message=message, output=run.output,
                            duration=time.monotonic() - started)
    data = result.to_dict()
    data["duration"] = result.duration
    return data


def _judge(index: int, check: Check, run: Any) -> CheckResult:
    def failed(message: str) -> CheckResult:
        if check.hint:
            message = f"{message}\nhint: {check.hint}"
        return CheckResult(check.name, False, 0.0, check.points, message, check.hidden)

    record = run.records.get(index)
    if record is None:
        if run.timed_out and (run.current == index or run.current is None):
            return failed("time limit reached during this check (an infinite loop, or far too "
                          "slow: use vectorised NumPy, not Python loops)")
        if run.current == index:
            return failed(f"this check did not finish: {run.exit_description}")
        return failed("not run: the submission stopped before this check")
    if not record.get("ok"):
        return failed(str(record.get("error", "error"))[:2000])
    try:
        got = wire.decode(record.get("value"))
    except (wire.WireError, ValueError, TypeError) as err:
        return failed(f"the result could not be read back: {err}")
    mutated = record.get("mutated") or []
    if check.check_unmodified and mutated:
        return failed(f"your function modified its input argument(s) {mutated} in place; "
                      "work on a copy (inputs must never be modified)")
    try:
        expected = check.expected_value()
    except Exception as err:  # noqa: BLE001 - a broken reference must not pass anyone
        return failed(f"internal error computing the reference: {type(err).__name__}: {err}")
    compare = check.compare or compare_outputs
    verdict: Verdict = compare(got, expected, check)
    if verdict.passed and check.validate is not None:
        problem = check.validate(got, check)
        if problem:
            verdict = Verdict.fail(problem)
    if not verdict.passed:
        message = verdict.message
        if check.show_input:
            shown = _show_input(check)
            if shown:
                message = f"{message}\ninput: {shown}"
        return failed(message)
    return CheckResult(check.name, True, check.points, check.points, verdict.message,
                       check.hidden)


def _show_input(check: Check) -> str:
    import numpy as np

    if check.run is not None:
        return ""
    parts = []
    for arg in check.args:
        if isinstance(arg, np.ndarray):
            if arg.size > 8:
                parts.append(f"array{arg.shape} {arg.dtype}")
            else:
                parts.append(np.array2string(arg, precision=4, separator=", "))
        elif callable(arg):
            parts.append(getattr(arg, "__name__", "a function"))
        else:
            parts.append(repr(arg)[:60])
    parts += [f"{k}={v!r:.40}" for k, v in check.kwargs.items()]
    return ", ".join(parts)
