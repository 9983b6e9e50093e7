"""A content-addressed cache of graded submissions: unchanged submission + bank + modl → same grade."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from modl_tutor import __version__
from modl_tutor.atomic import write_text_atomic
from modl_tutor.bank.loader import Bank
from modl_tutor.workspace.safe_read import SubmissionFileError, read_submission_file
from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult

FORMAT = 1
"""Version of the cache entry layout; bump it when the entry format changes."""

MAX_FILE_BYTES = 8 * 1024 * 1024
"""A file over this is hashed by its size alone (the grader refuses it anyway)."""
MAX_FILES = 5000
MAX_BYTES = 256 * 1024 * 1024
"""Submissions larger than this are graded without caching (hashing would cost too much)."""

_PACKAGE = Path(__file__).resolve().parent.parent


def default_cache_dir() -> Path:
    """`grades/` in modl's cache folder (`paths.cache_dir`)."""
    from modl_tutor.paths import cache_dir

    return cache_dir("grades")


def _skipped(name: str) -> bool:
    """Hidden files and folders (.modl/progress, .git) and bytecode never change a grade."""
    return name.startswith(".") or name == "__pycache__"


def _tree_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        files.extend(Path(folder) / n for n in sorted(names) if not _skipped(n))
    return files


def _hash_files(digest: Any, root: Path, files: Iterable[Path]) -> None:
    """Hash names and contents without following a link or opening anything but a regular
    file (a FIFO in a submission must not stall the batch); oversized files by size only."""
    for path in files:
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        try:
            info = os.lstat(path)
        except OSError:
            digest.update(b"<gone>")
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            digest.update(f"<{stat.S_IFMT(info.st_mode):o} {info.st_size}>".encode())
            continue
        try:
            data = read_submission_file(path.parent, path.name, MAX_FILE_BYTES)
        except SubmissionFileError as err:
            data = f"<{err}>".encode()
        digest.update(hashlib.sha256(data).digest())


_GRADING_CODE = ("answers", "bank", "grading", "kernels", "workspace", "result.py")
"""The parts of modl whose source decides a grade (the app and the reports do not)."""


def bank_digest(bank: Bank) -> str:
    """Hash of everything that decides a grade besides the submission: bank files, modl code."""
    digest = hashlib.sha256(f"modl {__version__} cache {FORMAT}\0".encode())
    for root in (Path(bank.root), Path(bank.solutions_root)):
        digest.update(f"[{root.name}]\0".encode())
        if root.is_dir():
            _hash_files(digest, root, _tree_files(root))
    for name in _GRADING_CODE:
        path = _PACKAGE / name
        files = [f for f in _tree_files(path) if f.suffix == ".py"] if path.is_dir() else \
            [path] if path.is_file() else []
        digest.update(f"[{name}]\0".encode())
        _hash_files(digest, _PACKAGE, files)
    digest.update("\0".join(e.id for e in bank).encode())
    return digest.hexdigest()


def submission_key(path: Path, bank_key: str) -> str | None:
    """The cache key of one submission, or None when it cannot (or should not) be cached."""
    path = Path(path)
    try:
        if not path.is_dir():
            return None
        files = _tree_files(path)
        if len(files) > MAX_FILES or sum(f.lstat().st_size for f in files) > MAX_BYTES:
            return None
        digest = hashlib.sha256(f"{bank_key}\0{path.resolve()}\0".encode("utf-8",
                                                                          "surrogateescape"))
        _hash_files(digest, path, files)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


_TRANSIENT = ("grading server", "time limit", "stopped early", "did not finish",
              "internal error", "could not be graded", "could not start", "sandbox",
              "cannot be read")
"""Messages of outcomes that depend on the machine, its load or the moment, not the submission."""


def cacheable(result: SubmissionResult) -> bool:
    """Only reproducible grades are kept: no submission error, no time-out or crash of the grader.

    A student's syntax or import error is reproducible and is cached like any grade.
    """
    if result.error or any(e.status == "not_graded" for e in result.exercises):
        return False  # the grader ran out of its own time: never a grade to keep
    texts = [e.message for e in result.exercises]
    texts += [c.message for e in result.exercises for c in e.checks if not c.passed]
    return not any(marker in text for text in texts for marker in _TRANSIENT)


def submission_to_dict(result: SubmissionResult) -> dict[str, Any]:
    """Everything needed to rebuild the result, hidden checks and durations included."""
    return {"submission": result.submission, "student": result.student, "error": result.error,
            "duration": result.duration,
            "exercises": [{**e.to_dict(), "message": e.message, "output": e.output,
                           "duration": e.duration} for e in result.exercises]}


def submission_from_dict(data: dict[str, Any]) -> SubmissionResult:
    """The inverse of `submission_to_dict`; raises KeyError/TypeError/ValueError when malformed."""
    exercises = []
    for item in data["exercises"]:
        if item["status"] not in ("passed", "failed", "error", "missing"):
            raise ValueError(f"bad status {item['status']!r}")
        checks = tuple(CheckResult.from_dict(c) for c in item["checks"])
        exercises.append(ExerciseResult(
            id=str(item["id"]), score=float(item["score"]), max_score=float(item["max_score"]),
            status=item["status"], checks=checks, message=str(item.get("message", "")),
            output=str(item.get("output", "")), duration=float(item.get("duration", 0.0))))
    return SubmissionResult(submission=str(data["submission"]), exercises=tuple(exercises),
                            error=str(data.get("error", "")), student=str(data.get("student", "")),
                            duration=float(data.get("duration", 0.0)))


class ResultCache:
    """Grades stored as `<dir>/<key[:2]>/<key>.json`; writes are atomic, bad entries ignored."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, submission: str) -> SubmissionResult | None:
        """The cached grade of `key` (reported under the name `submission`), or None."""
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))  # trusted: our own cache
            if data.get("format") != FORMAT or data.get("key") != key:
                raise ValueError("stale entry")
            result = submission_from_dict(data["result"])
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            return None  # a corrupt or foreign entry is ignored and overwritten later
        self.hits += 1
        return SubmissionResult(submission=submission, exercises=result.exercises,
                                error=result.error, student=result.student,
                                duration=result.duration, extra={"cached": True})

    def put(self, key: str, result: SubmissionResult) -> bool:
        """Store a grade; False (and no exception) when the cache folder is not writable."""
        entry = {"format": FORMAT, "key": key, "result": submission_to_dict(result)}
        try:
            write_text_atomic(self._path(key), json.dumps(entry))
        except OSError:
            return False
        return True
