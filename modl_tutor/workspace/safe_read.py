"""Read a file of a submission defensively: never through a symbolic link, only a regular
file, never more than a cap, and never blocking (a FIFO or a device is refused unopened)."""

from __future__ import annotations

import os
import stat

from modl_tutor.errors import ModlError

CODE_LIMIT = 256 * 1024
"""A code exercise's file: far more than any solution needs."""
ANSWERS_LIMIT = 64 * 1024
"""answers.toml."""
SETTINGS_LIMIT = 16 * 1024
"""modl.toml."""


class SubmissionFileError(ModlError):
    """A submission file that the grader refuses to read; `status` is missing or error."""

    def __init__(self, message: str, status: str = "error") -> None:
        super().__init__(message)
        self.status = status


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB" if n >= 1 << 20 else f"{n / 1024:.0f} KB"


def read_submission_file(root: str | os.PathLike[str], relative: str, limit: int) -> bytes:
    """The bytes of `root/relative`, refusing symlinks (at every level below `root`),
    anything but a regular file, and files over `limit` bytes; raises SubmissionFileError
    with a one-line message naming the file."""
    parts = [p for p in str(relative).replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise SubmissionFileError(f"{relative}: not a path inside the submission")
    shown = "/".join(parts)
    if os.stat not in os.supports_dir_fd or os.open not in os.supports_dir_fd:
        return _read_by_path(os.fspath(root), parts, shown, limit)  # Windows
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        folder = os.open(os.fspath(root), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except FileNotFoundError:
        raise SubmissionFileError(f"{root}: submission folder not found", "missing") from None
    except OSError as err:
        raise SubmissionFileError(f"{root}: cannot be opened ({err.strerror})") from None
    try:
        for name in parts[:-1]:
            inner = _step(folder, name, shown, nofollow)
            os.close(folder)
            folder = inner
        try:
            info = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            raise SubmissionFileError(f"{shown} is missing from the workspace",
                                      "missing") from None
        except OSError as err:
            raise SubmissionFileError(f"{shown}: cannot be read ({err.strerror})") from None
        _check_kind(info.st_mode, shown)
        if info.st_size > limit:
            raise SubmissionFileError(f"{shown} is too large ({_size(info.st_size)}; the limit "
                                      f"is {_size(limit)})")
        flags = os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        try:
            fd = os.open(parts[-1], flags, dir_fd=folder)
        except OSError as err:
            raise SubmissionFileError(f"{shown}: cannot be read ({err.strerror})") from None
        try:
            opened = os.fstat(fd)
            _check_kind(opened.st_mode, shown)  # the same checks on what was really opened
            chunks, total = [], 0
            while total <= limit:
                chunk = os.read(fd, min(1 << 16, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        finally:
            os.close(fd)
        if total > limit:
            raise SubmissionFileError(f"{shown} is too large (over {_size(limit)})")
        return b"".join(chunks)
    finally:
        os.close(folder)


def _step(folder: int, name: str, shown: str, nofollow: int) -> int:
    """Open the sub-folder `name` of the open folder (which stays the caller's to close)."""
    try:
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        raise SubmissionFileError(f"{shown} is missing from the workspace", "missing") from None
    except OSError as err:
        raise SubmissionFileError(f"{shown}: cannot be read ({err.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise SubmissionFileError(f"{shown}: the folder {name!r} is a symbolic link; a "
                                  "submission must hold real folders and files")
    if not stat.S_ISDIR(info.st_mode):
        raise SubmissionFileError(f"{shown}: {name!r} is not a folder")
    try:
        return os.open(name, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow,
                       dir_fd=folder)
    except OSError as err:
        raise SubmissionFileError(f"{shown}: cannot be read ({err.strerror})") from None


def _check_kind(mode: int, shown: str) -> None:
    if stat.S_ISLNK(mode):
        raise SubmissionFileError(f"{shown} is a symbolic link; a submission must hold the file "
                                  "itself (copy it instead of linking)")
    if stat.S_ISDIR(mode):
        raise SubmissionFileError(f"{shown}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise SubmissionFileError(f"{shown} is not a regular file (a pipe, socket or device "
                                  "cannot be graded)")


def _read_by_path(root: str, parts: list[str], shown: str, limit: int) -> bytes:
    """Where the OS has no dir_fd (Windows): check each component for a link, then read."""
    if not os.path.isdir(root):
        raise SubmissionFileError(f"{root}: submission folder not found", "missing")
    path = root
    for name in parts:
        path = os.path.join(path, name)
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            raise SubmissionFileError(f"{shown} is missing from the workspace",
                                      "missing") from None
        except OSError as err:
            raise SubmissionFileError(f"{shown}: cannot be read ({err.strerror})") from None
        if stat.S_ISLNK(info.st_mode) or getattr(info, "st_reparse_tag", 0):
            raise SubmissionFileError(f"{shown} is a symbolic link; a submission must hold the "
                                      "file itself (copy it instead of linking)")
    _check_kind(info.st_mode, shown)
    if info.st_size > limit:
        raise SubmissionFileError(f"{shown} is too large ({_size(info.st_size)}; the limit is "
                                  f"{_size(limit)})")
    with open(path, "rb") as handle:  # trusted: checked above, a regular file
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SubmissionFileError(f"{shown} is too large (over {_size(limit)})")
    return data
