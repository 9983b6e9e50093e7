"""Client of the zygote: start it once per grading run, send code-grading jobs, collect results."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError

STARTUP_TIMEOUT = 120.0


class GraderUnavailable(ModlError):
    """The zygote could not be started or died."""


def code_request(exercise: Exercise, student_file: str, seed: str = "") -> dict[str, Any]:
    """The plain-data job description of grading one code exercise of one submission."""
    assert exercise.code is not None
    return {"exercise_id": exercise.id, "points": exercise.points,
            "checks_path": str(Path(exercise.checks_path).absolute()),
            "student_file": str(Path(student_file).absolute()),
            "function": exercise.code.function, "forbidden": list(exercise.code.forbidden),
            "timeout": exercise.code.timeout, "memory_mb": exercise.code.memory_mb,
            "seed": seed}


class CodeGrader:
    """A pre-loaded grading server (torch imported once); thread-safe submission of jobs."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._waiters: dict[str, queue.Queue[dict[str, Any]]] = {}
        self._counter = 0
        self._stderr = tempfile.TemporaryFile()
        self._reader: threading.Thread | None = None
        self.capabilities: dict[str, Any] = {}
        """What the sandbox enforces (see `sandbox.sandbox_capabilities`), known after start."""

    def __enter__(self) -> CodeGrader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        with self._lock:
            if self._proc is not None:
                return
            env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                       PYTHONDONTWRITEBYTECODE="1")
            if env.get("PYTHONPATH"):  # the server runs in "/": keep relative entries working
                env["PYTHONPATH"] = os.pathsep.join(
                    os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep) if p)
            if env.get("MODL_BANK"):
                env["MODL_BANK"] = os.path.abspath(os.path.expanduser(env["MODL_BANK"]))
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "modl_tutor.grading.zygote", str(self.jobs)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
                start_new_session=True, cwd="/")  # no folder of the user's on its sys.path
            assert self._proc.stdout is not None
            line = self._proc.stdout.readline()
            try:
                ready = json.loads(line)
            except ValueError:
                ready = {}
            if ready.get("event") != "ready":
                raise GraderUnavailable(f"the grading server did not start: {self._stderr_tail()}")
            self.capabilities = dict(ready.get("capabilities") or {})
            self._reader = threading.Thread(target=self._read_loop, daemon=True)
            self._reader.start()

    def _stderr_tail(self) -> str:
        try:
            self._stderr.seek(0)
            lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1] if lines else "(no message)"

    def _read_loop(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            waiter = self._waiters.pop(str(message.get("id")), None)
            if waiter is not None:
                waiter.put(message.get("result") or {})
        failure = {"status": "error", "score": 0, "checks": [],
                   "message": f"the grading server stopped: {self._stderr_tail()}"}
        for key in list(self._waiters):
            waiter = self._waiters.pop(key, None)
            if waiter is not None:
                waiter.put(failure)

    def submit(self, request: dict[str, Any]) -> queue.Queue[dict[str, Any]]:
        """Queue one job; the returned queue receives its result dict."""
        self.start()
        assert self._proc is not None and self._proc.stdin is not None
        box: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=1)
        with self._lock:
            self._counter += 1
            job_id = str(self._counter)
            self._waiters[job_id] = box
            payload = json.dumps({**request, "id": job_id}).encode() + b"\n"
            try:
                self._proc.stdin.write(payload)
                self._proc.stdin.flush()
            except (BrokenPipeError, OSError):
                self._waiters.pop(job_id, None)
                box.put({"status": "error", "score": 0, "checks": [],
                         "message": f"the grading server stopped: {self._stderr_tail()}"})
        return box

    def grade(self, request: dict[str, Any]) -> dict[str, Any]:
        """Grade one job and wait for its result."""
        return self.submit(request).get()

    def sync(self) -> None:
        """Wait until every job sent so far is done and all its processes are reaped."""
        if self._proc is None:
            return
        self.submit({"op": "sync"}).get()

    def grade_many(self, requests: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Grade many jobs concurrently (the zygote runs `jobs` at a time); results in order."""
        boxes = [self.submit(r) for r in requests]
        for box in boxes:
            yield box.get()

    def close(self) -> None:
        proc = self._proc
        if proc is None:
            return
        self._proc = None
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=30)
        except (subprocess.TimeoutExpired, OSError):
            proc.kill()
            proc.wait()
        self._stderr.close()
