"""Grade one code exercise in the trusted worker: run the sandbox, compute references, compare."""

from __future__ import annotations

import hashlib
import importlib.util
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from modl_tutor.grading.forbidden import find_forbidden
from modl_tutor.grading.toolkit.check import Check, Driver, Fn
from modl_tutor.result import ExerciseResult, exercise_status, scaled_checks, unread_file

if TYPE_CHECKING:
    from modl_tutor.grading.protocol import SandboxRun
    from modl_tutor.grading.references import ReferenceStore

CONTROL_FD: int | None = None
"""The control socket to the student runner (set by the judge server at start)."""
def wall_guard(cpu_seconds: float) -> float:
    """The wall-clock guard of a run: 3 × (the CPU budget and its 1 s grace) + 5 s — only
    against a stalled machine or a submission that waits instead of computing."""
    return 3.0 * (cpu_seconds + 1.0) + 5.0

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
    drivers = load_drivers_module(checks_path)
    for check in checks:
        for value in [check.run, *check.args, *check.kwargs.values()]:
            if isinstance(value, (Fn, Driver)):
                value.module = drivers
            elif callable(value) and not isinstance(value, type):
                raise TypeError(f"{checks_path}: check {check.name!r}: a function argument "
                                "must be Fn('<name in drivers.py>') and run= a Driver: student "
                                "code runs in a process that receives plain data only")
    return checks


def drivers_source(checks_path: Path) -> str:
    """The exercise's public drivers.py ('' when it has none): shipped to the sandbox."""
    path = Path(checks_path).parent / "drivers.py"
    return path.read_text(encoding="utf-8") if path.is_file() else ""  # trusted: bank file


def load_drivers_module(checks_path: Path) -> ModuleType | None:
    """drivers.py imported in the judge too (trusted bank code), for in-process use."""
    path = Path(checks_path).parent / "drivers.py"
    return load_checks_module(path) if path.is_file() else None


def _error(exercise_id: str, points: float, status: str, message: str,
           started: float) -> dict[str, Any]:
    result = ExerciseResult(id=exercise_id, score=0.0, max_score=points, status=status,  # type: ignore[arg-type]
                            message=message, duration=time.monotonic() - started)
    data = result.to_dict()
    data["duration"] = result.duration
    return data


def _finish(result: ExerciseResult) -> dict[str, Any]:
    data = result.to_dict()
    data["duration"] = result.duration
    return data


def call_spec(index: int, check: Check) -> dict[str, Any]:
    """One check's call as plain data for the sandbox (inputs only, never the reference)."""
    from modl_tutor.grading import wire

    spec: dict[str, Any] = {"i": index, "function": check.function,
                            "check_unmodified": bool(check.check_unmodified)}
    if check.run is not None:
        if not isinstance(check.run, Driver):
            raise TypeError(f"check {check.name!r}: run= must be a Driver from drivers.py")
        spec.update(driver=check.run.name, params=wire.encode(check.run.params))
    else:
        spec.update(args=wire.encode(list(check.args)), kwargs=wire.encode(dict(check.kwargs)))
    return spec


def make_job(request: dict[str, Any], checks: list[Check], indices: list[int]) -> dict[str, Any]:
    """The job for one sandboxed run: the source, public drivers and these checks' calls."""
    cpu = float(request.get("timeout", 10.0))
    return {"source": request["source"], "filename": request.get("filename", "submission.py"),
            "function": request["function"], "drivers": request.get("drivers", ""),
            "calls": [call_spec(i, checks[i]) for i in indices], "cpu_seconds": cpu,
            "wall_seconds": float(request.get("wall", wall_guard(cpu))),
            "memory_mb": int(request.get("memory_mb", 2048))}


def sandboxed(request: dict[str, Any], checks: list[Check], indices: list[int]) -> SandboxRun:
    """Run `indices` of `checks` in a fresh confined child of the student runner."""
    from modl_tutor.grading.protocol import SandboxRun, run_job

    if CONTROL_FD is None:
        from modl_tutor.grading.spawn import run_spawned, spawn_requested

        if spawn_requested():  # no fork here: a fresh student process per job
            return run_spawned(make_job(request, checks, indices), indices)
        run = SandboxRun()
        run.sandbox_error = "no student runner is connected"
        return run
    return run_job(CONTROL_FD, make_job(request, checks, indices), indices)


def sandboxed_phases(request: dict[str, Any], checks: list[Check], visible: list[int],
                     hidden: list[int]) -> tuple[SandboxRun, SandboxRun | None]:
    """The visible checks, then the hidden ones: two phases of one child of the runner (the
    hidden inputs reach it only once the visible phase is over and what it printed is read;
    see `protocol`), or two children where there is no runner (spawn). The hidden run is None
    when the visible one failed too hard to go on (it was not started)."""
    from modl_tutor.grading.protocol import run_phases

    if CONTROL_FD is None:
        run = sandboxed(request, checks, visible)
        if not (run.imported and not run.timed_out and run.finished):
            return run, None
        return run, sandboxed(request, checks, hidden)
    return run_phases(CONTROL_FD, make_job(request, checks, visible), visible,
                      {"calls": [call_spec(i, checks[i]) for i in hidden]}, hidden)


@dataclass
class Prepared:
    """An exercise's checks for one seed, the reference outputs resolved so far, and where
    the missing ones are stored once computed."""

    checks: list[Check]
    values: dict[int, Any]
    store: ReferenceStore | None
    fresh: bool = False
    waiting: Callable[[], bool] | None = None
    """Set when the reference process was asked for what is missing and has not answered
    yet: waits for its answer (True when it stored them). `complete` calls it first."""
    asked: str = ""
    """The token of that question (a judge worker resumes the job when its answer comes)."""
    held: int = 0
    """Bytes of the sandboxed runs' answers a parked job keeps (bounds what a worker parks)."""

    def missing(self) -> list[int]:
        """Checks whose reference (or known-mistake values) is still to be computed."""
        from modl_tutor.grading.references import unresolved

        return unresolved(self.checks, self.values)

    def complete(self, *, compute: bool = True) -> Prepared:
        """Resolve what is missing: load what was stored since, compute (and store) the rest
        (with `compute`: torch is imported then, if this process does not hold it yet)."""
        from modl_tutor.grading.references import resolve

        if self.waiting is not None:
            waiting, self.waiting = self.waiting, None
            if waiting():
                self.values.update(resolve(self.checks, self.store, self.missing(),
                                           compute=False))
        missing = self.missing()
        if missing and (compute or not self.fresh):
            self.values.update(resolve(self.checks, self.store, missing, fresh=self.fresh,
                                       compute=compute))
        return self


Identity = tuple[str, str, str, bool, bool]
HANDOFF: tuple[Identity, Prepared] | None = None
"""Set by a judge worker's `zygote._prepare` just before it grades a job: the job's checks and
the references stored so far (the rest is being computed by the reference process, or is
computed here after the sandboxed runs: see `Prepared.complete`)."""


def request_identity(request: dict[str, Any]) -> Identity:
    """What decides an exercise's checks and references within one judge process: checks
    path, id, seed, fresh (`modl verify`), and whether the reference store may be used (the
    client says no when graded code could write to it: see `client.store_trusted`)."""
    return (str(request.get("checks_path", "")), str(request.get("exercise_id", "")),
            str(request.get("seed", "")), bool(request.get("fresh_references")),
            request.get("reference_store", True) is not False)


def prepare(checks_path: Path, exercise_id: str, seed: str, *, fresh: bool = False,
            compute: bool = True, use_store: bool = True) -> Prepared:
    """The exercise's checks and their reference outputs: from the store (torch is imported
    only for missing ones), or all computed again when `fresh` (`modl verify`: the
    independent truth, nothing read, the store refilled). Without `compute`, only what is
    stored is loaded."""
    from modl_tutor.grading.references import ReferenceStore

    checks = build_checks(checks_path, exercise_id, seed)
    store = ReferenceStore.for_exercise(checks_path, exercise_id, seed) if use_store else None
    return Prepared(checks, {}, store, fresh).complete(compute=compute)


def _prepared(request: dict[str, Any]) -> Prepared:
    identity = request_identity(request)
    if HANDOFF is not None and HANDOFF[0] == identity:
        return HANDOFF[1]  # completed after the sandboxed runs (see `grade_code`)
    return prepare(Path(identity[0]), identity[1], identity[2], fresh=identity[3],
                   use_store=identity[4])


def _not_graded(exercise_id: str, points: float, message: str, started: float,
                output: str = "") -> dict[str, Any]:
    return _finish(ExerciseResult(id=exercise_id, score=0.0, max_score=points,
                                  status="not_graded", message=message, output=output,
                                  duration=time.monotonic() - started))


def grade_code(request: dict[str, Any]) -> dict[str, Any]:
    """Grade one (submission source, exercise) request; returns `ExerciseResult.to_dict()`
    (waiting, if need be, for references the reference process is computing)."""
    steps = grading(request)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def grading(request: dict[str, Any]) -> Generator[Prepared, None, dict[str, Any]]:
    """`grade_code` in two steps. After the sandboxed runs, when the job's references are
    still being computed (`Prepared.waiting`, with the question's token in `asked`), it
    yields the job's `Prepared` once: a judge worker parks the job there and runs another's
    sandboxed runs meanwhile (a first grading would otherwise wait for torch's import).
    Resumed, it completes the references and judges; it returns the result."""
    from modl_tutor.grading.feedback import judge, summarize

    started = time.monotonic()
    exercise_id = request["exercise_id"]
    points = float(request["points"])
    shown_name = str(request.get("filename", "submission.py"))
    timeout = float(request.get("timeout", 10.0))
    unread = unread_file(request, time.monotonic() - started)
    if unread is not None:
        return unread
    source = str(request["source"])
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
    prepared = _prepared(request)
    checks, stored = prepared.checks, prepared.values
    request = {**request, "drivers": drivers_source(checks_path)}
    visible = [i for i, c in enumerate(checks) if not c.hidden]
    hidden = [i for i, c in enumerate(checks) if c.hidden]
    # Hidden checks run after the visible ones are answered for: their inputs never reach
    # the visible phase's records or output, and nothing of theirs reaches visible output.
    hidden_run = None
    if visible and hidden:
        run, hidden_run = sandboxed_phases(request, checks, visible, hidden)
        if hidden_run is not None:
            run.records.update(hidden_run.records)
            run.not_graded = run.not_graded or hidden_run.not_graded
        else:  # the visible run already failed hard: don't spend the time limit twice
            run.hidden_skipped = True
    else:
        run = sandboxed(request, checks, visible or hidden)
    if run.not_graded:
        return _not_graded(exercise_id, points, "not graded: the grader ran out of time (the "
                           "machine is overloaded); this is not your fault — grade again",
                           started, run.output)
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
    if prepared.waiting is not None:
        prepared.held = run.size + (hidden_run.size if hidden_run is not None else 0)
        yield prepared  # the caller may grade other jobs until the answer is in
    prepared.complete()  # references the reference process was computing meanwhile, or here
    trouble = hidden_run if hidden_run is not None and (hidden_run.timed_out or
                                                        not hidden_run.finished) else None
    judged = [judge(index, check, trouble or run if check.hidden else run, timeout,
                    *((stored[index],) if index in stored else ()))
              for index, check in enumerate(checks)]
    judged, message = summarize(run, judged, shown_name, request["function"], timeout)
    scaled = scaled_checks(judged, points)
    return _finish(ExerciseResult(id=exercise_id, score=sum(c.score for c in scaled),
                                  max_score=points, status=exercise_status(scaled, points),
                                  checks=scaled, message=message, output=run.output,
                                  duration=time.monotonic() - started))
