"""Find the workspace in an upload and explain a wrong layout (nested too deep, several side by side)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from modl_tutor.bank.models import Exercise

logger = logging.getLogger("modl")

MARKERS = ("modl.toml", "answers.toml")
MAX_DEPTH = 3
MAX_FOLDERS = 2000
_IGNORED = ("__MACOSX", "__pycache__", "node_modules")
EXPECTED = ("expected the workspace's files (modl.toml, answers.toml, <topic>/<slug>.py) at the "
            "top of the upload, or in one folder at the top")
LAYOUT_ERROR = 3
"""Exit status of `python -m modl_tutor.batch.layout` when results.json explains the layout."""


@dataclass(frozen=True)
class Layout:
    """Where the workspace is (None when the layout is wrong) and what is wrong, if anything."""

    workspace: Path | None
    problem: str = ""


def is_workspace(folder: Path, code_files: Iterable[str] = ()) -> bool:
    """A folder holding modl.toml, answers.toml or a code exercise's `<topic>/<slug>.py`."""
    try:
        if any((folder / name).is_file() for name in MARKERS):
            return True
        return any((folder / rel).is_file() for rel in code_files)
    except OSError:
        return False


def _folders(root: Path) -> list[tuple[int, Path]]:
    """Sub-folders to MAX_DEPTH (breadth first, no symlinks or hidden folders), bounded."""
    found: list[tuple[int, Path]] = []
    level = [root]
    for depth in range(1, MAX_DEPTH + 1):
        nxt = []
        for folder in level:
            try:
                children = sorted(folder.iterdir())
            except OSError:
                continue
            for child in children:
                if child.name.startswith(".") or child.name in _IGNORED or child.is_symlink() \
                        or not child.is_dir():
                    continue
                found.append((depth, child))
                nxt.append(child)
                if len(found) >= MAX_FOLDERS:
                    return found
        level = nxt
    return found


def _listing(root: Path, limit: int = 8) -> str:
    try:
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in root.iterdir())
    except OSError:
        return "nothing readable"
    if not names:
        return "nothing (an empty upload)"
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit
                                       else "")


def locate(upload: Path, exercises: Iterable[Exercise] = (), *, one_down_ok: bool = True,
           empty_ok: bool = True) -> Layout:
    """The workspace inside `upload`, or the reason there is none to grade.

    A workspace one folder down is accepted when `one_down_ok` (a zipped folder); deeper, or
    several side by side, is a layout problem. An upload with no workspace file at all is one
    too unless `empty_ok` (then it grades as "nothing answered").
    """
    code_files = [e.workspace_file for e in exercises if e.is_code]
    if is_workspace(upload, code_files):
        return Layout(upload)
    workspaces: list[tuple[int, Path]] = []
    for depth, folder in _folders(upload):
        if any(folder.is_relative_to(w) for _, w in workspaces):
            continue
        if is_workspace(folder, code_files):
            workspaces.append((depth, folder))
    shown = [f"{w.relative_to(upload).as_posix()}/" for _, w in workspaces]
    if len(workspaces) > 1:
        listed = ", ".join(shown[:5]) + (" …" if len(shown) > 5 else "")
        return Layout(None, f"found {len(workspaces)} workspaces side by side ({listed}); "
                            f"upload exactly one: {EXPECTED}")
    if len(workspaces) == 1:
        depth, folder = workspaces[0]
        if depth == 1 and one_down_ok:
            return Layout(folder)
        where = "one folder" if depth == 1 else f"{depth} folders"
        return Layout(None, f"found the workspace {where} down ({shown[0]}); {EXPECTED}")
    if empty_ok:
        return Layout(upload)
    return Layout(None, f"found no modl.toml, answers.toml or <topic>/<slug>.py; the upload "
                        f"holds {_listing(upload)}; {EXPECTED}")


def _write_layout_error(upload: Path, results: Path, problem: str, roster: str | None) -> None:
    from modl_tutor.atomic import write_text_atomic
    from modl_tutor.bank.loader import default_bank
    from modl_tutor.batch.runner import error_row
    from modl_tutor.reports.gradescope import gradescope_report
    from modl_tutor.reports.identity import identify, load_roster

    row = error_row(upload, list(default_bank(cached=False)), f"wrong upload layout: {problem}")
    named, _ = identify([row], load_roster(roster) if roster else None)
    write_text_atomic(results, gradescope_report(named[0]) + "\n")


def main(argv: list[str] | None = None) -> int:
    """`python -m modl_tutor.batch.layout UPLOAD RESULTS [--roster META]` (for run_autograder).

    Prints the workspace folder and exits 0; or writes RESULTS explaining the layout and
    exits 3.
    """
    parser = argparse.ArgumentParser(prog="python -m modl_tutor.batch.layout")
    parser.add_argument("upload", type=Path)
    parser.add_argument("results", type=Path)
    parser.add_argument("--roster")
    args = parser.parse_args(argv)
    from modl_tutor.bank.loader import default_bank

    layout = locate(args.upload, list(default_bank(cached=False)), one_down_ok=True, empty_ok=False)
    if layout.workspace is not None:
        print(layout.workspace)
        return 0
    _write_layout_error(args.upload, args.results, layout.problem, args.roster)
    print(f"modl: {layout.problem}", file=sys.stderr)
    return LAYOUT_ERROR


if __name__ == "__main__":
    sys.exit(main())
