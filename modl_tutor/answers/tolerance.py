"""Numeric tolerances of math answers: relative, absolute and significant-figure bounds."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from modl_tutor.answers import numbers as num

def tolerance_bounds(tol: Any) -> tuple[float | None, float | None, int | None]:
    """(rel, abs, sig_figs) of a `Tolerance`, with the defaults when none is set."""
    if tol is None or tol.is_default():
        return num.DEFAULT_REL, num.DEFAULT_ABS, None
    return tol.rel, tol.abs, tol.sig_figs


def round_sig(x: Any, figures: int) -> Decimal:
    """`x` rounded half-up to `figures` significant figures (exact decimal)."""
    ctx = num.mp_context()
    d = Decimal(ctx.nstr(ctx.mpf(x), num.MP_DPS - 5, min_fixed=-3, max_fixed=3))
    if d == 0:
        return d
    return d.quantize(Decimal(1).scaleb(d.adjusted() - figures + 1), rounding=ROUND_HALF_UP)


def half_unit(expected: Any, figures: int) -> Any:
    """Half a unit in the last of `figures` significant figures of `expected`."""
    ctx = num.mp_context()
    e = abs(ctx.mpf(expected))
    if e == 0:
        return ctx.mpf(0)
    return ctx.mpf(10) ** (int(ctx.floor(ctx.log10(e))) - figures + 1) / 2


def within(answer: Any, expected: Any, tol: Any = None) -> bool:
    """True when `answer` meets any bound of the tolerance (default: rel 1e-9 or abs 1e-12)."""
    ctx = num.mp_context()
    a, e = ctx.mpf(answer), ctx.mpf(expected)
    if a == e:
        return True
    rel, ab, sig = tolerance_bounds(tol)
    err = abs(a - e)
    if ab is not None and err <= ab:
        return True
    if rel is not None and err <= rel * abs(e):
        return True
    if sig:
        if e != 0 and err <= half_unit(e, sig) * (1 + ctx.mpf(10) ** -12):
            return True
        return round_sig(a, sig) == round_sig(e, sig)
    return False


def figures_required(tol: Any) -> int:
    """How many significant figures the tolerance asks for (roughly)."""
    rel, _ab, sig = tolerance_bounds(tol)
    if sig:
        return sig
    if rel:
        return max(1, min(15, round(-math.log10(rel))))
    return 15
