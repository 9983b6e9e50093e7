"""Equivalence of real-valued answers: high-precision random-point test plus bounded symbolic checks."""

from __future__ import annotations

import enum
import random
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from modl_tutor.answers import numbers as num

CANDIDATES = 64
"""Points tried per comparison (fewer if the time budget runs out)."""
NEEDED = 10
"""Valid agreeing points that make two expressions equivalent."""
MINIMUM = 4
"""Fewest valid agreeing points, after trying every candidate, still accepted."""
REL, ABS = 1e-15, 1e-25
_NICE = (1.0, 0.5, 2.0, -1.0, 0.3, 3.0, -0.5, 0.7, 1.5, -2.0, 0.1, 0.9)


class Verdict(enum.Enum):
    EQUIVALENT = "equivalent"
    NOT_EQUIVALENT = "not equivalent"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Witness:
    """A point where the two sides differ (values are None where undefined)."""

    point: dict[str, float]
    a: Any
    b: Any

    def describe(self, a_name: str = "A", b_name: str = "B") -> str:
        where = ", ".join(f"{k} = {num.fmt(v, 4)}" for k, v in self.point.items())
        at = f"at {where}, " if where else ""
        digits = 6
        while digits < 30 and None not in (self.a, self.b) \
                and num.fmt(self.a, digits) == num.fmt(self.b, digits):
            digits += 4
        verb = " is " if " " in a_name else " = "
        return (f"{at}{a_name}{verb}{_show(self.a, digits)} but "
                f"{b_name}{verb}{_show(self.b, digits)}")


def _show(v: Any, digits: int = 6) -> str:
    return "undefined" if v is None else num.fmt(v, digits)


@lru_cache(maxsize=16)
def points(nvars: int) -> tuple[tuple[float, ...], ...]:
    """Deterministic sample points: a few 'nice' ones first, then random ones in several
    ranges ((0, 1) for probabilities, (-3, 3), (1, 6), and wider ranges at the end)."""
    if nvars == 0:
        return ((),)
    rng = random.Random(f"modl-tutor-points-{nvars}")
    out = [tuple(_NICE[(k + 5 * j) % len(_NICE)] for j in range(nvars)) for k in range(8)]
    while len(out) < CANDIDATES:
        wide = len(out) >= CANDIDATES - 16
        row = []
        for _ in range(nvars):
            r = rng.random()
            if wide:
                v = rng.uniform(-20, 20) if r < 0.5 else 10 ** rng.uniform(-3, 2)
            elif r < 0.35:
                v = rng.uniform(0.02, 0.98)
            elif r < 0.75:
                v = rng.uniform(-3, 3)
            else:
                v = rng.uniform(1, 6)
            row.append(v)
        out.append(tuple(row))
    return tuple(out)


def _coerce(x: Any) -> Any:
    """Strings are parsed with the safe grammar; numbers become sympy numbers."""
    if isinstance(x, str):
        from modl_tutor.answers.parser import parse_math

        return parse_math(x)
    if isinstance(x, (list, tuple)):
        return tuple(_coerce(v) for v in x)
    if isinstance(x, (bool, int, float)):
        import sympy

        return sympy.Integer(x) if isinstance(x, int) else sympy.Float(x)
    return x


def names_of(*exprs: Any, variables: Iterable[str] | None = None) -> tuple[str, ...]:
    found = set(variables or ())
    for e in exprs:
        for part in (e if isinstance(e, tuple) else (e,)):
            if isinstance(part, tuple):
                found |= set(names_of(*part))
            else:
                found |= {s.name for s in part.free_symbols}
    return tuple(sorted(found))


def close(a: Any, b: Any) -> bool:
    """High-precision agreement of two mpmath values."""
    return abs(a - b) <= REL * max(abs(a), abs(b)) + ABS


def _value(fn: num.Fn, point: tuple[Any, ...]) -> Any:
    try:
        return num.call(fn, point)
    except num.Undefined:
        return None


def sample(a: Any, b: Any, names: tuple[str, ...], count: int, deadline: float) -> list[
        tuple[tuple[float, ...], Any, Any]]:
    """Up to `count` points where both scalar expressions are defined, with their values."""
    fa, fb = num.compile_mp(a, names), num.compile_mp(b, names)
    ctx = num.mp_context()
    out = []
    for p in points(len(names)):
        if time.monotonic() > deadline or len(out) >= count:
            break
        mp_point = tuple(ctx.mpf(v) for v in p)
        va = _value(fa, mp_point)
        vb = _value(fb, mp_point) if va is not None else None
        if va is not None and vb is not None:
            out.append((p, va, vb))
    return out


def _scalar(a: Any, b: Any, names: tuple[str, ...], deadline: float) -> tuple[Verdict,
                                                                                Witness | None]:
    if a == b:
        return Verdict.EQUIVALENT, None
    try:
        fa, fb = num.compile_mp(a, names), num.compile_mp(b, names)
    except num.Unsupported:
        return _symbolic(a, b, deadline), None
    ctx = num.mp_context()
    valid, one_sided = 0, None
    for p in points(len(names)):
        if time.monotonic() > deadline:
            break
        mp_point = tuple(ctx.mpf(v) for v in p)
        va, vb = _value(fa, mp_point), _value(fb, mp_point)
        if va is None or vb is None:
            if one_sided is None and (va is None) != (vb is None):
                one_sided = Witness(dict(zip(names, p)), va, vb)
            continue
        if not close(va, vb):
            return Verdict.NOT_EQUIVALENT, Witness(dict(zip(names, p)), va, vb)
        valid += 1
        if valid >= (NEEDED if names else 1):
            return Verdict.EQUIVALENT, None
    if valid >= MINIMUM and time.monotonic() <= deadline:
        return Verdict.EQUIVALENT, None
    verdict = _symbolic(a, b, deadline)
    return verdict, (one_sided if verdict is Verdict.UNDECIDED else None)


def _size(expr: Any) -> int:
    return sum(1 for _ in _walk(expr))


def _walk(expr: Any) -> Iterable[Any]:
    stack = [expr]
    while stack:
        e = stack.pop()
        yield e
        stack.extend(e.args)


def _symbolic(a: Any, b: Any, deadline: float) -> Verdict:
    """simplify(a - b) == 0 for small expressions only, in a daemon thread with a time limit
    (sympy cannot be interrupted; an overrunning thread is abandoned, the caller never waits)."""
    remaining = min(deadline - time.monotonic(), 1.0)
    if remaining <= 0.05 or _size(a) + _size(b) > 60:
        return Verdict.UNDECIDED
    if any(e.is_Pow and e.args[1].is_Number and abs(e.args[1]) > 50 for e in _walk(a - b)):
        return Verdict.UNDECIDED
    result: list[Any] = []

    def work() -> None:
        import sympy

        try:
            result.append(sympy.simplify(a - b))
        except Exception:
            result.append(None)

    worker = threading.Thread(target=work, daemon=True, name="modl-simplify")
    worker.start()
    worker.join(remaining)
    if result and result[0] is not None and result[0] == 0:
        return Verdict.EQUIVALENT
    return Verdict.UNDECIDED


def compare(a: Any, b: Any, *, variables: Iterable[str] | None = None,
            timeout: float = 2.0) -> tuple[Verdict, Witness | None]:
    """Like `equivalent`, also returning a point where the two sides differ (if any)."""
    deadline = time.monotonic() + timeout
    a, b = _coerce(a), _coerce(b)
    names = names_of(a, b, variables=variables)
    return _compare(a, b, names, deadline)


def _compare(a: Any, b: Any, names: tuple[str, ...], deadline: float) -> tuple[Verdict,
                                                                               Witness | None]:
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or len(a) != len(b):
            return Verdict.NOT_EQUIVALENT, None
        verdicts = [_compare(x, y, names, deadline) for x, y in zip(a, b)]
        for v, w in verdicts:
            if v is Verdict.NOT_EQUIVALENT:
                return v, w
        if all(v is Verdict.EQUIVALENT for v, _ in verdicts):
            return Verdict.EQUIVALENT, None
        return Verdict.UNDECIDED, None
    return _scalar(a, b, names, deadline)


def equivalent(a: Any, b: Any, *, variables: Iterable[str] | None = None,
               timeout: float = 2.0) -> Verdict:
    """Are two real-valued expressions (sympy objects, vectors as tuples, or answer text)
    equal wherever both are defined? Never takes much longer than `timeout` seconds."""
    return compare(a, b, variables=variables, timeout=timeout)[0]


def compare_texts(a: str, b: str, *, timeout: float = 2.0) -> tuple[Verdict, str]:
    """`modl equiv A B`: parse both (raises `ParseError`), compare, explain in one line."""
    from modl_tutor.answers.parser import parse_math

    ea, eb = parse_math(a), parse_math(b)
    verdict, witness = compare(ea, eb, timeout=timeout)
    if verdict is Verdict.EQUIVALENT:
        return verdict, "equivalent: the grader treats these two answers as the same"
    if verdict is Verdict.NOT_EQUIVALENT:
        if witness is None:
            return verdict, "not equivalent: one is a vector of a different shape"
        return verdict, f"not equivalent: {witness.describe()}"
    detail = f" ({witness.describe()})" if witness is not None else ""
    return verdict, ("undecided: too few points where both sides are defined"
                     f"{detail}; the grader would not mark this wrong")


def equiv_report(a: str, b: str, *, timeout: float = 2.0) -> dict[str, Any]:
    """The `modl equiv --json` object. `verdict` is "invalid" when a side does not parse."""
    from modl_tutor.answers.parser import ParseError, parse_math
    from modl_tutor.answers.pretty import preview, render

    for label, text in (("a", a), ("b", b)):
        try:
            parse_math(text)
        except ParseError as err:
            return {"equivalent": None, "verdict": "invalid", "a": preview(a), "b": preview(b),
                    "message": f"{label.upper()}: {err.message}", "invalid": label,
                    "column": err.column}
    verdict, message = compare_texts(a, b, timeout=timeout)
    flag = {Verdict.EQUIVALENT: True, Verdict.NOT_EQUIVALENT: False}.get(verdict)
    return {"equivalent": flag, "verdict": verdict.value,
            "a": render(parse_math(a, display=True)), "b": render(parse_math(b, display=True)),
            "message": message}
