"""The code half of the exercise screen: grade on demand, re-grade on save, edit in $EDITOR."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import SuspendNotSupported
from textual.worker import get_current_worker

from modl_tutor.errors import ModlError
from modl_tutor.log import log_exception
from modl_tutor.tui.widgets.code_panel import CodePanel
from modl_tutor.tui.widgets.result_panel import ResultPanel

if TYPE_CHECKING:
    from modl_tutor.bank.models import Exercise
    from modl_tutor.tui.app import ModlApp

WATCHING = "Watching the file: every save is graded."


class CodeActions:
    """Mixin of ExerciseScreen for code exercises (every grade goes through the tutor)."""

    exercise: Exercise
    modl: ModlApp
    _stop_watch: asyncio.Event | None
    _graded_mtime: int | None

    @property
    def code_path(self) -> Path:
        return self.modl.tutor.workspace.code_path(self.exercise)

    def _mtime(self) -> int | None:
        try:
            return self.code_path.stat().st_mtime_ns
        except OSError:
            return None

    def action_grade(self) -> None:
        if not self.exercise.is_code:
            self.action_submit()
            return
        first = not self.modl.tutor.grader_started
        self.query_one(ResultPanel).show_note(
            "Grading… (starting the grader, the first time takes a few seconds)" if first
            else "Grading…")
        self.scroll_to_result()
        self._graded_mtime = self._mtime()
        self.grade_code()

    @work(thread=True, exclusive=True, group="grade")
    def grade_code(self) -> None:
        try:
            result = self.modl.tutor.grade(self.exercise)
        except ModlError as err:
            self.app.call_from_thread(self.query_one(ResultPanel).show_note, str(err),
                                      error=True)
            return
        except Exception as err:  # noqa: BLE001 - logged; a grader bug is shown, not a crash
            log_exception(f"grading {self.exercise.id} failed")
            self.app.call_from_thread(self.query_one(ResultPanel).show_note,
                                      f"grading failed ({type(err).__name__}: {err}); run "
                                      "`modl --debug check` for details", error=True)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_code_result, result)

    def show_code_result(self, result: Any) -> None:
        self.query_one(ResultPanel).show_code(result)
        self.query_one(CodePanel).set_state(WATCHING)
        self.after_result()

    @work(exclusive=True, group="watch")
    async def watch_file(self) -> None:
        """Re-grade whenever the student's file is saved (rustlings' watch mode)."""
        from watchfiles import awatch

        path = self.code_path.resolve()
        folder = path.parent if path.parent.is_dir() else self.modl.tutor.workspace.root
        self._stop_watch = asyncio.Event()
        panel = self.query_one(CodePanel)
        panel.set_state(WATCHING)

        def only_this(_change: object, changed: str) -> bool:
            return Path(changed).resolve() == path

        try:
            async for _changes in awatch(folder, watch_filter=only_this, debounce=300,
                                         stop_event=self._stop_watch, recursive=False):
                if self._mtime() != self._graded_mtime and path.exists():
                    panel.set_state("Saved: grading your file…")
                    self.action_grade()
        except Exception as err:  # noqa: BLE001 - logged; not watching is not fatal: r grades
            log_exception(f"watching {path} failed")
            panel.set_state(f"Cannot watch the file ({err}); press r after saving.")

    def action_edit(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        before = self._mtime()
        try:
            with self.app.suspend():
                subprocess.call([*shlex.split(editor), str(self.code_path)])
        except (OSError, ValueError, SuspendNotSupported) as err:  # no terminal, no editor
            self.notify(f"Cannot open an editor here ({err}); edit {self.code_path} yourself: "
                        "saving it grades it.", severity="warning", timeout=8)
            return
        self.refresh()
        if self._mtime() != before:
            self.action_grade()
