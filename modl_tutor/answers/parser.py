"""Safe math-answer grammar: a precedence-climbing parser to a tree, then sympy or its light twin."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from modl_tutor.answers.lexer import (  # noqa: F401 - re-exported for callers
    CONSTANTS,
    FORBIDDEN,
    FUNCTIONS,
    GREEK,
    GREEK_NAMES,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NAME,
    MAX_NODES,
    MAX_POWER10_DIGITS,
    ParseError,
    Token,
    tokenize,
)


@dataclass(frozen=True, slots=True)
class Node:
    """A parsed answer: kinds num, sym, const, neg, add, mul, pow, call, vec."""

    kind: str
    col: int
    value: Any = None
    args: tuple["Node", ...] = ()


def _function_like(name: str) -> bool:
    return name.isalpha() and name.isascii() and len(name) >= 2 and name not in GREEK_NAMES


class _Parser:
    def __init__(self, text: str, variables: frozenset[str], allowed: frozenset[str] | None):
        self.text, self.toks = text, tokenize(text)
        self.variables, self.allowed = variables, allowed
        self.i = self.depth = self.count = self.calls = 0

    def peek(self, kind: str, value: str) -> Token | None:
        t = self.toks[self.i]
        return t if t.kind == kind and t.value in value else None

    def take(self) -> Token:
        t = self.toks[self.i]
        self.i += 1
        return t

    def fail(self, message: str, col: int) -> ParseError:
        return ParseError(message, col, self.text)

    def node(self, kind: str, col: int, value: Any = None, args: tuple[Node, ...] = ()) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"expression too large (more than {MAX_NODES} parts)", col)
        return Node(kind, col, value, args)

    def enter(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"expression nested too deeply (more than {MAX_DEPTH} levels)", col)

    def top(self) -> Node:
        node = self.vector() if self.peek("op", "[") else self.expr()
        t = self.toks[self.i]
        if t.kind != "end":
            raise self.fail(self.trailing(t), t.col)
        return node

    def trailing(self, t: Token) -> str:
        if t.value in (")", "]"):
            return f"unmatched '{t.value}'"
        if t.value == ",":
            return ("unexpected ',': commas separate vector elements inside [ ] or function "
                    "arguments; write numbers without thousands separators")
        if t.value == "[":
            return "indexing with '[' is not allowed (a vector [a, b] must be the whole answer)"
        return f"unexpected '{t.text}': missing operator?"

    def vector(self) -> Node:
        open_ = self.take()
        self.enter(open_.col)
        items: list[Node] = []
        while True:
            if self.peek("op", "]") and not items:
                raise self.fail("empty vector: write its elements inside [ ]", self.toks[self.i].col)
            items.append(self.vector() if self.peek("op", "[") else self.expr())
            t = self.take()
            if t.value == "]":
                break
            if t.value != ",":
                raise self.fail(f"expected ',' or ']' to close '[' at column {open_.col + 1}", t.col)
        rows = [it for it in items if it.kind == "vec"]
        if rows and (len(rows) != len(items) or len({len(r.args) for r in rows}) != 1
                     or any(a.kind == "vec" for r in rows for a in r.args)):
            raise self.fail("a matrix needs rows of equal length: [[1, 2], [3, 4]]", open_.col)
        self.depth -= 1
        return self.node("vec", open_.col, None, tuple(items))

    def expr(self) -> Node:
        col = self.toks[self.i].col
        signs, terms = ["+"], [self.term()]
        while (t := self.peek("op", "+-")) is not None:
            self.take()
            signs.append(t.value)
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else self.node("add", col, tuple(signs), tuple(terms))

    def starts_atom(self, t: Token) -> bool:
        return t.kind in ("num", "name") or (t.kind == "op" and t.value in ("(", "√"))

    def term(self) -> Node:
        col = self.toks[self.i].col
        ops, factors = ["*"], [self.unary()]
        while True:
            t = self.toks[self.i]
            if t.kind == "op" and t.value in ("*", "/"):
                self.take()
                ops.append(t.value)
                factors.append(self.unary())
            elif self.starts_atom(t):
                if t.kind == "num" and self.toks[self.i - 1].kind == "num":
                    raise self.fail("missing operator between two numbers", t.col)
                ops.append("*")
                factors.append(self.power())
            else:
                break
        return factors[0] if len(factors) == 1 else self.node("mul", col, tuple(ops), tuple(factors))

    def unary(self) -> Node:
        t = self.peek("op", "+-")
        if t is None:
            return self.power()
        self.take()
        self.enter(t.col)
        operand = self.unary()
        self.depth -= 1
        return self.node("neg", t.col, None, (operand,)) if t.value == "-" else operand

    def power(self) -> Node:
        base = self.atom()
        t = self.peek("op", "^")
        if t is None:
            return base
        self.take()
        self.enter(t.col)
        exponent = self.unary()
        self.depth -= 1
        return self.node("pow", t.col, None, (base, exponent))

    def atom(self) -> Node:
        t = self.take()
        if t.kind == "num":
            return self.node("num", t.col, t.value)
        if t.kind == "name":
            return self.name(t)
        if t.value == "(":
            self.enter(t.col)
            if self.peek("op", ")"):
                raise self.fail("expected an expression inside '( )'", self.toks[self.i].col)
            inner = self.expr()
            close = self.take()
            if close.value == "," and not self.depth_in_call():
                raise self.fail("a vector is written with square brackets, like [2.6, 0.2]; "
                                "parentheses only group", t.col)
            if close.value != ")":
                raise self.fail(f"expected ')' to close '(' at column {t.col + 1}", close.col)
            self.depth -= 1
            return inner
        if t.value == "√":
            self.enter(t.col)
            arg = self.atom()
            self.depth -= 1
            return self.node("call", t.col, "sqrt", (arg,))
        if t.value == "[":
            raise self.fail("a vector [a, b] can only be the whole answer", t.col)
        if t.kind == "end":
            prev = self.toks[self.i - 2] if self.i >= 2 else None
            after = f" after '{prev.text}'" if prev is not None and prev.kind == "op" else ""
            raise self.fail(f"unexpected end of input: expected an expression{after}", t.col)
        raise self.fail(f"expected a number, a name or '(' but found '{t.text}'", t.col)

    def depth_in_call(self) -> bool:
        """Is the parser inside the argument list of a function call?"""
        return self.calls > 0

    def name(self, t: Token) -> Node:
        name, nxt = t.value, self.toks[self.i]
        paren = nxt.kind == "op" and nxt.value == "("
        if name in self.variables:
            return self.node("sym", t.col, name)
        if name in FUNCTIONS:
            if not paren:
                raise self.fail(f"expected '(' after function '{name}'", nxt.col)
            return self.call(t)
        if name in CONSTANTS:
            return self.node("const", t.col, name)
        if self.allowed is not None and name in self.allowed:
            return self.node("sym", t.col, name)
        if paren and _function_like(name):
            close = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise self.fail(f"unknown function '{name}'{hint}", t.col)
        if self.allowed is not None and name not in self.allowed:
            raise self.fail(_unknown_variable(name, self.allowed), t.col)
        return self.node("sym", t.col, name)

    def call(self, t: Token) -> Node:
        open_ = self.take()
        self.enter(open_.col)
        if self.peek("op", ")"):
            raise self.fail(f"'{t.value}' needs an argument", self.toks[self.i].col)
        self.calls += 1
        args = [self.expr()]
        while True:
            sep = self.take()
            if sep.value == ")":
                break
            if sep.value != ",":
                what = "')'" if FUNCTIONS[t.value][1] == 1 else "',' or ')'"
                raise self.fail(f"expected {what} to close '{t.text}(' at column "
                                f"{open_.col + 1}", sep.col)
            args.append(self.expr())
        self.calls -= 1
        lo, hi = FUNCTIONS[t.value]
        if not lo <= len(args) <= hi:
            want = f"{lo}" if lo == hi else f"{lo} to {hi}"
            raise self.fail(f"'{t.text}' takes {want} argument{'s' * (hi > 1)}, got {len(args)}",
                            t.col)
        self.depth -= 1
        return self.node("call", t.col, t.value, tuple(args))


def _unknown_variable(name: str, allowed: frozenset[str]) -> str:
    known = ", ".join(sorted(allowed))
    where = f" (the variables here are {known})" if allowed else " (a number is expected here)"
    parts, rest = [], name
    while rest and (head := max((v for v in allowed if rest.startswith(v)), key=len, default="")):
        parts.append(head)
        rest = rest[len(head):]
    hint = f"; for a product write {'*'.join(parts)}" if parts and not rest and len(parts) > 1 else ""
    return f"unknown variable '{name}'{where}{hint}"


def parse_tree(text: str, *, variables: Iterable[str] = (),
               allowed: Iterable[str] | None = None) -> Node:
    """Parse `text` into a `Node` tree (no sympy). `variables` shadow function/constant names;
    with `allowed`, any other name is refused."""
    vs = frozenset(variables)
    al = None if allowed is None else frozenset(allowed) | vs
    return _Parser(text, vs, al).top()


@lru_cache(maxsize=4096)
def _parse_cached(text: str, variables: tuple[str, ...], allowed: frozenset[str] | None,
                  display: bool) -> Any:
    from modl_tutor.answers.build import to_sympy

    return to_sympy(parse_tree(text, variables=variables, allowed=allowed), text, display=display)


@lru_cache(maxsize=4096)
def _light_cached(text: str, variables: tuple[str, ...], allowed: frozenset[str] | None) -> Any:
    from modl_tutor.answers.build import to_light

    return to_light(parse_tree(text, variables=variables, allowed=allowed), text)


def parse_light(text: str, *, variables: Iterable[str] = (),
                allowed: Iterable[str] | None = None) -> Any:
    """Like `parse_math`, but a light tree (`answers.tree`, the same shape, no sympy): what
    the grader decides numerically; `convert.to_sympy_expr` gives the sympy tree."""
    if not isinstance(text, str):
        raise ParseError("the answer must be text", 0, "")
    al = None if allowed is None else frozenset(allowed)
    return _light_cached(text, tuple(sorted(set(variables))), al)


def parse_math(text: str, *, variables: Iterable[str] = (),
               allowed: Iterable[str] | None = None, display: bool = False) -> Any:
    """Parse `text` to an unevaluated sympy expression (or a tuple for a vector, tuple of
    tuples for a matrix). Raises `ParseError`. With `display`, σ and relu stay symbolic."""
    if not isinstance(text, str):
        raise ParseError("the answer must be text", 0, "")
    al = None if allowed is None else frozenset(allowed)
    return _parse_cached(text, tuple(sorted(set(variables))), al, display)
