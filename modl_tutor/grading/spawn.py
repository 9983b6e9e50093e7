"""The judge's side of the spawn-based runner (no fork: Windows, or `MODL_SANDBOX=spawn`): one
fresh interpreter per job, fed the job on stdin, read back with the same bounds and the same
plain-data protocol as the forking runner."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from modl_tutor.grading.protocol import SandboxRun, accept_answer

SPAWN_ENV = ("PATH", "SYSTEMROOT", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def spawn_requested() -> bool:
    """True where the forking runner cannot work, or when MODL_SANDBOX=spawn asks for this."""
    import socket

    wanted = os.environ.get("MODL_SANDBOX", "").strip().lower() == "spawn"
    return wanted or not hasattr(os, "fork") or not hasattr(socket, "send_fds")


def spawn_capabilities() -> dict[str, Any]:
    """What the spawn runner enforces on this platform (and the one-line warning)."""
    windows = sys.platform.startswith("win")
    limits = (["wall-clock", "memory (Job Object)", "cpu-time (Job Object)",
               "no child processes (Job Object)"] if windows else
              ["cpu-time", "wall-clock guard", "address-space", "file-size", "open-files",
               "processes"])
    return {"platform": sys.platform, "mode": "spawn", "network": False, "filesystem": False,
            "pid_namespace": False, "privileges_dropped": False, "limits": limits, "view": "",
            "reason": "no fork on this platform" if not hasattr(os, "fork") else
                      "MODL_SANDBOX=spawn", "limits_only": True,
            "warning": "the sandbox runs each job in a fresh interpreter with resource limits "
                       "only: the student's code can read every file this account can read "
                       "and reach the network"}


def _environment(scratch: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in SPAWN_ENV if k in os.environ}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1", HOME=scratch, TMPDIR=scratch, TEMP=scratch,
               TMP=scratch)
    return env


class _Reader(threading.Thread):
    """Drain one pipe into a callback (threads: Windows pipes cannot be selected)."""

    def __init__(self, stream: Any, sink: Any) -> None:
        super().__init__(daemon=True)
        self.stream, self.sink = stream, sink

    def run(self) -> None:
        while chunk := self.stream.read1(1 << 16) if hasattr(self.stream, "read1") else \
                self.stream.read(1 << 16):
            self.sink(chunk)


def run_spawned(job: dict[str, Any], indices: list[int]) -> SandboxRun:
    """Run one job in a fresh interpreter; the same SandboxRun the forking runner gives."""
    from modl_tutor.grading.sandbox.supervisor import OUTPUT_LIMIT, _Collected

    scratch = tempfile.mkdtemp(prefix="modl-spawn-")
    cpu_seconds = float(job.get("cpu_seconds", 10.0))
    wall = float(job.get("wall_seconds", 3 * (cpu_seconds + 1) + 5))
    collected = _Collected()
    lock = threading.Lock()

    def output(chunk: bytes) -> None:
        with lock:
            collected.output_total += len(chunk)
            if len(collected.output) < OUTPUT_LIMIT:
                collected.output.extend(chunk[:OUTPUT_LIMIT - len(collected.output)])

    started = time.monotonic()
    usage_before = _children_cpu()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-m", "modl_tutor.grading.sandbox.spawned"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=scratch, env=_environment(scratch), start_new_session=True)
    except OSError as err:
        shutil.rmtree(scratch, ignore_errors=True)
        run = SandboxRun()
        run.sandbox_error = f"the student process could not start ({err})"
        return run
    job_handle = _confine_windows(proc, job)
    readers = [_Reader(proc.stdout, collected.take), _Reader(proc.stderr, output)]
    for reader in readers:
        reader.start()
    try:
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(job, allow_nan=False, separators=(",", ":")).encode())
        proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=wall)
    except subprocess.TimeoutExpired:
        collected.guard_fired = True
    _kill(proc)
    for reader in readers:
        reader.join(timeout=2.0)
    elapsed = time.monotonic() - started
    cpu = max(0.0, _children_cpu() - usage_before)
    if job_handle is not None:
        job_handle.close()
    shutil.rmtree(scratch, ignore_errors=True)
    final = _final(proc.returncode, collected, cpu, cpu_seconds, elapsed)
    return accept_answer([*collected.lines, json.dumps(final, separators=(",", ":")).encode()],
                         indices)


def _final(code: int | None, collected: Any, cpu: float, budget: float,
           elapsed: float) -> dict[str, Any]:
    from modl_tutor.grading.sandbox.child import CPU_LIMIT_EXIT
    from modl_tutor.grading.sandbox.supervisor import IDLE_FRACTION, describe_exit

    limit = ""
    status = ""
    if collected.guard_fired:
        limit = "wall"
    elif code is not None and code < 0:
        status = describe_exit((-code) & 0x7F)  # a wait status "killed by signal -code"
        if -code == getattr(signal, "SIGXCPU", -1) or \
                (-code == getattr(signal, "SIGKILL", -1) and cpu >= 0.9 * budget):
            limit = "cpu"
    elif code == CPU_LIMIT_EXIT:  # the child's own SIGXCPU handler
        status, limit = "the process died from the CPU-time limit", "cpu"
    elif code is not None:
        status = f"the process exited with status {code}"
    measured = hasattr(os, "wait4")
    return {"event": "exit", "status": status, "limit": limit, "cpu": round(cpu, 3),
            "wall": round(elapsed, 3),
            "idle": bool(limit == "wall" and (not measured or cpu < IDLE_FRACTION * elapsed)),
            "output": collected.output_text(), "protocol_error": collected.protocol_error}


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None or hasattr(os, "killpg"):
        try:
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)  # what it started, too (own session)
            else:
                proc.kill()
        except (ProcessLookupError, PermissionError, OSError):
            pass
    proc.wait()


def _confine_windows(proc: subprocess.Popen[bytes], job: dict[str, Any]) -> Any:
    """On Windows, a Job Object for memory, CPU time and child processes (killed on close)."""
    if not sys.platform.startswith("win"):
        return None
    from modl_tutor.grading.winjob import JobObject

    try:
        return JobObject(proc, memory_mb=int(job.get("memory_mb", 2048)),
                         cpu_seconds=float(job.get("cpu_seconds", 10.0)))
    except OSError:
        return None
