"""A student's own cache of math verdicts (user cache dir): unchanged answers are not regraded.

Keyed on the answer engine's code, the exercise's files, the student's seed (its variant), the
part and the answer text. It lives in the user cache dir ($MODL_CACHE_DIR/verdicts), never in a
workspace, and only the tutor service reads it: batch grading (`modl grade`) never does, so a
forged entry can change nothing but its owner's own `modl list`. Entries are written
atomically, the folder is bounded, an unreadable entry is ignored (and rewritten), and a
time-out or a grader failure is never stored. `MODL_VERDICT_CACHE=off` turns it off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from functools import partial
from pathlib import Path
from typing import Any, Mapping

from modl_tutor.atomic import write_text_atomic

SCHEMA = "1"
MAX_ENTRIES = 4096
"""Entries kept; past this the oldest quarter is removed (by modification time)."""
MAX_ENTRY_BYTES = 64 * 1024
"""An outcome larger than this (a long derivation's messages) is not stored."""
STORED = ("correct", "wrong", "invalid", "undecided")
"""Outcomes that are a verdict (a time-out and a missing answer are not)."""
_FAILED = "The grader could not check"
"""How a grader failure's message starts (`answers.check`, `answers.derivation`)."""
_ENGINE = ("answers", "bank", "grading/core.py", "result.py")
"""What decides a math verdict, besides the exercise's own files and the libraries."""
_PACKAGE = Path(__file__).resolve().parent.parent
_DIGESTS: dict[str, str] = {}
_log = logging.getLogger("modl")


def cache_dir() -> Path | None:
    """`$MODL_CACHE_DIR/verdicts`, else the user cache dir's; None when turned off."""
    from modl_tutor.paths import cache_dir as modl_cache_dir, turned_off

    return None if turned_off("MODL_VERDICT_CACHE") else modl_cache_dir("verdicts")


def engine_digest() -> str:
    """Hash of modl's version, the math-grading source and sympy's and mpmath's versions
    (read from their files, without importing them); cached per process."""
    if "" not in _DIGESTS:
        from modl_tutor import __version__

        digest = hashlib.sha256(f"{SCHEMA}\0{__version__}\0".encode())
        for name in _ENGINE:
            root = _PACKAGE / name
            files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
            for path in files:
                digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
                digest.update(path.read_bytes())
        for module, release in (("sympy", "release.py"), ("mpmath", "__init__.py")):
            spec = importlib.util.find_spec(module)
            origin = Path(spec.origin).parent / release if spec and spec.origin else None
            digest.update(origin.read_bytes() if origin and origin.is_file() else b"none")
        _DIGESTS[""] = digest.hexdigest()
    return _DIGESTS[""]


def exercise_digest(exercise: Any) -> str:
    """Hash of the engine and of every file of the exercise's folder (cached per process)."""
    key = f"{exercise.id}\0{exercise.directory}"
    if key not in _DIGESTS:
        from modl_tutor.progress.fingerprint import folder_digest

        _DIGESTS[key] = folder_digest(engine_digest(), exercise.directory)
    return _DIGESTS[key]


def entry_key(exercise: Any, seed: str, part: str, text: str) -> str:
    digest = hashlib.sha256(exercise_digest(exercise).encode())
    for item in (exercise.id, seed, part, text):
        digest.update(b"\0" + item.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _encode(key: str, outcome: Any) -> str | None:
    """The JSON of an outcome worth storing, else None."""
    if outcome.status not in STORED or str(outcome.message).startswith(_FAILED):
        return None
    shown = outcome.shown if isinstance(outcome.shown, str) else None
    lines = [[r.number, r.text, r.status, r.message, r.column]
             for r in getattr(outcome, "lines", ())]
    data = {"schema": SCHEMA, "key": key, "part": outcome.part, "status": outcome.status,
            "score": float(outcome.score), "max_score": float(outcome.max_score),
            "message": str(outcome.message), "column": outcome.column,
            "work": int(outcome.work), "lines": lines, "preview": shown}
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text if len(text.encode()) <= MAX_ENTRY_BYTES else None


def _decode(key: str, raw: str, drawn: Any) -> Any:
    """The outcome stored as `raw`; raises ValueError/KeyError/TypeError when it is not one."""
    from modl_tutor.answers.check import PartOutcome
    from modl_tutor.answers.derivation_spec import LineResult

    data = json.loads(raw)
    if data["schema"] != SCHEMA or data["key"] != key or data["status"] not in STORED:
        raise ValueError("not this entry")
    column = data["column"]
    if column is not None and not isinstance(column, int):
        raise TypeError("column")
    lines = tuple(LineResult(int(n), str(t), str(s), str(m),
                             None if c is None else int(c)) for n, t, s, m, c in data["lines"])
    preview = data["preview"]
    return PartOutcome(str(data["part"]), data["status"], float(data["score"]),
                       float(data["max_score"]), str(data["message"]),
                       preview if isinstance(preview, str) else drawn, column,
                       int(data["work"]), lines)


def _draw(exercise: Any, seed: str, part: str, text: str) -> str:
    """The preview of a cached answer, drawn only when a face reads it."""
    from modl_tutor.answers.check import _drawn, allowed_names
    from modl_tutor.grading.core import for_student

    spec = for_student(exercise, seed).part(part)
    return _drawn(text, tuple(spec.variables), tuple(allowed_names(spec)))


class VerdictCache:
    """The verdicts of one student's answers, on disk (see the module docstring)."""

    def __init__(self, root: Path | None | bool = True) -> None:
        self.root = cache_dir() if root is True else (root or None)

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / f"{key}.json"

    def known(self, exercise: Any, seed: str, texts: Mapping[str, str | None],
              skip: Mapping[str, Any] | None = None) -> dict[str, tuple[str, Any]]:
        """Part -> (text, outcome) of every answered part whose verdict is stored."""
        if self.root is None:
            return {}
        out: dict[str, tuple[str, Any]] = {}
        for part, text in texts.items():
            if text is None or not text.strip() or (skip and part in skip):
                continue
            key = entry_key(exercise, seed, part, text)
            try:
                with open(self._path(key), "rb") as handle:
                    data = handle.read(MAX_ENTRY_BYTES + 1)
                if len(data) > MAX_ENTRY_BYTES:
                    raise ValueError("too big")
                raw = data.decode("utf-8")
            except (FileNotFoundError, NotADirectoryError):
                continue
            except (OSError, ValueError) as err:  # UnicodeDecodeError is a ValueError
                _log.debug("verdict cache: %s unreadable (%s)", key, err)
                continue
            try:
                outcome = _decode(key, raw, partial(_draw, exercise, seed, part, text))
            except (ValueError, KeyError, TypeError, IndexError) as err:
                _log.debug("verdict cache: %s ignored (%s)", key, err)
                continue
            points = float(exercise.part(part).points)
            if outcome.part == part and outcome.max_score == points \
                    and 0.0 <= outcome.score <= points:
                out[part] = (text, outcome)
        return out

    def remember(self, exercise: Any, seed: str, texts: Mapping[str, str | None],
                 outcomes: Mapping[str, Any], skip: Mapping[str, Any] | None = None) -> None:
        """Store the verdict of every answered part (time-outs and failures excepted)."""
        if self.root is None:
            return
        wrote = False
        for part, outcome in outcomes.items():
            text = texts.get(part)
            if text is None or not text.strip() or (skip and part in skip):
                continue
            key = entry_key(exercise, seed, part, text)
            data = _encode(key, outcome)
            if data is None:
                continue
            try:
                write_text_atomic(self._path(key), data)
                wrote = True
            except OSError as err:  # a read-only or full cache only costs speed
                _log.debug("verdict cache: cannot write %s (%s)", key, err)
                return
        if wrote:
            self._bound()

    def _bound(self) -> None:
        assert self.root is not None
        try:
            entries = [e for e in os.scandir(self.root) if e.name.endswith(".json")]
            if len(entries) <= MAX_ENTRIES:
                return
            entries.sort(key=lambda e: e.stat().st_mtime)
            for entry in entries[:len(entries) - MAX_ENTRIES * 3 // 4]:
                os.unlink(entry.path)
        except OSError as err:
            _log.debug("verdict cache: cannot prune (%s)", err)
