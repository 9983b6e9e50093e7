"""Rendering of answers: live preview (sympy unicode pretty), one-line form, grammar printer."""

from __future__ import annotations

import threading
from typing import Any, Iterable

from modl_tutor.answers.parser import MAX_POWER10_DIGITS, ParseError, parse_math

PREVIEW_WIDTH = 100
PRETTY_NODES = 400
"""Largest tree drawn in two dimensions; larger ones get the one-line form."""
PRETTY_DEPTH = 14
"""Deepest tree drawn in two dimensions (nested roots and fractions grow quadratically)."""
PRETTY_CHARS, PRETTY_LINES = 4000, 24
"""Largest two-dimensional drawing shown; beyond it the one-line form is shown."""
ONE_LINE_CHARS = 600
"""The one-line form is cut here (with an ellipsis)."""
_PRETTY_LOCK = threading.Lock()
"""sympy.pretty(use_unicode=True) flips a process-wide unicode flag and restores it after:
two threads drawing at once (the app's warm-up and a preview) drew `*` for `⋅`."""


def preview(text: str | None, *, variables: Iterable[str] = (),
            allowed: Iterable[str] | None = None) -> str:
    """The unicode pretty print of the parsed answer, or the parse error with its pointer.
    Never raises; bounded in size and time (large or deep answers get a one-line form)."""
    if text is None or not str(text).strip():
        return ""
    try:
        return render(parse_math(str(text), variables=variables, allowed=allowed, display=True))
    except ParseError as err:
        return f"{err.message}\n{err.pointer()}"
    except Exception as err:  # noqa: BLE001 - the preview must never break the UI
        import logging

        logging.getLogger("modl").debug("preview failed", exc_info=True)
        return f"(cannot display this answer: {type(err).__name__})"


def render_bounded(text: str, *, variables: Iterable[str] = (),
                   allowed: Iterable[str] | None = None) -> str:
    """The preview of an answer that parses, or "" if it cannot be drawn."""
    shown = preview(text, variables=variables, allowed=allowed)
    return "" if shown.startswith("(cannot display") else shown


def _shape(obj: Any) -> tuple[int, int]:
    """(nodes, depth) of an expression, vector or matrix (iterative)."""
    nodes, deepest = 0, 0
    stack = [(obj, 1)]
    while stack:
        e, d = stack.pop()
        nodes += 1
        deepest = max(deepest, d)
        kids = e if isinstance(e, tuple) else getattr(e, "args", ())
        stack.extend((k, d + 1) for k in kids)
    return nodes, deepest


def _plain(obj: Any) -> str:
    text = one_line(obj)
    return text if len(text) <= ONE_LINE_CHARS else text[:ONE_LINE_CHARS - 1] + "…"


def render(obj: Any) -> str:
    """Multi-line unicode rendering of an expression, vector or matrix; a one-line form when
    the tree is too large or deep to draw quickly, or the drawing too big to read."""
    nodes, depth = _shape(obj)
    if nodes > PRETTY_NODES or depth > PRETTY_DEPTH:
        return _plain(obj)
    drawn = _pretty(obj)
    if len(drawn) > PRETTY_CHARS or drawn.count("\n") >= PRETTY_LINES:
        return _plain(obj)
    return drawn


def _pretty(obj: Any) -> str:
    import sympy

    try:
        if isinstance(obj, tuple):
            rows = [list(r) if isinstance(r, tuple) else [r] for r in obj]
            obj = sympy.Matrix(rows) if isinstance(obj[0], tuple) else sympy.Matrix([list(obj)])
        with _PRETTY_LOCK:
            return sympy.pretty(obj, use_unicode=True, num_columns=PREVIEW_WIDTH)
    except Exception:  # noqa: BLE001 - e.g. integers beyond Python's str() digit limit
        return one_line(obj)


def one_line(obj: Any) -> str:
    """A single-line unicode form (for JSON reports and tables). Never raises."""
    try:
        return to_text(obj)
    except Exception:
        try:
            return str(obj)
        except Exception:
            return type(obj).__name__


_FUNC_NAMES = {"exp": "exp", "log": "log", "sin": "sin", "cos": "cos", "tan": "tan",
               "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "sech": "sech", "Abs": "abs",
               "Max": "max", "Min": "min"}
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5


def to_text(obj: Any) -> str:
    """Print an expression (or vector) in the answer grammar, so that `parse_math` reads it
    back as an equal expression. Raises ValueError for objects outside the grammar."""
    if isinstance(obj, tuple):
        return "[" + ", ".join(to_text(o) for o in obj) + "]"
    return _print(obj)[0]


def _wrap(pair: tuple[str, int], level: int) -> str:
    text, prec = pair
    return f"({text})" if prec < level else text


def _number(expr: Any) -> tuple[str, int]:
    if expr.is_Integer:
        text = str(int(expr))
    elif expr.is_Rational:
        text = f"{expr.p}/{expr.q}"
        return (text, _MUL) if expr.p > 0 else (text, _NEG)
    elif expr.is_Float:
        text = _float_text(expr)
    else:
        raise ValueError(f"cannot print {type(expr).__name__}")
    return (text, _ATOM) if not text.startswith("-") else (text, _NEG)


def _float_text(expr: Any) -> str:
    from modl_tutor.answers.numbers import mp_context

    ctx = mp_context()
    digits = max(1, min(int(getattr(expr, "_prec", 53) * 0.30103) + 1, 60))
    v = ctx.mpf(str(expr))
    text = ctx.nstr(v, digits, strip_zeros=True, min_fixed=-5, max_fixed=16)
    text = text.replace("e+", "e")
    if "e" in text and len(text.split("e")[1].lstrip("-")) > MAX_POWER10_DIGITS:
        raise ValueError("number too large for the answer grammar")
    if "e" in text or "." in text:
        return text
    return text + ".0"


def _print(expr: Any) -> tuple[str, int]:
    if expr.is_Number:
        return _number(expr)
    if expr.is_Symbol:
        return expr.name, _ATOM
    name = type(expr).__name__
    if name == "Exp1":
        return "e", _ATOM
    if name == "Pi":
        return "pi", _ATOM
    if expr.is_Add:
        out = []
        for i, term in enumerate(expr.args):
            text = _wrap(_print(term), _ADD if i == 0 else _MUL)
            if i and text.startswith("-"):
                out.append(" - " + text[1:])
            else:
                out.append((" + " if i else "") + text)
        return "".join(out), _ADD
    if expr.is_Mul:
        return _print_mul(expr)
    if expr.is_Pow:
        base, exp = expr.args
        if exp.is_Rational and exp.q == 2 and abs(exp.p) == 1:
            root = f"sqrt({_print(base)[0]})"
            return (root, _ATOM) if exp.p > 0 else (f"1/{root}", _MUL)
        if exp.is_Number and exp < 0:
            inverse = base if exp == -1 else expr.func(base, -exp, evaluate=False)
            return f"1/{_wrap(_print(inverse), _POW)}", _MUL
        left = _wrap(_print(base), _POW + 1)
        right = _wrap(_print(exp), _ATOM)
        return f"{left}^{right}", _POW
    if name == "log" and len(expr.args) == 2:
        return f"log({_print(expr.args[0])[0]}, {_print(expr.args[1])[0]})", _ATOM
    if name in _FUNC_NAMES:
        inner = ", ".join(_print(a)[0] for a in expr.args)
        return f"{_FUNC_NAMES[name]}({inner})", _ATOM
    if name in ("σ", "relu"):
        return f"{'sigmoid' if name == 'σ' else 'relu'}({_print(expr.args[0])[0]})", _ATOM
    raise ValueError(f"cannot print {name} in the answer grammar")


def _print_mul(expr: Any) -> tuple[str, int]:
    args = list(expr.args)
    sign, den_extra = "", []
    if args and args[0].is_Number:
        coeff = args[0]
        if coeff < 0:
            sign, coeff = "-", -coeff
        if coeff.is_Rational and coeff.q != 1:
            den_extra = [_integer(coeff.q)]
            coeff = _integer(coeff.p)
        args = args[1:] if coeff == 1 else [coeff, *args[1:]]
    num = [a for a in args if not (a.is_Pow and a.args[1].is_Number and a.args[1] < 0)]
    den = den_extra + [a.func(a.args[0], -a.args[1], evaluate=False) if a.args[1] != -1
                       else a.args[0] for a in args if a not in num]
    if len(num) == 1 and not den and not sign:
        return _print(num[0])
    top = "*".join(_wrap(_print(a), _MUL + 1) for a in num) if num else "1"
    if den:
        if len(den) == 1:
            bottom = _wrap(_print(den[0]), _POW)
        else:
            bottom = "(" + "*".join(_wrap(_print(a), _MUL + 1) for a in den) + ")"
        text = f"{top}/{bottom}"
    else:
        text = top
    return (sign + text, _NEG) if sign else (text, _MUL)


def _integer(n: int) -> Any:
    import sympy

    return sympy.Integer(n)
