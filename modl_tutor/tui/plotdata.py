"""Numbers behind an exercise's `[plot]`: functions, a gradient-descent path, float spacing.

Expressions come from the exercise author (trusted bank text), are parsed by the answer
grammar to sympy and evaluated by the answer engine's own float evaluator (no eval).
Call from a worker thread: it imports NumPy and sympy.

A function plot gives nothing away before it is earned: until `revealed` (full marks or give
up), only its first expression — the function the question is about — is drawn, under a
neutral title; the others (a derivative, a tangent) and the author's title, which may name
them, appear once revealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from modl_tutor.bank.models import PlotSpec

SAMPLES = 241

FORMATS = {"float16": (10, -14), "bfloat16": (7, -126), "float32": (23, -126)}
"""Mantissa bits and smallest normal exponent of each format."""


class PlotError(ValueError):
    """The plot of an exercise cannot be drawn; the message names the expression."""


@dataclass(frozen=True)
class Series:
    """One curve or point set."""

    label: str
    xs: list[float]
    ys: list[float]
    style: Literal["line", "scatter"] = "line"


@dataclass(frozen=True)
class PlotData:
    """Everything the plot widget draws."""

    title: str
    series: list[Series] = field(default_factory=list)
    xlabel: str = "x"
    ylabel: str = ""
    xlog: bool = False
    ylog: bool = False


def compile_expression(text: str) -> Callable[[Any], Any]:
    """A vectorised NumPy function of x for an author's expression (e.g. `sigmoid(x)`)."""
    import numpy as np

    from modl_tutor.answers.build import symbol
    from modl_tutor.answers.numbers import Undefined, Unsupported, compile_float
    from modl_tutor.answers.parser import ParseError, parse_math

    try:
        expr = parse_math(text, variables=("x",))
    except ParseError as err:
        raise PlotError(f"plot expression {text!r}: {err.message}") from None
    if isinstance(expr, tuple):
        raise PlotError(f"plot expression {text!r}: must be a function of x, not a vector")
    x = symbol("x")
    extra = sorted(str(s) for s in expr.free_symbols if s != x)
    if extra:
        raise PlotError(f"plot expression {text!r}: unknown variable(s) {', '.join(extra)}")
    func = compile_float(expr, ("x",))  # our own evaluator: no generated code, no eval

    def evaluate(xs: Any) -> Any:
        points = np.asarray(xs, dtype=float)
        ys = np.empty(points.shape, dtype=float)
        for index, value in np.ndenumerate(points):
            try:
                ys[index] = float(func((float(value),)))
            except (ArithmeticError, ValueError, TypeError, Undefined, Unsupported):
                ys[index] = np.nan
        return ys

    return evaluate


def _finite(xs: Any, ys: Any) -> tuple[list[float], list[float]]:
    import numpy as np

    keep = np.isfinite(ys) & np.isfinite(xs)
    return [float(v) for v in xs[keep]], [float(v) for v in ys[keep]]


def function_plot(spec: PlotSpec, revealed: bool = False) -> PlotData:
    """The first expression always; the others (answers: derivative, tangent) once revealed."""
    import numpy as np

    xs = np.linspace(spec.x_range[0], spec.x_range[1], SAMPLES)
    shown = spec.expressions if revealed else spec.expressions[:1]
    series = []
    for text in shown:
        fx, fy = _finite(xs, compile_expression(text)(xs))
        series.append(Series(text, fx, fy))
    return PlotData(function_title(spec, revealed), series)


def function_title(spec: PlotSpec, revealed: bool = False) -> str:
    """The author's title once revealed (or when the plot has one curve), else a neutral one."""
    if revealed or len(spec.expressions) <= 1:
        return spec.title or "  ·  ".join(spec.expressions) or "plot"
    return f"f(x) = {spec.expressions[0]}"


def plot_title(spec: PlotSpec, revealed: bool = False) -> str:
    """The title to show before the numbers are computed (no expression is evaluated)."""
    if spec.kind == "function":
        return function_title(spec, revealed)
    return spec.title or "plot"


def descent_plot(spec: PlotSpec, steps: int = 12) -> PlotData:
    """f over x_range and the points of gradient descent from near its right end."""
    import numpy as np

    text = spec.expressions[0] if spec.expressions else "x^2"
    f = compile_expression(text)
    lo, hi = spec.x_range
    xs = np.linspace(lo, hi, SAMPLES)
    x0 = lo + 0.9 * (hi - lo)
    h = 1e-4 * max(1.0, hi - lo)
    curvature = float((f(np.array([x0 + h])) - 2 * f(np.array([x0]))
                       + f(np.array([x0 - h])))[0] / h ** 2)
    lr = 0.3 / curvature if curvature > 1e-9 else 0.1
    path = [x0]
    for _ in range(steps):
        x = path[-1]
        slope = float((f(np.array([x + h])) - f(np.array([x - h])))[0] / (2 * h))
        path.append(min(hi, max(lo, x - lr * slope)))
    px = np.array(path)
    cx, cy = _finite(xs, f(xs))
    sx, sy = _finite(px, f(px))
    return PlotData(spec.title or f"gradient descent on {text} (step {lr:.3g})",
                    [Series(text, cx, cy), Series("steps", sx, sy, "scatter")],
                    ylabel="f(x)")


def spacing(x: Any, fmt: str) -> Any:
    """Gap between neighbouring representable numbers of `fmt` at |x| (NumPy array)."""
    import numpy as np

    mantissa, emin = FORMATS[fmt]
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log2(np.abs(x)))
    return np.exp2(np.maximum(exponent, emin) - mantissa)


def float_spacing_plot(spec: PlotSpec) -> PlotData:
    import numpy as np

    lo, hi = spec.x_range
    lo = max(lo, 1e-3)
    hi = max(hi, lo * 10)
    xs = np.logspace(np.log10(lo), np.log10(hi), SAMPLES)
    series = [Series(fmt, *_finite(xs, spacing(xs, fmt))) for fmt in ("float16", "bfloat16")]
    return PlotData(spec.title or "spacing of representable numbers", series,
                    ylabel="gap to next float", xlog=True, ylog=True)


def plot_data(spec: PlotSpec, revealed: bool = False) -> PlotData:
    """The series for an exercise's plot; raises `PlotError` for an unusable expression.

    `revealed` is False until the exercise is done or given up: answer curves stay hidden."""
    if spec.kind == "function":
        return function_plot(spec, revealed)
    if spec.kind == "descent":
        return descent_plot(spec)
    return float_spacing_plot(spec)
