"""The sandboxed child: confine itself, import the submission, run each check's call, send data.

Runs in a process forked from a grading worker; it never returns (the caller `os._exit`s).
Everything it sends is plain data on a private pipe (JSON lines, see `wire`); the parent
decides the score from the values alone.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import linecache
import os
import sys
import tempfile
import traceback
import types
from dataclasses import dataclass
from typing import Any

from modl_tutor.grading import wire
from modl_tutor.grading.confine import close_fds, confine
from modl_tutor.grading.namespaces import Isolation, drop_privileges, isolate
from modl_tutor.grading.toolkit.check import Check

MODULE_NAME = "submission"
OUTPUT_LIMIT = 8_000
FILE_LIMIT = 1 << 20
_PURGED_PREFIXES = ("torch", "functorch", "modl_tutor", "modl_checks_", "sympy")


@dataclass
class ChildSetup:
    """Everything the child needs, prepared by the trusted parent before the fork."""

    student_file: str
    source: str
    function: str
    result_fd: int
    output_fd: int
    timeout: float
    memory_mb: int
    scratch: str
    isolation: Isolation | None = None
    uid: int | None = None
    processes: int | None = 0


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


def run_child(setup: ChildSetup, checks: list[Check]) -> None:
    """Body of the sandboxed child."""
    os.setsid()
    os.dup2(setup.output_fd, 1)
    os.dup2(setup.output_fd, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    result_fd = setup.result_fd

    def send(record: dict[str, Any]) -> None:
        data = (json.dumps(record, allow_nan=False, separators=(",", ":")) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(result_fd, view):]

    isolation: dict[str, Any] = {}
    try:
        if setup.isolation is not None:
            isolation = isolate(setup.isolation)
        close_fds((0, 1, 2, result_fd))
        _clean_environment(setup.scratch)
        if setup.uid is not None or setup.isolation is not None:
            isolation["privileges"] = drop_privileges(setup.uid)
        isolation["limits"] = confine(cpu_seconds=int(setup.timeout) + 1,
                                      memory_mb=setup.memory_mb, file_limit=FILE_LIMIT,
                                      processes=setup.processes)
    except Exception as err:  # noqa: BLE001 - report and stop: never run code half-confined
        send({"event": "sandbox_error", "message": f"{type(err).__name__}: {err}"})
        return
    send({"event": "ready", "isolation": isolation})
    _purge_modules()
    budget = [OUTPUT_LIMIT]
    sys.stdout = _CappedWriter(1, budget)
    sys.stderr = _CappedWriter(2, budget)
    module = _import_submission(setup.source, setup.student_file, send)
    if module is not None:
        send({"event": "imported"})
        for index, check in enumerate(checks):
            send({"event": "start", "i": index})
            send(_run_one(module, setup.function, check, index))
    send({"event": "done"})


def _clean_environment(scratch: str) -> None:
    os.chdir(scratch)
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch,
                       "LANG": "C.UTF-8"})
    tempfile.tempdir = scratch


def _purge_modules() -> None:
    """Forget the oracle's modules so the submission cannot reach them by name."""
    for name in list(sys.modules):
        if name.startswith(_PURGED_PREFIXES):
            del sys.modules[name]


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


def _run_one(module: Any, function: str, check: Check, index: int) -> dict[str, Any]:
    filename = getattr(module, "__file__", "")
    name = check.function or function
    try:
        if check.run is not None:
            value = check.run(module)
            mutated: list[dict[str, Any]] = []
        else:
            fn = module.__dict__.get(name)
            if not callable(fn):
                return {"event": "result", "i": index, "ok": False, "kind": "missing_function",
                        "error": f"your file does not define a function `{name}`"}
            args = copy.deepcopy(check.args)
            kwargs = copy.deepcopy(check.kwargs)
            value = fn(*args, **kwargs)
            mutated = _mutations(fn, args, check.args)
        encoded = wire.encode(value)
        return {"event": "result", "i": index, "ok": True, "value": encoded, "mutated": mutated}
    except BaseException as err:  # noqa: BLE001 - report, never crash
        return {"event": "result", "i": index, "ok": False, **describe_error(err, filename)}


def _mutations(fn: Any, after: tuple[Any, ...], before: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Which array arguments changed during the call, with the first changed element."""
    import numpy as np

    try:
        code = fn.__code__
        names = list(code.co_varnames[:code.co_argcount])
    except AttributeError:
        names = []
    changes = []
    for position, (a, b) in enumerate(zip(after, before)):
        if not isinstance(b, np.ndarray):
            continue
        same = isinstance(a, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype and \
            _digest(a) == _digest(b)
        if same:
            continue
        change: dict[str, Any] = {"arg": position,
                                  "name": names[position] if position < len(names) else ""}
        if isinstance(a, np.ndarray) and a.shape == b.shape:
            differs = ~((a == b) | (np.isnan(a) & np.isnan(b)) if b.dtype.kind == "f"
                        else (a == b))
            where = np.argwhere(differs)
            if len(where):
                at = tuple(int(i) for i in where[0])
                change.update(index=list(at), before=float(b[at]), after=float(a[at]))
        changes.append(change)
    return changes


def _digest(array: Any) -> str:
    import numpy as np

    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def describe_error(err: BaseException, filename: str) -> dict[str, Any]:
    """`kind`, a one-paragraph `error` and the student's `line` for an exception."""
    line = None
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    if isinstance(err, SyntaxError):
        return {"kind": "syntax", "line": err.lineno,
                "error": f"SyntaxError at line {err.lineno}: {err.msg}"}
    if isinstance(err, SystemExit):
        return {"kind": "exit", "line": line,
                "error": f"the code called sys.exit({err.code!r:.60})" +
                         (f" at line {line}" if line else "")}
    if isinstance(err, NotImplementedError):
        return {"kind": "not_implemented", "line": line,
                "error": f"NotImplementedError: {str(err)[:200]}" +
                         (f" (line {line})" if line else "")}
    if isinstance(err, RecursionError):
        return {"kind": "recursion", "line": line,
                "error": "RecursionError: maximum recursion depth exceeded" +
                         (f" (line {line})" if line else "")}
    if isinstance(err, MemoryError):
        return {"kind": "memory", "line": line,
                "error": "MemoryError: the memory limit was reached" +
                         (f" (line {line})" if line else "")}
    where = ""
    if line is not None:
        text = linecache.getline(filename, line).strip()[:120]
        where = f" (line {line}: {text})" if text else f" (line {line})"
    kind = "wire" if isinstance(err, wire.WireError) else "exception"
    return {"kind": kind, "line": line,
            "error": f"{type(err).__name__}: {str(err)[:500]}{where}"}
