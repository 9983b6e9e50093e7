"""Turn the `$…$` / `$$…$$` LaTeX of prompts into readable unicode text for terminals."""

from __future__ import annotations

import re
import unicodedata

_SYMBOLS = {
    r"\sigma": "σ", r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ",
    r"\epsilon": "ε", r"\varepsilon": "ε", r"\eta": "η", r"\theta": "θ", r"\lambda": "λ",
    r"\mu": "μ", r"\pi": "π", r"\tau": "τ", r"\phi": "φ", r"\Delta": "Δ", r"\nabla": "∇",
    r"\partial": "∂", r"\sum": "Σ", r"\prod": "Π", r"\infty": "∞", r"\cdot": "·",
    r"\times": "×", r"\approx": "≈", r"\leq": "≤", r"\le": "≤", r"\geq": "≥", r"\ge": "≥",
    r"\neq": "≠", r"\to": "→", r"\rightarrow": "→", r"\leftarrow": "←", r"\in": "∈",
    r"\odot": "⊙", r"\ell": "ℓ", r"\log": "log", r"\exp": "exp", r"\ln": "ln",
    r"\max": "max", r"\min": "min", r"\tanh": "tanh", r"\sqrt": "√", r"\quad": "  ",
    r"\qquad": "    ", r"\,": " ", r"\;": " ", r"\!": "", r"\left": "", r"\right": "",
    r"\mathrm": "", r"\text": "", r"\mathbf": "", r"\operatorname": "", r"\lVert": "‖",
    r"\rVert": "‖", r"\top": "ᵀ", r"\pm": "±", r"\ldots": "…", r"\dots": "…",
    r"\mid": "|", r"\mathrel": "", r"\big": "", r"\Big": "", r"\bigl": "",
    r"\bigr": "", r"\|": "‖", r"\lfloor": "⌊", r"\rfloor": "⌋", r"\lceil": "⌈",
    r"\rceil": "⌉", r"\circ": "∘", r"\sim": "~", r"\propto": "∝", r"\forall": "∀", r"\{": "{", r"\}": "}",
}
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
_SUP = str.maketrans("0123456789+-=()nixyTk−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱˣʸᵀᵏ⁻")
_SUB = str.maketrans("0123456789+-=()aeijkmnox", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒₓ")


def brace_group(text: str, start: int) -> tuple[str, int]:
    """The brace group (or single character) at `start`, and the index after it.

    Spaces before the argument are skipped, as LaTeX does (`\\frac {a} {b}`).
    """
    while start < len(text) and text[start] == " ":
        start += 1
    if start < len(text) and text[start] == "{":
        depth = 0
        for i in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                return text[start + 1:i], i + 1
        return text[start + 1:], len(text)
    return text[start:start + 1], start + 1


def _script(body: str, table: dict[int, int], marker: str) -> str:
    body = latex_to_unicode(body)
    if body and all(c in "ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿⁱ" for c in body):
        return body
    translated = body.translate(table)
    if all(c != o or c in " " for c, o in zip(translated, body)) or len(body) == 0:
        return translated
    return f"{marker}({body})" if len(body) > 1 else f"{marker}{body}"


def latex_to_unicode(text: str) -> str:
    """A best-effort unicode rendering of a LaTeX math fragment."""
    out: list[str] = []
    i = 0
    while i < len(text):
        frac = re.match(r"\\[dt]?frac", text[i:])
        if frac:
            num, i = brace_group(text, i + len(frac.group(0)))
            den, i = brace_group(text, i)
            num, den = latex_to_unicode(num), latex_to_unicode(den)
            wrap = lambda s: s if re.fullmatch(r"[\w.σαβ]+", s) else f"({s})"  # noqa: E731
            fraction = f"{wrap(num)}/{wrap(den)}"
            before = "".join(out).rstrip(" ")
            if before[-1:].isalpha():  # \cos\frac{a}{b} is cos(a/b), not cos(a)/b
                fraction = f"({fraction})"
            out.append(fraction)
            continue
        accent = re.match(r"\\(hat|bar|tilde|vec|dot)(?![A-Za-z])\s*", text[i:])
        if accent:
            body, i = brace_group(text, i + len(accent.group(0)))
            mark = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7",
                    "dot": "\u0307"}[accent.group(1)]
            out.append("".join(c + mark if c.isalnum() else c for c in latex_to_unicode(body)))
            continue
        font = re.match(r"\\mathbb\s*", text[i:])
        if font:
            body, i = brace_group(text, i + len(font.group(0)))
            out.append("".join(_BLACKBOARD.get(c, c) for c in body))
            continue
        if text.startswith(r"\sqrt", i):
            body, i = brace_group(text, i + 5)
            out.append(f"√({latex_to_unicode(body)})")
            continue
        if text[i] in "^_":
            superscript = text[i] == "^"
            body, i = brace_group(text, i + 1)
            if body == "\\" and text.startswith("top", i):  # ^\top
                body, i = "T", i + 3
            out.append(_script(body, _SUP if superscript else _SUB, "^" if superscript else "_"))
            continue
        if text[i] == "\\":
            match = re.match(r"\\([A-Za-z]+|.)", text[i:])
            token = match.group(0) if match else "\\"
            symbol = _SYMBOLS.get(token, token.lstrip("\\"))
            out.append(symbol)
            i += len(token)
            rest = text[i:].lstrip(" ")
            if symbol in "∂∇" and symbol and rest[:1].isalnum():
                i = len(text) - len(rest)  # "\partial L" is ∂L: the space only ends the name
            continue
        if text[i] in "{}":
            i += 1
            continue
        out.append(text[i])
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def render_math(markdown: str) -> str:
    """Replace `$$…$$` by an indented unicode block and `$…$` by inline unicode."""
    def display(match: re.Match[str]) -> str:
        return "\n\n    " + latex_to_unicode(match.group(1).strip()) + "\n\n"

    markdown = re.sub(r"\$\$(.+?)\$\$", display, markdown, flags=re.S)
    return re.sub(r"\$(.+?)\$", lambda m: latex_to_unicode(m.group(1)), markdown)
