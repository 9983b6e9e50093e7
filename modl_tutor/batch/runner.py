"""Grade many submissions with one pre-loaded grading server; cached, parallel, never stopped by one."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

from modl_tutor.bank.loader import Bank
from modl_tutor.bank.models import Exercise
from modl_tutor.batch.cache import ResultCache, bank_digest, cacheable, submission_key
from modl_tutor.grading.client import CodeGrader
from modl_tutor.grading.core import grade_submission
from modl_tutor.result import ExerciseResult, SubmissionResult

_WORKSPACE_FILES = ("modl.toml", "answers.toml")


def error_row(path: Path, exercises: Iterable[Exercise], message: str) -> SubmissionResult:
    """A submission that could not be graded: every exercise 0 with status error."""
    rows = tuple(ExerciseResult(id=e.id, score=0, max_score=e.points, status="error",
                                message=message) for e in exercises)
    return SubmissionResult(submission=str(path), exercises=rows, error=message)


def _preflight(path: Path) -> str:
    """A one-line problem that makes the whole submission ungradable, or ''."""
    if not path.exists():
        return f"{path}: submission folder not found"
    if not path.is_dir():
        return f"{path}: not a folder (a submission is a workspace folder)"
    for name in _WORKSPACE_FILES:
        target = path / name
        if target.exists() and not target.is_file():
            return f"{target}: is a folder, not a file"
    return ""


def _code_files_that_are_folders(path: Path, result: SubmissionResult,
                                 exercises: list[Exercise]) -> SubmissionResult:
    """A code exercise whose file is a folder is an error (the grader would say 'missing')."""
    wrong = {e.id: path / e.workspace_file for e in exercises
             if e.is_code and (path / e.workspace_file).is_dir()}
    if not wrong:
        return result
    fixed = tuple(replace(r, status="error", score=0.0, checks=(),
                          message=f"{wrong[r.id]}: is a folder, not a file")
                  if r.id in wrong else r for r in result.exercises)
    return replace(result, exercises=fixed)


def grade_one(path: Path, bank: Bank, grader: CodeGrader, exercises: list[Exercise], *,
              cache: ResultCache | None = None, bank_key: str = "",
              student: str | None = None) -> SubmissionResult:
    """Grade one submission (or serve it from the cache); any failure becomes an error row.

    `student` is the id from the instructor's side (roster, metadata, folder name); None
    keeps the id the submission's modl.toml declares."""
    path = Path(path)
    problem = _preflight(path)
    if problem:
        return replace(error_row(path, exercises, problem), student=student or "")
    bank_key = f"{bank_key}\0student={student}" if student is not None else bank_key
    key = submission_key(path, bank_key) if cache is not None else None
    if cache is not None and key is not None:
        hit = cache.get(key, str(path))
        if hit is not None:
            return hit
    try:
        result = grade_submission(path, bank, grader, exercises, student=student)
        result = _retry_not_graded(path, bank, grader, exercises, result, student)
        result = _code_files_that_are_folders(path, result, exercises)
    except Exception as err:  # noqa: BLE001 - one broken submission must never stop a batch
        first = str(err).splitlines()[0] if str(err) else ""
        return replace(error_row(path, exercises, f"{path}: could not be graded "
                                                  f"({type(err).__name__}: {first})"),
                       student=student or "")
    if cache is not None and key is not None and cacheable(result) and \
            submission_key(path, bank_key) == key:  # cache only what was actually read
        cache.put(key, result)
    return result


def _retry_not_graded(path: Path, bank: Bank, grader: CodeGrader, exercises: list[Exercise],
                      result: SubmissionResult, student: str | None = None) -> SubmissionResult:
    """Grade once more the exercises the grader ran out of its own time on (machine load)."""
    not_graded = {r.id for r in result.exercises if r.status == "not_graded"}
    again = [e for e in exercises if e.id in not_graded]
    if not again:
        return result
    retried = {r.id: r for r in grade_submission(path, bank, grader, again,
                                                 student=student).exercises}
    return replace(result, exercises=tuple(retried.get(r.id, r) for r in result.exercises))


class _Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and total > 0
        self._bar = None
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeRemainingColumn)

            self._bar = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=Console(stderr=True),
                                 transient=True)
            self._task = self._bar.add_task("grading", total=total)
            self._bar.start()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def grade_batch(submissions: Sequence[Path], bank: Bank, *, jobs: int | None = None,
                progress: bool = True, cache: ResultCache | None = None,
                grader: CodeGrader | None = None, exercises: Iterable[Exercise] | None = None,
                on_result: Callable[[SubmissionResult], None] | None = None,
                bank_key: str | None = None,
                students: Mapping[str, str] | None = None) -> list[SubmissionResult]:
    """Grade every submission; results in the order given.

    Cached submissions are served without starting the grading server (it starts lazily on
    the first code job). `grader` lets callers share one server across batches;
    `bank_key` (from `bank_digest`) pins the bank's cache identity across several batches.
    `students` maps each submission (as given) to its id from the instructor's side
    (`roster.students_for`); without it the submission's modl.toml id is used.
    """
    chosen = list(exercises) if exercises is not None else list(bank)
    if bank_key is None:
        bank_key = bank_digest(bank) if cache is not None else ""
    own = grader is None
    active = grader if grader is not None else CodeGrader(jobs=jobs)
    bar = _Progress(len(submissions), progress)
    started = time.monotonic()
    try:
        # Math grading is in-process and cheap; code jobs queue in the zygote concurrently.
        workers = max(2, active.jobs * 2)
        pool = ThreadPoolExecutor(max_workers=workers)
        futures: dict[Future[SubmissionResult], int] = {
            pool.submit(grade_one, Path(p), bank, active, chosen, cache=cache,
                        bank_key=bank_key, student=(students or {}).get(str(p))): i
            for i, p in enumerate(submissions)}
        results: list[SubmissionResult | None] = [None] * len(futures)
        try:
            for future in as_completed(futures):
                result = future.result()
                results[futures[future]] = result
                bar.advance()
                if on_result is not None:
                    on_result(result)
        except BaseException:  # Ctrl+C: drop the queued submissions instead of waiting
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    finally:
        bar.close()
        if own:
            active.close()
    if bar.enabled:
        cached = sum(1 for r in results if r is not None and r.extra.get("cached"))
        print(f"graded {len(results)} submission(s) in {time.monotonic() - started:.1f} s"
              + (f" ({cached} from the cache)" if cached else ""), file=sys.stderr)
    return [r for r in results if r is not None]
