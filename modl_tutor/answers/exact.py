"""When the numeric verdict needs sympy's exact difference, and getting it (sympy imported here)."""

from __future__ import annotations

from typing import Any

from modl_tutor.answers import numbers as num
from modl_tutor.answers.convert import exact_bits, is_light, to_sympy_expr
from modl_tutor.answers.evaluate import Budget, BudgetSpent, evaluate

NOISE = 1e-18
"""Relative error allowed on a value the engine evaluated (it keeps at least half of its
40-digit working precision through every sum)."""
TINY = 1e-300
MARGIN = 8
"""Bits of safety between the smallest exact constant the numbers could make and what the
points allow."""
PROBE_POINTS = 8
"""Further points evaluated to see that two answers do not differ by a constant."""
PROBE_WORK = 64
"""Work of that probe, per node of the two trees (a budget of its own: the answer's work and
verdict stay what they were when the exact difference came first)."""

__all__ = ["adopt", "difference", "is_light", "needed", "nonzero_constant"]


def difference(a: Any, b: Any) -> Any | None:
    """sympy's exact `a - b` (see `symbolic.exact_difference`); imports sympy."""
    from modl_tutor.answers.symbolic import exact_difference

    return exact_difference(to_sympy_expr(a), to_sympy_expr(b))


def nonzero_constant(d: Any) -> bool:
    from modl_tutor.answers.symbolic import nonzero_constant as exact_nonzero

    return exact_nonzero(d)


def adopt(budget: Budget, trial: Budget) -> None:
    """Charge `budget` with the work done on its copy `trial`."""
    budget.used, budget.points, budget.max_dps = trial.used, trial.points, trial.max_dps


def needed(a: Any, b: Any, names: tuple[str, ...], disagree: bool, agreed: bool,
           trace: Any, budget: Budget) -> bool:
    """Must sympy's exact difference be asked for? Not when the points show that `a - b`
    takes two different values (it cannot then be a nonzero constant), nor, when every point
    agrees, when `a - b` is smaller than any nonzero rational the answers' numbers can make
    (so sympy could not find one). Always when the points could not decide."""
    if disagree:
        return not _varies(a, b, names, trace, budget)
    if agreed:
        return not _below_any_constant(a, b, trace)
    return True


def _different(x: tuple[Any, Any], y: tuple[Any, Any]) -> bool:
    (dx, sx), (dy, sy) = x, y
    return bool(abs(dx - dy) > NOISE * (sx + sy) + TINY)


def _varies(a: Any, b: Any, names: tuple[str, ...], trace: Any, budget: Budget) -> bool:
    diffs = trace.diffs
    if diffs and any(_different(diffs[0], d) for d in diffs[1:]):
        return True
    if not names:
        return False
    side = Budget(limit=PROBE_WORK * (budget.size(a) + budget.size(b)), guard=budget.guard)
    seen = list(diffs)
    for p in trace.points[trace.stop:]:
        if len(seen) >= len(diffs) + PROBE_POINTS:
            break
        try:
            va, vb = evaluate(a, names, p, side), evaluate(b, names, p, side)
        except num.Undefined:
            continue
        except (BudgetSpent, num.Unsupported):
            break
        seen.append((va - vb, max(abs(va), abs(vb))))
        if _different(seen[0], seen[-1]):
            return True
    return False


def _below_any_constant(a: Any, b: Any, trace: Any) -> bool:
    bits_a, bits_b = exact_bits(a), exact_bits(b)
    if bits_a is None or bits_b is None or not trace.diffs:
        return False
    bound = min(abs(d) + NOISE * s + TINY for d, s in trace.diffs)
    return bool(bound < 2.0 ** -min(bits_a + bits_b + MARGIN, 1000))
