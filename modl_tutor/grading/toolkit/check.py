"""`Check`: one named, weighted test case of a code exercise, declared in its checks.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

from modl_tutor.grading.toolkit.compare import Verdict


@dataclass
class Check:
    """One test case.

    By default the sandbox calls the exercise's function with `args`/`kwargs` and returns
    its output; `run` replaces that with a driver `run(module) -> plain data` (for classes
    or several calls). In the trusted grader, the expected value comes from `reference(*args,
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
    run: Callable[[ModuleType], Any] | None = None
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
        """(message, value) of each known wrong reference that can be computed."""
        values = []
        for message, wrong in self.mistakes.items():
            try:
                values.append((message, wrong(*self.args, **self.kwargs)))
            except Exception:  # noqa: BLE001 - a mistake model that does not apply is skipped
                continue
        return values
