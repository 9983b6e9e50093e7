"""Display math for a terminal: split a prompt at `$$…$$`, wrap formulas at their boundaries."""

from __future__ import annotations

import re

GAP = re.compile(r" {2,}")
"""Two spaces or more between formulas (`\\quad`, `\\qquad` and `,` spacing)."""
OPERATORS = ("=", "≤", "≥", "≈", "≠", "←", "→", "+", "-", "−", "±", "·", "×", "⊙", "∘")
"""Top-level operators a long formula may break before (relations first)."""
_OPEN, _CLOSE = "([{⎛⎜⎝⌊⌈‖", ")]}⎞⎟⎠⌋⌉"
CONTINUATION = "    "
"""Extra indent of a formula's continuation lines."""


def split_display(markdown: str) -> list[tuple[str, str]]:
    """("text", markdown) and ("math", latex) chunks in order, `$$…$$` being display math."""
    chunks: list[tuple[str, str]] = []
    at = 0
    for m in re.finditer(r"\$\$(.+?)\$\$", markdown, flags=re.S):
        if m.start() > at:
            chunks.append(("text", markdown[at:m.start()]))
        chunks.append(("math", m.group(1)))
        at = m.end()
    if at < len(markdown):
        chunks.append(("text", markdown[at:]))
    return chunks


def _depths(text: str) -> list[int]:
    """The bracket depth before each character."""
    out, depth = [], 0
    for c in text:
        if c in _CLOSE:
            depth = max(0, depth - 1)
        out.append(depth)
        if c in _OPEN:
            depth += 1
    return out


def formulas(text: str) -> list[str]:
    """The formulas of a display line: pieces separated by wide gaps outside brackets."""
    depths = _depths(text)
    pieces, at = [], 0
    for m in GAP.finditer(text):
        if depths[m.start()] == 0:
            pieces.append(text[at:m.start()])
            at = m.end()
    pieces.append(text[at:])
    return [p.strip() for p in pieces if p.strip()]


def _group(text: str, depths: list[int], i: int) -> int:
    """How good a line break the space at `i` is: 0 before a top-level operator, 1 at
    another top-level space, 2 inside brackets."""
    if depths[i] > 0:
        return 2
    return 0 if text[i + 1:i + 2] in OPERATORS else 1


def _split_long(formula: str, width: int) -> list[str]:
    """One formula in lines of at most `width` (continuations indented), broken at a space
    before a top-level operator where possible, never inside a token (a token longer than a
    line is kept whole)."""
    lines: list[str] = []
    rest, room = formula, width
    while len(rest) > room:
        depths = _depths(rest)
        spaces = [i for i in range(1, room + 1) if rest[i] == " "]
        if spaces:
            cut = min(spaces, key=lambda i: (_group(rest, depths, i), -i))
        else:
            after = rest.find(" ", room)
            cut = after if after > 0 else len(rest)
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
        room = width - len(CONTINUATION)
    if rest:
        lines.append(rest)
    return [lines[0]] + [CONTINUATION + line for line in lines[1:]] if lines else []


def wrap_formula(text: str, width: int) -> list[str]:
    """A display formula (already unicode) in lines of at most `width` columns: whole
    formulas packed side by side, a formula too long for a line broken at its top level."""
    width = max(width, 20)
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for piece in formulas(text):
        joined = f"{current}    {piece}" if current else piece
        if len(joined) <= width:
            current = joined
            continue
        if current:
            lines.append(current)
        if len(piece) <= width:
            current = piece
        else:
            lines.extend(_split_long(piece, width))
            current = ""
    if current:
        lines.append(current)
    return lines


def wrap_display(text: str, width: int) -> list[str]:
    """Each row of a display block (rows split at newlines) wrapped by `wrap_formula`."""
    return [line for row in text.splitlines() if row.strip()
            for line in wrap_formula(row.strip(), width)]
