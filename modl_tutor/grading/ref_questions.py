"""The judge server's side of its workers' questions to the reference process: each exercise
and seed is sent once, without waiting; every worker that asked is answered when the process
answers (or fails: then False, and the worker computes the references itself). Once a miss
shows the store is cold (or the store is empty), queued jobs are asked for ahead of their
workers."""

from __future__ import annotations

import selectors
from collections import deque
from collections.abc import Callable
from typing import Any

MAX_AHEAD = 32
"""Requests in flight to the reference process at most: its pipes never fill, however large
the class."""


def question_key(checks_path: str, exercise_id: str, seed: str) -> str:
    return f"{checks_path}\0{exercise_id}\0{seed}"


class Questions:
    """See the module docstring. `asked` holds the answers (key -> stored?), `references`
    starts or returns the reference process, `running` returns it only when it exists."""

    def __init__(self, selector: selectors.BaseSelector, asked: dict[str, bool],
                 references: Callable[[], Any], running: Callable[[], Any], *,
                 empty_store: bool = False) -> None:
        self.selector = selector
        self.asked = asked
        self.references = references
        self.running = running
        self.sent: dict[str, str] = {}  # request id -> key
        self.waiters: dict[str, list[tuple[Any, str]]] = {}  # key -> (worker, token)
        self.upcoming: deque[tuple[str, str, str]] = deque()
        self.cold = False  # a reference was missing: ask for the queued jobs' too
        self.empty_store = empty_store  # nothing stored yet: every first job will miss
        self.watched: int | None = None


    def ask(self, worker: Any, need: Any) -> None:
        """A worker's question; answered now when known, else when the process answers."""
        if not isinstance(need, dict):
            return
        checks_path, exercise_id, seed, token = (str(need.get(k, "")) for k in
                                                 ("checks_path", "exercise_id", "seed", "token"))
        key = question_key(checks_path, exercise_id, seed)
        if key in self.asked:
            worker.send({"references": self.asked[key], "token": token})
            return
        self.cold = True
        if key not in self.waiters and not self._submit(checks_path, exercise_id, seed):
            worker.send({"references": False, "token": token})
            return
        self.waiters[key].append((worker, token))
        self.pump()

    def ahead(self, request: dict[str, Any]) -> None:
        """A job the server queued: once the store is cold, its references are asked for
        before its worker needs them (never for `modl verify` or an untrusted store)."""
        if request.get("fresh_references") or request.get("reference_store", True) is False \
                or request.get("source") is None or not request.get("checks_path"):
            return
        self.upcoming.append((str(request["checks_path"]), str(request.get("exercise_id", "")),
                              str(request.get("seed", ""))))
        if self.empty_store:  # a fresh machine, a Gradescope container: no need to wait for
            self.cold = True  # a miss; torch's import overlaps the first sandboxed runs
        self.pump()

    def pump(self) -> None:
        while self.cold and self.upcoming and len(self.sent) < MAX_AHEAD:
            checks_path, exercise_id, seed = self.upcoming.popleft()
            key = question_key(checks_path, exercise_id, seed)
            if key not in self.asked and key not in self.waiters:
                if not self._submit(checks_path, exercise_id, seed):
                    return

    def _submit(self, checks_path: str, exercise_id: str, seed: str) -> bool:
        """Send one key; False (and answered False) when the process is given up."""
        key = question_key(checks_path, exercise_id, seed)
        references = self.references()
        request_id = references.submit(checks_path, exercise_id, seed)
        failed, references.failed_requests = references.failed_requests, []
        self.waiters[key] = []
        self._deliver(failed)  # earlier requests a failed write took down with it
        if request_id is None:
            self.asked[key] = False
            self.waiters.pop(key, None)
            return False
        self.sent[request_id] = key
        self.watch()
        return True

    def answer(self, answers: list[tuple[str, bool]]) -> None:
        """The process's answers (request id, stored?): every worker waiting is told, and
        more queued jobs are asked for."""
        self._deliver(answers)
        self.watch()
        self.pump()

    def _deliver(self, answers: list[tuple[str, bool]]) -> None:
        for request_id, stored in answers:
            key = self.sent.pop(request_id, None)
            if key is None:
                continue
            self.asked[key] = stored
            for worker, token in self.waiters.pop(key, []):
                worker.send({"references": stored, "token": token})  # a dead one: ignored

    def readable(self) -> None:
        """The process's output is readable: its answers (or its end)."""
        process = self.running()
        if process is not None:
            self.answer(process.take_answers())

    def poll(self) -> None:
        """Give up a process that has not answered in time (its questions answered False)."""
        process = self.running()
        if self.sent and process is not None:
            self.answer(process.overdue())

    def watch(self) -> None:
        """Wait on the reference process's output while it runs (it changes on a restart)."""
        process = self.running()
        fd = process.fileno() if process is not None else None
        if fd == self.watched:
            return
        if self.watched is not None:
            self.selector.unregister(self.watched)
        if fd is not None:
            self.selector.register(fd, selectors.EVENT_READ, self)
        self.watched = fd
