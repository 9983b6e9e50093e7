"""Where is the workspace in an upload? Top, one folder down, too deep, side by side, nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from modl_tutor.bank.loader import Bank
from modl_tutor.batch.layout import locate


def _workspace(folder: Path, marker: str = "modl.toml") -> Path:
    (folder / Path(marker).parent).mkdir(parents=True, exist_ok=True)
    (folder / marker).write_text("# x\n", encoding="utf-8")
    return folder


def test_top_level_and_one_folder_down_are_found(tmp_path: Path, small_bank: Bank) -> None:
    top = _workspace(tmp_path / "top")
    assert locate(top, small_bank).workspace == top
    code_only = _workspace(tmp_path / "code", "losses/double.py")
    assert locate(code_only, small_bank).workspace == code_only  # a code file is enough
    upload = tmp_path / "upload"
    inner = _workspace(upload / "my-workspace", "answers.toml")
    (upload / "__MACOSX" / "x").mkdir(parents=True)
    assert locate(upload, small_bank).workspace == inner
    problem = locate(upload, small_bank, one_down_ok=False).problem
    assert "one folder down (my-workspace/)" in problem


def test_two_folders_deep_is_explained(tmp_path: Path, small_bank: Bank) -> None:
    upload = tmp_path / "upload"
    _workspace(upload / "hw3" / "alice")
    layout = locate(upload, small_bank)
    assert layout.workspace is None
    assert "found the workspace 2 folders down (hw3/alice/)" in layout.problem
    assert "expected the workspace's files" in layout.problem


def test_side_by_side_is_explained(tmp_path: Path, small_bank: Bank) -> None:
    upload = tmp_path / "upload"
    _workspace(upload / "alice")
    _workspace(upload / "bob", "answers.toml")
    layout = locate(upload, small_bank)
    assert layout.workspace is None
    assert "found 2 workspaces side by side (alice/, bob/)" in layout.problem


def test_nothing_recognisable(tmp_path: Path, small_bank: Bank) -> None:
    upload = tmp_path / "upload"
    (upload / "notes").mkdir(parents=True)
    (upload / "report.pdf").write_bytes(b"%PDF")
    assert locate(upload, small_bank).workspace == upload  # the grade path: all missing
    problem = locate(upload, small_bank, empty_ok=False).problem
    assert "the upload holds notes/, report.pdf" in problem


def test_symlinks_are_not_followed(tmp_path: Path, small_bank: Bank) -> None:
    elsewhere = _workspace(tmp_path / "elsewhere")
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "link").symlink_to(elsewhere, target_is_directory=True)
    assert locate(upload, small_bank, empty_ok=False).workspace is None


@pytest.mark.parametrize("depth", [4, 6])
def test_search_depth_is_bounded(tmp_path: Path, small_bank: Bank, depth: int) -> None:
    upload = tmp_path / "upload"
    _workspace(upload.joinpath(*[f"d{i}" for i in range(depth)]))
    assert "found no modl.toml" in locate(upload, small_bank, empty_ok=False).problem
