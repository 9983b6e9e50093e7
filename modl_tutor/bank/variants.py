"""Per-student variants: parameters drawn deterministically from a seed and substituted into an exercise."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Any

from modl_tutor.bank.models import Exercise, Mistake, ParamSpec, Part

Value = int | float | str
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _draw(spec: ParamSpec, seed: str, exercise_id: str) -> Value:
    digest = hashlib.sha256(f"{seed}\x1f{exercise_id}\x1f{spec.name}".encode("utf-8")).digest()
    h = int.from_bytes(digest[:8], "big")
    if spec.choices:
        return spec.choices[h % len(spec.choices)]
    lo, hi = int(spec.minimum or 0), int(spec.maximum if spec.maximum is not None else 0)
    return lo + h % (hi - lo + 1)


def draw_params(exercise: Exercise, seed: str) -> dict[str, Value]:
    """The parameter values of `exercise` for this student (`{}` if it has no params).

    Deterministic: SHA-256 of (seed, exercise id, parameter name), so the same student always
    sees the same numbers and different parameters are drawn independently."""
    return {spec.name: _draw(spec, str(seed), exercise.id) for spec in exercise.params}


def _text(value: Value, *, math: bool) -> str:
    if isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    if math and isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return f"({text})"  # so that {a}^2 with a = -3 reads (-3)^2, not -(3^2)
    return text


def substitute(text: str, params: dict[str, Value], *, math: bool = False) -> str:
    """Replace `{name}` placeholders of known parameters; other braces are left alone
    (so LaTeX such as `\\frac{1}{2}` in a prompt survives). With `math`, negative numbers
    are parenthesised."""
    if not params or "{" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        return _text(params[name], math=math) if name in params else m.group(0)

    return _PLACEHOLDER.sub(repl, text)


def _part(part: Part, params: dict[str, Value]) -> Part:
    return dataclasses.replace(
        part,
        label=substitute(part.label, params),
        expected=substitute(part.expected, params, math=True),
        options=tuple(substitute(o, params) for o in part.options),
        mistakes=tuple(Mistake(expected=substitute(m.expected, params, math=True),
                               message=substitute(m.message, params)) for m in part.mistakes),
    )


def apply_variant(exercise: Exercise, seed: str) -> Exercise:
    """A copy of `exercise` with this student's parameter values substituted into the prompt,
    hints, solution, part labels, options, expected answers and known mistakes. The expected
    answers stay expressions (e.g. `3*4^2`): the answer engine parses and evaluates them.
    Exercises without params (all canonical ones) are returned unchanged (the same object)."""
    if not exercise.params:
        return exercise
    params = draw_params(exercise, seed)
    return dataclasses.replace(
        exercise,
        prompt=substitute(exercise.prompt, params),
        hints=tuple(substitute(h, params) for h in exercise.hints),
        solution=substitute(exercise.solution, params),
        parts=tuple(_part(p, params) for p in exercise.parts),
    )


def variant_summary(exercise: Exercise, seed: str) -> dict[str, Any]:
    """The drawn values, for reports and debugging (`{}` for exercises without params)."""
    return {"exercise": exercise.id, "seed": seed, "params": draw_params(exercise, seed)}
