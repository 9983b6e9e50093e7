"""Run a submission's function in a forked, limited child; collect plain-data results on a pipe."""

from __future__ import annotations

import copy
import json
import os
import resource
import select
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modl_tutor.grading import wire
from modl_tutor.grading.confine import confine
from modl_tutor.grading.toolkit.check import Check

OUTPUT_LIMIT = 4_000
FILE_LIMIT = 1 << 20
MODULE_NAME = "submission"


@dataclass
class SandboxRun:
    """What came back from the child: one record per check index, plus how it ended."""

    records: dict[int, dict[str, Any]] = field(default_factory=dict)
    import_error: str = ""
    finished: bool = False
    timed_out: bool = False
    exit_description: str = ""
    output: str = ""
    current: int | None = None
    protocol_error: str = ""


def _describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals.__members__.values() else str(sig)
        reasons = {"SIGSEGV": "a segmentation fault", "SIGKILL": "killed (memory or CPU limit)",
                   "SIGXCPU": "the CPU-time limit", "SIGXFSZ": "the file-size limit",
                   "SIGABRT": "an abort"}
        return f"the process died from {reasons.get(name, name)}"
    if os.WIFEXITED(status):
        return f"the process exited with status {os.WEXITSTATUS(status)}"
    return "the process ended"


def run_checks(student_file: Path, function: str, checks: list[Check], *, timeout: float,
               memory_mb: int) -> SandboxRun:
    """Fork a confined child that imports `student_file` and runs every check's call."""
    read_fd, write_fd = os.pipe()
    scratch = tempfile.mkdtemp(prefix="modl-sandbox-")
    out_path = Path(scratch) / ".output"
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child: never returns
        code = 70
        try:
            os.close(read_fd)
            _child(student_file, function, checks, write_fd, scratch, out_path, timeout,
                   memory_mb)
            code = 0
        except BaseException:  # noqa: BLE001 - nothing may escape the child
            code = 71
        finally:
            os._exit(code)
    os.close(write_fd)
    run = SandboxRun()
    deadline = time.monotonic() + timeout
    buffer = b""
    received = 0
    status = None
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                run.timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], min(remaining, 0.5))
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            received += len(chunk)
            if received > wire.MAX_ARRAY_BYTES * 2:
                run.protocol_error = "the submission sent too much data"
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                _accept(run, line)
    finally:
        os.close(read_fd)
        _kill_group(pid)
        _, status = os.waitpid(pid, 0)
    run.exit_description = _describe_exit(status) if status is not None else ""
    try:
        with open(out_path, "rb") as handle:
            raw = handle.read(OUTPUT_LIMIT + 1)
        text = raw.decode("utf-8", "replace")
        run.output = text[:OUTPUT_LIMIT] + ("\n… (output truncated)" if len(raw) > OUTPUT_LIMIT
                                            else "")
    except OSError:
        pass
    _remove_tree(scratch)
    return run


def _accept(run: SandboxRun, line: bytes) -> None:
    try:
        record = json.loads(line)
    except ValueError:
        run.protocol_error = "the result channel held something that is not a result"
        return
    if not isinstance(record, dict):
        return
    event = record.get("event")
    if event == "start" and isinstance(record.get("i"), int):
        run.current = record["i"]
    elif event == "result" and isinstance(record.get("i"), int):
        run.records[record["i"]] = record
        run.current = None
    elif event == "import_error":
        run.import_error = str(record.get("message", ""))[:2000]
    elif event == "done":
        run.finished = True


def _kill_group(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


def _remove_tree(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


# -- the child ------------------------------------------------------------------------------
def _child(student_file: Path, function: str, checks: list[Check], write_fd: int, scratch: str,
           out_path: Path, timeout: float, memory_mb: int) -> None:
    os.setsid()
    out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    os.close(out_fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    source = Path(student_file).read_text(encoding="utf-8", errors="replace")
    os.chdir(scratch)
    confine(scratch=scratch, keep_fds=(0, 1, 2, write_fd), cpu_seconds=int(timeout) + 1,
            memory_mb=memory_mb, file_limit=FILE_LIMIT)
    channel = os.fdopen(write_fd, "w", buffering=1)

    def send(record: dict[str, Any]) -> None:
        channel.write(json.dumps(record, allow_nan=False, separators=(",", ":")) + "\n")
        channel.flush()

    module = _import_submission(source, str(student_file), send)
    if module is None:
        send({"event": "done"})
        return
    for index, check in enumerate(checks):
        send({"event": "start", "i": index})
        send(_run_one(module, function, check, index))
    send({"event": "done"})


def _import_submission(source: str, filename: str, send: Any) -> Any:
    import types

    module = types.ModuleType(MODULE_NAME)
    module.__file__ = filename
    sys.modules[MODULE_NAME] = module
    try:
        code = compile(source, filename, "exec")
        exec(code, module.__dict__)  # noqa: S102 - the confined child runs the student's own file
    except BaseException as err:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
        send({"event": "import_error", "message": _format_error(err, filename)})
        return None
    return module


def _run_one(module: Any, function: str, check: Check, index: int) -> dict[str, Any]:
    filename = getattr(module, "__file__", "")
    try:
        if check.run is not None:
            value = check.run(module)
            mutated: list[int] = []
        else:
            name = check.function or function
            fn = module.__dict__.get(name)
            if not callable(fn):
                return {"event": "result", "i": index, "ok": False,
                        "error": f"your file does not define a function `{name}`"}
            args = copy.deepcopy(check.args)
            kwargs = copy.deepcopy(check.kwargs)
            value = fn(*args, **kwargs)
            mutated = [i for i, (a, b) in enumerate(zip(args, check.args)) if not _same(a, b)]
        encoded = wire.encode(value)
        return {"event": "result", "i": index, "ok": True, "value": encoded, "mutated": mutated}
    except RecursionError:
        return {"event": "result", "i": index, "ok": False,
                "error": "RecursionError: maximum recursion depth exceeded"}
    except BaseException as err:  # noqa: BLE001 - report, never crash
        return {"event": "result", "i": index, "ok": False,
                "error": _format_error(err, filename)}


def _same(a: Any, b: Any) -> bool:
    import numpy as np

    if isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype and \
            bool(np.array_equal(a, b, equal_nan=True))
    return True


def _format_error(err: BaseException, filename: str) -> str:
    if isinstance(err, SyntaxError):
        return f"SyntaxError at line {err.lineno}: {err.msg}"
    if isinstance(err, SystemExit):
        return f"the code called sys.exit({err.code!r})"
    where = ""
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == filename:
            where = f" (line {frame.lineno}: {(frame.line or '').strip()[:120]})"
    message = str(err)[:500]
    return f"{type(err).__name__}: {message}{where}"


def current_limits() -> dict[str, tuple[int, int]]:
    """The rlimits in force (for diagnostics and tests)."""
    names = ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC")
    return {n: resource.getrlimit(getattr(resource, n)) for n in names}
