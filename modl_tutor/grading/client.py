"""The grading client: starts the judge server and the student runner once per grading run
(two fresh processes, siblings: the runner never descends from anything that held a secret),
connects them with a control socket, sends code-grading jobs and collects results."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import socket
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


def code_request(exercise: Exercise, student_file: str | Path, seed: str = "", *,
                 root: str | Path | None = None) -> dict[str, Any]:
    """The plain-data job description of grading one code exercise of one submission.

    The submission's file is read here, defensively (no symlinks, regular files only, a size
    cap): the grader never opens a path a submission chose. `root` is the submission folder
    (default: two levels above the file, as in `<workspace>/<topic>/<slug>.py`)."""
    from modl_tutor.workspace.safe_read import CODE_LIMIT, SubmissionFileError, read_submission_file

    assert exercise.code is not None
    path = Path(student_file)
    base = Path(root) if root is not None else path.parent.parent
    relative = path.relative_to(base) if path.is_absolute() == base.is_absolute() and \
        str(path).startswith(str(base)) else Path(exercise.workspace_file)
    request: dict[str, Any] = {
        "exercise_id": exercise.id, "points": exercise.points,
        "checks_path": str(Path(exercise.checks_path).absolute()),
        "filename": relative.as_posix(), "function": exercise.code.function,
        "forbidden": list(exercise.code.forbidden), "timeout": exercise.code.timeout,
        "memory_mb": exercise.code.memory_mb, "seed": seed, "source": None}
    try:
        data = read_submission_file(base, relative.as_posix(), CODE_LIMIT)
        request["source"] = data.decode("utf-8")
        request["digest"] = hashlib.sha256(data).hexdigest()
    except SubmissionFileError as err:
        request.update(source_status=err.status, source_error=str(err))
    except UnicodeDecodeError as err:
        request.update(source_status="error",
                       source_error=f"{relative.as_posix()}: not UTF-8 text ({err.reason} at "
                                    f"byte {err.start})")
    return request


def _environment() -> dict[str, str]:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
    if env.get("PYTHONPATH"):  # the server runs in "/": keep relative entries working
        env["PYTHONPATH"] = os.pathsep.join(
            os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep) if p)
    if env.get("MODL_BANK"):
        env["MODL_BANK"] = os.path.abspath(os.path.expanduser(env["MODL_BANK"]))
    return env


_RUNNER_ENV = ("PATH", "LANG", "LC_ALL", "MODL_SANDBOX", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def _runner_environment() -> dict[str, str]:
    """The student runner inherits almost nothing: no paths to the bank, no home."""
    env = {k: os.environ[k] for k in _RUNNER_ENV if k in os.environ}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1", HOME="/nonexistent")
    return env


_PROBED: dict[str, Any] | None = None


def probe_capabilities() -> dict[str, Any]:
    """What the student runner can enforce on this machine (starts one briefly; cached)."""
    global _PROBED
    if _PROBED is None:
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-m", "modl_tutor.grading.sandbox.runner",
                 str(b.fileno())], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=_runner_environment(), pass_fds=(b.fileno(),),
                start_new_session=True, cwd="/")
        finally:
            b.close()
        try:
            ready = _ready_line(proc)
        finally:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait()
            a.close()
        _PROBED = dict(ready.get("capabilities") or {})
    return dict(_PROBED)


def _ready_line(proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    try:
        ready = json.loads(line)
    except ValueError:
        return {}
    return ready if isinstance(ready, dict) else {}


class CodeGrader:
    """A pre-loaded grading server (torch imported once); thread-safe submission of jobs."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._proc: subprocess.Popen[bytes] | None = None
        self._runner: subprocess.Popen[bytes] | None = None
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
            env = _environment()
            control_judge, control_runner = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
            try:
                # The student runner: exec'd fresh, isolated mode, a minimal environment.
                self._runner = subprocess.Popen(
                    [sys.executable, "-I", "-m", "modl_tutor.grading.sandbox.runner",
                     str(control_runner.fileno())],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                    env=_runner_environment(), pass_fds=(control_runner.fileno(),),
                    start_new_session=True, cwd="/")
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "modl_tutor.grading.zygote", str(self.jobs),
                     str(control_judge.fileno())],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
                    pass_fds=(control_judge.fileno(),), start_new_session=True, cwd="/")
            finally:
                control_judge.close()
                control_runner.close()
            runner_ready = _ready_line(self._runner)
            judge_ready = _ready_line(self._proc)
            if runner_ready.get("event") != "ready" or judge_ready.get("event") != "ready":
                self._kill()
                raise GraderUnavailable("the grading server did not start: "
                                        f"{self._stderr_tail()}")
            self.capabilities = dict(runner_ready.get("capabilities") or {})
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
        """Stop both servers and everything they started (within about a second)."""
        if self._proc is None and self._runner is None:
            return
        self._kill()
        self._stderr.close()

    def _kill(self) -> None:
        procs = [p for p in (self._proc, self._runner) if p is not None]
        self._proc = self._runner = None
        for proc in procs:  # closing stdin tells each server to kill its children and exit
            try:
                if proc.stdin:
                    proc.stdin.close()
            except OSError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
