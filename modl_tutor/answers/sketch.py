"""A two-dimensional unicode drawing of a parsed answer without sympy (what `modl answer` shows)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from modl_tutor.answers.lexer import GREEK
from modl_tutor.answers.parser import Node, ParseError, parse_tree

WIDTH = 100
"""Widest drawing; a wider one is shown on one line."""
NODES, DEPTH = 400, 14
"""Largest and deepest tree drawn in two dimensions."""
LINES, CHARS = 24, 4000
ONE_LINE = 600
"""The one-line form is cut here (with an ellipsis)."""

_GREEK = {name: char for char, name in GREEK.items() if name not in ("pi", "e")}
_GREEK["lambda"] = "λ"
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_NAMES = {"sigmoid": "σ", "sigma": "σ", "ln": "log", "log10": "log₁₀", "log2": "log₂"}


@dataclass(frozen=True)
class Box:
    """Lines of equal width and the row of the baseline."""

    lines: tuple[str, ...]
    base: int = 0

    @property
    def width(self) -> int:
        return len(self.lines[0]) if self.lines else 0

    @property
    def height(self) -> int:
        return len(self.lines)


def text(s: str) -> Box:
    return Box((s,), 0)


def hcat(*boxes: Box) -> Box:
    """Boxes side by side, baselines aligned."""
    above = max(b.base for b in boxes)
    below = max(b.height - b.base - 1 for b in boxes)
    rows = [""] * (above + below + 1)
    for b in boxes:
        top = above - b.base
        for r in range(len(rows)):
            i = r - top
            rows[r] += b.lines[i] if 0 <= i < b.height else " " * b.width
    return Box(tuple(rows), above)


def frac(num: Box, den: Box) -> Box:
    width = max(num.width, den.width) + 2
    rows = [line.center(width) for line in num.lines] + ["─" * width]
    rows += [line.center(width) for line in den.lines]
    return Box(tuple(rows), num.height)


def paren(b: Box, left: str = "(", right: str = ")") -> Box:
    if b.height == 1:
        return Box((left + b.lines[0] + right,), 0)
    tall = {"(": "⎛⎜⎝", ")": "⎞⎟⎠", "[": "⎡⎢⎣", "]": "⎤⎥⎦", "│": "│││"}
    lo, hi = tall.get(left, left * 3), tall.get(right, right * 3)
    rows = []
    for i, line in enumerate(b.lines):
        k = 0 if i == 0 else 2 if i == b.height - 1 else 1
        rows.append(lo[k] + line + hi[k])
    return Box(tuple(rows), b.base)


def power(base: Box, exponent: Box) -> Box:
    rows = [" " * base.width + line for line in exponent.lines]
    rows += [line + " " * exponent.width for line in base.lines]
    return Box(tuple(rows), exponent.height + base.base)


def _name(name: str) -> str:
    """A variable as a reader writes it: Greek letters, subscript digits, a hat."""
    plain, hat = (name[:-4], True) if name.endswith("_hat") else (name, False)
    head, _, sub = plain.partition("_")
    if not sub:
        stripped = head.rstrip("0123456789")
        head, sub = (stripped, head[len(stripped):]) if stripped else (head, "")
    head = _GREEK.get(head, head)
    suffix = ""
    if hat and len(head) == 1:
        head += "\u0302"
    elif hat:
        suffix = "_hat"
    shown = head + (sub.translate(_SUB) if sub.isdigit() else ("_" + sub if sub else ""))
    return unicodedata.normalize("NFC", shown + suffix)


def _number_parts(value: tuple[int, int, bool, int]) -> tuple[str, str | None]:
    """(digits, power of ten or None) of a number as typed."""
    mantissa, exp10, is_float, _digits = value
    if not is_float:
        return str(mantissa), None
    d = Decimal(mantissa).scaleb(exp10)
    if -7 <= d.adjusted() <= 15:
        return format(d, "f"), None
    m, _, k = format(d, "e").partition("e")
    return m, str(int(k))


def _number(value: tuple[int, int, bool, int]) -> Box:
    digits, power10 = _number_parts(value)
    return text(digits) if power10 is None else power(text(f"{digits}⋅10"), text(power10))


def _draw(node: Node) -> Box:
    kind = node.kind
    if kind == "num":
        return _number(node.value)
    if kind == "sym":
        return text(_name(node.value))
    if kind == "const":
        return text("ℯ" if node.value == "e" else "π")
    if kind == "neg":
        inner = _draw(node.args[0])
        return hcat(text("-"), paren(inner) if node.args[0].kind == "add" else inner)
    if kind == "add":
        parts = []
        for i, (sign, arg) in enumerate(zip(node.value, node.args)):
            box = _draw(arg)
            if i and (sign == "-" and arg.kind == "add"):
                box = paren(box)
            if i:
                parts.append(text(f" {sign} "))
            elif sign == "-":
                parts.append(text("-"))
            parts.append(box)
        return hcat(*parts)
    if kind == "mul":
        top = [a for op, a in zip(node.value, node.args) if op == "*"]
        bottom = [a for op, a in zip(node.value, node.args) if op == "/"]
        num = _product(top) if top else text("1")
        return frac(num, _product(bottom)) if bottom else num
    if kind == "pow":
        base, exponent = node.args
        b = _draw(base)
        if base.kind in ("add", "mul", "neg", "pow") or (base.kind == "num" and b.lines[0][0] == "-"):
            b = paren(b)
        return power(b, _draw(exponent))
    if kind == "call":
        return _call(node)
    return _vector(node)


def _product(factors: list[Node]) -> Box:
    boxes = []
    for i, f in enumerate(factors):
        box = _draw(f)
        if (f.kind == "add" and len(factors) > 1) or (f.kind == "neg" and i):
            box = paren(box)
        if i:
            boxes.append(text("⋅"))
        boxes.append(box)
    return hcat(*boxes)


def _call(node: Node) -> Box:
    name = node.value
    args = [_draw(a) for a in node.args]
    if name == "sqrt":
        arg = args[0]
        if arg.height == 1:
            return Box((" " + "_" * arg.width, "√" + arg.lines[0]), 1)
        return hcat(text("√"), paren(arg))
    if name == "abs":
        return paren(args[0], "│", "│")
    if name == "exp":
        return power(text("ℯ"), args[0])
    joined: list[Box] = []
    for i, a in enumerate(args):
        if i:
            joined.append(text(", "))
        joined.append(a)
    return hcat(text(_NAMES.get(name, name)), paren(hcat(*joined)))


def _vector(node: Node) -> Box:
    if node.args and node.args[0].kind == "vec":
        rows = [[_draw(a) for a in row.args] for row in node.args]
        widths = [max(r[j].width for r in rows) for j in range(len(rows[0]))]
        lines: list[str] = []
        for r in rows:
            cells = [Box(tuple(line.center(w) for line in b.lines), b.base)
                     for b, w in zip(r, widths)]
            spaced = [c if j == 0 else hcat(text("  "), c) for j, c in enumerate(cells)]
            lines += hcat(*spaced).lines
        return paren(Box(tuple(lines), len(lines) // 2), "[", "]")
    parts: list[Box] = []
    for i, a in enumerate(node.args):
        if i:
            parts.append(text(", "))
        parts.append(_draw(a))
    return paren(hcat(*parts), "[", "]")


def _shape(node: Node) -> tuple[int, int]:
    nodes, deepest, stack = 0, 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        nodes += 1
        deepest = max(deepest, d)
        stack.extend((a, d + 1) for a in n.args)
    return nodes, deepest


_LEVEL = {"add": 1, "neg": 2, "mul": 2, "pow": 3}


def _linear(node: Node, out: list[str], budget: list[int]) -> None:
    """Append the answer's one-line text to `out`, stopping once `budget` characters are
    spent (so a huge answer costs no more than the line shown)."""
    if budget[0] <= 0:
        return

    def put(s: str) -> None:
        out.append(s)
        budget[0] -= len(s)

    def sub(child: Node, level: int) -> None:
        wrap = _LEVEL.get(child.kind, 9) <= level
        put("(") if wrap else None
        _linear(child, out, budget)
        put(")") if wrap else None

    kind = node.kind
    if kind == "num":
        digits, power10 = _number_parts(node.value)
        put(digits if power10 is None else f"{digits}e{power10}")
    elif kind in ("sym", "const"):
        put(_draw(node).lines[0])
    elif kind == "neg":
        put("-")
        sub(node.args[0], 1)
    elif kind == "add":
        for i, (sign, arg) in enumerate(zip(node.value, node.args)):
            put(f" {sign} " if i else ("-" if sign == "-" else ""))
            sub(arg, 1 if sign == "-" and i else 0)
    elif kind == "mul":
        for i, (op, arg) in enumerate(zip(node.value, node.args)):
            put(("⋅" if op == "*" else "/") if i else "")
            sub(arg, 2 if op == "/" or i else 1)
    elif kind == "pow":
        sub(node.args[0], 3)
        put("^")
        sub(node.args[1], 2)
    else:
        name = "" if kind == "vec" else _NAMES.get(node.value, node.value)
        put(name + ("[" if kind == "vec" else "("))
        for i, arg in enumerate(node.args):
            put(", " if i else "")
            _linear(arg, out, budget)
        put("]" if kind == "vec" else ")")


def one_line(node: Node) -> str:
    """The answer on one line, cut at `ONE_LINE` characters (with an ellipsis)."""
    out: list[str] = []
    _linear(node, out, [ONE_LINE + 1])
    flat = "".join(out)
    return flat if len(flat) <= ONE_LINE else flat[:ONE_LINE - 1] + "…"


def draw(node: Node) -> str:
    """The drawing of `node`, or its one-line form when it is too large to draw well."""
    nodes, depth = _shape(node)
    if nodes > NODES or depth > DEPTH:
        return one_line(node)
    box = _draw(node)
    shown = "\n".join(line.rstrip() for line in box.lines)
    if box.width > WIDTH or box.height > LINES or len(shown) > CHARS:
        return one_line(node)
    return shown


def sketch(answer: str, *, variables: Iterable[str] = (),
           allowed: Iterable[str] | None = None) -> str:
    """The drawing of an answer, or its parse error with a caret; never raises."""
    if not answer or not answer.strip():
        return ""
    try:
        return draw(parse_tree(answer, variables=variables, allowed=allowed))
    except ParseError as err:
        return f"{err.message}\n{err.pointer()}"


def sketch_bounded(answer: str, *, variables: Iterable[str] = (),
                   allowed: Iterable[str] | None = None) -> str:
    """The drawing of an answer that parses, or "" when it does not."""
    try:
        return draw(parse_tree(answer, variables=variables, allowed=allowed))
    except ParseError:
        return ""
