"""Exact symbolic difference of two answers (sympy's automatic simplification, size-bounded)."""

from __future__ import annotations

import logging
from typing import Any

SYMBOLIC_NODES = 400
"""Largest pair of trees (nodes) rebuilt exactly; larger ones are left to the numeric test."""
MAX_BITS = 20_000
"""Largest exact number (bits) an exact rebuild may create (2^9999^9999 is never computed)."""
SMALL_BITS = 64
"""Exact numbers up to this size may be given to roots, logs and other functions."""
MAX_ARGS = 8
"""Most arguments of max/min evaluated symbolically (their evaluation compares every pair)."""

_log = logging.getLogger("modl")


class _TooBig(Exception):
    pass


def exact_difference(a: Any, b: Any) -> Any | None:
    """`a - b` rebuilt with sympy's automatic evaluation and decimals read as exact
    fractions, or None when the trees are too large or sympy cannot build it. A nonzero
    number means the two answers differ by that constant everywhere (x vs x + 1e-300)."""
    from modl_tutor.answers.evaluate import tree_size

    if tree_size(a) + tree_size(b) > SYMBOLIC_NODES:
        return None
    try:
        return _rebuild(a) - _rebuild(b)
    except _TooBig:
        return None
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError,
            NotImplementedError) as err:
        _log.debug("exact difference failed: %s", err, exc_info=True)
        return None


def nonzero_constant(d: Any) -> bool:
    """True when `d` is a plain nonzero real number."""
    return d is not None and bool(getattr(d, "is_Rational", False) or getattr(d, "is_Float", False)) \
        and d != 0


def _bits(n: int) -> int:
    return abs(int(n)).bit_length()


def _big(a: Any) -> bool:
    """A number (or a sum/product holding one) too large to factor quickly."""
    for x in (a, *getattr(a, "args", ())):
        if x.is_Rational and max(_bits(x.p), _bits(x.q)) > SMALL_BITS:
            return True
    return False


def _rebuild(e: Any) -> Any:
    import sympy

    if e.is_Float:
        sign, man, exp, bc = e._mpf_ if len(e._mpf_) == 4 else (0, 0, 0, 0)
        if abs(exp + bc) > MAX_BITS:
            raise _TooBig
        return sympy.Rational(str(e))
    if e.is_Rational:
        if max(_bits(e.p), _bits(e.q)) > MAX_BITS:
            raise _TooBig
        return e
    if not e.args:
        return e
    args = [_rebuild(a) for a in e.args]
    if e.is_Pow and args[0].is_Rational and args[1].is_Integer:
        size = max(_bits(args[0].p), _bits(args[0].q), 1)
        if abs(int(args[1])) * size > MAX_BITS:
            raise _TooBig
    elif not (e.is_Add or e.is_Mul) and any(_big(a) for a in args):
        # roots, logs, ... of large exact numbers: sympy would factor them
        raise _TooBig
    if type(e).__name__ in ("Max", "Min") and len(args) > MAX_ARGS:
        raise _TooBig
    result = e.func(*args)
    if result.is_Rational and max(_bits(result.p), _bits(result.q)) > MAX_BITS:
        raise _TooBig
    return result
