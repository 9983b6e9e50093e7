"""Typed, immutable models of an exercise as loaded from `exercises/<topic>/<slug>/`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

TOPICS: tuple[str, ...] = ("derivatives", "backprop", "losses", "precision", "optimization",
                          "regularization", "information", "adversarial", "explainability",
                          "generative", "federated")
"""The topics of the bank, in the order the course teaches them."""

PartType = Literal["expression", "number", "vector", "choice"]
ExerciseKind = Literal["expression", "number", "vector", "choice", "multipart", "code",
                       "derivation"]
PART_TYPES: tuple[str, ...] = ("expression", "number", "vector", "choice")
KINDS: tuple[str, ...] = (*PART_TYPES, "multipart", "code", "derivation")
"""A `derivation` exercise has one part of type "derivation" (checked line by line)."""

SINGLE_PART = "answer"
"""Name of the only part of a single-part math exercise."""


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and the feedback it earns; matched by equivalence."""

    expected: str
    message: str


@dataclass(frozen=True)
class BrokenRoute:
    """A known broken derivation: the line that must be flagged and a word of the slip."""

    steps: tuple[str, ...]
    line: int
    slip: str = ""


@dataclass(frozen=True)
class Tolerance:
    """How close a numeric answer must be: any satisfied bound accepts it."""

    rel: float | None = None
    abs: float | None = None
    sig_figs: int | None = None

    def is_default(self) -> bool:
        return self.rel is None and self.abs is None and self.sig_figs is None


@dataclass(frozen=True)
class Part:
    """One graded input of a math exercise.

    `expected` is the author's answer written in the student grammar: an expression,
    a number (or numeric expression), or a vector `[a, b]`. For a choice part it is
    unused; `correct` holds the 0-based indices of the right options instead.
    """

    name: str
    type: PartType
    points: float
    expected: str = ""
    label: str = ""
    variables: tuple[str, ...] = ()
    tolerance: Tolerance = field(default_factory=Tolerance)
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    multiple: bool = False
    shuffle: bool = True
    mistakes: tuple[Mistake, ...] = ()
    domains: tuple[tuple[str, str], ...] = ()
    """(variable, domain spec) pairs, e.g. ("a", "(0, 1)"), ("y", "{0, 1}"); variables not
    listed range over all reals. Sampling and counterexamples stay inside them."""
    feedback: tuple[str, ...] = ()
    """For a choice part: why each option is wrong ("" when there is nothing to say), shown
    when a student picks it."""
    # -- derivation parts only (see answers.derivation) --
    intermediates: tuple[tuple[str, str], ...] = ()
    """(name, definition) of the named quantities a step may use, e.g. ("u", "1 + exp(-x)")."""
    labels: tuple[str, ...] = ()
    """Names of the derived quantity a line may start with (`dz = ...`)."""
    start: str = ""
    equation: bool = False
    allow_final_only: bool = True
    credit: str = "both"
    final_weight: float = 0.5
    steps: tuple[str, ...] = ()
    """The canonical derivation (one step per line); `modl verify` proves it is accepted."""
    broken: tuple[BrokenRoute, ...] = ()


@dataclass(frozen=True)
class CodeSpec:
    """What a code exercise asks for and how its submission is run."""

    function: str
    forbidden: tuple[str, ...] = ()
    timeout: float = 10.0
    memory_mb: int = 2048


@dataclass(frozen=True)
class ParamSpec:
    """A per-student variant parameter: an integer range or a list of choices."""

    name: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[float | int | str, ...] = ()


@dataclass(frozen=True)
class PlotSpec:
    """A plot the app draws beside the prompt (a function, its derivative, ...)."""

    kind: Literal["function", "descent", "float_spacing"]
    expressions: tuple[str, ...] = ()
    x_range: tuple[float, float] = (-5.0, 5.0)
    title: str = ""


@dataclass(frozen=True)
class Exercise:
    """One exercise of the bank, math or code, with everything needed to grade it."""

    id: str
    topic: str
    slug: str
    title: str
    kind: ExerciseKind
    points: float
    prompt: str
    directory: Path
    hints: tuple[str, ...] = ()
    solution: str = ""
    difficulty: int = 1
    tags: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
    code: CodeSpec | None = None
    params: tuple[ParamSpec, ...] = ()
    plot: PlotSpec | None = None

    @property
    def is_code(self) -> bool:
        return self.kind == "code"

    @property
    def is_multipart(self) -> bool:
        return self.kind == "multipart"

    @property
    def starter_path(self) -> Path:
        return self.directory / "starter.py"

    @property
    def checks_path(self) -> Path:
        return self.directory / "checks.py"

    @property
    def workspace_file(self) -> str:
        """Where the student's code lives, relative to the workspace root."""
        return f"{self.topic}/{self.slug}.py"

    def part(self, name: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)
