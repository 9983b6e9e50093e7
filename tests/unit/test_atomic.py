"""Atomic writes: a workspace file is replaced in one step, keeps its mode and is fsynced; a cache
file (what modl can recompute) is private and not fsynced; a failed write leaves the old file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from modl_tutor import atomic
from modl_tutor.atomic import write_bytes_atomic, write_text_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_workspace_file_is_0644_keeps_a_changed_mode_and_is_fsynced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: synced.append(fd) or real(fd))
    target = tmp_path / "ws" / "answers.toml"
    write_text_atomic(target, "a = 1\n")
    assert target.read_text() == "a = 1\n" and _mode(target) == 0o644
    assert len(synced) == 2  # the file, then its folder
    target.chmod(0o600)
    write_text_atomic(target, "a = 2\n")
    assert target.read_text() == "a = 2\n" and _mode(target) == 0o600


def test_a_cache_file_is_private_and_not_fsynced(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: pytest.fail("a cache write fsynced"))
    target = tmp_path / "cache" / "references" / "x.npz"
    write_bytes_atomic(target, b"data", cache=True)
    assert target.read_bytes() == b"data"
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "answers.toml"
    write_text_atomic(target, "old\n")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.toml"]
