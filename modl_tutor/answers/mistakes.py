"""Feedback for wrong answers: the author's known mistakes first, then generic diagnoses."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from modl_tutor.answers import numbers as num
from modl_tutor.answers.equivalence import Verdict, Witness, compare, names_of, sample
from modl_tutor.answers.evaluate import Budget, BudgetSpent, OutOfTime, constant


def known_mistake(part: Any, answer: Any, *, kind: str, budget: Budget | None = None
                  ) -> str | None:
    """The message of the first `part.mistakes` entry the answer matches, if any.

    Expressions match by equivalence; numbers and vectors within the part's tolerance; for a
    vector part, a scalar mistake matches any element (e.g. 0.1 in [0.0999, 0.1]) and a scalar
    answer. A mistake whose `expected` does not parse is skipped (`check.validate_part`
    reports it); once the work budget is spent, the remaining mistakes are not tried."""
    from modl_tutor.answers.parser import ParseError, parse_light

    budget = budget if budget is not None else Budget()
    for mistake in part.mistakes:
        try:
            target = parse_light(mistake.expected, variables=part.variables)
        except ParseError:
            continue
        if kind == "expression":
            if isinstance(target, tuple):
                continue
            verdict, _ = compare(answer, target, variables=part.variables,
                                 domains=getattr(part, "domains", ()), budget=budget)
            if verdict is Verdict.TIMEOUT:
                raise OutOfTime
            if verdict is Verdict.EQUIVALENT:
                return mistake.message
            if budget.left == 0:
                return None
        elif _values_match(answer, target, part.tolerance, budget, any_element=kind == "vector"):
            return mistake.message
    return None


def _values_match(answer: Any, target: Any, tol: Any, budget: Budget, *,
                  any_element: bool = False) -> bool:
    try:
        if isinstance(answer, tuple) and not isinstance(target, tuple) and any_element:
            flat = [x for a in answer for x in (a if isinstance(a, tuple) else (a,))]
            return any(_values_match(a, target, tol, budget) for a in flat)
        if isinstance(answer, tuple) or isinstance(target, tuple):
            if not (isinstance(answer, tuple) and isinstance(target, tuple)) \
                    or len(answer) != len(target):
                return False
            return all(_values_match(a, t, tol, budget) for a, t in zip(answer, target))
        value = answer if not hasattr(answer, "free_symbols") else constant(answer, budget)
        return num.within(value, constant(target, budget), tol)
    except (num.Undefined, num.Unsupported, TypeError, BudgetSpent):
        return False


def nice(c: Any) -> str:
    """A constant as a short fraction when it is one (2, 1/2, -3), else 4 significant figures."""
    f = float(c)
    frac = Fraction(f).limit_denominator(12)
    if frac != 0 and abs(float(frac) - f) <= 1e-12 * abs(f):
        return str(frac)
    return num.fmt(c, 4)


def _constant(values: list[Any], scale: float) -> Any | None:
    first = values[0]
    if all(abs(v - first) <= 1e-9 * max(scale, abs(first), 1e-300) for v in values[1:]):
        return first
    return None


def diagnose_expression(answer: Any, expected: Any, *, variables: tuple[str, ...] = (),
                        witness: Witness | None = None, budget: Budget | None = None,
                        domains: Any = None) -> str:
    """Why a scalar expression differs from the expected one, in one line (points drawn
    inside the declared domains only)."""
    if witness is not None and (witness.a is None) != (witness.b is None):
        return f"Not equivalent: {witness.describe('your answer', 'the correct answer')}."
    if witness is not None and witness.difference is not None:
        shift = witness.difference
        return (f"Off by an additive constant: your answer is the correct one "
                f"{'plus' if shift > 0 else 'minus'} {num.fmt(abs(shift), 6)}.")
    a_vars = {s.name for s in answer.free_symbols}
    e_vars = {s.name for s in expected.free_symbols}
    missing = sorted(e_vars - a_vars)
    if missing:
        which = ", ".join(missing)
        return (f"Your answer does not depend on {which}, but the correct answer does.")
    extra = sorted(a_vars - e_vars)
    if extra:
        return f"Your answer depends on {', '.join(extra)}, but the correct answer does not."
    names = names_of(answer, expected, variables=variables)
    pts = sample(answer, expected, names, 8, budget, domains)
    if len(pts) >= 3 and names:
        scale = max(float(abs(v)) for _, _, v in pts)
        ratios = [a / b for _, a, b in pts if b != 0]
        factor = _constant(ratios, 1.0) if len(ratios) >= 3 else None
        if factor is not None and factor != 0 and abs(factor - 1) > 1e-9:
            if abs(factor + 1) < 1e-9:
                return "Off by a sign: your answer is the negative of the correct one."
            return (f"Off by a constant factor: your answer is {nice(factor)} times the "
                    "correct one.")
        shift = _constant([a - b for _, a, b in pts], scale)
        if shift is not None:
            return (f"Off by an additive constant: your answer is the correct one "
                    f"{'plus' if shift > 0 else 'minus'} {nice(abs(shift))}.")
    if witness is None and pts:
        for p, a, b in pts:
            if abs(a - b) > 1e-9 * max(abs(a), abs(b), 1):
                witness = Witness(dict(zip(names, p)), a, b)
                break
    if witness is not None:
        return f"Not equivalent: {witness.describe('your answer', 'the correct answer')}."
    if witness is None and budget is not None and budget.left == 0:
        return "Not equivalent to the correct answer (it is too large to say more)."
    return "Not equivalent to the correct answer."


def diagnose_number(value: Any, expected: Any, tol: Any, *, typed: int | None = None) -> str:
    """Why a number is outside the tolerance, in one line (sign, power of ten, rounding...).
    `typed`: the significant figures the student typed (None when the answer is not a plain
    number), so that "0.980" counts as 3 figures, not 2."""
    ctx = num.mp_context()
    v, e = ctx.mpf(value), ctx.mpf(expected)
    if e != 0 and num.within(-v, e, tol):
        return "Off by a sign: the magnitude is right but the sign is wrong."
    if v == 0:
        return "Your answer is 0, but the correct value is not."
    if e == 0:
        return "Not correct: the correct value is much smaller in magnitude."
    ratio = v / e
    if ratio > 0:
        k = int(round(float(ctx.log10(ratio))))
        if k != 0 and num.within(v / ctx.mpf(10) ** k, e, tol):
            return (f"Wrong power of ten: your answer is 10^{k} times the correct value "
                    "(check the exponent / unit).")
        for factor, words in ((2, "twice"), (ctx.mpf(1) / 2, "half")):
            if num.within(v / factor, e, tol):
                return f"Off by a factor of 2: your answer is {words} the correct value."
    need = num.figures_required(tol)
    coarse = _coarse(v, e, need, typed)
    if coarse is not None:
        want = _precision_wanted(tol, need)
        return (f"Rounded too coarsely: your answer has only {coarse} significant "
                f"figure{'s' * (coarse > 1)}; give {want}.")
    rel = float(abs(v - e) / abs(e))
    direction = "too large" if v > e else "too small"
    if rel < 0.01:
        return (f"Close, but not within the tolerance: your answer is {direction} by "
                f"{_percent(rel)}.")
    if 0.5 < ratio < 2:
        return f"Not correct: your answer is {direction} by {_percent(rel)}."
    sign = "" if ratio > 0 else " and has the wrong sign"
    return (f"Not correct: your answer is about {num.fmt(abs(ratio), 3)} times the correct "
            f"value{sign}.")


def _coarse(v: Any, e: Any, need: int, typed: int | None) -> int | None:
    """The figures of an answer that is the correct value rounded too coarsely, else None.
    Counted from what was typed when the answer is a plain number."""
    ctx = num.mp_context()
    candidates = range(1, need) if typed is None else ([typed] if typed < need else [])
    for figures in candidates:
        rounded = num.round_sig(e, figures)
        if abs(v - ctx.mpf(str(rounded))) <= abs(e) * ctx.mpf(10) ** -14:
            return figures
    return None


def _percent(rel: float) -> str:
    pct = rel * 100
    digits = max(1, 1 - math.floor(math.log10(pct))) if pct > 0 else 1
    return f"{pct:.{min(digits, 8)}f}%"


def diagnose_vector(values: list[Any], expected: list[Any], tol: Any) -> str:
    """Name the wrong elements (1-based) and say what is wrong with the first one."""
    wrong = [i for i, (v, e) in enumerate(zip(values, expected)) if not num.within(v, e, tol)]
    if not wrong:
        return ""
    if len(values) > 1 and all(num.within(v, e, tol) for v, e in
                               zip(sorted(values), sorted(expected))):
        return "Right numbers, wrong order: check which element belongs where."
    if len(wrong) == len(values) and len(values) > 1:
        first = diagnose_number(values[0], expected[0], tol)
        return f"Every element is wrong; element 1: {first[0].lower()}{first[1:]}"
    names = _join([str(i + 1) for i in wrong])
    first = diagnose_number(values[wrong[0]], expected[wrong[0]], tol)
    label = "Element" if len(wrong) == 1 else "Elements"
    return f"{label} {names} {'is' if len(wrong) == 1 else 'are'} wrong; element " \
           f"{wrong[0] + 1}: {first[0].lower()}{first[1:]}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _precision_wanted(tol: Any, figures: int) -> str:
    """How precise the answer must be, in the words that match the tolerance's kind."""
    if tol is None or tol.is_default():
        return "the exact value (an exact expression is fine)"
    rel, absolute, sig = num.tolerance_bounds(tol)
    if absolute and not rel and not sig:
        places = max(0, math.ceil(-math.log10(2 * absolute) - 1e-9))
        return f"at least {places} decimal place{'s' * (places != 1)}"
    return f"at least {figures} significant figures"
