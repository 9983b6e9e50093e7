"""The likely slip between two lines of a derivation: a dropped chain-rule factor, a lost or
extra factor, a sign, a constant factor or offset (bounded)."""

from __future__ import annotations

from typing import Any

from modl_tutor.answers.equivalence import Verdict, compare
from modl_tutor.answers.evaluate import Budget

MAX_CANDIDATES = 12
"""Inner functions (and factors) tried when looking for a dropped chain-rule factor."""
MAX_INNER_SIZE = 60
"""Largest inner argument (in nodes) that is differentiated to name a dropped factor."""


def _candidates(expr: Any) -> list[Any]:
    """Inner arguments of functions and powers in `expr` (bounded, outermost first)."""
    out: list[Any] = []
    todo, seen = [expr], 0
    while todo and len(out) < MAX_CANDIDATES and seen < 400:
        node = todo.pop(0)
        seen += 1
        if getattr(node, "is_Function", False) or getattr(node, "is_Pow", False):
            inner = node.args[0]
            if not inner.is_Atom and inner not in out:
                out.append(inner)
        todo.extend(getattr(node, "args", ()))
    return out


def _text(expr: Any) -> str:
    from modl_tutor.answers.pretty import to_text

    return to_text(expr)


def _factors(expr: Any) -> list[Any]:
    """Non-constant factors of a product (and the bases of its powers), bounded."""
    args = expr.args if getattr(expr, "is_Mul", False) else (expr,)
    out: list[Any] = []
    for a in args[:MAX_CANDIDATES]:
        for f in (a, a.base) if getattr(a, "is_Pow", False) else (a,):
            if not f.is_number and f not in out:
                out.append(f)
    return out


def likely_slip(cur: Any, prev: Any, *, names: tuple[str, ...], domains: Any = None,
                budget: Budget | None = None, this: str = "this line",
                other: str = "the line before", chain: list[tuple[str, Any]] = ()) -> str:
    """Name the slip that turns `prev` into `cur`: a dropped chain-rule factor, a lost
    factor, a sign, a constant factor or offset (the engine's diagnosis), in one phrase."""
    import sympy as sp

    from modl_tutor.answers.evaluate import tree_size
    from modl_tutor.answers.mistakes import diagnose_expression

    budget = budget if budget is not None else Budget(limit=200_000)

    def same(x: Any, y: Any) -> bool:
        return compare(x, y, variables=names, domains=domains,
                       budget=budget)[0] is Verdict.EQUIVALENT

    for label, d in chain:
        if budget.left and same(sp.Mul(cur, d, evaluate=False), prev):
            return f"the chain-rule factor {label} was dropped."
    for inner in _candidates(prev) + [c for c in _candidates(cur) if c not in _candidates(prev)]:
        if budget.left == 0 or tree_size(inner) > MAX_INNER_SIZE:
            continue
        for v in sorted(inner.free_symbols, key=lambda s: s.name):
            if v.name not in names:
                continue
            d = sp.diff(inner, v)
            if d.is_number and abs(float(d)) == 1:
                continue
            if d != 0 and same(sp.Mul(cur, d, evaluate=False), prev):
                return (f"the chain-rule factor d/d{v.name}({_text(inner)}) = {_text(d)} "
                        "was dropped (inner derivative).")
    for factor in _factors(prev) + [f for f in _factors(cur) if f not in _factors(prev)]:
        if budget.left == 0:
            break
        if same(sp.Mul(cur, factor, evaluate=False), prev):
            return f"a factor {_text(factor)} was lost between {other} and {this}."
        if same(cur, sp.Mul(prev, factor, evaluate=False)):
            return f"an extra factor {_text(factor)} appeared between {other} and {this}."
    why = diagnose_expression(cur, prev, variables=names, budget=budget, domains=domains)
    for old, new in (("Your answer", this), ("your answer", this), ("the correct answer", other),
                     ("the correct one", other)):
        why = why.replace(old, new)
    return why[0].lower() + why[1:]


def chain_factors(intermediates: Any, subs: dict[Any, Any]) -> list[tuple[str, Any]]:
    """(name, derivative) of each declared intermediate by each variable: the chain-rule
    factors a step through it must carry (e.g. da/dz = a(1 - a) for a = sigmoid(z))."""
    import sympy as sp

    from modl_tutor.answers.build import symbol
    from modl_tutor.answers.evaluate import tree_size

    out = []
    for name, _ in intermediates:
        defn = subs[symbol(name)]
        if tree_size(defn) > MAX_INNER_SIZE:
            continue
        for v in sorted(defn.free_symbols, key=lambda s: s.name):
            d = sp.diff(defn, v)
            if not (d.is_number and abs(float(d)) == 1) and d != 0:
                out.append((f"∂{name}/∂{v.name}", d))
    return out[:MAX_CANDIDATES]
