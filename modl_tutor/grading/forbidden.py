"""Static check of a submission's AST: forbidden imports and calls, with the line they are on."""

from __future__ import annotations

import ast

ALWAYS_FORBIDDEN: tuple[str, ...] = (
    "torch", "jax", "tensorflow", "scipy.special", "ctypes", "importlib", "subprocess",
    "multiprocessing", "socket", "__import__", "eval", "exec", "compile",
)
"""Forbidden in every code exercise: the oracle's library, and ways around the rules."""


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _matches(name: str, rule: str) -> bool:
    return name == rule or name.startswith(rule + ".")


def find_forbidden(source: str, forbidden: tuple[str, ...] = (),
                   filename: str = "<submission>") -> list[str]:
    """Messages for each forbidden import or name use; raises SyntaxError on bad source."""
    rules = tuple(dict.fromkeys((*ALWAYS_FORBIDDEN, *forbidden)))
    tree = ast.parse(source, filename=filename)
    aliases: dict[str, str] = {}
    problems: list[str] = []

    def flag(name: str, line: int) -> None:
        for rule in rules:
            if _matches(name, rule):
                problems.append(f"line {line}: `{name}` is not allowed in this exercise "
                                f"(write it with NumPy yourself)")
                return

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0])
                flag(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                aliases[alias.asname or alias.name] = full
                flag(node.module, node.lineno) if any(_matches(node.module, r) for r in rules) \
                    else flag(full, node.lineno)
    inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        if id(node) in inner:
            continue
        if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(getattr(node, "ctx", None),
                                                                    ast.Load):
            dotted = _dotted(node)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            resolved = aliases.get(head, head) + (f".{rest}" if rest else "")
            if isinstance(node, ast.Name) and head not in aliases and head not in (
                    "__import__", "eval", "exec", "compile"):
                continue
            flag(resolved, node.lineno)
    return list(dict.fromkeys(problems))
