"""Static check of a submission's AST: forbidden imports, calls and tricks, with their line."""

from __future__ import annotations

import ast
from typing import Any

ORACLE: tuple[str, ...] = ("torch", "jax", "tensorflow", "scipy.special", "modl_tutor")
"""The grader's own libraries (and ready-made losses): submissions are NumPy only."""

ESCAPES: tuple[str, ...] = (
    "ctypes", "cffi", "importlib", "subprocess", "multiprocessing", "socket", "pickle",
    "marshal", "gc", "inspect", "builtins", "__builtins__", "__import__", "eval", "exec",
    "compile", "globals", "vars", "breakpoint", "sys.modules", "sys._getframe",
    "sys.settrace", "sys.setprofile", "sys.__dict__", "types.CodeType", "types.FunctionType",
)
"""Ways around the rules: loading code the grader cannot see, or reaching into the grader."""

ALWAYS_FORBIDDEN: tuple[str, ...] = ORACLE + ESCAPES
"""Forbidden in every code exercise."""

INTROSPECTION_ATTRIBUTES = frozenset({
    "__globals__", "__builtins__", "__subclasses__", "__code__", "__closure__", "__loader__",
    "__spec__", "__import__", "f_globals", "f_locals", "f_back", "f_builtins", "gi_frame",
    "cr_frame", "ag_frame", "tb_frame", "tb_next", "__reduce__", "__reduce_ex__",
})
"""Attributes that reach frames, globals or code objects (the grader's, too)."""

_BUILTIN_RULES = {"__import__", "eval", "exec", "compile", "globals", "vars", "breakpoint"}
_ATTR_FUNCTIONS = {"getattr", "setattr", "delattr", "hasattr"}
_SENSITIVE_OBJECTS = {"builtins", "__builtins__", "sys", "os", "importlib", "gc", "inspect"}


def _matches(name: str, rule: str) -> bool:
    return name == rule or name.startswith(rule + ".")


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, rules: tuple[str, ...], extra: tuple[str, ...]) -> None:
        self.rules = rules
        self.order = {rule: i for i, rule in reversed(list(enumerate(rules)))}
        self.depth = max((rule.count(".") + 1 for rule in rules), default=1)
        self.extra = set(extra)
        self.aliases: dict[str, str] = {}
        self.problems: list[str] = []

    def visit(self, node: ast.AST) -> None:
        """`NodeVisitor.visit`, each node type's handler looked up once."""
        kind = type(node)
        handler = _HANDLERS.get(kind)
        if handler is None:
            handler = _HANDLERS[kind] = getattr(_Finder, f"visit_{kind.__name__}",
                                                _Finder.generic_visit)
        handler(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):  # NodeVisitor's order: fields, then items
            self.visit(child)

    # -- reporting ------------------------------------------------------------------------
    def _why(self, rule: str) -> str:
        if rule in self.extra:
            return "is not allowed in this exercise (write it with NumPy yourself)"
        if any(_matches(rule, r) for r in ORACLE):
            return "is not allowed: submissions use NumPy only"
        return "is not allowed: it could run or reach code the grader cannot check"

    def flag(self, name: str, line: int, shown: str | None = None) -> bool:
        if name.startswith("builtins."):
            bare = name.partition(".")[2]
            if bare in _BUILTIN_RULES and bare in self.rules:
                name = bare
        # the rules a name matches are its dotted prefixes, no longer than the longest rule
        # (a submission's a.a.a... of any length costs one split)
        parts = name.split(".", self.depth)
        found = [self.order[p] for p in (".".join(parts[:k])
                                         for k in range(1, min(len(parts), self.depth) + 1))
                 if p in self.order]
        if not found:
            return False
        rule = self.rules[min(found)]  # the first rule that matches, as listed
        self.problems.append(f"line {line}: `{shown or name}` {self._why(rule)}")
        return True

    def resolve(self, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        base = self.aliases.get(head, head)
        return base + (f".{rest}" if rest else "")

    # -- imports --------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self.aliases[bound] = alias.name if alias.asname else alias.name.split(".")[0]
            self.flag(alias.name, node.lineno, f"import {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        if node.level:
            self.problems.append(f"line {node.lineno}: relative import `from {module} import "
                                 "…` is not allowed: a submission is a single file")
            return
        if self.flag(module, node.lineno, f"from {module} import …"):
            return
        for alias in node.names:
            if alias.name == "*":
                covered = [r for r in self.rules if _matches(r, module) and r != module]
                if covered:
                    self.problems.append(
                        f"line {node.lineno}: `from {module} import *` is not allowed here: it "
                        f"can bring in `{covered[0]}`, which is forbidden — import only the "
                        "names you need")
                continue
            full = f"{module}.{alias.name}"
            self.aliases[alias.asname or alias.name] = full
            self.flag(full, node.lineno, f"from {module} import {alias.name}")

    # -- names, attributes, tricks --------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            if node.id in self.aliases:
                self.flag(self.aliases[node.id], node.lineno, node.id)
            elif node.id in _BUILTIN_RULES or node.id == "__builtins__":
                self.flag(node.id, node.lineno)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in INTROSPECTION_ATTRIBUTES:
            self.problems.append(f"line {node.lineno}: `.{node.attr}` is not allowed: "
                                 "submissions may not inspect frames, globals or code objects")
        dotted = _dotted(node)
        if dotted is not None and isinstance(node.ctx, ast.Load):
            if self.flag(self.resolve(dotted), node.lineno, dotted):
                return  # the inner names are part of the same finding
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in _ATTR_FUNCTIONS and len(node.args) >= 2:
            target, attr = node.args[0], node.args[1]
            owner = _dotted(target)
            if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
                if attr.value in INTROSPECTION_ATTRIBUTES:
                    self.problems.append(f"line {node.lineno}: `{func.id}(…, {attr.value!r})` "
                                         "is not allowed: submissions may not inspect frames, "
                                         "globals or code objects")
                elif owner is not None:
                    self.flag(f"{self.resolve(owner)}.{attr.value}", node.lineno,
                              f"{func.id}({owner}, {attr.value!r})")
            elif owner is not None and self.resolve(owner).split(".")[0] in _SENSITIVE_OBJECTS:
                self.problems.append(f"line {node.lineno}: `{func.id}({owner}, …)` with a "
                                     "computed name is not allowed: name the attribute directly")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        owner = _dotted(node.value)
        key = node.slice
        if owner is not None and isinstance(key, ast.Constant) and isinstance(key.value, str):
            resolved = self.resolve(owner)
            if resolved in ("sys.modules", "__builtins__", "builtins.__dict__"):
                self.flag(key.value, node.lineno, f"{owner}[{key.value!r}]")
        self.generic_visit(node)


_HANDLERS: dict[type, Any] = {}


def find_forbidden(source: str, forbidden: tuple[str, ...] = (),
                   filename: str = "<submission>") -> list[str]:
    """Messages for each forbidden import, name or trick, with its line; raises SyntaxError."""
    rules = tuple(dict.fromkeys((*ALWAYS_FORBIDDEN, *forbidden)))
    tree = ast.parse(source, filename=filename)
    finder = _Finder(rules, tuple(forbidden))
    for node in tree.body:  # imports first, so later uses resolve through their aliases
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            finder.visit(node)
    finder.visit(ast.Module(body=[n for n in tree.body
                                  if not isinstance(n, (ast.Import, ast.ImportFrom))],
                            type_ignores=[]))
    return list(dict.fromkeys(finder.problems))
