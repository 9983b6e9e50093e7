"""Group students' wrong math answers so that equivalent forms (`2x`, `x*2`, `x+x`) count together."""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from modl_tutor.bank.models import Part

logger = logging.getLogger("modl")

MAX_TEXT = 200
"""Answers longer than this are grouped by their first characters only (never parsed)."""
MAX_DISTINCT = 2000
"""Distinct answer texts parsed per part; the rest are grouped by their raw text."""


def _points(count: int) -> list[tuple[float, ...]]:
    """Five fixed points in (0, 1)^count: inside every domain the bank uses (log a, 1 − a…)."""
    return [tuple(0.13 + 0.71 * (((7 * i + 3 * j + 1) * 0.618034) % 1.0) for j in range(count))
            for i in range(5)]


def _value_key(expr: Any) -> str | None:
    """A fingerprint of an expression's values at fixed points, or None if it has none."""
    from modl_tutor.answers.numbers import call, compile_float

    names = tuple(sorted(str(s) for s in getattr(expr, "free_symbols", ())))
    try:
        fn = compile_float(expr, names)
    except Exception:  # noqa: BLE001 - outside the float compiler: group by text instead
        logger.debug("class report: cannot compile %r", expr, exc_info=True)
        return None
    values = []
    for point in _points(len(names)):
        try:
            value = complex(call(fn, point))
        except Exception:  # noqa: BLE001 - undefined at this point (log of 0, overflow…)
            values.append("undef")
            continue
        if value.imag or not math.isfinite(value.real):
            values.append("undef")
        else:
            values.append(f"{value.real:.6g}")
    if all(v == "undef" for v in values):
        return None
    return ",".join(names) + ":" + ";".join(values)


def answer_key(text: str, part: Part) -> str:
    """The group an answer belongs to: equal values at fixed points, else its plain text."""
    plain = " ".join(str(text).split())
    if part.type == "choice":
        return "choice:" + "".join(sorted(set(plain.lower().replace(",", "").replace(" ", ""))))
    if len(plain) > MAX_TEXT:
        return "text:" + plain[:MAX_TEXT]
    from modl_tutor.answers.parser import ParseError, parse_math

    try:
        expr = parse_math(plain, variables=part.variables)
    except ParseError:
        return "text:" + plain
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        logger.debug("class report: cannot parse %r", plain, exc_info=True)
        return "text:" + plain
    items = expr if isinstance(expr, tuple) else (expr,)
    keys = []
    for item in items:
        if isinstance(item, tuple):
            return "text:" + plain  # a matrix: group by text
        key = _value_key(item)
        if key is None:
            return "text:" + plain
        keys.append(key)
    return ("vector:" if isinstance(expr, tuple) else "value:") + "|".join(keys)


@dataclass
class AnswerGroup:
    """Students whose wrong answers to one part are equivalent."""

    part: str
    count: int = 0
    forms: Counter[str] = field(default_factory=Counter)
    message: str = ""

    @property
    def shown(self) -> str:
        """The form most students wrote."""
        return self.forms.most_common(1)[0][0] if self.forms else ""

    def other_forms(self, limit: int = 3) -> list[str]:
        return [form for form, _ in self.forms.most_common(limit + 1)[1:]]


class WrongAnswers:
    """Collects wrong answers per part and groups them."""

    def __init__(self) -> None:
        self._groups: dict[tuple[str, str], AnswerGroup] = {}
        self._keys: dict[tuple[str, str], str] = {}

    def add(self, part: Part, text: str, message: str = "") -> None:
        plain = " ".join(str(text).split())
        if not plain:
            return
        cache_key = (part.name, plain)
        key = self._keys.get(cache_key)
        if key is None:
            distinct = sum(1 for name, _ in self._keys if name == part.name)
            key = answer_key(plain, part) if distinct < MAX_DISTINCT else "text:" + plain
            self._keys[cache_key] = key
        group = self._groups.setdefault((part.name, key), AnswerGroup(part=part.name))
        group.count += 1
        group.forms[plain[:MAX_TEXT]] += 1
        if message and not group.message:
            group.message = " ".join(message.split())[:200]

    def most_common(self, limit: int = 5) -> list[AnswerGroup]:
        groups = sorted(self._groups.values(), key=lambda g: (-g.count, g.part, g.shown))
        return groups[:limit]
