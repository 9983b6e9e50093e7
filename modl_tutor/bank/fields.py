"""Typed readers for the fields of one exercise.toml (parts, answers, derivations, code,
params, plot), each error naming the file and the field."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from modl_tutor.bank.models import (
    BrokenRoute,
    PART_TYPES,
    SINGLE_PART,
    CodeSpec,
    Mistake,
    ParamSpec,
    Part,
    PlotSpec,
    Tolerance,
)
from modl_tutor.errors import BankError

NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

TOP_KEYS = {"title", "kind", "points", "difficulty", "tags", "hints", "answer", "parts",
             "code", "params", "plot", "solution"}
_PART_KEYS = {"name", "type", "points", "expected", "label", "variables", "rel_tol", "abs_tol",
              "sig_figs", "options", "correct", "multiple", "shuffle", "mistakes", "domains",
              "feedback"}
_DERIVATION_KEYS = {"intermediates", "labels", "start", "equation", "allow_final_only",
                    "credit", "final_weight", "steps", "broken"}


class Fields:
    """Typed accessors over one TOML table that raise `BankError` naming the field."""

    def __init__(self, path: Path, table: dict[str, Any], prefix: str = "") -> None:
        self.path, self.table, self.prefix = path, table, prefix

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str | None, problem: str) -> BankError:
        return BankError(self.path, self.name(key) if key else (self.prefix.rstrip(".") or None),
                         problem)

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *,
            what: str = "") -> Any:
        if key not in self.table:
            if default is ...:
                raise self.fail(key, "is required")
            return default
        value = self.table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, bool) and kind is not bool:
            raise self.fail(key, f"must be {what or _type_name(kind)}, not a boolean")
        if not isinstance(value, kind):
            raise self.fail(key, f"must be {what or _type_name(kind)}, "
                                 f"got {type(value).__name__} {value!r}")
        return value

    def text(self, key: str, default: Any = ...) -> str:
        value = self.get(key, str, default)
        if value is not default and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [], what="a list of strings")
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                raise self.fail(f"{key}[{i}]", "must be a non-empty string")
        return tuple(values)

    def positive(self, key: str, default: Any = ...) -> float | None:
        value = self.get(key, float, default, what="a number")
        if value is not None and value is not default and not value > 0:
            raise self.fail(key, f"must be positive, got {value}")
        return value

    def unknown_keys(self, allowed: set[str]) -> None:
        for key in self.table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.fail(key, f"is not a known field{hint}")


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", float: "a number", int: "an integer", bool: "true or false",
             list: "a list", dict: "a table"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _mistakes(f: Fields, key: str) -> tuple[Mistake, ...]:
    items = f.get(key, list, [], what="an array of tables ([[...mistakes]])")
    result = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise f.fail(f"{key}[{i}]", "must be a table with 'expected' and 'message'")
        m = Fields(f.path, item, f"{f.name(key)}[{i}].")
        m.unknown_keys({"expected", "message"})
        result.append(Mistake(expected=m.text("expected"), message=m.text("message")))
    return tuple(result)


def _part(f: Fields, name: str, part_type: str, points: float) -> Part:
    if part_type == "derivation":
        from dataclasses import replace

        f.unknown_keys(_PART_KEYS | _DERIVATION_KEYS)
        base = {k: v for k, v in f.table.items() if k not in _DERIVATION_KEYS}
        part = _part(Fields(f.path, base, f.prefix), name, "expression", points)
        return replace(part, type="derivation", **_derivation(f, part.variables))  # type: ignore[arg-type]
    f.unknown_keys(_PART_KEYS)
    tolerance = Tolerance(rel=f.positive("rel_tol", None), abs=f.positive("abs_tol", None),
                          sig_figs=f.get("sig_figs", int, None))
    if tolerance.sig_figs is not None and not 1 <= tolerance.sig_figs <= 15:
        raise f.fail("sig_figs", "must be between 1 and 15")
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    expected = ""
    if part_type == "choice":
        options = f.strings("options")
        if len(options) < 2:
            raise f.fail("options", "a choice needs at least two options")
        raw = f.get("correct", (int, list), what="an option index or a list of indices")
        correct = tuple(raw) if isinstance(raw, list) else (raw,)
        if not correct:
            raise f.fail("correct", "must name at least one option")
        for index in correct:
            if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(options):
                raise f.fail("correct", f"{index!r} is not an index of 'options' "
                                        f"(0 to {len(options) - 1})")
        multiple = f.get("multiple", bool, len(correct) > 1)
        if len(correct) > 1 and not multiple:
            raise f.fail("multiple", "must be true when several options are correct")
    else:
        expected = f.text("expected")
        multiple = False
    variables = f.strings("variables")
    for v in variables:
        if not NAME_RE.match(v):
            raise f.fail("variables", f"{v!r} is not a valid variable name")
    feedback = f.get("feedback", list, [], what="a list of strings, one per option")
    if feedback and (part_type != "choice" or len(feedback) != len(options)
                     or not all(isinstance(x, str) for x in feedback)):
        raise f.fail("feedback", "must be a list of strings, one per option (\"\" for none), "
                                 "and only for a choice part")
    return Part(name=name, type=part_type, points=points, expected=expected,  # type: ignore[arg-type]
                label=f.get("label", str, ""), variables=variables, tolerance=tolerance,
                options=options, correct=correct, multiple=multiple,
                shuffle=f.get("shuffle", bool, True), mistakes=_mistakes(f, "mistakes"),
                domains=_domains(f, variables), feedback=tuple(feedback))


def _derivation(f: Fields, variables: tuple[str, ...]) -> dict[str, Any]:
    """The derivation-only fields of a part (see docs/authoring.md, *Derivations*)."""
    from modl_tutor.answers.derivation_spec import CREDITS, MAX_LINES

    table = f.get("intermediates", dict, {}, what="a table like { u = \"1 + exp(-x)\" }")
    intermediates = []
    for name, definition in table.items():
        if not NAME_RE.match(name) or name in variables:
            raise f.fail(f"intermediates.{name}", "must be a new name, not a variable")
        if not isinstance(definition, str) or not definition.strip():
            raise f.fail(f"intermediates.{name}", "must be a non-empty expression string")
        intermediates.append((name, definition))
    credit = f.get("credit", str, "both")
    if credit not in CREDITS:
        raise f.fail("credit", f"must be one of {', '.join(CREDITS)}, got {credit!r}")
    weight = f.get("final_weight", float, 0.5, what="a number")
    if not 0 < weight < 1:
        raise f.fail("final_weight", f"must be between 0 and 1 (exclusive), got {weight}")
    steps = f.strings("steps")
    if not steps:
        raise f.fail("steps", "is required: the canonical derivation, one step per string")
    if len(steps) > MAX_LINES:
        raise f.fail("steps", f"has {len(steps)} lines; a derivation has at most {MAX_LINES}")
    labels = f.strings("labels")
    equation = f.get("equation", bool, False)
    if equation and not labels:
        raise f.fail("equation", "needs `labels` (the names a line may start with)")
    broken = []
    for i, item in enumerate(f.get("broken", list, [], what="an array of tables")):
        if not isinstance(item, dict):
            raise f.fail(f"broken[{i}]", "must be a table with 'steps', 'line' and 'slip'")
        b = Fields(f.path, item, f"{f.name('broken')}[{i}].")
        b.unknown_keys({"steps", "line", "slip"})
        route = b.strings("steps")
        line = b.get("line", int)
        if not route or not 1 <= line <= len(route):
            raise b.fail("line", f"must be a line number of 'steps' (1 to {len(route)})")
        broken.append(BrokenRoute(route, line, b.get("slip", str, "")))
    return {"intermediates": tuple(intermediates), "labels": labels,
            "start": f.get("start", str, ""), "equation": equation,
            "allow_final_only": f.get("allow_final_only", bool, True), "credit": credit,
            "final_weight": weight, "steps": steps, "broken": tuple(broken)}


def _domains(f: Fields, variables: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`domains = { a = "(0, 1)", y = "{0, 1}" }`: each key a declared variable, each value
    a domain the answer engine can read."""
    from modl_tutor.answers.domains import DomainError, parse_domain

    table = f.get("domains", dict, {}, what="a table like { a = \"(0, 1)\" }")
    pairs = []
    for name, spec in table.items():
        if name not in variables:
            raise f.fail(f"domains.{name}", f"is not one of the part's variables "
                                            f"({', '.join(variables) or 'none declared'})")
        if not isinstance(spec, str):
            raise f.fail(f"domains.{name}", "must be a string such as \"(0, 1)\"")
        try:
            parse_domain(spec)
        except DomainError as err:
            raise f.fail(f"domains.{name}", str(err)) from None
        pairs.append((name, spec))
    return tuple(pairs)


def read_parts(f: Fields, kind: str, points: float) -> tuple[Part, ...]:
    if kind == "multipart":
        if "answer" in f.table:
            raise f.fail("answer", "a multipart exercise uses [[parts]], not [answer]")
        items = f.get("parts", list, what="an array of tables ([[parts]])")
        if not items:
            raise f.fail("parts", "must hold at least one part")
        parts, seen = [], set()
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise f.fail(f"parts[{i}]", "must be a table")
            pf = Fields(f.path, item, f"parts[{i}].")
            name = pf.text("name")
            if not NAME_RE.match(name):
                raise pf.fail("name", f"{name!r} must be a TOML bare key (letters, digits, _)")
            if name in seen:
                raise pf.fail("name", f"duplicate part name {name!r}")
            seen.add(name)
            part_type = pf.get("type", str)
            if part_type not in PART_TYPES:
                raise pf.fail("type", f"must be one of {', '.join(PART_TYPES)}, got {part_type!r}")
            parts.append(_part(pf, name, part_type, pf.positive("points", 1.0)))
        total = sum(p.points for p in parts)
        if abs(total - points) > 1e-9:
            raise f.fail("points", f"is {points:g} but the parts' points add up to {total:g}")
        return tuple(parts)
    if "parts" in f.table:
        raise f.fail("parts", f"only multipart exercises have [[parts]] (kind is {kind!r})")
    table = f.get("answer", dict, what="a table ([answer])")
    return (_part(Fields(f.path, table, "answer."), SINGLE_PART, kind, points),)


def read_code(f: Fields, directory: Path) -> CodeSpec:
    table = f.get("code", dict, what="a table ([code])")
    c = Fields(f.path, table, "code.")
    c.unknown_keys({"function", "forbidden", "timeout", "memory_mb"})
    function = c.text("function")
    if not NAME_RE.match(function):
        raise c.fail("function", f"{function!r} is not a Python identifier")
    for name in ("starter.py", "checks.py"):
        if not (directory / name).is_file():
            raise BankError(directory / name, None, "is missing (code exercises need it)")
    timeout = c.positive("timeout", 10.0)
    memory = c.get("memory_mb", int, 2048)
    if memory < 256:
        raise c.fail("memory_mb", "must be at least 256")
    return CodeSpec(function=function, forbidden=c.strings("forbidden"), timeout=timeout,
                    memory_mb=memory)


def read_params(f: Fields) -> tuple[ParamSpec, ...]:
    table = f.get("params", dict, {}, what="a table ([params])")
    result = []
    for name, spec in table.items():
        if not NAME_RE.match(name):
            raise f.fail(f"params.{name}", "is not a valid parameter name")
        if not isinstance(spec, dict):
            raise f.fail(f"params.{name}", "must be a table like {min = 2, max = 9} "
                                           "or {choices = [...]}")
        p = Fields(f.path, spec, f"params.{name}.")
        p.unknown_keys({"min", "max", "choices"})
        choices = tuple(p.get("choices", list, []))
        lo, hi = p.get("min", int, None), p.get("max", int, None)
        if choices and (lo is not None or hi is not None):
            raise p.fail(None, "give either min/max or choices, not both")
        if not choices and (lo is None or hi is None or lo > hi):
            raise p.fail(None, "needs min <= max (integers) or a non-empty choices list")
        result.append(ParamSpec(name=name, minimum=lo, maximum=hi, choices=choices))
    return tuple(result)


def read_plot(f: Fields) -> PlotSpec | None:
    table = f.get("plot", dict, None, what="a table ([plot])")
    if table is None:
        return None
    p = Fields(f.path, table, "plot.")
    p.unknown_keys({"kind", "expressions", "x_range", "title"})
    kind = p.get("kind", str)
    if kind not in ("function", "descent", "float_spacing"):
        raise p.fail("kind", "must be function, descent or float_spacing")
    x_range = p.get("x_range", list, [-5.0, 5.0])
    if len(x_range) != 2 or not all(isinstance(v, (int, float)) for v in x_range) \
            or not x_range[0] < x_range[1]:
        raise p.fail("x_range", "must be [low, high] with low < high")
    return PlotSpec(kind=kind, expressions=p.strings("expressions"),  # type: ignore[arg-type]
                    x_range=(float(x_range[0]), float(x_range[1])), title=p.get("title", str, ""))


