"""`modl serve` for a lab: a roster, one secret link and one workspace per student, loopback rules."""

from __future__ import annotations

import csv
import hashlib
import io
import ipaddress
import json
import os
import re
import secrets
import shlex
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modl_tutor.atomic import write_text_atomic
from modl_tutor.errors import ModlError

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")
"""A student id that is also a safe folder name (no '.', '..', no leading dot or slash)."""
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
ID_COLUMNS = ("id", "student", "student_id", "sis user id", "login", "email")
ROSTER_LIMIT = 4 * 1024 * 1024
TOKEN_BYTES = 24


class ServeError(ModlError):
    """A roster, token file or bind address `modl serve` cannot use (one line, names the file)."""


def is_loopback(host: str) -> bool:
    """True when `host` only listens on this machine (localhost, 127.0.0.0/8, ::1)."""
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, roster: object | None) -> None:
    """Refuse a bind other machines can reach unless each student has their own secret link."""
    if roster is None and not is_loopback(host):
        raise ServeError(f"--host {host} can be reached from other machines; plain `modl serve` "
                         "is single-user and loopback only (give --roster CSV to serve a lab)")


def load_roster(path: Path) -> list[str]:
    """Student ids from a CSV with an id column (id/student/student_id/SIS User ID/login/email)."""
    try:
        if path.stat().st_size > ROSTER_LIMIT:
            raise ServeError(f"{path}: larger than {ROSTER_LIMIT // 1024 // 1024} MiB")
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ServeError(f"{path}: cannot be read ({getattr(err, 'strerror', None) or err})"
                         ) from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise ServeError(f"{path}: not a CSV file ({err})") from None
    if not rows:
        raise ServeError(f"{path}: empty roster (expected a header line with an id column)")
    header = [h.strip().lower() for h in rows[0]]
    at = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    if at is None:
        raise ServeError(f"{path}: line 1: the header needs an id column "
                         f"({'/'.join(ID_COLUMNS)})")
    ids: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= at:
            raise ServeError(f"{path}: line {number}: too few columns (no {header[at]!r} value)")
        student = row[at].strip()
        if not ID_RE.match(student):
            raise ServeError(f"{path}: line {number}: {student[:40]!r} is not a student id "
                             "(1-64 letters, digits and . _ @ + -, starting with a letter or "
                             "digit)")
        if student.lower() in seen:
            raise ServeError(f"{path}: line {number}: {student!r} repeats line "
                             f"{seen[student.lower()]}")
        seen[student.lower()] = number
        ids.append(student)
    if not ids:
        raise ServeError(f"{path}: no students (only a header)")
    return ids


def token_file_for(roster: Path) -> Path:
    """Where a roster's tokens live: beside it, readable by its owner only."""
    return roster.with_name(roster.name + ".tokens.json")


def _read_tokens(path: Path) -> dict[str, str]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise ServeError(f"{path}: cannot be read ({err.strerror or err})") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ServeError(f"{path}: readable by other users (mode {stat.S_IMODE(mode):o}); "
                         f"run `chmod 600 {path}` or delete it to issue new links")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tokens = data["tokens"]
        if not isinstance(tokens, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        raise ServeError(f"{path}: not a modl token file (delete it to issue new links)"
                         ) from None
    for student, token in tokens.items():
        if not (isinstance(token, str) and TOKEN_RE.match(token) and ID_RE.match(student)):
            raise ServeError(f"{path}: the entry for {str(student)[:40]!r} is not a valid "
                             "token (delete it to issue a new link)")
    return tokens


def _write_tokens(path: Path, tokens: dict[str, str]) -> None:
    if not path.exists():  # create it 0600 first: the atomic write keeps an existing mode
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    write_text_atomic(path, json.dumps({"version": 1, "tokens": tokens}, indent=1) + "\n")


def issue_tokens(students: Iterable[str], path: Path) -> tuple[dict[str, str], list[str]]:
    """Each student's token (kept from `path`, new ones drawn with `secrets`) and who is new.

    Tokens of students no longer on the roster stay in the file but are not served."""
    stored = _read_tokens(path)
    new = [s for s in students if s not in stored]
    for student in new:
        stored[student] = secrets.token_urlsafe(TOKEN_BYTES)
    if new:
        try:
            _write_tokens(path, stored)
        except OSError as err:
            raise ServeError(f"{path}: cannot be written ({err.strerror or err})") from None
    return {s: stored[s] for s in students}, new


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()


@dataclass
class TokenTable:
    """Token -> student, looked up by the token's hash (no early-exit string comparison)."""

    tokens: dict[str, str]
    _by_hash: dict[bytes, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_hash = {_digest(t): s for s, t in self.tokens.items()}

    def student(self, token: str) -> str | None:
        """The student a token belongs to, or None for anything else."""
        if not TOKEN_RE.match(token):
            return None
        return self._by_hash.get(_digest(token))


def prepare_workspaces(root: Path, students: Iterable[str], bank: Any) -> dict[str, Path]:
    """<root>/<id>/ for each student, created from the starters (with their variant) if missing."""
    from modl_tutor.workspace.workspace import init_workspace, is_workspace

    root = root.expanduser()
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise ServeError(f"{root}: cannot hold the workspaces ({err.strerror or err})") from None
    root = root.resolve()
    folders: dict[str, Path] = {}
    for student in students:
        folder = root / student
        if folder.is_symlink() or (folder.exists() and folder.resolve().parent != root):
            raise ServeError(f"{folder}: is a link; each student's workspace must be a real "
                             f"folder inside {root}")
        if not is_workspace(folder):
            init_workspace(folder, bank, student=student, force=folder.exists())
        folders[student] = folder
    return folders


def app_command(workspace: Path) -> str:
    """The shell command that runs the app on one workspace (only server-side values in it)."""
    return " ".join(shlex.quote(p) for p in (sys.executable, "-m", "modl_tutor", "--workspace",
                                             str(workspace)))


def student_links(public_url: str, tokens: dict[str, str], who: Iterable[str]) -> list[str]:
    """`id<TAB>URL` lines for the instructor to hand out."""
    base = public_url.rstrip("/")
    return [f"{s}\t{base}/s/{tokens[s]}/" for s in who]
