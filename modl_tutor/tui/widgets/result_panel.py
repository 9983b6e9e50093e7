"""The result of the last submission, worded exactly as the command line words it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from modl_tutor.reports.terminal import exercise_text
from modl_tutor.result import ExerciseResult


class ResultPanel(Static):
    """Hidden until something is graded; then the score, status and each check's feedback."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.display = False
        self.result: ExerciseResult | None = None

    def _set_state(self, result: ExerciseResult | None) -> None:
        self.result = result
        passed = result is not None and result.full_marks
        self.set_class(passed, "-passed")
        self.set_class(result is not None and not passed, "-failed")
        self.display = True

    def show_math(self, result: ExerciseResult, outcomes: dict[str, Any], *,
                  single: bool = True) -> None:
        """A math submission: the `modl answer` line for a single-part exercise, the check
        table of the whole exercise otherwise."""
        from modl_tutor.reports.terminal import answer_line

        self._set_state(result)
        if single and len(outcomes) == 1:
            outcome = next(iter(outcomes.values()))
            line = answer_line(outcome.status, outcome.score, outcome.max_score, outcome.message)
            self.update(line)
            return
        self.update(exercise_text(result))

    def show_code(self, result: ExerciseResult) -> None:
        """A code grading: the same report as `modl check`."""
        self._set_state(result)
        self.update(exercise_text(result))

    def show_note(self, message: str, *, error: bool = False) -> None:
        """A status line (grading in progress, grader failed to start...)."""
        self._set_state(None)
        self.set_class(error, "-failed")
        self.update(Text(message, style="bold red" if error else "italic"))
