"""Fingerprints of a code exercise's grade: same file, seed, exercise and grader -> same grade."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from modl_tutor.bank.models import Exercise

MAX_CODE_BYTES = 4 * 1024 * 1024
"""A code file larger than this is not fingerprinted (its status stays 'changed')."""

_PACKAGE = Path(__file__).resolve().parent.parent
_GRADING_CODE = ("answers", "grading", "kernels", "result.py")
_DIGESTS: dict[str, str] = {}


def code_fingerprint(exercise: Exercise, path: Path, seed: str) -> str | None:
    """Hash of the student's file, the seed, the exercise's files and modl's grading code;
    None when the file is absent, a symlink or too big."""
    data = read_capped(path)
    if data is None:
        return None
    digest = hashlib.sha256(f"{exercise_digest(exercise)}\0{seed}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def differs_from_starter(exercise: Exercise, path: Path) -> bool:
    """True when the student's file exists and is not the untouched starter."""
    data = read_capped(path)
    if data is None:
        return path.exists() or path.is_symlink()
    try:
        return data != exercise.starter_path.read_bytes()
    except OSError:
        return True


def read_capped(path: Path) -> bytes | None:
    """The bytes of a regular file (symlinks not followed, a FIFO never opened), None when
    absent, not a regular file or too big."""
    from modl_tutor.workspace.safe_read import SubmissionFileError, read_submission_file

    try:
        return read_submission_file(path.parent, path.name, MAX_CODE_BYTES)
    except SubmissionFileError:
        return None


def folder_digest(base: str, directory: Path) -> str:
    """sha256 of `base` then of every file directly in `directory` (its name and bytes, in
    name order; os.scandir: a quarter of the time of Path.iterdir on the app's first paint)."""
    digest = hashlib.sha256(base.encode())
    with os.scandir(directory) as entries:  # trusted: the bank's own exercise folder
        files = sorted((entry.name, entry.path) for entry in entries if entry.is_file())
    for name, path in files:
        with open(path, "rb") as handle:
            digest.update(name.encode() + b"\0" + handle.read())
    return digest.hexdigest()


def exercise_digest(exercise: Exercise) -> str:
    """Hash of the exercise's own files and of modl's grading code (cached per process)."""
    key = f"{exercise.id}\0{exercise.directory}"
    if key not in _DIGESTS:
        _DIGESTS[key] = folder_digest(grading_code_digest(), exercise.directory)
    return _DIGESTS[key]


def grading_code_digest() -> str:
    """Hash of modl's version and grading source: a new grader never trusts old grades."""
    if "" not in _DIGESTS:
        from modl_tutor import __version__

        digest = hashlib.sha256(__version__.encode())
        for name in _GRADING_CODE:
            for path in _python_files(_PACKAGE / name):
                digest.update(str(path.relative_to(_PACKAGE)).encode() + path.read_bytes())
        _DIGESTS[""] = digest.hexdigest()
    return _DIGESTS[""]


def _python_files(root: Path) -> list[Path]:
    """`root` when it is a file, else the .py files below it, sorted (os.walk: a third of
    the time of Path.rglob)."""
    if root.is_file():
        return [root]
    found = [Path(folder, name) for folder, dirs, names in os.walk(root)
             for name in names if name.endswith(".py")]
    return sorted(found)
