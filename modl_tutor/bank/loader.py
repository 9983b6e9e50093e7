"""Load and validate `exercises/<topic>/<slug>/exercise.toml` into `Exercise` models."""

from __future__ import annotations

import difflib
import re
import tomllib
from functools import lru_cache
from pathlib import Path

from modl_tutor import paths
from modl_tutor.bank.models import (
    KINDS,
    TOPICS,
    Exercise,
)
from modl_tutor.bank.fields import Fields, TOP_KEYS, read_code, read_params, read_parts, read_plot
from modl_tutor.bank.toml_cache import TomlCache, cache_path
from modl_tutor.errors import BankError, UnknownExercise

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")
def load_exercise(directory: Path, *, solutions: Path | None = None,
                  toml: TomlCache | None = None) -> Exercise:
    """Load one exercise folder; raise `BankError` naming the file and field on any problem."""
    directory = Path(directory)
    toml_path = directory / "exercise.toml"
    try:
        raw = toml_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(toml_path, None, "is missing") from None
    except (OSError, UnicodeDecodeError) as err:
        raise BankError(toml_path, None, f"cannot be read ({err})") from None
    try:
        data = toml.loads(raw) if toml is not None else tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        raise BankError(toml_path, None, f"is not valid TOML: {err}") from None
    topic, slug = directory.parent.name, directory.name
    f = Fields(toml_path, data)
    if topic not in TOPICS:
        raise BankError(directory, None, f"topic folder {topic!r} is not one of {', '.join(TOPICS)}")
    if not SLUG_RE.match(slug):
        raise BankError(directory, None, f"slug {slug!r} must be snake_case")
    f.unknown_keys(TOP_KEYS)
    kind = f.get("kind", str)
    if kind not in KINDS:
        raise f.fail("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    points = f.positive("points")
    difficulty = f.get("difficulty", int, 1)
    if not 1 <= difficulty <= 3:
        raise f.fail("difficulty", "must be 1, 2 or 3")
    prompt_path = directory / "prompt.md"
    try:
        prompt = prompt_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(prompt_path, None, "is missing") from None
    if not prompt.strip():
        raise BankError(prompt_path, None, "is empty")
    code = read_code(f, directory) if kind == "code" else None
    parts = () if kind == "code" else read_parts(f, kind, points)
    solution = f.get("solution", str, "")
    sol_root = solutions if solutions is not None else directory.parent.parent.parent / "solutions"
    worked = sol_root / topic / f"{slug}.md"
    if not solution and worked.is_file():
        solution = worked.read_text(encoding="utf-8")
    return Exercise(
        id=f"{topic}/{slug}", topic=topic, slug=slug, title=f.text("title"), kind=kind,
        points=points, prompt=prompt, directory=directory, hints=f.strings("hints"),
        solution=solution, difficulty=difficulty, tags=f.strings("tags"), parts=parts,
        code=code, params=read_params(f), plot=read_plot(f),
    )


class Bank:
    """All exercises of a bank folder, in course order (topic order, then file order)."""

    def __init__(self, exercises: list[Exercise], root: Path) -> None:
        self.root = root
        self.exercises = exercises
        self._by_id = {e.id: e for e in exercises}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str) -> Exercise:
        exercise_id = exercise_id.strip().strip("/")
        if exercise_id in self._by_id:
            return self._by_id[exercise_id]
        by_slug = [e for e in self.exercises if e.slug == exercise_id]
        if len(by_slug) == 1:
            return by_slug[0]
        close = difflib.get_close_matches(exercise_id, list(self._by_id), n=1)
        raise UnknownExercise(exercise_id, close[0] if close else None)

    def by_topic(self, topic: str) -> list[Exercise]:
        return [e for e in self.exercises if e.topic == topic]

    @property
    def solutions_root(self) -> Path:
        return self.root.parent / "solutions"


def exercise_dirs(root: Path) -> list[Path]:
    """Every `<topic>/<slug>/` folder under `root` that holds an exercise.toml."""
    return sorted(p.parent for p in root.glob("*/*/exercise.toml"))


def _sort_key(exercise: Exercise) -> tuple[int, int, str]:
    topic_rank = TOPICS.index(exercise.topic) if exercise.topic in TOPICS else len(TOPICS)
    return (topic_rank, exercise.difficulty, exercise.slug)


def load_bank(root: Path | None = None, *, strict: bool = True, cached: bool = True) -> Bank:
    """Load every exercise under `root` (default: the installed bank).

    With `strict`, the first invalid exercise raises `BankError`; otherwise invalid ones
    are skipped (use `validate_bank` to list all problems). `cached=False` parses every file
    and never reads the parsed-TOML cache: grading a class must not depend on a file that
    anything else (a submission in a weak sandbox) could have written.
    """
    root = Path(root) if root is not None else paths.exercises_dir()
    exercises = []
    toml = TomlCache(cache_path() if cached else None)
    for directory in exercise_dirs(root):
        try:
            exercises.append(load_exercise(directory, solutions=root.parent / "solutions",
                                           toml=toml))
        except BankError:
            if strict:
                raise
    toml.save()
    exercises.sort(key=_sort_key)
    return Bank(exercises, root)


def validate_bank(root: Path | None = None) -> list[BankError]:
    """Every problem of every exercise folder (one error per folder at most)."""
    root = Path(root) if root is not None else paths.exercises_dir()
    problems = []
    for directory in exercise_dirs(root):
        try:
            load_exercise(directory, solutions=root.parent / "solutions")
        except BankError as err:
            problems.append(err)
    return problems


@lru_cache(maxsize=4)
def default_bank(cached: bool = True) -> Bank:
    """The installed bank, loaded once per process (`cached`: see `load_bank`)."""
    return load_bank(cached=cached)
