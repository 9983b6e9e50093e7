"""Equivalence of answers: many random points in the domains, an exact difference only if needed."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from modl_tutor.answers import numbers as num
from modl_tutor.answers.domains import Domain, domains_of, draw_points
from modl_tutor.answers.evaluate import GUARD_SECONDS, Budget, BudgetSpent, OutOfTime, evaluate

POINTS = (1, 88, 100, 120)
"""Points drawn per comparison by number of variables (0, 1, 2, 3+); all are evaluated (a
disagreement anywhere decides)."""
NEEDED = 8
"""Points where both sides are defined that must agree (fewer if the domain is smaller)."""
REL, ABS = 1e-15, 1e-25
SCREEN_AFTER = 4
"""Points evaluated by the engine before the others are screened (most differences show at
once)."""


class Verdict(enum.Enum):
    EQUIVALENT = "equivalent"
    NOT_EQUIVALENT = "not equivalent"
    UNDECIDED = "undecided"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class Witness:
    """Why two sides differ: a point and both values (None where undefined), or the exact
    constant `difference` a - b."""

    point: dict[str, float]
    a: Any
    b: Any
    difference: Any = None

    def describe(self, a_name: str = "A", b_name: str = "B") -> str:
        if self.difference is not None:
            return (f"{a_name} minus {b_name} is the constant {_show(self.difference, 6)}, "
                    "not 0")
        where = ", ".join(f"{k} = {num.fmt(v, 6)}" for k, v in self.point.items())
        at = f"at {where}, " if where else ""
        if self.a is None or self.b is None:
            if self.a is None and self.b is None:
                return f"{at}both are undefined"
            defined, undefined = (a_name, b_name) if self.b is None else (b_name, a_name)
            value = self.a if self.b is None else self.b
            return f"{at}{defined} is defined (= {_show(value)}) but {undefined} is undefined"
        digits = 6
        while digits < 30 and num.fmt(self.a, digits) == num.fmt(self.b, digits):
            digits += 4
        verb = " is " if " " in a_name else " = "
        return (f"{at}{a_name}{verb}{_show(self.a, digits)} but "
                f"{b_name}{verb}{_show(self.b, digits)}")


def _show(v: Any, digits: int = 6) -> str:
    return "undefined" if v is None else num.fmt(v, digits)


def _coerce(x: Any) -> Any:
    """Strings are parsed with the safe grammar (light trees); numbers become light numbers."""
    if isinstance(x, str):
        from modl_tutor.answers.parser import parse_light

        return parse_light(x)
    if isinstance(x, (list, tuple)):
        return tuple(_coerce(v) for v in x)
    if isinstance(x, (bool, int, float)):
        from modl_tutor.answers import tree

        if isinstance(x, int):
            return tree.rational(int(x))
        import mpmath.libmp as mlib

        return tree.Float(mlib.from_float(x, 53, mlib.round_nearest), 53)
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
    return bool(abs(a - b) <= REL * max(abs(a), abs(b)) + ABS)


def _signature(*exprs: Any) -> str:
    """A stable text of the trees (the per-comparison seed: same pair, same points)."""
    parts: list[str] = []
    stack = list(exprs)
    while stack:
        e = stack.pop()
        kind = type(e).__name__
        args = getattr(e, "args", ())
        parts.append(kind)
        if not args:
            parts.append(_leaf_text(e, kind))
        parts.append("|")
        stack.extend(args)
    return hashlib.sha256("".join(parts).encode()).hexdigest()


_RATIONALS = frozenset(("Integer", "Rational", "One", "Zero", "NegativeOne", "Half"))


def _leaf_text(e: Any, kind: str) -> str:
    """str(e), without sympy's printer for symbols and rationals (the same text)."""
    if kind == "Symbol" and getattr(e, "is_Symbol", False):
        return e.name
    if kind in _RATIONALS and getattr(e, "is_Rational", False):
        return str(e.p) if e.q == 1 else f"{e.p}/{e.q}"
    return str(e)


def _value(expr: Any, names: tuple[str, ...], point: tuple[float, ...], budget: Budget) -> Any:
    """The value, or the `Undefined`/`Overflow` instance that says why there is none."""
    try:
        return evaluate(expr, names, point, budget)
    except num.Undefined as err:
        return err


def _defined(v: Any) -> bool:
    return not isinstance(v, Exception)


def _overflow(v: Any) -> bool:
    return isinstance(v, num.Overflow)


def _one_sided(va: Any, vb: Any) -> bool:
    return (_defined(va) != _defined(vb)) and not (_overflow(va) or _overflow(vb))


def _persistent(a: Any, b: Any, names: tuple[str, ...], domains: tuple[Domain, ...],
                point: tuple[float, ...], a_defined: bool, budget: Budget) -> bool:
    """Is a one-sided point part of a region where only one side is defined (not an isolated
    hole like x/x at 0)? Moving one variable a little either way, inside its domain, must
    keep the same side defined (for some variable; discrete domains are not moved)."""
    if all(d.discrete for d in domains):
        return True
    for j, (v, d) in enumerate(zip(point, domains)):
        if d.discrete:
            continue
        seen = 0
        for sign in (1, -1):
            near = point[:j] + (v + sign * 1e-3 * max(1.0, abs(v)),) + point[j + 1:]
            if not d.contains(near[j]):
                continue
            va, vb = _value(a, names, near, budget), _value(b, names, near, budget)
            if not (_one_sided(va, vb) and _defined(va) == a_defined):
                seen = -1
                break
            seen += 1
        if seen > 0:
            return True
    return False


def _witness(names: tuple[str, ...], p: tuple[float, ...], va: Any, vb: Any) -> Witness:
    return Witness(dict(zip(names, p)), va if _defined(va) else None,
                   vb if _defined(vb) else None)


def _narrow(d: Domain) -> Domain:
    """The same domain near its small values (for expressions that overflow far out)."""
    if d.discrete:
        return d
    lo = max(d.lo, -2.0) if d.hi > -2.0 else d.hi - 2.0
    hi = min(d.hi, 2.0) if d.lo < 2.0 else d.lo + 2.0
    return Domain("real", lo, hi, True, True)


def _needed(domains: tuple[Domain, ...]) -> float:
    size = 1.0
    for d in domains:
        size *= d.size()
    return min(NEEDED, size)


@dataclass
class _Trace:
    """What a scan saw: (a - b, max(|a|, |b|)) at points where both sides are defined, the
    points drawn and where the scan stopped (for `exact.needed`)."""

    diffs: list[tuple[Any, Any]] = field(default_factory=list)
    points: list[tuple[float, ...]] = field(default_factory=list)
    stop: int = 0


def _scan(a: Any, b: Any, names: tuple[str, ...], domains: tuple[Domain, ...], seed: str,
          budget: Budget, trace: _Trace | None = None, identical: bool = False,
          ) -> tuple[Verdict | None, Witness | None, int]:
    """Evaluate every point; (NOT_EQUIVALENT, witness) at the first real difference, else
    (None, an isolated one-sided point if any, number of points where both agree).
    `identical`: sympy's exact difference a - b is 0 (helps the screen certify points)."""
    valid, hole = 0, None
    seen: set[tuple[float, ...]] = set()
    # no values wanted: once the first points agree, the points certified in long double
    # (`fastscan`) are not evaluated again
    screen, sure = trace is None, None
    trace = trace if trace is not None else _Trace()
    trace.points = draw_points(domains, POINTS[min(len(names), 3)], seed)
    for i, p in enumerate(trace.points):
        trace.stop = i + 1
        budget.points += 1
        if screen and i == SCREEN_AFTER:
            sure = _certified(a, b, names, trace.points, identical)
        if sure is not None and sure[i]:  # the engine's plain path, close: same work charged
            budget.spend(budget.size(a))
            budget.spend(budget.size(b))
            if p not in seen:
                seen.add(p)
                valid += 1
            continue
        va, vb = _value(a, names, p, budget), _value(b, names, p, budget)
        if _one_sided(va, vb):
            if _persistent(a, b, names, domains, p, _defined(va), budget):
                return Verdict.NOT_EQUIVALENT, _witness(names, p, va, vb), valid
            hole = hole or _witness(names, p, va, vb)
            continue
        if not (_defined(va) and _defined(vb)):
            continue
        trace.diffs.append((va - vb, max(abs(va), abs(vb))))
        if not close(va, vb):
            return Verdict.NOT_EQUIVALENT, _witness(names, p, va, vb), valid
        if p not in seen:
            seen.add(p)
            valid += 1
    return None, hole, valid


def _certified(a: Any, b: Any, names: tuple[str, ...], points: list[tuple[float, ...]],
               identical: bool = False) -> list[bool] | None:
    from modl_tutor.answers.fastscan import certified

    return certified(a, b, names, points, REL, ABS, identical)


def _numeric(a: Any, b: Any, names: tuple[str, ...], domains: tuple[Domain, ...],
             seed: str, budget: Budget, trace: _Trace | None = None, identical: bool = False,
             ) -> tuple[Verdict | None, Witness | None, int]:
    """The numeric test: every point, then points near the small values if too few agree."""
    try:
        verdict, hole, valid = _scan(a, b, names, domains, seed, budget, trace, identical)
        if verdict is None and valid < _needed(domains):
            narrow = tuple(_narrow(d) for d in domains)
            more = _Trace() if trace is not None else None
            verdict, hole2, extra = _scan(a, b, names, narrow, seed + "|narrow", budget, more,
                                          identical)
            if trace is not None and more is not None:
                trace.diffs += more.diffs
                trace.points, trace.stop = more.points, more.stop
            hole, valid = hole or hole2, max(valid, extra)
    except num.Unsupported:
        verdict, hole, valid = None, None, 0
    return verdict, hole, valid


def _scalar(a: Any, b: Any, names: tuple[str, ...], domains: tuple[Domain, ...],
            budget: Budget) -> tuple[Verdict, Witness | None]:
    if a == b:
        return Verdict.EQUIVALENT, None
    from modl_tutor.answers import exact

    budget.spend(budget.size(a) + budget.size(b))
    seed = _signature(a, b) + "|" + ",".join(names)
    if not exact.is_light(a) or not exact.is_light(b):
        return _exact_first(a, b, names, domains, seed, budget)
    # numbers first, on a copy of the budget: sympy's exact difference is asked for only
    # when the numbers cannot rule out that a - b is a nonzero constant (then, as before,
    # the scan is not charged)
    trial, trace = replace(budget), _Trace()
    try:
        verdict, hole, valid = _numeric(a, b, names, domains, seed, trial, trace)
    except (BudgetSpent, OutOfTime) as err:
        if isinstance(err, BudgetSpent):
            diff = exact.difference(a, b)
            if exact.nonzero_constant(diff):
                return Verdict.NOT_EQUIVALENT, Witness({}, None, None, difference=diff)
        exact.adopt(budget, trial)
        raise
    agreed = verdict is None and valid >= _needed(domains) and valid > 0
    diff = None
    if exact.needed(a, b, names, verdict, agreed, trace, budget):
        diff = exact.difference(a, b)
        if exact.nonzero_constant(diff):
            return Verdict.NOT_EQUIVALENT, Witness({}, None, None, difference=diff)
    exact.adopt(budget, trial)
    return _conclude(verdict, hole, agreed, diff)


def _conclude(verdict: Verdict | None, hole: Witness | None, agreed: bool,
              diff: Any) -> tuple[Verdict, Witness | None]:
    if verdict is not None:
        return verdict, hole
    if agreed:
        return Verdict.EQUIVALENT, None
    if diff is not None and diff == 0:
        return Verdict.EQUIVALENT, None
    return Verdict.UNDECIDED, hole


def _exact_first(a: Any, b: Any, names: tuple[str, ...], domains: tuple[Domain, ...],
                 seed: str, budget: Budget) -> tuple[Verdict, Witness | None]:
    """sympy trees (derivations, callers' own objects): the exact difference, then numbers."""
    from modl_tutor.answers import exact

    diff = exact.difference(a, b)
    if exact.nonzero_constant(diff):
        return Verdict.NOT_EQUIVALENT, Witness({}, None, None, difference=diff)
    identical = diff is not None and diff == 0
    if not identical:  # a proof sympy's automatic simplification does not find
        from modl_tutor.answers.identity import proven

        identical = proven(a, b, names)
    verdict, hole, valid = _numeric(a, b, names, domains, seed, budget, identical=identical)
    return _conclude(verdict, hole, verdict is None and valid >= _needed(domains) and valid > 0,
                     diff)


def sample(a: Any, b: Any, names: tuple[str, ...], count: int, budget: Budget | None = None,
           domains: Any = None) -> list[tuple[tuple[float, ...], Any, Any]]:
    """Up to `count` points (inside the domains) where both scalar expressions are defined,
    with their values; stops quietly when the budget is spent."""
    budget = budget if budget is not None else Budget(limit=200_000)
    doms = domains_of(domains, names)
    out = []
    try:
        for p in draw_points(doms, 4 * count if names else 1, _signature(a, b) + "|sample"):
            if len(out) >= count:
                break
            va, vb = _value(a, names, p, budget), _value(b, names, p, budget)
            if _defined(va) and _defined(vb):
                out.append((p, va, vb))
    except (BudgetSpent, num.Unsupported):
        pass
    return out


def _compare(a: Any, b: Any, names: tuple[str, ...], domains: tuple[Domain, ...],
             budget: Budget) -> tuple[Verdict, Witness | None]:
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or len(a) != len(b):
            return Verdict.NOT_EQUIVALENT, None
        verdicts = [_compare(x, y, names, domains, budget) for x, y in zip(a, b)]
        for v, w in verdicts:
            if v is Verdict.NOT_EQUIVALENT:
                return v, w
        if all(v is Verdict.EQUIVALENT for v, _ in verdicts):
            return Verdict.EQUIVALENT, None
        return Verdict.UNDECIDED, None
    return _scalar(a, b, names, domains, budget)


def compare(a: Any, b: Any, *, variables: Iterable[str] | None = None, domains: Any = None,
            timeout: float = GUARD_SECONDS, budget: Budget | None = None,
            ) -> tuple[Verdict, Witness | None]:
    """Like `equivalent`, also returning why the two sides differ (if they do).

    `domains` maps variable names to domain specs (default: all reals). The verdict depends
    only on the work done (`budget`, a fresh one by default); `timeout` is a wall-clock guard
    against denial of service: when it fires the verdict is TIMEOUT (not graded)."""
    budget = budget if budget is not None else Budget.guarded(timeout)
    a, b = _coerce(a), _coerce(b)
    names = names_of(a, b, variables=variables)
    doms = domains_of(domains, names)
    try:
        return _compare(a, b, names, doms, budget)
    except BudgetSpent:
        return Verdict.UNDECIDED, None
    except OutOfTime:
        return Verdict.TIMEOUT, None


def equivalent(a: Any, b: Any, *, variables: Iterable[str] | None = None, domains: Any = None,
               timeout: float = GUARD_SECONDS, budget: Budget | None = None) -> Verdict:
    """Are two real-valued expressions (sympy objects, vectors as tuples, or answer text)
    equal wherever they are defined, on the same domain (inside the declared domains)?"""
    return compare(a, b, variables=variables, domains=domains, timeout=timeout,
                   budget=budget)[0]
