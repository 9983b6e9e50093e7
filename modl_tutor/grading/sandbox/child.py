"""The confined child: confine itself, import the submission, run each call, send plain data.

Forked by a supervisor (see `supervisor`) from the student runner, a process that never held a
check, a reference, a seed or another submission. It confines itself before any job exists
(`prepare`), then receives its one job (source, public drivers, inputs as plain data) and runs
it (`execute`): the visible checks' calls, then, in a job with hidden checks, theirs, which its
supervisor hands over only once the first phase is answered for. It never returns (the caller
`os._exit`s). Everything it sends is JSON lines on a private pipe; the judge decides the score
from the values alone.
"""

from __future__ import annotations

import io
import json
import linecache
import os
import sys
import tempfile
import time
import types
from dataclasses import dataclass
from typing import Any

from modl_tutor.grading import wire
from modl_tutor.grading.sandbox import namespaces as ns
from modl_tutor.grading.sandbox.calls import describe_error, run_one
from modl_tutor.grading.sandbox.limits import close_fds, confine, next_phase_cpu
from modl_tutor.grading.sandbox.view import private_tmp

MODULE_NAME = "submission"
DRIVERS_NAME = "modl_drivers"
OUTPUT_LIMIT = 8_000
FILE_LIMIT = 1 << 20


@dataclass
class ChildSetup:
    """How the supervisor wants this child confined."""

    result_fd: int
    output_fd: int
    cpu_seconds: float
    memory_mb: int
    namespaces: bool
    uid: int | None = None
    scratch: str = "/scratch"
    processes: int | None = 0
    base_vm: int = 0
    own_network: bool = True
    """False when its supervisor already gave its children an empty network namespace of
    their own (shared only by the children of that slot, which run one job at a time)."""


class _CappedWriter(io.TextIOBase):
    """sys.stdout/sys.stderr of the child: writes to a fd until a byte budget is spent."""

    def __init__(self, fd: int, budget: list[int]) -> None:
        self._fd = fd
        self._budget = budget

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        data = str(text).encode("utf-8", "replace")
        allowed = data[:max(0, self._budget[0])]
        self._budget[0] -= len(data)
        while allowed:
            try:
                written = os.write(self._fd, allowed)
            except OSError:
                break
            allowed = allowed[written:]
        return len(text)

    def flush(self) -> None:
        pass


def run_child(setup: ChildSetup, job: dict[str, Any]) -> None:
    """Body of a sandboxed child that was handed its job at once (the spawn runner)."""
    state = prepare(setup)
    if state is not None:
        execute(setup, state, job)


def run_pooled_child(setup: ChildSetup, job_fd: int) -> None:
    """Body of a child forked ahead of its job: confine, say so, then wait for the job on
    `job_fd` (a header line with the limits, then the job), and run it."""
    started = time.perf_counter()
    state = prepare(setup, keep=(job_fd,))
    if state is None:
        return
    _sender(setup.result_fd)({"event": "prepared",
                              "ms": round(1000 * (time.perf_counter() - started), 3)})
    try:
        data = _read_job(job_fd, lines=2)
        header, _, body = data.partition(b"\n")
        limits = json.loads(header)
        if not isinstance(limits, dict):
            raise ValueError("a job is an object")
        phases = limits.get("phases") == 2
        if not phases:
            body += _read_job(job_fd)
            os.close(job_fd)
        job = json.loads(body)
        if not isinstance(job, dict):
            raise ValueError("a job is an object")
        setup.cpu_seconds = float(limits.get("cpu_seconds", setup.cpu_seconds))
        setup.memory_mb = int(limits.get("memory_mb", setup.memory_mb))
        del data, header, body
    except (OSError, ValueError) as err:
        _sender(setup.result_fd)({"event": "sandbox_error", "message": f"bad job: {err}"[:500]})
        return
    execute(setup, state, job, job_fd if phases else None)


def _read_job(job_fd: int, lines: int = 0) -> bytes:
    """Read the job pipe to its end, or (`lines`) until that many lines are complete: the
    first phase of a job of two, whose second phase comes once the first is answered."""
    data = bytearray()
    seen = 0
    while True:
        chunk = os.read(job_fd, 1 << 20)
        if not chunk:
            break
        if lines:
            seen += chunk.count(b"\n")
        data.extend(chunk)
        if len(data) > MAX_JOB_BYTES:
            raise ValueError("job too large")
        if lines and seen >= lines:
            break
    return bytes(data)


MAX_JOB_BYTES = 64 << 20


class _Sender:
    """Records to the supervisor as JSON lines; `many` writes several at once."""

    def __init__(self, result_fd: int) -> None:
        self.result_fd = result_fd

    def __call__(self, record: dict[str, Any]) -> None:
        self.many([record])

    def many(self, records: list[dict[str, Any]]) -> None:
        data = "".join(json.dumps(record, allow_nan=False, separators=(",", ":")) + "\n"
                       for record in records).encode()
        view = memoryview(data)
        while view:
            view = view[os.write(self.result_fd, view):]


def _sender(result_fd: int) -> _Sender:
    return _Sender(result_fd)


def prepare(setup: ChildSetup, keep: tuple[int, ...] = ()) -> dict[str, Any] | None:
    """The confinement that needs no job: session, descriptors, namespaces (own mount with
    a private scratch tmpfs, network, IPC), privileges dropped for good. None on failure
    (reported on the result channel: never run code half-confined)."""
    ns.die_with_parent()
    if hasattr(os, "setsid"):
        try:
            os.setsid()
        except OSError:  # already a session leader (a spawned runner starts as one)
            pass
    os.dup2(setup.output_fd, 1)
    os.dup2(setup.output_fd, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    isolation: dict[str, Any] = {}
    try:
        scratch = setup.scratch
        if setup.namespaces:
            ns.unshare(ns.CLONE_NEWNS | ns.CLONE_NEWIPC |
                       (ns.CLONE_NEWNET if setup.own_network else 0))
            scratch = private_tmp(setup.uid)
            isolation.update(filesystem=True, network=True)
        close_fds((0, 1, 2, setup.result_fd, *keep))
        if setup.uid is not None or setup.namespaces:
            isolation["privileges"] = ns.drop_privileges(setup.uid)
            ns.die_with_parent()  # a change of credentials clears the parent-death signal
        _clean_environment(scratch)
    except Exception as err:  # noqa: BLE001 - report and stop: never run code half-confined
        _sender(setup.result_fd)({"event": "sandbox_error",
                                  "message": f"{type(err).__name__}: {err}"[:500]})
        return None
    return {"scratch": scratch, "isolation": isolation}


def execute(setup: ChildSetup, state: dict[str, Any], job: dict[str, Any],
            second_phase: int | None = None) -> None:
    """The part that needs the job: its file, limits, the calls; results as JSON lines.

    With `second_phase` (the job pipe, still open), once the first phase is done, the hidden
    checks' calls are read from it and run on a fresh import of the file, in a CPU budget
    of their own."""
    send = _sender(setup.result_fd)
    isolation = state["isolation"]
    try:
        scratch = state["scratch"]
        filename = _place_source(scratch, job)
        isolation["limits"] = confine(cpu_seconds=setup.cpu_seconds, memory_mb=setup.memory_mb,
                                      file_limit=FILE_LIMIT, processes=setup.processes,
                                      base_vm=setup.base_vm, phases=2 if second_phase else 1)
        _exit_on_cpu_limit()
        calls = _decoded(job)
    except Exception as err:  # noqa: BLE001 - report and stop: never run code half-confined
        send({"event": "sandbox_error", "message": f"{type(err).__name__}: {err}"[:500]})
        return
    send({"event": "ready", "isolation": isolation})
    _capture_output()
    _run_phase(job, filename, calls, send)
    if second_phase is None:
        return
    try:
        hidden = json.loads(_read_job(second_phase) or b"null")
        os.close(second_phase)
        if not isinstance(hidden, dict):
            return  # no second phase (the first one did not end well)
        calls = _decoded(hidden)
        next_phase_cpu(setup.cpu_seconds)
    except Exception as err:  # noqa: BLE001 - report and stop
        send({"event": "sandbox_error", "message": f"{type(err).__name__}: {err}"[:500]})
        return
    send({"event": "ready", "isolation": isolation})
    _capture_output()  # as in a fresh process (the supervisor drops this phase's output)
    _run_phase(job, filename, calls, send)


def _capture_output() -> None:
    """sys.stdout and sys.stderr: the output pipe, OUTPUT_LIMIT bytes between them."""
    budget = [OUTPUT_LIMIT]
    sys.stdout = _CappedWriter(1, budget)
    sys.stderr = _CappedWriter(2, budget)


def _decoded(job: dict[str, Any]) -> list[tuple[dict[str, Any], Any, Any, Any]]:
    return [(c, wire.decode(c.get("args") or []), wire.decode(c.get("kwargs") or {}),
             wire.decode(c.get("params") or {})) for c in job.get("calls", [])]


def _run_phase(job: dict[str, Any], filename: str,
               calls: list[tuple[dict[str, Any], Any, Any, Any]], send: _Sender) -> None:
    """Import the drivers and the file (fresh modules), run `calls`, end with "done"."""
    drivers = _load_drivers(str(job.get("drivers") or ""), send)
    if drivers is None:
        send({"event": "done"})
        return
    module = _import_submission(str(job.get("source", "")), filename, send)
    # Records wait for the next moment student code runs (one write per call, not two): a
    # call's "start" always leaves before the call, so a call that never returns is known.
    pending: list[dict[str, Any]] = []
    if module is not None:
        pending.append({"event": "imported"})
        for call, args, kwargs, params in calls:
            index = int(call.get("i", -1))
            pending.append({"event": "start", "i": index})
            send.many(pending)
            pending = [run_one(module, drivers, str(job.get("function", "")), call, index,
                                (args, kwargs, params))]
    send.many([*pending, {"event": "done"}])


CPU_LIMIT_EXIT = 128 + 24
"""Exit status of a child stopped by SIGXCPU (see `_exit_on_cpu_limit`)."""


def _exit_on_cpu_limit() -> None:
    """As init of a PID namespace the child would ignore SIGXCPU's default action: exit on it
    instead (code that overrides this still meets the hard limit's SIGKILL a second later)."""
    import signal

    if hasattr(signal, "SIGXCPU"):
        signal.signal(signal.SIGXCPU, lambda signum, frame: os._exit(CPU_LIMIT_EXIT))


def _place_source(scratch: str, job: dict[str, Any]) -> str:
    """Write the submission into the child's own temp dir (read-only): its one visible file."""
    name = os.path.basename(str(job.get("filename") or "submission.py")) or "submission.py"
    path = os.path.join(scratch, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(str(job.get("source", "")))
    os.chmod(path, 0o444)
    return path


def child_environment(scratch: str) -> dict[str, str]:
    """A child's whole environment (the runner sets it once where every scratch is the same)."""
    return {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8"}


def _clean_environment(scratch: str) -> None:
    os.chdir(scratch)
    wanted = child_environment(scratch)
    if dict(os.environ) != wanted:
        os.environ.clear()
        os.environ.update(wanted)
    tempfile.tempdir = scratch


def _load_drivers(source: str, send: Any) -> types.ModuleType | None:
    """The exercise's public drivers (plain NumPy code shipped with the job), as a module."""
    module = types.ModuleType(DRIVERS_NAME)
    if source:
        try:
            exec(compile(source, "drivers.py", "exec"), module.__dict__)  # noqa: S102 - public bank code
        except BaseException as err:  # noqa: BLE001
            send({"event": "sandbox_error", "message": f"the exercise's drivers failed: {err}"})
            return None
    sys.modules[DRIVERS_NAME] = module
    return module


def _import_submission(source: str, filename: str, send: Any) -> Any:
    module = types.ModuleType(MODULE_NAME)
    module.__file__ = filename
    sys.modules[MODULE_NAME] = module
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        code = compile(source, filename, "exec")
        exec(code, module.__dict__)  # noqa: S102 - the confined child runs the student's own file
    except BaseException as err:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
        send({"event": "import_error", **describe_error(err, filename)})
        return None
    return module
