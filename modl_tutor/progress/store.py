"""Progress in SQLite (WAL, one transaction per write): attempts, history, hints, give-ups, and
the last grade of each code file (keyed by its fingerprint, so an edited file is never 'done')."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    exercise TEXT NOT NULL,
    part TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    status TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts (exercise);
CREATE TABLE IF NOT EXISTS exercise_state (
    exercise TEXT PRIMARY KEY,
    best_score REAL NOT NULL DEFAULT 0,
    max_score REAL NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    hints_shown INTEGER NOT NULL DEFAULT 0,
    gave_up INTEGER NOT NULL DEFAULT 0,
    first_seen REAL,
    last_seen REAL,
    seconds REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS grades (
    exercise TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    result TEXT NOT NULL,
    at REAL NOT NULL
);
"""

_MIGRATIONS = (("exercise_state", "full_at", "REAL"),)
"""Columns added after the first release: (table, column, type)."""


_UPSERT_BEST = (
    "INSERT INTO exercise_state (exercise, best_score, max_score, attempts, first_seen, "
    "last_seen) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(exercise) DO UPDATE SET "
    "best_score = CASE WHEN excluded.max_score != max_score THEN excluded.best_score "
    "ELSE MAX(best_score, excluded.best_score) END, max_score = excluded.max_score, "
    "attempts = attempts + 1, last_seen = excluded.last_seen")
"""One more attempt at an exercise: best score kept unless the exercise's points changed.
The best score is history only: an exercise's status is its grade now (see `tutor`)."""


@dataclass(frozen=True)
class ExerciseProgress:
    """What the store knows of one exercise."""

    exercise: str
    best_score: float = 0.0
    max_score: float = 0.0
    attempts: int = 0
    hints_shown: int = 0
    gave_up: bool = False
    last_seen: float | None = None
    full_at: float | None = None
    """When a submission last earned full marks (history: the answer may have changed since)."""

    @property
    def had_full_marks(self) -> bool:
        return self.full_at is not None

    @property
    def attempted(self) -> bool:
        return self.attempts > 0


class ProgressStore:
    """One SQLite file per workspace (`.modl/progress.sqlite`)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)
            for table, column, kind in _MIGRATIONS:
                columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                if column not in columns:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    @classmethod
    def for_workspace(cls, root: Path) -> ProgressStore:
        return cls(Path(root) / ".modl" / "progress.sqlite")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return db

    def record_attempt(self, exercise: str, score: float, max_score: float, status: str,
                       *, part: str = "", answer: str = "") -> None:
        """Store one graded attempt and update the best score, atomically."""
        self.record_submission(exercise, score, max_score, status,
                               [(part, answer, score, max_score, status)])

    def record_submission(self, exercise: str, score: float, max_score: float, status: str,
                          parts: list[tuple[str, str, float, float, str]],
                          grade: tuple[str, str] | None = None) -> None:
        """Store one whole-exercise submission atomically: one attempt row per part
        `(part, answer, score, max_score, status)` (one row for the whole exercise when
        `parts` is empty), the exercise's best score, when it last had full marks, the last
        exercise, and `grade` = (fingerprint, result JSON) of what was graded."""
        now = time.time()
        rows = parts or [("", "", score, max_score, status)]
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                for part, answer, p_score, p_max, p_status in rows:
                    db.execute("INSERT INTO attempts (exercise, part, answer, score, max_score, "
                               "status, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (exercise, part, answer[:2000], p_score, p_max, p_status, now))
                db.execute(_UPSERT_BEST, (exercise, score, max_score, now, now))
                if max_score > 0 and score >= max_score - 1e-9:
                    db.execute("UPDATE exercise_state SET full_at = ? WHERE exercise = ?",
                               (now, exercise))
                if grade is not None:
                    db.execute("INSERT INTO grades (exercise, fingerprint, result, at) "
                               "VALUES (?, ?, ?, ?) ON CONFLICT(exercise) DO UPDATE SET "
                               "fingerprint = excluded.fingerprint, result = excluded.result, "
                               "at = excluded.at", (exercise, grade[0], grade[1], now))
                db.execute("INSERT INTO meta (key, value) VALUES ('last_exercise', ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (exercise,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def reveal_hint(self, exercise: str, available: int) -> int:
        """Reveal one more hint (up to `available`); returns how many are now shown."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT hints_shown FROM exercise_state WHERE exercise = ?",
                             (exercise,)).fetchone()
            shown = min(available, (row[0] if row else 0) + 1)
            db.execute("INSERT INTO exercise_state (exercise, hints_shown) VALUES (?, ?) "
                       "ON CONFLICT(exercise) DO UPDATE SET hints_shown = excluded.hints_shown",
                       (exercise, shown))
            db.execute("COMMIT")
            return shown

    def give_up(self, exercise: str) -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO exercise_state (exercise, gave_up) VALUES (?, 1) "
                       "ON CONFLICT(exercise) DO UPDATE SET gave_up = 1", (exercise,))

    def add_time(self, exercise: str, seconds: float) -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO exercise_state (exercise, seconds) VALUES (?, ?) "
                       "ON CONFLICT(exercise) DO UPDATE SET seconds = seconds + excluded.seconds",
                       (exercise, max(0.0, seconds)))

    def get(self, exercise: str) -> ExerciseProgress:
        return self.all().get(exercise, ExerciseProgress(exercise))

    def all(self) -> dict[str, ExerciseProgress]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT exercise, best_score, max_score, attempts, hints_shown, "
                              "gave_up, last_seen, full_at FROM exercise_state").fetchall()
        return {r[0]: ExerciseProgress(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7])
                for r in rows}

    def grade(self, exercise: str, fingerprint: str) -> str | None:
        """The result JSON stored for `exercise` when it was graded at `fingerprint`, else None."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT result FROM grades WHERE exercise = ? AND fingerprint = ?",
                             (exercise, fingerprint)).fetchone()
        return row[0] if row else None

    def grades(self, exercises: Iterable[str],
               fingerprint: Callable[[str], str | None]) -> dict[str, str]:
        """Exercise -> its stored result JSON, for each of `exercises` graded at its current
        `fingerprint(exercise)`. One query for all (the catalogue asks for every code
        exercise at once), and a fingerprint is computed only for an exercise that has a
        stored grade: on a fresh workspace, none."""
        chosen = set(exercises)
        if not chosen:
            return {}
        with closing(self._connect()) as db:
            rows = db.execute("SELECT exercise, fingerprint, result FROM grades").fetchall()
        return {exercise: result for exercise, stored, result in rows
                if exercise in chosen and stored == fingerprint(exercise)}

    def last_exercise(self) -> str | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'last_exercise'").fetchone()
        return row[0] if row else None

    def set_last_exercise(self, exercise: str) -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO meta (key, value) VALUES ('last_exercise', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (exercise,))

    def history(self, exercise: str) -> list[tuple[str, str, float, float, str, float]]:
        with closing(self._connect()) as db:
            return db.execute("SELECT part, answer, score, max_score, status, at FROM attempts "
                              "WHERE exercise = ? ORDER BY id", (exercise,)).fetchall()
