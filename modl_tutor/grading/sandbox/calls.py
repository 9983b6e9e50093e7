"""One check's call inside the confined child: public driver functions resolved, the call
made, which array arguments it changed, and an exception described for the student."""

from __future__ import annotations

import copy
import functools
import hashlib
import linecache
import traceback
import types
from typing import Any

from modl_tutor.grading import wire


def _resolve(value: Any, drivers: types.ModuleType) -> Any:
    """Arguments that name a public driver function (`wire.FnRef`) become that function."""
    if isinstance(value, wire.FnRef):
        fn = getattr(drivers, value.name)
        return functools.partial(fn, **value.params) if value.params else fn
    if isinstance(value, tuple):
        return tuple(_resolve(v, drivers) for v in value)
    if isinstance(value, list):
        return [_resolve(v, drivers) for v in value]
    return value


def run_one(module: Any, drivers: types.ModuleType, function: str, call: dict[str, Any],
             index: int, decoded: tuple[Any, Any, Any]) -> dict[str, Any]:
    filename = getattr(module, "__file__", "")
    args, kwargs, params = decoded
    try:
        driver = call.get("driver")
        if driver:
            value = getattr(drivers, str(driver))(module, **params)
            mutated: list[dict[str, Any]] = []
        else:
            name = str(call.get("function") or function)
            fn = module.__dict__.get(name)
            if not callable(fn):
                return {"event": "result", "i": index, "ok": False, "kind": "missing_function",
                        "error": f"your file does not define a function `{name}`"}
            args = _resolve(tuple(args), drivers)
            kwargs = {k: _resolve(v, drivers) for k, v in kwargs.items()}
            original = copy.deepcopy(args)
            value = fn(*args, **kwargs)
            mutated = _mutations(fn, args, original) if call.get("check_unmodified", True) \
                else []
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
