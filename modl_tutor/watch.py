"""`modl watch`: re-grade a code exercise each time its file is saved (rustlings-style)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from modl_tutor.bank.loader import Bank
from modl_tutor.grading.client import CodeGrader
from modl_tutor.grading.core import grade_code_exercise
from modl_tutor.reports.terminal import print_exercise
from modl_tutor.workspace.workspace import Workspace


def run_watch(workspace: Workspace, bank: Bank) -> None:
    """Watch the workspace's code files; grade the one that changed; Ctrl+C stops."""
    import watchfiles

    console = Console()
    by_path = {workspace.code_path(e).resolve(): e for e in bank if e.is_code}
    console.print(f"[bold]Watching {workspace.root}[/bold] — save a file to grade it; "
                  "Ctrl+C to stop.")
    with CodeGrader(jobs=1) as grader:
        grader.start()
        try:
            for changes in watchfiles.watch(workspace.root, debounce=300, raise_interrupt=False):
                changed = {Path(p).resolve() for _, p in changes}
                for path in sorted(changed & set(by_path)):
                    exercise = by_path[path]
                    console.rule(exercise.id)
                    result = grade_code_exercise(exercise, workspace, grader).visible()
                    print_exercise(result, console)
        except KeyboardInterrupt:
            pass
    click.echo("Stopped watching.")
