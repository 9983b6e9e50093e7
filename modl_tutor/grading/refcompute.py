"""The reference process: a trusted child of the judge server that computes missing references
with torch and stores them, so that the judge server (and every worker it forks) stays torch-free.

It never sees student code. Requests are JSON lines on stdin, `{"id": ..., "checks_path": ...,
"exercise_id": ..., "seed": ..., "fresh": false}`; for each, it builds that exercise's checks,
computes every reference and known-mistake value missing from the reference store (one torch
thread), stores them (`ReferenceStore.save`, atomic) and answers one JSON line on stdout,
`{"id": ..., "done": true, "left": <checks still unresolved>}` or `{"id": ..., "error": ...}`.
It exits when its stdin closes, and is killed when the judge server exits (PDEATHSIG).
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("modl")

ANSWER_TIMEOUT = 180.0
"""Seconds one request may take (torch's import included) before the process is given up:
only against a hung process; the job is then graded by its worker, never lost."""
MAX_FAILURES = 3
"""After this many failures of the reference process the judge stops restarting it (its
workers compute what is missing, as a fallback)."""


def _compute(message: dict[str, Any]) -> dict[str, Any]:
    from modl_tutor.grading.code_grade import prepare

    prepared = prepare(Path(str(message["checks_path"])), str(message["exercise_id"]),
                       str(message.get("seed", "")), fresh=bool(message.get("fresh")))
    if prepared.store is None:
        return {"error": "the reference store is turned off or cannot be keyed"}
    return {"done": True, "left": len(prepared.missing())}


def main() -> None:
    """Serve requests until stdin closes (argv[1]: the judge server's pid)."""
    from modl_tutor.grading.sandbox.namespaces import die_with_parent

    die_with_parent()
    if len(sys.argv) > 1 and os.getppid() != int(sys.argv[1]):
        os._exit(0)  # the judge server exited before PDEATHSIG was armed
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # a stray print of a checks.py goes to stderr, never into the protocol
    import torch

    torch.set_num_threads(1)
    for line in sys.stdin:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if not isinstance(message, dict):
            continue
        try:
            answer = _compute(message)
        except Exception as err:  # noqa: BLE001 - answer every request; the judge falls back
            import traceback

            traceback.print_exc()  # to the judge's stderr, shown by the client with --debug
            answer = {"error": f"{type(err).__name__}: {err}"[:300]}
        answer["id"] = message.get("id")
        out.write(json.dumps(answer) + "\n")
        out.flush()
    os._exit(0)


class ReferenceProcess:
    """The judge server's handle on its reference process: started on the first request,
    restarted after a failure (at most `MAX_FAILURES` times), stopped with `close`."""

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or [sys.executable, "-m", "modl_tutor.grading.refcompute",
                                   str(os.getpid())]
        self.proc: subprocess.Popen[bytes] | None = None
        self.failures = 0
        self.requests = 0
        self._pending = b""
        self.pending: dict[str, float] = {}
        """Requests sent by `submit` and not answered yet, with when they were sent."""
        self.answers: dict[str, bool] = {}
        self.failed_requests: list[tuple[str, bool]] = []

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def compute(self, checks_path: str, exercise_id: str, seed: str,
                fresh: bool = False) -> bool:
        """Have this exercise's missing references computed and stored; True when the
        process says it did. False (logged) when it failed: the caller falls back."""
        if self.failures >= MAX_FAILURES:
            return False
        try:
            proc, request_id = self._send(checks_path, exercise_id, seed, fresh)
            answer = self._answer(proc, ANSWER_TIMEOUT)
        except (OSError, ValueError, TypeError) as err:
            self.failures += 1
            log.warning("reference process failed (%s): the worker computes %s's references",
                        err, exercise_id)
            self.close()
            return False
        if answer.get("id") != request_id:
            self.failures += 1
            log.warning("reference process answered out of turn: restarting it")
            self.close()
            return False
        if "error" in answer:
            log.warning("reference process: %s: %s", exercise_id, answer["error"])
            return False
        return True

    # -- in a worker's place (one process: the answer is known at once) ----------------------
    def ask(self, checks_path: str, exercise_id: str, seed: str) -> str:
        """`compute` now; the token `answer` takes (what a worker's `ServerReferences` asks
        of its server without waiting, this process does in place)."""
        self.answers[exercise_id + "\0" + seed] = self.compute(checks_path, exercise_id, seed)
        return exercise_id + "\0" + seed

    def answered(self, token: str) -> bool:
        return token in self.answers

    def answer(self, token: str) -> bool:
        return self.answers.pop(token, False)

    # -- for the judge server: requests sent without waiting, answers read when they come ----
    def submit(self, checks_path: str, exercise_id: str, seed: str) -> str | None:
        """Send one request; its id, or None when the process is given up or cannot be
        written to (the caller falls back). Answers come from `take_answers`."""
        if self.failures >= MAX_FAILURES:
            return None
        try:
            _proc, request_id = self._send(checks_path, exercise_id, seed, False)
        except OSError as err:
            self.pending[str(self.requests)] = time.monotonic()
            self.failed_requests = self._fail_pending(f"cannot be written to ({err})")
            return None
        self.pending[request_id] = time.monotonic()
        return request_id

    def _send(self, checks_path: str, exercise_id: str, seed: str,
              fresh: bool) -> tuple[subprocess.Popen[bytes], str]:
        """Write one request (starting the process if needed); the process and the id."""
        self.requests += 1
        request_id = str(self.requests)
        line = json.dumps({"id": request_id, "checks_path": checks_path,
                           "exercise_id": exercise_id, "seed": seed, "fresh": fresh})
        proc = self._started()
        assert proc.stdin is not None
        proc.stdin.write(line.encode() + b"\n")
        proc.stdin.flush()
        return proc, request_id

    def fileno(self) -> int | None:
        """Its stdout, to wait on (None when it is not running)."""
        if self.proc is None or self.proc.stdout is None:
            return None
        return self.proc.stdout.fileno()

    def take_answers(self) -> list[tuple[str, bool]]:
        """(request id, stored?) of each answer readable now (call when `fileno` is
        readable); when the process failed, every pending request, answered False."""
        proc = self.proc
        if proc is None or proc.stdout is None:
            return self._fail_pending("it is not running")
        try:
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            code = proc.poll()
            return self._fail_pending(f"it exited ({'running' if code is None else code})")
        self._pending += chunk
        answers: list[tuple[str, bool]] = []
        while b"\n" in self._pending:
            line, self._pending = self._pending.split(b"\n", 1)
            try:
                answer = json.loads(line)
            except ValueError:
                answer = None
            if not isinstance(answer, dict) or str(answer.get("id")) not in self.pending:
                return answers + self._fail_pending("it answered garbage or out of turn")
            request_id = str(answer["id"])
            del self.pending[request_id]
            if "error" in answer:
                log.warning("reference process: %s", str(answer["error"])[:300])
            answers.append((request_id, "error" not in answer))
        return answers

    def overdue(self) -> list[tuple[str, bool]]:
        """Every pending request, answered False, once the oldest waited ANSWER_TIMEOUT."""
        if self.pending and min(self.pending.values()) + ANSWER_TIMEOUT < time.monotonic():
            return self._fail_pending(f"no answer within {ANSWER_TIMEOUT:.0f} s")
        return []

    def _fail_pending(self, why: str) -> list[tuple[str, bool]]:
        self.failures += 1
        log.warning("reference process failed (%s): the workers compute the references", why)
        failed = [(request_id, False) for request_id in self.pending]
        self.pending.clear()
        self.close()
        return failed

    def _started(self) -> subprocess.Popen[bytes]:
        if self.proc is None:
            self._pending = b""
            self.proc = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, close_fds=True)
        return self.proc

    def _answer(self, proc: subprocess.Popen[bytes], timeout: float) -> dict[str, Any]:
        """The next answer line (OSError when the process ended or hung; ValueError or
        TypeError when it is not a JSON object)."""
        stdout: IO[bytes] | None = proc.stdout
        assert stdout is not None
        fd = stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise OSError(f"no answer within {timeout:.0f} s")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                code = proc.poll()
                raise OSError(f"it exited ({'running' if code is None else code})")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        answer = json.loads(line)
        if not isinstance(answer, dict):
            raise TypeError("not a JSON object")
        return answer

    def close(self) -> None:
        """Kill the process (it holds nothing that needs a clean exit: stores are atomic)
        and reap it."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.kill()
        except OSError:
            pass
        proc.wait()


if __name__ == "__main__":
    main()
