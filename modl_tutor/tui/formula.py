"""Display formulas for the terminal: top-level `\\frac{a}{b}` drawn as a stacked fraction."""

from __future__ import annotations

import re

from modl_tutor.reports.mathtext import brace_group as _group
from modl_tutor.reports.mathtext import latex_to_unicode

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_SEPARATOR = re.compile(r"\\q?quad(?![A-Za-z])|\\\\")


def _segments(latex: str) -> list[tuple[str, str] | tuple[str, str, str]]:
    """Split a formula into ('text', s) and ('frac', numerator, denominator) at top level."""
    out: list[tuple[str, str] | tuple[str, str, str]] = []
    buffer: list[str] = []
    i = 0
    depth = 0
    while i < len(latex):
        if depth == 0 and latex.startswith(r"\frac", i):
            if buffer:
                out.append(("text", "".join(buffer)))
                buffer = []
            num, i = _group(latex, i + 5)
            den, i = _group(latex, i)
            out.append(("frac", num, den))
            continue
        depth += {"{": 1, "}": -1}.get(latex[i], 0)
        buffer.append(latex[i])
        i += 1
    if buffer:
        out.append(("text", "".join(buffer)))
    return out


def _pieces(latex: str) -> list[str]:
    """Split a display formula at its top-level `\\quad` / `\\qquad` / `\\\\` separators."""
    pieces, start, depth, i = [], 0, 0, 0
    while i < len(latex):
        depth += {"{": 1, "}": -1}.get(latex[i], 0)
        match = _SEPARATOR.match(latex, i) if depth == 0 else None
        if match:
            pieces.append(latex[start:i])
            start = i = match.end()
            continue
        i += 1
    pieces.append(latex[start:])
    return [p.strip().rstrip(",;").strip() for p in pieces if p.strip().rstrip(",;").strip()]


def layout_formula(latex: str) -> str:
    """Unicode rendering of a LaTeX display formula: one block per `\\quad`-separated piece,
    each one line, or three when it holds a top-level fraction."""
    blocks = [_layout_piece(piece) for piece in _pieces(latex)] or [""]
    separator = "\n\n" if any("\n" in b for b in blocks) else "\n"
    return separator.join(blocks)


def _layout_piece(latex: str) -> str:
    segments = _segments(latex.strip())
    if not any(s[0] == "frac" for s in segments):
        return latex_to_unicode(latex.strip())
    top, middle, bottom = [], [], []
    for segment in segments:
        if segment[0] == "text":
            body = latex_to_unicode(segment[1])
            top.append(" " * len(body))
            middle.append(body)
            bottom.append(" " * len(body))
            continue
        num = latex_to_unicode(segment[1]).strip()
        den = latex_to_unicode(segment[2]).strip()
        width = max(len(num), len(den)) + 2
        top.append(num.center(width))
        middle.append("─" * width)
        bottom.append(den.center(width))
    rows = ["".join(row) for row in (top, middle, bottom)]
    width = max(len(row) for row in rows)
    return "\n".join(row.ljust(width) for row in rows)  # equal widths keep centring aligned


def split_prompt(markdown: str) -> list[tuple[str, str]]:
    """The prompt as ('markdown', text) and ('formula', laid-out formula) blocks, in order."""
    from modl_tutor.reports.mathtext import render_math

    blocks: list[tuple[str, str]] = []
    position = 0
    for match in _DISPLAY.finditer(markdown):
        before = markdown[position:match.start()]
        if before.strip():
            blocks.append(("markdown", render_math(before)))
        blocks.append(("formula", layout_formula(match.group(1))))
        position = match.end()
    rest = markdown[position:]
    if rest.strip():
        blocks.append(("markdown", render_math(rest)))
    return blocks
