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
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError
from modl_tutor.result import unread_file

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


class StudentRunner:
    """The student runner process (NumPy only; see `grading.sandbox.runner`) and the judge's
    end of its control socket. Started fresh with exec from this process, never from the
    judge: nothing that ever held a check, a reference or a seed is among its ancestors' memory."""

    def __init__(self, stderr: Any = subprocess.DEVNULL) -> None:
        self._stderr = stderr
        self.proc: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None
        self.capabilities: dict[str, Any] = {}

    def __enter__(self) -> StudentRunner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting for it (the judge can start meanwhile)."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-m", "modl_tutor.grading.sandbox.runner",
                 str(theirs.fileno())], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self._stderr, env=_runner_environment(), pass_fds=(theirs.fileno(),),
                start_new_session=True, cwd="/")
        finally:
            theirs.close()
        self.control = mine

    def wait_ready(self) -> None:
        """Wait for the runner's ready line (GraderUnavailable when it did not start)."""
        assert self.proc is not None
        ready = _ready_line(self.proc)
        if ready.get("event") != "ready":
            self.close()
            raise GraderUnavailable("the student runner did not start")
        self.capabilities = dict(ready.get("capabilities") or {})

    def sync(self) -> None:
        """Wait until every supervisor (and so every process of every job) is gone."""
        if self.proc is None or self.proc.stdin is None or self.proc.stdout is None:
            return
        self.proc.stdin.write(b"sync\n")
        self.proc.stdin.flush()
        self.proc.stdout.readline()

    def close(self) -> None:
        """Close stdin (the runner kills its supervisors and exits), then make sure."""
        proc, self.proc = self.proc, None
        if self.control is not None:
            self.control.close()
            self.control = None
        if proc is not None:
            _stop_processes([proc])


def _close_inputs(procs: Iterable[subprocess.Popen[bytes] | None]) -> None:
    """Close each one's stdin: it winds down (they all do at the same time)."""
    for proc in procs:
        try:
            if proc is not None and proc.stdin:
                proc.stdin.close()
        except OSError:
            pass


def _stop_processes(procs: list[subprocess.Popen[bytes]]) -> None:
    """Close every stdin first (each process winds down at the same time), give them about a
    second together, then kill each one's session (what it started, too) and reap it."""
    _close_inputs(procs)
    deadline = time.monotonic() + 1.0
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for proc in procs:
        try:
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)  # its own session: what it started, too
            else:
                proc.kill()
        except (ProcessLookupError, PermissionError, OSError):
            pass
        proc.wait()


_PROBED: dict[str, Any] | None = None


def probe_capabilities() -> dict[str, Any]:
    """What the student runner can enforce on this machine (starts one briefly; cached)."""
    global _PROBED
    if _PROBED is None:
        from modl_tutor.grading.spawn import spawn_capabilities, spawn_requested

        if spawn_requested():
            _PROBED = spawn_capabilities()
        else:
            with StudentRunner() as runner:
                _PROBED = dict(runner.capabilities)
    return dict(_PROBED)


def _ready_line(proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    assert proc.stdout is not None
    try:
        ready = json.loads(proc.stdout.readline())
    except ValueError:
        return {}
    return ready if isinstance(ready, dict) else {}


def store_trusted(capabilities: dict[str, Any]) -> bool:
    """Whether graded code cannot reach the reference store: its file system is a whitelisted
    view, or it runs under another uid (the store is private to this one). Otherwise (a
    limits-only sandbox as this user, or spawn) a submission could plant a wrong reference for
    a later exercise, so the judge neither reads nor writes the store: every reference is
    computed, with torch."""
    return bool(capabilities.get("filesystem") or capabilities.get("privileges_dropped"))


class CodeGrader:
    """A pre-loaded grading server (torch imported once); thread-safe submission of jobs."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._proc: subprocess.Popen[bytes] | None = None
        self._runner: StudentRunner | None = None
        self._lock = threading.Lock()
        self._waiters: dict[str, tuple[queue.Queue[dict[str, Any]], float]] = {}
        self._counter = 0
        self._stderr = tempfile.TemporaryFile()
        self._reader: threading.Thread | None = None
        self._store_trusted = False
        self.capabilities: dict[str, Any] = {}
        """What the sandbox enforces (the student runner's report), known after start."""

    def __enter__(self) -> CodeGrader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def launch(self) -> None:
        """Start the judge and the student runner without waiting for them (a command can
        load the bank meanwhile); `start`, or the first job, waits until both are ready."""
        with self._lock:
            self._launch()

    def start(self) -> None:
        with self._lock:
            if self._reader is not None:
                return
            self._launch()
            self._await_ready()

    def _launch(self) -> None:
        if self._proc is not None:
            return
        from modl_tutor.grading.spawn import spawn_requested

        if spawn_requested():  # no fork (Windows) or asked for: a process per job
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "modl_tutor.grading.zygote", str(self.jobs)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                env={**_environment(), "MODL_SANDBOX": "spawn"}, start_new_session=True,
                cwd=os.path.abspath(os.sep))
            return
        runner = StudentRunner(self._stderr)
        runner.launch()  # both start at once: neither waits for the other's imports
        assert runner.control is not None
        control = runner.control.fileno()
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "modl_tutor.grading.zygote", str(self.jobs),
                 str(control)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self._stderr, env=_environment(), pass_fds=(control,),
                start_new_session=True, cwd="/")
        except BaseException:
            runner.close()
            raise
        finally:
            if runner.control is not None:
                runner.control.close()  # the judge holds its own copy
                runner.control = None
        self._runner = runner

    def _await_ready(self) -> None:
        assert self._proc is not None
        if self._runner is not None:
            try:
                self._runner.wait_ready()
            except GraderUnavailable:
                self._kill()
                raise
            capabilities = dict(self._runner.capabilities)
        else:
            from modl_tutor.grading.spawn import spawn_capabilities

            capabilities = spawn_capabilities()
        if _ready_line(self._proc).get("event") != "ready":
            self._kill()
            raise GraderUnavailable("the grading server did not start: "
                                    f"{self._stderr_tail()}")
        self.capabilities = capabilities
        self._store_trusted = store_trusted(capabilities)
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
                waiter[0].put(message.get("result") or {})
        for key in list(self._waiters):
            waiter = self._waiters.pop(key, None)
            if waiter is not None:
                waiter[0].put(self._stopped(waiter[1]))

    def _stopped(self, points: float) -> dict[str, Any]:
        """The result of a job the grading server could not finish: not graded, never a 0."""
        return {"status": "not_graded", "score": 0, "max_score": points, "checks": [],
                "message": "not graded: the grading server stopped "
                           f"({self._stderr_tail()}); grade again"}

    def submit(self, request: dict[str, Any]) -> queue.Queue[dict[str, Any]]:
        """Queue one job; its queue receives the result (at once for an unread file: no job)."""
        box: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=1)
        unread = unread_file(request) if "exercise_id" in request else None
        if unread is not None:
            box.put(unread)
            return box
        self.start()
        assert self._proc is not None and self._proc.stdin is not None
        with self._lock:
            self._counter += 1
            job_id = str(self._counter)
            points = float(request.get("points", 0) or 0)
            self._waiters[job_id] = (box, points)
            payload = json.dumps({**request, "id": job_id,
                                  "reference_store": self._store_trusted}).encode() + b"\n"
            try:
                self._proc.stdin.write(payload)
                self._proc.stdin.flush()
            except (BrokenPipeError, OSError):
                self._waiters.pop(job_id, None)
                box.put(self._stopped(points))
        return box

    def grade(self, request: dict[str, Any]) -> dict[str, Any]:
        """Grade one job and wait for its result."""
        return self.submit(request).get()

    def sync(self) -> dict[str, Any]:
        """Wait until every job sent so far is done and all its processes are reaped; the
        judge's answer says whether it has imported torch (`{"synced": ..., "torch": ...}`)."""
        if self._proc is None:
            return {}
        answer = self.submit({"op": "sync"}).get()
        if self._runner is not None:
            self._runner.sync()
        return answer

    def grade_many(self, requests: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Grade many jobs concurrently (the zygote runs `jobs` at a time); results in order."""
        boxes = [self.submit(r) for r in requests]
        for box in boxes:
            yield box.get()

    def wind_down(self) -> list[subprocess.Popen[bytes]]:
        """Tell both servers to stop, without waiting: they exit while this process goes on
        (writing a report, say); `close` then reaps them. Nothing may be submitted after."""
        runner = self._runner
        if runner is not None and runner.control is not None:
            runner.control.close()
            runner.control = None
        procs = [p for p in (self._proc, runner.proc if runner else None) if p is not None]
        _close_inputs(procs)
        return procs

    def close(self) -> None:
        """Stop both servers and everything they started (within about a second)."""
        if self._proc is None and self._runner is None:
            return
        self._kill()
        self._stderr.close()

    def _kill(self) -> None:
        procs = self.wind_down()
        if self._runner is not None:
            self._runner.proc = None
        self._proc = self._runner = self._reader = None
        _stop_processes(procs)  # the judge and the runner wind down together
