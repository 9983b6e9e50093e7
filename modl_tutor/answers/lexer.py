"""Tokenizer of the math-answer grammar: the vocabulary, the size limits and `ParseError`."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 100
MAX_NODES = 1000
MAX_DIGITS = 60
MAX_EXPONENT = 10_000
MAX_NAME = 40
MAX_POWER10_DIGITS = 6

FUNCTIONS: dict[str, tuple[int, int]] = {
    "exp": (1, 1), "log": (1, 2), "ln": (1, 1), "log10": (1, 1), "log2": (1, 1), "sqrt": (1, 1), "abs": (1, 1),
    "sin": (1, 1), "cos": (1, 1), "tan": (1, 1), "sinh": (1, 1), "cosh": (1, 1),
    "tanh": (1, 1), "sech": (1, 1), "sigmoid": (1, 1), "sigma": (1, 1), "relu": (1, 1),
    "max": (2, 50), "min": (2, 50),
}
CONSTANTS = ("e", "pi")
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "κ": "kappa", "λ": "lamda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi",
    "ω": "omega", "Δ": "Delta", "ℯ": "e",
}
GREEK_NAMES = frozenset(GREEK.values()) | {"lambda"}
FORBIDDEN = frozenset(keyword.kwlist) | {
    "eval", "exec", "compile", "open", "import", "getattr", "setattr", "delattr", "globals",
    "locals", "vars", "input", "print", "os", "sys", "subprocess", "builtins", "breakpoint",
    "exit", "quit", "help", "dir", "type", "object", "sympify", "lambdify",
} - {"lambda"}
_OPS = {"+": "+", "-": "-", "*": "*", "/": "/", "^": "^", "(": "(", ")": ")", "[": "[",
        "]": "]", ",": ",", "·": "*", "×": "*", "⋅": "*", "∙": "*", "−": "-", "–": "-",
        "÷": "/", "√": "√"}
_SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ˣʸᶻᵃᵇᶜᵈᵏᵐⁿᵗᵘᵛʷ⁽⁾",
                       "0123456789-+xyzabcdkmntuvw()"))
_SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
_NUMBER = re.compile(r"([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?|\.([0-9]+)(?:[eE]([+-]?[0-9]+))?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ParseError(ValueError):
    """An answer the grammar refuses; `column` is 0-based, messages count columns from 1."""

    def __init__(self, message: str, column: int = 0, text: str = "") -> None:
        super().__init__(message)
        self.message, self.column, self.text = message, column, text

    @classmethod
    def at(cls, text: str, message: str, col: int) -> ParseError:
        return cls(message, col, text)

    def pointer(self) -> str:
        """The (windowed) input line and a caret under the offending column."""
        line = "".join(c if c.isprintable() else " " for c in self.text)
        col = max(0, min(self.column, len(line)))
        start = max(0, min(col - 35, len(line) - 70))
        snippet = line[start:start + 70]
        lead = "…" if start > 0 else ""
        tail = "…" if start + 70 < len(line) else ""
        return f"{lead}{snippet}{tail}\n{' ' * (len(lead) + col - start)}^"


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num", "name", "op", "end"
    text: str
    col: int
    value: Any = None


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens; refuse anything that is not part of the grammar."""
    if len(text) > MAX_LENGTH:
        raise ParseError.at(text[:80], f"answer too long ({len(text)} characters, at most {MAX_LENGTH})", 0)
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif (m := _NUMBER.match(text, i)) is not None:
            out.append(Token("num", m.group(), i, _number(text, m, i)))
            i = m.end()
        elif (m := _NAME.match(text, i)) is not None:
            out.append(Token("name", m.group(), i, _name(text, m.group(), i)))
            i = m.end()
        elif c in GREEK:
            out.append(Token("name", c, i, GREEK[c]))
            i += 1
        elif c == "*" and text.startswith("**", i):
            out.append(Token("op", "**", i, "^"))
            i += 2
        elif c in _OPS:
            out.append(Token("op", c, i, _OPS[c]))
            i += 1
        elif c in _SUPERSCRIPT:
            j = i
            while j < n and text[j] in _SUPERSCRIPT:
                j += 1
            out.extend(_superscript(text, i, j))
            i = j
        elif c in _SUBSCRIPT and out and out[-1].kind == "name" and out[-1].value == "log":
            j = i
            while j < n and text[j] in _SUBSCRIPT:
                j += 1
            base = "".join(_SUBSCRIPT[ch] for ch in text[i:j])
            if f"log{base}" not in FUNCTIONS:
                raise ParseError.at(text, f"log base {base} is not known: use log10, log2, ln "
                                    "or log(x, base)", i)
            last = out.pop()
            out.append(Token("name", last.text + text[i:j], last.col, f"log{base}"))
            i = j
        else:
            raise ParseError.at(text, _bad_char(text, i), i)
    out.append(Token("end", "", n))
    return out


def _superscript(text: str, i: int, j: int) -> list[Token]:
    """A run of superscript characters (x², e⁻ˣ, 2⁽ⁿ⁺¹⁾) as the tokens of ^( ... )."""
    plain = "".join(_SUPERSCRIPT[ch] for ch in text[i:j])
    try:
        inner = tokenize(plain)[:-1]
    except ParseError:
        raise ParseError.at(text, "malformed superscript exponent", i) from None
    if not inner:
        raise ParseError.at(text, "malformed superscript exponent", i)
    return [Token("op", text[i], i, "^"), Token("op", "(", i, "(")] + [
        Token(t.kind, t.text, i + min(t.col, j - i - 1), t.value) for t in inner
    ] + [Token("op", ")", j - 1, ")")]


def typed_figures(text: str) -> int | None:
    """Significant figures as typed when `text` is a plain (signed) number: "0.980" is 3,
    "2.0" is 2, "-0.0200" is 3, "1.5e-3" is 2; None for anything else."""
    try:
        toks = tokenize(text)
    except ParseError:
        return None
    if toks and toks[0].kind == "op" and toks[0].value in "+-":
        toks = toks[1:]
    if len(toks) != 2 or toks[0].kind != "num" or toks[0].text[:1] in _SUPERSCRIPT:
        return None
    return int(toks[0].value[3])


_BAD = {"'": "quotes and strings are not allowed", '"': "quotes and strings are not allowed",
        "`": "quotes and strings are not allowed",
        ";": "';' is not allowed: enter a single expression",
        "=": "'=' is not allowed: enter only the value or expression",
        "{": "braces are not allowed; use parentheses ( )",
        "}": "braces are not allowed; use parentheses ( )",
        "\\": "LaTeX commands are not supported; write e.g. 1/(1+e^-x)"}


def _bad_char(text: str, i: int) -> str:
    c = text[i]
    if c == ".":
        nxt = text[i + 1:i + 2]
        if nxt.isalpha() or nxt == "_":
            return "attribute access ('.name') is not allowed"
        return "unexpected '.' (decimals look like 0.5)"
    return _BAD.get(c, f"unexpected character {c!r}")


def _number(text: str, m: re.Match[str], col: int) -> tuple[int, int, bool, int]:
    """(mantissa, power of ten, written as a decimal?, significant digits) of a literal."""
    whole, frac, exp, frac2, exp2 = m.groups()
    if frac2 is not None:
        whole, frac, exp = "", frac2, exp2
    frac, is_float = frac or "", "." in m.group() or exp is not None
    digits = (whole + frac).lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:
        raise ParseError.at(text, f"number too long (more than {MAX_DIGITS} digits)", col)
    if exp is not None and len(exp.lstrip("+-")) > MAX_POWER10_DIGITS:
        raise ParseError.at(text, "power of ten too large in scientific notation", col)
    mantissa = int(whole + frac or "0")
    return mantissa, int(exp or 0) - len(frac), is_float, len(digits)


def _name(text: str, name: str, col: int) -> str:
    if name.startswith("_") or "__" in name:
        raise ParseError.at(text, f"'{name}' is not allowed", col)
    if name in FORBIDDEN:
        raise ParseError.at(text, f"'{name}' is not allowed (keywords and Python names are refused)", col)
    if len(name) > MAX_NAME:
        raise ParseError.at(text, f"name too long (more than {MAX_NAME} characters)", col)
    return name
