"""`modl watch`: re-grade code exercises on save, rustlings-style, with single-key commands."""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from rich.console import Console

from modl_tutor.bank.loader import Bank
from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError
from modl_tutor.result import ExerciseResult
from modl_tutor.tutor import Tutor
from modl_tutor.workspace.workspace import Workspace

KEYS_HELP = "h hint · n next · l list · q quit"


class WatchSession:
    """What `modl watch` shows: the current exercise, its last result, the key commands.

    Grading, recording, hints and status all go through the tutor service."""

    def __init__(self, workspace: Workspace, bank: Bank, grader: Any, console: Console, *,
                 clear: bool = False, tutor: Tutor | None = None) -> None:
        self.tutor = tutor or Tutor(workspace, bank)
        if grader is not None:
            self.tutor.use_grader(grader)
        self.workspace = workspace
        self.console = console
        self.clear = clear
        self.exercises = [e for e in self.tutor.bank if e.is_code]
        if not self.exercises:
            raise ModlError("the bank has no code exercises to watch")
        self.by_path = {workspace.code_path(e).resolve(): e for e in self.exercises}
        self.running = True
        self.results: dict[str, ExerciseResult] = {}
        self.current = self._starting_exercise()

    def _starting_exercise(self) -> Exercise:
        last = self.tutor.last_exercise()
        if last is not None and last.is_code:
            return last
        return self.tutor.next_pending(self.exercises[-1], self.exercises) or self.exercises[0]

    # -- grading --------------------------------------------------------------------------
    def grade(self, exercise: Exercise) -> ExerciseResult:
        """Grade one exercise through the warm grader (recorded by the tutor) and show it."""
        self.current = exercise
        self.tutor.opened(exercise)
        result = self.tutor.grade(exercise)
        self.results[exercise.id] = result
        self.show(result)
        return result

    def on_changes(self, paths: Iterable[str | Path]) -> list[ExerciseResult]:
        """Grade every exercise whose file is among `paths` (the last becomes current)."""
        changed = {Path(p).resolve() for p in paths}
        hits = [self.by_path[p] for p in sorted(changed & set(self.by_path))]
        return [self.grade(exercise) for exercise in hits]

    def show(self, result: ExerciseResult) -> None:
        from modl_tutor.reports.terminal import print_exercise

        if self.clear:
            self.console.clear()
        print_exercise(result, self.console)
        if result.full_marks:
            self.console.print("[green]Done![/green] Press [bold]n[/bold] for the next exercise.")
        self._footer()

    def _footer(self) -> None:
        path = self.workspace.code_path(self.current).absolute()
        self.console.print(f"[dim]{self.current.id} — save {path} to grade it · "
                           f"{KEYS_HELP}[/dim]", highlight=False)

    # -- keys -----------------------------------------------------------------------------
    def on_key(self, key: str) -> None:
        """Handle one key press."""
        key = key.lower()
        if key == "q":
            self.running = False
        elif key == "h":
            self.hint()
        elif key == "n":
            self.next()
        elif key == "l":
            self.list()
        elif key.strip():
            self.console.print(f"[dim]keys: {KEYS_HELP}[/dim]")

    def hint(self) -> None:
        hints = self.current.hints
        if not hints:
            self.console.print(f"{self.current.id} has no hints.")
            return
        shown = self.tutor.reveal_hint(self.current)
        for number in range(1, shown + 1):
            self.console.print(f"[bold]Hint {number}/{len(hints)}:[/bold] {hints[number - 1]}",
                               highlight=False)
        if shown == len(hints):
            self.console.print("[dim]That was the last hint.[/dim]")

    def next(self) -> None:
        target = self.tutor.next_pending(self.current, self.exercises)
        if target is None:
            self.console.print("[green]Every code exercise has full marks.[/green]")
            return
        if target is self.current:
            self.console.print("[dim]This is the only exercise left.[/dim]")
        self.console.print(f"[bold]Next: {target.id}[/bold] — {target.title}")
        self.grade(target)

    def list(self) -> None:
        statuses = self.tutor.statuses(self.exercises)
        for exercise in self.exercises:
            status = statuses[exercise.id]
            mark = status.mark[0] if status.state != "new" else " "
            pointer = "▶" if exercise is self.current else " "
            label = f"  [dim]({status.label})[/dim]" if status.state not in (
                "new", "done", "attempted") or status.gave_up else ""
            self.console.print(f"{pointer} {mark} {exercise.id:<36} {exercise.title}{label}",
                               highlight=False)
        self._footer()


class KeyReader:
    """Reads single keys from a terminal (cbreak mode) or lines from a pipe, in a thread."""

    def __init__(self, stream: IO[str] | None, keys: queue.Queue[str],
                 on_quit: threading.Event) -> None:
        self.stream = stream
        self.keys = keys
        self.on_quit = on_quit
        self._saved: Any = None
        self.is_tty = False
        try:
            self.fd = stream.fileno() if stream is not None else -1
            self.is_tty = self.fd >= 0 and os.isatty(self.fd)
        except (AttributeError, OSError, ValueError):
            self.fd = -1

    def start(self) -> None:
        if self.stream is None:
            return
        if self.is_tty:
            import termios
            import tty

            try:
                self._saved = termios.tcgetattr(self.fd)
                tty.setcbreak(self.fd)
            except termios.error:
                self._saved = None
        threading.Thread(target=self._loop, daemon=True, name="modl-watch-keys").start()

    def _put(self, key: str) -> None:
        self.keys.put(key)
        if key.lower() == "q":
            self.on_quit.set()

    def _loop(self) -> None:
        try:
            if self.is_tty:
                while not self.on_quit.is_set():
                    data = os.read(self.fd, 1)
                    if not data:
                        return
                    self._put(data.decode("utf-8", "replace"))
            else:
                assert self.stream is not None
                for line in self.stream:
                    for key in line.strip()[:1]:
                        self._put(key)
        except (OSError, ValueError):
            return

    def stop(self) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None


def run_watch(workspace: Workspace | None = None, bank: Bank | None = None, *,
              console: Console | None = None, stdin: IO[str] | None = None, grader: Any = None,
              stop: threading.Event | None = None, tutor: Tutor | None = None) -> None:
    """Watch the workspace's code files; grade on save; h/n/l/q keys.

    Ctrl+C stops watching, closes the grader and the terminal mode, then re-raises
    KeyboardInterrupt so that the command exits with status 130."""
    import watchfiles

    if tutor is None:
        assert workspace is not None and bank is not None
        tutor = Tutor(workspace, bank)
    console = console or Console()
    stop = stop or threading.Event()
    keys: queue.Queue[str] = queue.Queue()
    reader = KeyReader(sys.stdin if stdin is None else stdin, keys, stop)
    try:
        session = WatchSession(tutor.workspace, tutor.bank, grader, console, tutor=tutor,
                               clear=reader.is_tty and console.is_terminal)
        tutor.grader()  # start (or reuse) the grader once; every re-grade reuses it
        console.print(f"[bold]Watching {tutor.workspace.root.absolute()}[/bold] — save a file "
                      "to grade it.", highlight=False)
        if not reader.is_tty:
            console.print("[dim](stdin is not a terminal: type a key and Enter, or Ctrl+C to "
                          "stop)[/dim]")
        reader.start()
        session.grade(session.current)
        for changes in watchfiles.watch(tutor.workspace.root, debounce=200, rust_timeout=200,
                                        yield_on_timeout=True, stop_event=stop,
                                        raise_interrupt=True):
            while not keys.empty():
                session.on_key(keys.get_nowait())
            if not session.running:
                break
            if changes:
                session.on_changes(path for _, path in changes)
        while not keys.empty() and session.running:
            session.on_key(keys.get_nowait())
    except KeyboardInterrupt:
        console.print("Stopped watching.")
        raise
    finally:
        reader.stop()
        if grader is None:
            tutor.close()
    console.print("Stopped watching.")
