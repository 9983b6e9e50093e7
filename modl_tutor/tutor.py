"""The tutor service: a student's session over a workspace, the only thing the faces call."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modl_tutor.bank.loader import Bank
from modl_tutor.bank.models import TOPICS, Exercise
from modl_tutor.errors import ModlError
from modl_tutor.log import log_exception
from modl_tutor.progress.fingerprint import code_fingerprint, differs_from_starter
from modl_tutor.progress.status import ExerciseStatus, TopicStatus, derive_status, topic_status
from modl_tutor.progress.store import ProgressStore
from modl_tutor.result import ExerciseResult, SubmissionResult
from modl_tutor.submission import (  # noqa: F401 - the service's values, importable from here
    Preview, Submission, chosen_positions, letters_answer, marks_of, option_letter)
from modl_tutor.workspace.workspace import Workspace

if TYPE_CHECKING:
    from modl_tutor.answers.verdict_cache import VerdictCache
    from modl_tutor.grading.client import CodeGrader
    from modl_tutor.grading.core import MathGrade


class Tutor:
    """Submit answers, grade code, reveal hints, give up, status and navigation of a workspace."""

    def __init__(self, workspace: Workspace, bank: Bank) -> None:
        self.workspace = workspace
        self.bank = bank
        self.store = ProgressStore.for_workspace(workspace.root)
        self._seed: str | None = None
        self._grader: CodeGrader | None = None
        self._lock = threading.Lock()
        self._memo: dict[tuple[str, str, tuple[str | None, ...]], MathGrade] = {}
        self._owns_grader = True
        self._verdicts: VerdictCache | None = None

    @property
    def verdicts(self) -> VerdictCache:
        """The student's cache of math verdicts (user cache dir; never read by `modl grade`)."""
        if self._verdicts is None:
            from modl_tutor.answers.verdict_cache import VerdictCache

            self._verdicts = VerdictCache()
        return self._verdicts

    @classmethod
    def open(cls, root: Path, bank: Bank | None = None) -> Tutor:
        """A session on the workspace at `root`; raises ModlError with a one-line message."""
        if bank is None:
            from modl_tutor.bank.loader import default_bank

            bank = default_bank()
        tutor = cls(Workspace(Path(root)), bank)
        _ = tutor.seed  # a bad modl.toml is reported now, not in the middle of a screen
        return tutor

    def __enter__(self) -> Tutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def seed(self) -> str:
        """The student id (seed of per-student variants) from modl.toml."""
        if self._seed is None:
            self._seed = self.workspace.student_id
        return self._seed

    def exercise(self, exercise_id: str) -> Exercise:
        return self.bank.get(exercise_id)

    def for_student(self, exercise: Exercise) -> Exercise:
        """The exercise as this student sees it (variant parameters applied)."""
        from modl_tutor.grading.core import for_student

        return for_student(exercise, self.seed)

    # -- the grade now and the status ---------------------------------------------------
    def _grade_texts(self, exercise: Exercise, texts: Mapping[str, str | None],
                     known: Mapping[str, tuple[str, Any]] | None = None) -> MathGrade:
        from modl_tutor.grading.core import grade_texts

        key = (exercise.id, self.seed, tuple(texts.get(p.name) for p in exercise.parts))
        graded = self._memo.get(key)
        if graded is None:
            cached = self.verdicts.known(exercise, self.seed, texts, skip=known)
            graded = grade_texts(exercise, texts, seed=self.seed,
                                 known={**cached, **(known or {})} or None)
            self.verdicts.remember(exercise, self.seed, texts, graded.outcomes, skip=cached)
            if graded.result.status != "not_graded":  # a time-out is never remembered
                if len(self._memo) > 4096:
                    self._memo.clear()
                self._memo[key] = graded
        return graded

    def _stored_texts(self, exercise: Exercise,
                      answers: dict[str, Any] | None = None) -> dict[str, str | None]:
        from modl_tutor.grading.core import math_texts

        return math_texts(exercise, self.workspace, answers)

    def grade_now(self, exercise: Exercise, answers: dict[str, Any] | None = None,
                  stored_grades: Mapping[str, str] | None = None) -> ExerciseResult | None:
        """What `modl grade` gives this exercise now; None for a code file not graded as it is
        (`stored_grades`: the store's grades of the current fingerprints, read beforehand)."""
        if not exercise.is_code:
            return self._grade_texts(exercise, self._stored_texts(exercise, answers)).result
        if stored_grades is not None:
            stored = stored_grades.get(exercise.id)
        else:
            fingerprint = self.code_fingerprint(exercise)
            stored = self.store.grade(exercise.id, fingerprint) if fingerprint else None
        if stored is None:
            return None
        try:
            return ExerciseResult.from_dict(json.loads(stored))
        except (ValueError, KeyError, TypeError):
            log_exception(f"{self.store.path}: unreadable stored grade of {exercise.id}")
            return None

    def status(self, exercise: Exercise) -> ExerciseStatus:
        return self._status(exercise, None, self.store.get(exercise.id))

    def _status(self, exercise: Exercise, answers: dict[str, Any] | None, progress: Any,
                stored_grades: Mapping[str, str] | None = None) -> ExerciseStatus:
        return derive_status(exercise.id, exercise.points,
                             self.grade_now(exercise, answers, stored_grades),
                             progress, edited=exercise.is_code and self._edited(exercise))

    def statuses(self, exercises: Iterable[Exercise] | None = None) -> dict[str, ExerciseStatus]:
        """The status of every exercise (answers.toml read once, the progress store read in
        two connections); raises WorkspaceError."""
        chosen = list(self.bank if exercises is None else exercises)
        answers = self.workspace.load_answers() if any(not e.is_code for e in chosen) else {}
        progress = self.store.all()
        code = {e.id: e for e in chosen if e.is_code}
        stored = self.store.grades(code, lambda exercise: self.code_fingerprint(code[exercise]))
        return {e.id: self._status(e, answers, progress.get(e.id), stored) for e in chosen}

    def topics(self, statuses: Mapping[str, ExerciseStatus] | None = None) -> list[TopicStatus]:
        """Done / tried / total per topic, in course order."""
        data = self.statuses() if statuses is None else statuses
        return [topic_status(t, [data[e.id] for e in self.bank.by_topic(t) if e.id in data])
                for t in TOPICS]

    def line_marks(self, exercise: Exercise) -> dict[str, list[dict[str, Any]]]:
        """Part -> the per-line marks of each derivation part as graded now (from
        answers.toml; memoised, so asking after `grade` checks nothing twice)."""
        if exercise.is_code or not any(p.type == "derivation" for p in exercise.parts):
            return {}
        graded = self._grade_texts(exercise, self._stored_texts(exercise))
        return {name: marks_of(outcome) for name, outcome in graded.outcomes.items()
                if getattr(outcome, "lines", ())}

    # -- math answers -------------------------------------------------------------------
    def check(self, exercise: Exercise, texts: Mapping[str, str]) -> Submission:
        """Check answers to some parts without saving them (a part not in `texts` keeps its
        answers.toml text; '' clears it). Raises ModlError (bad part, broken answers.toml)."""
        from modl_tutor.grading.core import check_answer

        if exercise.is_code:
            raise ModlError(f"{exercise.id} is a code exercise: edit "
                            f"{self.workspace.code_path(exercise)}, then grade it")
        names = [p.name for p in exercise.parts]
        for name in texts:
            if name not in names:
                raise ModlError(f"{exercise.id} has no part {name!r} (parts: {', '.join(names)})")
        stored = self._stored_texts(exercise)
        before = self._grade_texts(exercise, stored)
        outcomes: dict[str, Any] = {}
        merged = dict(stored)
        for name, text in texts.items():
            if not text.strip():
                merged[name] = None
                continue
            outcome = check_answer(exercise, name, text, seed=self.seed)
            outcomes[name] = outcome
            if outcome.status != "invalid":
                merged[name] = text
        known = {n: (texts[n], o) for n, o in outcomes.items()}
        after = self._grade_texts(exercise, merged, known)
        saved = {n: merged[n] or "" for n in texts if merged[n] != stored[n]}
        replaced = tuple(n for n in saved if before.outcomes[n].status == "correct"
                         and after.outcomes[n].status != "correct")
        return Submission(exercise, dict(texts), outcomes, after.result, saved, replaced,
                          {n: stored[n] or "" for n in saved})

    def record(self, submission: Submission) -> Submission:
        """Save the answers (answers.toml, atomically), then the attempt in the progress store."""
        if not submission.saved:
            return submission
        self.workspace.record_answers(submission.exercise, submission.saved)
        result = submission.result
        if result.status != "not_graded":  # a time-out is not a grade: nothing to remember
            rows = [(n, t, o.score, o.max_score, o.status) for n, t in submission.texts.items()
                    for o in [submission.outcomes.get(n)] if o is not None and n in
                    submission.saved]
            self.store.record_submission(submission.exercise.id, result.score,
                                         result.max_score, result.status, rows)
        self.store.set_last_exercise(submission.exercise.id)
        return replace(submission, recorded=True)

    def submit(self, exercise: Exercise, texts: Mapping[str, str]) -> Submission:
        """Check then record: what the CLI's `modl answer` does."""
        return self.record(self.check(exercise, texts))

    # -- grading from the workspace -----------------------------------------------------
    def grade(self, exercise: Exercise) -> ExerciseResult:
        """Grade one exercise from the workspace (code in the sandbox), record it, and return
        it as the student may see it (hidden checks reduced to their score)."""
        if not exercise.is_code:
            texts = self._stored_texts(exercise)
            graded = self._grade_texts(exercise, texts)
            result = graded.result
            if result.status not in ("not_graded", "missing"):
                rows = [(n, t, o.score, o.max_score, o.status) for n, t in texts.items()
                        for o in [graded.outcomes[n]] if t is not None]
                self.store.record_submission(exercise.id, result.score, result.max_score,
                                             result.status, rows)
            return result
        from modl_tutor.grading.core import grade_code_exercise

        before = self.code_fingerprint(exercise)
        result = grade_code_exercise(exercise, self.workspace, self.grader(), seed=self.seed)
        self.record_code_result(exercise, result, before)
        return result.visible()

    def record_code_result(self, exercise: Exercise, result: ExerciseResult,
                           fingerprint: str | None) -> None:
        """Remember a code grade; it is the status while the file keeps `fingerprint`."""
        if result.status == "not_graded":
            return
        from modl_tutor.batch.cache import cacheable

        same = fingerprint is not None and fingerprint == self.code_fingerprint(exercise)
        keep = same and cacheable(SubmissionResult("", (result,)))
        grade = (fingerprint, json.dumps({**result.to_dict(), "message": result.message})) \
            if keep and fingerprint else None
        self.store.record_submission(exercise.id, result.score, result.max_score,
                                     result.status, [], grade)

    def code_fingerprint(self, exercise: Exercise) -> str | None:
        """Hash of what decides a code grade: the file, the seed, the exercise, modl's code."""
        return code_fingerprint(exercise, self.workspace.code_path(exercise), self.seed)

    def _edited(self, exercise: Exercise) -> bool:
        return differs_from_starter(exercise, self.workspace.code_path(exercise))

    # -- hints, giving up, navigation ---------------------------------------------------
    def hints_shown(self, exercise: Exercise) -> int:
        return min(self.store.get(exercise.id).hints_shown, len(exercise.hints))

    def reveal_hint(self, exercise: Exercise) -> int:
        """Reveal one more hint; returns how many are now shown (0 when there are none)."""
        if not exercise.hints:
            return 0
        return self.store.reveal_hint(exercise.id, len(exercise.hints))

    def give_up(self, exercise: Exercise) -> None:
        """Remember that the student saw the solution (shown in every status from now on)."""
        self.store.give_up(exercise.id)

    def solution_file(self, exercise: Exercise) -> Path | None:
        """The reference solution of a code exercise, when the bank ships it."""
        path = self.bank.solutions_root / exercise.topic / f"{exercise.slug}.py"
        return path if exercise.is_code and path.is_file() else None

    def neighbour(self, exercise: Exercise, step: int,
                  among: list[Exercise] | None = None) -> Exercise | None:
        """The next (step=1) or previous (step=-1) exercise in course order (or in `among`)."""
        items = list(self.bank) if among is None else among
        index = next((i for i, e in enumerate(items) if e.id == exercise.id), None)
        if index is None or not 0 <= index + step < len(items):
            return None
        return items[index + step]

    def next_pending(self, exercise: Exercise, among: list[Exercise]) -> Exercise | None:
        """The next exercise of `among` (wrapping, this one last) that is not done."""
        start = next((i for i, e in enumerate(among) if e.id == exercise.id), -1)
        order = among[start + 1:] + among[:start + 1]
        statuses = self.statuses(order)
        return next((e for e in order if not statuses[e.id].done), None)

    def last_exercise(self) -> Exercise | None:
        """The exercise last opened or submitted, if it is still in the bank."""
        last = self.store.last_exercise()
        ids = {e.id for e in self.bank}
        return self.bank.get(last) if last in ids else None

    def opened(self, exercise: Exercise) -> None:
        self.store.set_last_exercise(exercise.id)

    def add_time(self, exercise: Exercise, seconds: float) -> None:
        self.store.add_time(exercise.id, seconds)

    # -- reading typed input ------------------------------------------------------------
    def preview(self, part: Any, text: str) -> Preview:
        """The live preview of a typed answer: its pretty print, or the error with a caret."""
        if not text.strip() or part.type == "choice":
            return Preview("")
        from modl_tutor.answers.check import allowed_names
        from modl_tutor.answers.parser import ParseError, parse_tree
        from modl_tutor.answers.pretty import preview

        try:  # the grader's own rule for names: an unknown variable is flagged while typing
            parse_tree(text, variables=part.variables, allowed=allowed_names(part))
            return Preview(preview(text, variables=part.variables))
        except ParseError as err:
            return Preview(f"{err.message} (column {err.column + 1})\n{err.pointer()}", True)
        except Exception as err:  # noqa: BLE001 - logged; a preview must never break the app
            log_exception(f"preview of {text[:80]!r} failed")
            return Preview(f"cannot read this answer ({type(err).__name__})", True)

    def choice_order(self, exercise: Exercise, part: Any) -> list[int]:
        """Option indices in the order this student sees them (letters follow this order)."""
        from modl_tutor.answers.choices import display_order

        return list(display_order(part, self.seed, exercise.id))

    @staticmethod
    def warm_up() -> None:
        """Import the answer engine ahead of the first keystroke (call from a thread)."""
        from modl_tutor.answers.check import check_part  # noqa: F401
        from modl_tutor.answers.pretty import preview

        preview("x")

    @staticmethod
    def warm_up_code_status() -> None:
        """Hash modl's grading code ahead of the first code exercise's status (10-20 ms that
        a fresh workspace's catalogue no longer pays: call from a thread)."""
        from modl_tutor.progress.fingerprint import grading_code_digest

        grading_code_digest()

    # -- the grading server -------------------------------------------------------------
    @property
    def grader_started(self) -> bool:
        return self._grader is not None

    def grader(self) -> CodeGrader:
        """The code-grading server, started on first use and reused."""
        with self._lock:
            if self._grader is None:
                from modl_tutor.grading.client import CodeGrader

                grader = CodeGrader(jobs=1)
                grader.start()
                self._grader = grader
            return self._grader

    def use_grader(self, grader: CodeGrader) -> None:
        """Grade with a server the caller owns (it is not closed by `close`)."""
        self._grader = grader
        self._owns_grader = False

    def close(self) -> None:
        """Stop the grading server if this session started it."""
        with self._lock:
            grader, self._grader = self._grader, None
        if grader is not None and self._owns_grader:
            grader.close()
