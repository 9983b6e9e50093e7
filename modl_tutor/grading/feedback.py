"""Turn what the sandbox sent back into graded checks with feedback that teaches."""

from __future__ import annotations

from typing import Any

from modl_tutor.grading import wire
from modl_tutor.grading.sandbox import SandboxRun
from modl_tutor.grading.toolkit.check import Check
from modl_tutor.grading.toolkit.compare import Verdict, compare_outputs
from modl_tutor.result import CheckResult

NOT_WRITTEN = "not written yet"


_COMPUTE = object()


def judge(index: int, check: Check, run: SandboxRun, timeout: float,
          expected: Any = _COMPUTE) -> CheckResult:
    """Grade one check from the child's record (the reference is computed only here, or
    passed in as `expected` when the reference store had it)."""
    def failed(message: str, *, with_hint: bool = True) -> CheckResult:
        if check.hint and with_hint:
            message = f"{message}\nhint: {check.hint}"
        return CheckResult(check.name, False, 0.0, check.points, message, check.hidden)

    record = run.records.get(index)
    if record is None:
        if run.timed_out and (run.current == index or run.current is None):
            if getattr(run, "idle", False):
                return failed(f"this check waited {run.wall:.0f} s without computing (sleep? "
                              "a blocking read?) and was stopped", with_hint=False)
            return failed(f"time limit ({timeout:g} s of CPU time) reached during this check: "
                          "an infinite loop, or far too slow (use vectorised NumPy, not "
                          "Python loops)", with_hint=False)
        if run.current == index:
            return failed(f"this check did not finish: {run.exit_description}", with_hint=False)
        return failed("not run: the submission stopped before this check", with_hint=False)
    if not record.get("ok"):
        kind = record.get("kind")
        if kind == "not_implemented":
            return failed(NOT_WRITTEN, with_hint=False)
        return failed(_error_message(record))
    try:
        got = wire.decode(record.get("value"))
    except (wire.WireError, ValueError, TypeError) as err:
        return failed(f"the result could not be read back: {err}")
    mutated = record.get("mutated") or []
    if check.check_unmodified and mutated and isinstance(mutated, list):
        return failed(_mutation_message(mutated))
    try:
        if expected is _COMPUTE:
            expected = check.expected_value() if check.has_reference else None
    except Exception as err:  # noqa: BLE001 - a broken reference must not pass anyone
        return failed(f"internal error computing the reference: {type(err).__name__}: {err}",
                      with_hint=False)
    if check.compare is not None:
        verdict = check.compare(got, expected, check)
    elif check.has_reference:
        verdict = compare_outputs(got, expected, check)
    else:
        verdict = Verdict.ok()
    if verdict.passed and check.validate is not None:
        problem = check.validate(got, check)
        if problem:
            verdict = Verdict.fail(problem)
    if not verdict.passed:
        shown = show_input(check) if check.show_input else ""
        return failed(_symptom_first(verdict.message, f"input: {shown}" if shown else ""))
    return CheckResult(check.name, True, check.points, check.points, verdict.message,
                       check.hidden)


def _symptom_first(message: str, input_line: str) -> str:
    """Symptom (what came back, and for which input) first, then the likely cause; the
    check's hint is appended after both by `judge`."""
    if not input_line:
        return message
    symptom, marker, cause = message.partition("\nlikely cause: ")
    if not marker:
        return f"{message}\n{input_line}"
    return f"{symptom}\n{input_line}{marker}{cause}"


def _error_message(record: dict[str, Any]) -> str:
    error = str(record.get("error", "error"))[:2000]
    kind = record.get("kind")
    if kind == "memory":
        return f"{error} — the grader allows a few GB; look for an accidental (N, N) array " \
               "or a list that grows forever"
    if kind == "recursion":
        return f"{error} — use a loop or NumPy instead of recursion"
    if kind == "wire":
        return f"{error} (return numbers, NumPy arrays, tuples, lists or dicts)"
    return error


def _mutation_message(mutated: list[Any]) -> str:
    parts = []
    for change in mutated[:3]:
        if not isinstance(change, dict):
            continue
        name = str(change.get("name") or f"argument {change.get('arg')}")
        text = f"`{name}`"
        if isinstance(change.get("index"), list):
            before, after = _short(change.get("before")), _short(change.get("after"))
            if before == after:  # differs beyond 6 digits: show every digit
                before, after = repr(change.get("before")), repr(change.get("after"))
            text += f" (at index {tuple(change['index'])}: {before} became {after})"
        parts.append(text)
    which = ", ".join(parts) or "an input"
    return (f"your function modified its input in place: {which}; inputs must never be "
            "modified — work on a copy (`z = z - m` makes a new array, `z -= m` overwrites "
            "the caller's)")


def _short(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else repr(value)[:40]


def show_input(check: Check) -> str:
    """The check's input when it is small enough to read, else its shapes and dtypes."""
    import numpy as np

    if check.run is not None:
        return ""
    parts = []
    for arg in check.args:
        if isinstance(arg, np.ndarray):
            if arg.size > 8:
                parts.append(f"array{arg.shape} {arg.dtype}")
            else:
                parts.append(np.array2string(arg, precision=6, separator=", ")
                             + ("" if arg.dtype == np.float64 else f" ({arg.dtype})"))
        elif callable(arg):
            parts.append(getattr(arg, "__name__", "a function"))
        else:
            parts.append(repr(arg)[:60])
    parts += [f"{k}={v!r:.40}" for k, v in check.kwargs.items()]
    return ", ".join(parts)


def summarize(run: SandboxRun, results: list[CheckResult], filename: str, function: str,
              timeout: float) -> tuple[list[CheckResult], str]:
    """One exercise-level message instead of the same failure repeated on every check."""
    records = [run.records.get(i) for i in range(len(results))]
    kinds = {r.get("kind") for r in records if r is not None and not r.get("ok")}
    all_failed = all(r is not None and not r.get("ok") for r in records) and records
    if all_failed and kinds == {"not_implemented"}:
        lines = sorted({r.get("line") for r in records if r and r.get("line")})
        where = f" (line {lines[0]})" if lines else ""
        return results, (f"{NOT_WRITTEN}: replace the `raise NotImplementedError` in "
                         f"{filename}{where} with your code")
    if all_failed and kinds == {"missing_function"}:
        trimmed = [_replace_message(r, "function missing") for r in results]
        return trimmed, (f"{filename} does not define a function `{function}`: check the name "
                         "and that `def` is at the top level of the file (not indented)")
    if run.timed_out:
        return results, (f"time limit of {timeout:g} s of CPU time reached: the process was "
                         "stopped (infinite loop? very slow code?)" if not getattr(run, "idle", False)
                         else f"your code waited {run.wall:.0f} s without computing (sleep? a "
                              "blocking read?) and was stopped")
    if run.sandbox_error:
        return results, f"the sandbox could not be set up: {run.sandbox_error}"
    if not run.finished:
        return results, f"the submission stopped early: {run.exit_description}"
    return results, ""


def _replace_message(result: CheckResult, message: str) -> CheckResult:
    return CheckResult(result.name, result.passed, result.score, result.max_score, message,
                       result.hidden)
