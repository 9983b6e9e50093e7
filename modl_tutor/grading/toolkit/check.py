"""`Check`: one named, weighted test case of a code exercise, declared in its checks.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

from modl_tutor.grading.toolkit.compare import Verdict
from modl_tutor.grading.wire import FnRef


class Fn(FnRef):
    """A function argument for the student's code, defined in the exercise's public
    `drivers.py` (e.g. the f of `numerical_gradient(f, x)`): `Fn("tanh_layer", A=A)` is
    `functools.partial(drivers.tanh_layer, A=A)` in the sandbox. Judge-side it is callable
    once `build_checks` has bound the drivers module."""

    module: ModuleType | None = None

    @property
    def __name__(self) -> str:  # type: ignore[override]
        return self.name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.module is None:
            raise RuntimeError(f"Fn({self.name!r}) is not bound to the exercise's drivers.py")
        return getattr(self.module, self.name)(*args, **{**self.params, **kwargs})


class Driver:
    """`Check(run=Driver("name", **params))`: the sandbox calls `drivers.name(submission,
    **params)` from the exercise's public `drivers.py` instead of the exercise's function
    (for classes or several calls). Params are plain data."""

    def __init__(self, name: str, **params: Any) -> None:
        self.name = str(name)
        self.params = dict(params)
        self.module: ModuleType | None = None

    def __call__(self, submission: ModuleType) -> Any:
        if self.module is None:
            raise RuntimeError(f"Driver({self.name!r}) is not bound to the exercise's drivers.py")
        return getattr(self.module, self.name)(submission, **self.params)


@dataclass
class Check:
    """One test case.

    By default the sandbox calls the exercise's function with `args`/`kwargs` (plain data, or
    `Fn` for a function argument) and returns its output; `run=Driver(...)` replaces that
    with a public driver from the exercise's drivers.py (for classes or several calls). In the trusted grader, the expected value comes from `reference(*args,
    **kwargs)` (a torch kernel) or `expected`; `compare(got, expected, check) -> Verdict`
    decides (default: `compare_outputs` with dtype-aware tolerances), and `validate(got,
    check) -> message | None` adds a property check that needs no reference.

    Added fields: `ulps` (compare by distance in units in the last place of the reference's
    dtype instead of rtol/atol; 0 = bit-exact), `mistakes` (message -> a wrong reference,
    e.g. the same kernel on the wrong axis; when the output matches one, its message is the
    likely cause shown to the student).
    """

    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    reference: Callable[..., Any] | None = None
    expected: Any = None
    run: Driver | None = None
    compare: Callable[[Any, Any, "Check"], Verdict] | None = None
    validate: Callable[[Any, "Check"], str | None] | None = None
    points: float = 1.0
    rtol: float | None = None
    atol: float | None = None
    hidden: bool = False
    hint: str = ""
    function: str | None = None
    check_dtype: bool = True
    check_unmodified: bool = True
    show_input: bool = True
    ulps: float | None = None
    mistakes: dict[str, Callable[..., Any]] = field(default_factory=dict)
    known_mistake_values: list[tuple[str, Any]] | None = field(default=None, init=False,
                                                               repr=False, compare=False)
    """The mistakes' values when the reference store had them (set by the judge)."""

    @property
    def has_reference(self) -> bool:
        """True when the check compares with a value (else it only validates properties)."""
        return self.reference is not None or self.expected is not None

    def expected_value(self) -> Any:
        """The reference output (computed in the trusted grader, never in the sandbox)."""
        if self.reference is not None:
            return self.reference(*self.args, **self.kwargs)
        return self.expected

    def mistake_values(self) -> list[tuple[str, Any]]:
        """(message, value) of each known wrong reference that can be computed (from the
        reference store when it had them: no torch)."""
        if self.known_mistake_values is not None:
            return list(self.known_mistake_values)
        values = []
        for message, wrong in self.mistakes.items():
            try:
                values.append((message, wrong(*self.args, **self.kwargs)))
            except Exception:  # noqa: BLE001 - a mistake model that does not apply is skipped
                continue
        return values
