"""Light trees and sympy: the builder's light namespace, the sympy twin, exact-constant bounds."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Any

from modl_tutor.answers import tree as t


def is_light(e: Any) -> bool:
    """A light tree (or a vector of them)?"""
    if isinstance(e, tuple):
        return all(is_light(x) for x in e)
    return getattr(e, "is_light", False)


class LightAPI:
    """The part of sympy's constructors the answer builder uses, building light trees."""

    E, pi = t.E, t.pi

    @staticmethod
    def Integer(n: int) -> t.Rational:  # noqa: N802 - mirrors sympy
        return t.rational(int(n))

    @staticmethod
    def Rational(p: int, q: int = 1) -> t.Rational:  # noqa: N802
        return t.rational(p, q)

    @staticmethod
    def Float(text: str, dps: int) -> t.Float:  # noqa: N802
        return t.float_of_text(text, dps)

    @staticmethod
    def Add(*args: Any, evaluate: bool = False) -> t.Add:  # noqa: N802
        return t.Add(*args)

    @staticmethod
    def Mul(*args: Any, evaluate: bool = False) -> t.Mul:  # noqa: N802
        return t.Mul(*args)

    @staticmethod
    def Pow(base: Any, exponent: Any, evaluate: bool = False) -> t.Pow:  # noqa: N802
        if isinstance(exponent, int):
            exponent = t.rational(exponent)
        return t.Pow(base, exponent)

    @staticmethod
    def Max(*args: Any, evaluate: bool = False) -> Any:  # noqa: N802
        return t.lattice(t.FUNCTIONS["Max"], args)

    @staticmethod
    def Min(*args: Any, evaluate: bool = False) -> Any:  # noqa: N802
        return t.lattice(t.FUNCTIONS["Min"], args)

    @staticmethod
    def symbol(name: str) -> t.Symbol:
        return t.symbol(name)

    def __getattr__(self, name: str) -> Any:
        cls = t.FUNCTIONS[name]
        return lambda *args, evaluate=False: cls(*args)


LIGHT = LightAPI()


@lru_cache(maxsize=4096)
def to_sympy_expr(e: Any) -> Any:
    """The sympy tree (unevaluated) equal to light tree `e`: what the sympy builder makes."""
    import sympy as sp

    from modl_tutor.answers.build import symbol

    if isinstance(e, tuple):
        return tuple(to_sympy_expr(x) for x in e)
    if not is_light(e):
        return e
    if e.is_Symbol:
        return symbol(e.name)
    if e.is_Float:
        return sp.Float._new(e._mpf_, e._prec, zero=False)
    if e.is_Rational:
        return sp.Rational(e.p, e.q)
    if e.is_NumberSymbol:
        return sp.E if type(e).__name__ == "Exp1" else sp.pi
    args = [to_sympy_expr(a) for a in e.args]
    name = type(e).__name__
    if name in ("Add", "Mul", "Pow", "Max", "Min"):
        return getattr(sp, name)(*args, evaluate=False)
    return getattr(sp, name)(*args, evaluate=False)


def exact_bits(e: Any) -> float | None:
    """An upper bound (in bits) on the denominator of any rational number sympy's automatic
    evaluation can make from the numbers in `e`; None when there is no such bound (a power
    with a variable exponent of a number, or an exponent beyond a few hundred)."""
    total, stack = 0.0, [(e, 1)]
    while stack:
        x, weight = stack.pop()
        if x.is_Rational:
            total += weight * math.log2(max(abs(x.p), x.q, 1))
        elif x.is_Float:
            text = str(x)
            if "e" in text and abs(int(text.split("e")[1])) > 400:
                return None
            exact = Fraction(text)
            total += weight * math.log2(max(abs(exact.numerator), exact.denominator, 1))
        elif x.is_Pow:
            base, exponent = x.args
            if exponent.is_Rational or exponent.is_Float:
                k = max(1, math.ceil(abs(float(exponent))))
            elif base.free_symbols or base.is_NumberSymbol:
                k = 1  # e^u, pi^u: rational only where u makes it (u's numbers are counted)
            else:
                return None
            if weight * k > 1024:
                return None
            stack.append((base, weight * k))
            stack.append((exponent, weight))
        else:
            if x.is_Function:
                total += 1.0  # exact values of functions at rationals: 0, ±1/2, ±1, ...
            stack.extend((a, weight) for a in x.args)
    return total
