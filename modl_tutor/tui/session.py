"""The app's services in one object: bank, workspace, progress store, seed, and a lazy grader."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from modl_tutor.bank.loader import Bank
from modl_tutor.bank.models import TOPICS, Exercise
from modl_tutor.progress.store import ExerciseProgress, ProgressStore
from modl_tutor.workspace.workspace import Workspace

if TYPE_CHECKING:
    from modl_tutor.grading.client import CodeGrader

Status = Literal["done", "attempted", "gave_up", "new"]

MARKS: dict[str, tuple[str, str]] = {
    "done": ("✓", "green"),
    "attempted": ("~", "yellow"),
    "gave_up": ("✗", "red"),
    "new": ("·", "dim"),
}
"""Status mark and its rich style, shared by the catalogue and the exercise header."""


@dataclass(frozen=True)
class TopicProgress:
    """How far the student is in one topic."""

    topic: str
    done: int
    attempted: int
    total: int


def status_of(progress: ExerciseProgress | None) -> Status:
    """The catalogue status of an exercise from what the store knows of it."""
    if progress is None:
        return "new"
    if progress.done:
        return "done"
    if progress.gave_up:
        return "gave_up"
    if progress.attempted:
        return "attempted"
    return "new"


@dataclass
class Session:
    """Everything the screens need, created once per app run; the grader starts lazily."""

    bank: Bank
    workspace: Workspace
    store: ProgressStore
    seed: str
    _grader: CodeGrader | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, root: Path, bank: Bank | None = None) -> Session:
        """Open a workspace; raises `ModlError` (one-line message) when something is wrong."""
        workspace = Workspace(Path(root))
        seed = workspace.student_id
        if bank is None:
            from modl_tutor.bank.loader import default_bank

            bank = default_bank()
        return cls(bank=bank, workspace=workspace,
                   store=ProgressStore.for_workspace(workspace.root), seed=seed)

    # -- progress ---------------------------------------------------------------------------
    def progress(self) -> dict[str, ExerciseProgress]:
        return self.store.all()

    def status(self, exercise_id: str,
               progress: dict[str, ExerciseProgress] | None = None) -> Status:
        data = self.progress() if progress is None else progress
        return status_of(data.get(exercise_id))

    def topics(self, progress: dict[str, ExerciseProgress] | None = None) -> list[TopicProgress]:
        """Done / attempted / total per topic, in course order (topics without exercises too)."""
        data = self.progress() if progress is None else progress
        rows = []
        for topic in TOPICS:
            exercises = self.bank.by_topic(topic)
            statuses = [status_of(data.get(e.id)) for e in exercises]
            rows.append(TopicProgress(topic, statuses.count("done"),
                                      sum(s in ("attempted", "gave_up") for s in statuses),
                                      len(exercises)))
        return rows

    def last_exercise(self) -> Exercise | None:
        """The exercise the student last opened or submitted, if it is still in the bank."""
        last = self.store.last_exercise()
        if not last:
            return None
        try:
            return self.bank.get(last)
        except Exception:  # noqa: BLE001 - an exercise removed from the bank is not an error
            return None

    def neighbour(self, exercise: Exercise, step: int) -> Exercise | None:
        """The next (step=1) or previous (step=-1) exercise in course order."""
        items = list(self.bank)
        index = next((i for i, e in enumerate(items) if e.id == exercise.id), None)
        if index is None or not 0 <= index + step < len(items):
            return None
        return items[index + step]

    def solution_file(self, exercise: Exercise) -> Path | None:
        """The reference solution of a code exercise, when the bank ships it."""
        path = self.bank.solutions_root / exercise.topic / f"{exercise.slug}.py"
        return path if path.is_file() else None

    # -- grading server ---------------------------------------------------------------------
    @property
    def grader_started(self) -> bool:
        return self._grader is not None

    def grader(self) -> CodeGrader:
        """The code-grading zygote, started on first use (call from a worker thread)."""
        with self._lock:
            if self._grader is None:
                from modl_tutor.grading.client import CodeGrader

                grader = CodeGrader(jobs=1)
                grader.start()
                self._grader = grader
            return self._grader

    def close(self) -> None:
        """Stop the grading server if it was started."""
        with self._lock:
            grader, self._grader = self._grader, None
        if grader is not None:
            grader.close()
