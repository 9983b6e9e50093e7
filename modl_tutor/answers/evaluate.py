"""Work-budgeted, adaptive-precision evaluation of answers (the engine's only notion of cost)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from modl_tutor.answers import ladder, mp_fast, rungs
from modl_tutor.answers import numbers as num

WORK_LIMIT = 2_000_000
"""Work units one graded answer may spend (one unit = one node evaluated at `MP_DPS` digits;
at d digits a node costs ceil(d / MP_DPS) units). About a few seconds of CPU at most."""
MAX_DPS = 1280
"""Highest precision (decimal digits) reached when cancellation is detected."""
GUARD_SECONDS = 10.0
"""Wall-clock guard against denial of service only: it never decides a verdict."""


class BudgetSpent(Exception):
    """The work budget is used up: the comparison stops where it is (deterministically)."""


class OutOfTime(Exception):
    """The wall-clock guard fired: the answer is not graded (never marked wrong)."""


@dataclass
class Budget:
    """Work counted while grading one answer; `used`, `points` and `max_dps` are reported so
    that tests can assert bounds on work instead of seconds."""

    limit: int = WORK_LIMIT
    used: int = 0
    points: int = 0
    max_dps: int = num.MP_DPS
    guard: float | None = None
    sizes: dict[int, int] = field(default_factory=dict, repr=False)

    @classmethod
    def guarded(cls, seconds: float = GUARD_SECONDS, limit: int = WORK_LIMIT) -> Budget:
        return cls(limit=limit, guard=time.monotonic() + max(seconds, 0.0))

    def spend(self, units: int) -> None:
        self.used += units
        if self.guard is not None and time.monotonic() > self.guard:
            raise OutOfTime
        if self.used > self.limit:
            raise BudgetSpent

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)

    def size(self, expr: Any) -> int:
        """Number of nodes of `expr` (cached by identity for this budget's lifetime)."""
        key = id(expr)
        n = self.sizes.get(key)
        if n is None:
            n = self.sizes[key] = tree_size(expr)
        return n


def tree_size(expr: Any) -> int:
    """Nodes of a sympy tree (iterative: deep trees are fine)."""
    count, stack = 0, [expr]
    while stack:
        e = stack.pop()
        count += 1
        stack.extend(getattr(e, "args", ()))
    return count


@contextmanager
def at_precision(dps: int) -> Iterator[Any]:
    """The thread's mpmath context working at `dps` digits for the duration of the block."""
    ctx = num.mp_context()
    saved = ctx.prec
    ctx.dps = dps
    try:
        yield ctx
    finally:
        ctx.prec = saved


def _once(expr: Any, names: tuple[str, ...], point: Sequence[float], dps: int,
          budget: Budget) -> tuple[Any, bool]:
    """(value or an Undefined instance, cancelled?) at `dps` digits."""
    budget.spend(budget.size(expr) * -(-dps // num.MP_DPS))
    fn = num.compile_mp(expr, names, dps)
    ctx = num.mp_context()  # as `at_precision(dps)`, without setting what is already so
    saved = ctx.prec
    if saved != _PRECS.get(dps):
        ctx.dps = dps
    try:
        num.cancelled()
        # below the top precision, a cancelling evaluation's value is thrown away: it stops
        # at its first cancelling sum (the flag is all that matters, and it is set)
        was = mp_fast.abort_on_loss(dps < MAX_DPS)
        try:
            values = mp_fast.point_values(ctx, point)
            # climbing: far-out exponentials may certainly cancel without being computed
            if dps > num.MP_DPS and ladder.lost_at(expr, names, values, dps, dps >= MAX_DPS):
                num.cancelled()
                return None, True
            num.cancelled()
            value: Any = num.call(fn, values)
        except num.Undefined as err:
            value = err
        except mp_fast.Lost:
            value = None
        finally:
            mp_fast.abort_on_loss(was)
        lost = num.cancelled()
    finally:
        if ctx.prec != saved:
            ctx.prec = saved
    return value, lost


_PRECS = dict(zip(rungs.RUNG_DPS, rungs.PRECS))
"""Binary precision of each decimal precision climbed through (as `ctx.dps = d` sets it)."""


def evaluate(expr: Any, names: tuple[str, ...], point: Sequence[float],
             budget: Budget) -> Any:
    """The value of `expr` at `point` (exact binary floats), to the working precision.

    When a sum loses more than half of its digits to cancellation, the evaluation is repeated
    at twice the precision until no sum does (up to `MAX_DPS`), so `(x + 10^50) - 10^50` is x;
    a value still cancelling at `MAX_DPS` is unknown (raised as `Overflow`: the point is
    skipped). Raises `numbers.Undefined` (or its `Overflow`), `Unsupported`, `BudgetSpent`."""
    dps = num.MP_DPS
    mp_fast.at_point(point)
    value, lost = _once(expr, names, point, dps, budget)
    skip = rungs.lost_rungs(expr, names, point) if lost else 0
    if skip > 1:
        # the next precisions certainly cancel too: charged as if computed
        size = budget.size(expr)
        for _ in range(skip - 1):
            dps *= 2
            budget.max_dps = max(budget.max_dps, dps)
            budget.spend(size * -(-dps // num.MP_DPS))
        if skip == len(rungs.RUNG_DPS):
            raise num.Overflow("cancellation beyond the highest precision")
    while lost and dps < MAX_DPS:
        dps *= 2
        budget.max_dps = max(budget.max_dps, dps)
        value, lost = _once(expr, names, point, dps, budget)
    if lost and not isinstance(value, Exception):
        raise num.Overflow("cancellation beyond the highest precision")
    if isinstance(value, Exception):
        raise value
    return value


def constant(expr: Any, budget: Budget | None = None) -> Any:
    """The value of a constant expression (raises Undefined / Overflow / Unsupported)."""
    return evaluate(expr, (), (), budget if budget is not None else Budget())
