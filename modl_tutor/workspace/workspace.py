"""A student's workspace (= a submission): answers.toml, one .py per code exercise, modl.toml."""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modl_tutor.atomic import write_text_atomic
from modl_tutor.bank.loader import Bank
from modl_tutor.bank.models import SINGLE_PART, Exercise
from modl_tutor.workspace.safe_read import (ANSWERS_LIMIT, SETTINGS_LIMIT,
                                            SubmissionFileError, read_submission_file)
from modl_tutor.errors import WorkspaceError

ANSWERS = "answers.toml"
MARKER = "modl.toml"
STUDENT_RE = re.compile(r"^[A-Za-z0-9_.@+-]{1,64}$")


def default_workspace() -> Path:
    """The workspace used when the current folder is not one: $MODL_WORKSPACE or the data dir."""
    env = os.environ.get("MODL_WORKSPACE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("modl-tutor")) / "workspace"


def is_workspace(path: Path) -> bool:
    return (path / MARKER).is_file() or (path / ANSWERS).is_file()


def find_workspace(start: Path | None = None) -> Path | None:
    """The workspace that contains `start` (walking up), or None."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_workspace(candidate):
            return candidate
    return None


def _default_student() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in some containers
        name = "student"
    return re.sub(r"[^A-Za-z0-9_.@+-]", "_", name)[:64] or "student"


@dataclass
class Workspace:
    """Reads and writes the files of one workspace; every write is atomic."""

    root: Path

    @property
    def answers_path(self) -> Path:
        return self.root / ANSWERS

    @property
    def marker_path(self) -> Path:
        return self.root / MARKER

    def code_path(self, exercise: Exercise) -> Path:
        return self.root / exercise.workspace_file

    # -- metadata -------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The contents of modl.toml ({} when the submission has none)."""
        if not os.path.lexists(self.marker_path):
            return {}
        return _read_toml(self.marker_path, SETTINGS_LIMIT)

    @property
    def student_id(self) -> str:
        """Seed of per-student variants; '' when the submission does not name a student."""
        student = self.settings().get("student", {})
        value = student.get("id", "") if isinstance(student, dict) else ""
        if not isinstance(value, str) or (value and not STUDENT_RE.match(value)):
            raise WorkspaceError(f"{self.marker_path}: field 'student.id' must be a short "
                                 "name of letters, digits and . _ @ + -")
        return value

    # -- answers ----------------------------------------------------------------------------
    def load_answers(self) -> dict[str, Any]:
        """answers.toml as a dict ({} when the file does not exist)."""
        if not os.path.lexists(self.answers_path):
            return {}
        return _read_toml(self.answers_path, ANSWERS_LIMIT)

    def answer(self, exercise: Exercise, part: str = SINGLE_PART,
               answers: dict[str, Any] | None = None) -> str | None:
        """The student's text for one part, or None when it is absent or blank."""
        data = self.load_answers() if answers is None else answers
        topic = data.get(exercise.topic, {})
        if not isinstance(topic, dict):
            raise WorkspaceError(f"{self.answers_path}: [{exercise.topic}] must be a table")
        value = topic.get(exercise.slug)
        if exercise.is_multipart:
            if value is None:
                return None
            if not isinstance(value, dict):
                raise WorkspaceError(f"{self.answers_path}: '{exercise.topic}.{exercise.slug}' "
                                     "must be a table with one key per part "
                                     f"({', '.join(p.name for p in exercise.parts)})")
            value = value.get(part)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = repr(value)
        if isinstance(value, list) and exercise.kind == "derivation":
            value = "\n".join(str(v) for v in value)    # one step per string
        if isinstance(value, list):
            value = "[" + ", ".join(str(v) for v in value) + "]"
        if not isinstance(value, str):
            key = f"{exercise.topic}.{exercise.slug}" + (f".{part}" if exercise.is_multipart else "")
            raise WorkspaceError(f"{self.answers_path}: '{key}' must be a string")
        return value if value.strip() else None

    def record_answer(self, exercise: Exercise, text: str, part: str = SINGLE_PART) -> None:
        """Store one answer in answers.toml, keeping the student's comments and layout."""
        self.record_answers(exercise, {part: text})

    def record_answers(self, exercise: Exercise, texts: dict[str, str]) -> None:
        """Store several parts' answers in one atomic write ('' blanks a part), keeping the
        student's comments and layout."""
        import tomlkit  # only to write answers: not on the app's first paint
        from tomlkit.exceptions import TOMLKitError

        if os.path.lexists(self.answers_path):
            try:  # read as the grader reads it: no symlink, a regular file, capped
                text = read_submission_file(self.root, ANSWERS, ANSWERS_LIMIT).decode("utf-8")
                doc = tomlkit.parse(text)
            except SubmissionFileError as err:
                raise WorkspaceError(f"{self.root}/{err}") from None
            except UnicodeDecodeError as err:
                raise WorkspaceError(f"{self.answers_path}: cannot be read ({err})") from None
            except (TOMLKitError, ValueError) as err:
                raise WorkspaceError(f"{self.answers_path}: not valid TOML ({err}); "
                                     "fix it before recording new answers") from None
        else:
            doc = tomlkit.document()
        if exercise.topic not in doc or not isinstance(doc[exercise.topic], dict):
            doc[exercise.topic] = tomlkit.table()
        table = doc[exercise.topic]
        for part, text in texts.items():
            if exercise.is_multipart:
                if exercise.slug not in table or not isinstance(table[exercise.slug], dict):
                    table[exercise.slug] = tomlkit.table()
                table[exercise.slug][part] = text
            elif exercise.kind == "derivation" and text:
                steps = tomlkit.array()
                steps.extend(text.rstrip().split("\n"))   # line numbers kept
                steps.multiline(True)
                table[exercise.slug] = steps
            else:
                table[exercise.slug] = text
        write_text_atomic(self.answers_path, tomlkit.dumps(doc))


def _read_toml(path: Path, limit: int) -> dict[str, Any]:
    """A workspace's TOML file, read defensively (no symlink, regular file, size cap)."""
    try:
        text = read_submission_file(path.parent, path.name, limit).decode("utf-8")
        return tomllib.loads(text)
    except SubmissionFileError as err:
        raise WorkspaceError(f"{path.parent}/{err}") from None
    except tomllib.TOMLDecodeError as err:
        raise WorkspaceError(f"{path}: not valid TOML: {err}") from None
    except UnicodeDecodeError as err:
        raise WorkspaceError(f"{path}: cannot be read ({err})") from None


def answers_template(bank: Bank) -> str:
    """The answers.toml that `modl init` writes: every math exercise, blank, with its title."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment("Your math answers. Fill one in, then run `modl answer ID` or "
                            "`modl check ID`; the app writes here too."))
    doc.add(tomlkit.comment("Syntax: sigmoid(x)*(1-sigmoid(x)), 2^-7, [0.1, 0.2] — "
                            "see `modl show ID` for each question."))
    for topic in dict.fromkeys(e.topic for e in bank):
        table = tomlkit.table()
        for exercise in bank.by_topic(topic):
            if exercise.is_code:
                continue
            if exercise.is_multipart:
                sub = tomlkit.table()
                sub.comment(exercise.title)
                for part in exercise.parts:
                    sub[part.name] = ""
                table[exercise.slug] = sub
            else:
                item = tomlkit.string("")
                item.comment(exercise.title)
                table[exercise.slug] = item
        if len(table):
            doc[topic] = table
    return tomlkit.dumps(doc)


def init_workspace(directory: Path, bank: Bank, *, student: str | None = None,
                   force: bool = False) -> list[Path]:
    """Create a workspace from the bank's starters; never overwrites a student's file."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise WorkspaceError(f"{directory}: exists and is not a folder")
    if is_workspace(directory) and not force:
        raise WorkspaceError(f"{directory}: is already a workspace (use --force to add "
                             "missing files; existing files are never overwritten)")
    student = student or _default_student()
    if not STUDENT_RE.match(student):
        raise WorkspaceError(f"student id {student!r}: use letters, digits and . _ @ + -")
    directory.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    ws = Workspace(directory)
    if not ws.marker_path.exists():
        import tomlkit

        doc = tomlkit.document()
        doc.add(tomlkit.comment("modl-tutor workspace. The student id chooses your variant of "
                                "exercises with parameters."))
        doc["student"] = {"id": student}
        write_text_atomic(ws.marker_path, tomlkit.dumps(doc))
        created.append(ws.marker_path)
    if not ws.answers_path.exists():
        write_text_atomic(ws.answers_path, answers_template(bank))
        created.append(ws.answers_path)
    for exercise in bank:
        if not exercise.is_code:
            continue
        target = ws.code_path(exercise)
        if target.exists():
            continue
        write_text_atomic(target, exercise.starter_path.read_text(encoding="utf-8"))
        created.append(target)
    return created
