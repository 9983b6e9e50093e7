"""Grade one code exercise in the trusted worker: run the sandbox, compute references, compare."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import time
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from modl_tutor.grading.forbidden import find_forbidden
from modl_tutor.grading.toolkit.check import Check
from modl_tutor.result import ExerciseResult, exercise_status, scaled_checks

if TYPE_CHECKING:
    from modl_tutor.grading.sandbox import SandboxRun

_CHECK_MODULES: dict[str, ModuleType] = {}


def load_checks_module(path: Path) -> ModuleType:
    """Import an exercise's checks.py once per process (it is trusted bank code)."""
    try:
        key = f"{path}|{path.stat().st_mtime_ns}"
    except OSError:
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


def _secrets(checks_path: Path) -> list[Path]:
    """Folders the submission must not see: the bank that holds the checks and solutions."""
    from modl_tutor import paths

    found = [checks_path.resolve().parent.parent.parent, paths.bank_root()]
    return list(dict.fromkeys(p for p in found if p.is_dir()))


def _finish(result: ExerciseResult) -> dict[str, Any]:
    data = result.to_dict()
    data["duration"] = result.duration
    return data


def _remap(run: SandboxRun, indices: list[int]) -> SandboxRun:
    """The run with its check indices translated back to positions in the full check list."""
    remapped = copy.copy(run)
    remapped.records = {indices[i]: r for i, r in run.records.items() if 0 <= i < len(indices)}
    remapped.current = indices[run.current] if run.current is not None and \
        0 <= run.current < len(indices) else None
    return remapped


def grade_code(request: dict[str, Any]) -> dict[str, Any]:
    """Grade one (submission file, exercise) request; returns `ExerciseResult.to_dict()` data."""
    from modl_tutor.grading.feedback import judge, summarize
    from modl_tutor.grading.sandbox import run_checks

    started = time.monotonic()
    exercise_id = request["exercise_id"]
    points = float(request["points"])
    student_file = Path(request["student_file"])
    timeout = float(request.get("timeout", 10.0))
    shown_name = "/".join(student_file.parts[-2:])
    if not student_file.is_file():
        return _error(exercise_id, points, "missing",
                      f"{shown_name} is missing from the workspace", started)
    try:
        source = student_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return _error(exercise_id, points, "error", f"{shown_name}: cannot be read ({err})",
                      started)
    try:
        problems = find_forbidden(source, tuple(request.get("forbidden", ())), shown_name)
    except SyntaxError as err:
        return _error(exercise_id, points, "error",
                      f"{shown_name}: SyntaxError at line {err.lineno}: {err.msg}", started)
    except (ValueError, RecursionError, MemoryError) as err:
        return _error(exercise_id, points, "error", f"{shown_name}: cannot be parsed "
                                                    f"({type(err).__name__})", started)
    if problems:
        shown = problems[:8] + ([f"… and {len(problems) - 8} more"] if len(problems) > 8 else [])
        return _error(exercise_id, points, "failed", "\n".join(shown), started)
    checks_path = Path(request["checks_path"])
    checks = build_checks(checks_path, exercise_id, request.get("seed", ""))
    visible = [i for i, c in enumerate(checks) if not c.hidden]
    hidden = [i for i, c in enumerate(checks) if c.hidden]

    def sandboxed(indices: list[int]) -> SandboxRun:
        # Hidden checks run in a separate child whose output students never see, and the
        # visible child is handed the hidden checks scrubbed of their inputs.
        return run_checks(student_file, request["function"], [checks[i] for i in indices],
                          timeout=timeout, memory_mb=int(request.get("memory_mb", 2048)),
                          secrets=_secrets(checks_path), source=source,
                          scrub=[checks[i] for i in range(len(checks)) if i not in indices])

    run = _remap(sandboxed(visible or hidden), visible or hidden)
    if visible and hidden:
        if run.imported and not run.timed_out and run.finished:
            extra = _remap(sandboxed(hidden), hidden)
            run.records.update(extra.records)
            if extra.timed_out or not extra.finished:
                run.hidden_trouble = extra
        else:  # the visible run already failed hard: don't spend the time limit twice
            run.hidden_skipped = True
    if run.sandbox_error and not run.records:
        return _error(exercise_id, points, "error",
                      f"the grader could not start its sandbox: {run.sandbox_error}", started)
    if run.import_error:
        prefix = ("your file stopped while it was imported" if run.import_error_kind == "exit"
                  else "your file could not be imported")
        return _finish(ExerciseResult(id=exercise_id, score=0.0, max_score=points,
                                      status="error", message=f"{prefix}: {run.import_error}",
                                      output=run.output, duration=time.monotonic() - started))
    if not run.imported:
        message = ("the time limit was reached while your file was being imported"
                   if run.timed_out else
                   f"the process ended while your file was being imported: "
                   f"{run.exit_description}")
        return _finish(ExerciseResult(id=exercise_id, score=0.0, max_score=points,
                                      status="error", message=message, output=run.output,
                                      duration=time.monotonic() - started))
    judged = [judge(index, check, getattr(run, "hidden_trouble", None) or run
                    if check.hidden else run, timeout) for index, check in enumerate(checks)]
    judged, message = summarize(run, judged, shown_name, request["function"], timeout)
    scaled = scaled_checks(judged, points)
    return _finish(ExerciseResult(id=exercise_id, score=sum(c.score for c in scaled),
                                  max_score=points, status=exercise_status(scaled, points),
                                  checks=scaled, message=message, output=run.output,
                                  duration=time.monotonic() - started))
