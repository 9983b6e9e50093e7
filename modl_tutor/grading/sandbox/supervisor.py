"""One job in the student runner: a supervisor forked ahead of its job forks the confined
child at once (which confines itself and waits), then receives the judge's socket, reads the
job, hands it to the child, collects its plain-data records (bounded), answers, and stops
everything the child started.

A supervisor serves exactly one job and is forked by the runner, which never reads a job: no
child ever holds another job's data. Where Linux allows it the child is init of its own PID
namespace, so every process the submission starts dies with it. Its budget is the child's CPU
time (deterministic under load); a generous wall-clock guard only protects the batch, and when
it fires on a busy child the answer is "not graded", never a 0.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from modl_tutor.grading.sandbox import namespaces as ns
from modl_tutor.grading.sandbox.child import (CPU_LIMIT_EXIT, OUTPUT_LIMIT, ChildSetup,
                                              run_pooled_child)
from modl_tutor.grading.sandbox.reap import kill_all
from modl_tutor.grading.sandbox.view import SCRATCH

MAX_JOB_BYTES = 64 << 20
"""A job (source <= 256 KB plus the check inputs) is far below this."""
MAX_RESULT_BYTES = 32 << 20
"""All the records one child may send; past this it is stopped ("sent too much data")."""
MAX_LINE_BYTES = 24 << 20
OUTPUT_DRAIN_BYTES = 64 << 20
"""Printed output is read (and dropped past OUTPUT_LIMIT) up to this, then the child is
stopped, so a child cannot stall on a full pipe or keep the supervisor busy forever."""
IDLE_FRACTION = 0.1
"""Under the wall-clock guard, a child that used less CPU than this share of the elapsed time
was waiting (sleep, a blocked read): its own doing, graded as a time-out."""
PREPARED = b'{"event":"prepared"}\n'


@dataclass
class RunnerConfig:
    """What the runner decided once at start (mode, limits) and hands to every supervisor."""

    namespaces: bool
    root: bool
    base_vm: int = 0
    uid_base: int = 10_000_000
    processes_own_uid: int = 32
    pid_namespace: bool = False
    """Start each child as init of a new PID namespace: all it starts dies with it."""


@dataclass
class _Child:
    """A confined child waiting for its job, and the supervisor's ends of its pipes."""

    pid: int
    results: int
    output: int
    job: int
    scratch: str
    early: bytes = b""
    timing: dict[str, float] = field(default_factory=dict)


def _ms(since: float) -> float:
    return round(1000 * (time.perf_counter() - since), 3)


def serve_slot(slot: socket.socket, config: RunnerConfig, uid: int | None) -> None:
    """Body of a supervisor (never returns normally: the caller `os._exit`s): fork and confine
    the child now, then serve the one job whose socket the runner passes on `slot`."""
    ns.die_with_parent()
    child = _fork_child(config, uid)
    waiting = time.perf_counter()
    try:
        _message, fds, _flags, _addr = socket.recv_fds(slot, 16, 1)
    except OSError:
        fds = []
    if not fds:  # the runner is stopping: this slot was never used
        _stop(child.pid, uid, config.pid_namespace)
        _remove_scratch(child, config)
        return
    child.timing["idle"] = _ms(waiting)
    sock = socket.socket(fileno=fds[0])
    started = time.perf_counter()
    try:
        limits, payload = _read_job(sock)
    except (OSError, ValueError) as err:
        _stop(child.pid, uid, config.pid_namespace)
        _remove_scratch(child, config)
        _send(sock, [{"event": "exit", "status": f"bad job: {err}", "limit": "",
                      "cpu": 0.0, "wall": 0.0, "idle": False, "output": ""}])
        return
    child.timing["read"] = _ms(started)

    def answered() -> None:  # only the teardown is left: the runner lets it finish
        try:
            slot.send(b"answered")
        except OSError:
            pass

    lines, final = run_job(child, limits, payload, config, uid, sock, answered)
    if final is not None:
        _send(sock, [*lines, final], raw=True)


def _read_job(sock: socket.socket) -> tuple[dict[str, Any], bytes]:
    """The job as the judge sent it: a header line (its limits), then the job itself."""
    data = bytearray()
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        data.extend(chunk)
        if len(data) > MAX_JOB_BYTES:
            raise ValueError("job too large")
    header = bytes(data[:data.find(b"\n")]) if b"\n" in data else b""
    limits = json.loads(header) if header else None
    if not isinstance(limits, dict):
        raise ValueError("a job starts with its limits")
    return limits, bytes(data)


def _send(sock: socket.socket, records: list[Any], *, raw: bool = False) -> None:
    payload = bytearray()
    for record in records:
        payload.extend(record if raw and isinstance(record, bytes) else
                       (json.dumps(record, separators=(",", ":")) + "\n").encode())
    try:
        sock.sendall(bytes(payload))
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def _fork_child(config: RunnerConfig, uid: int | None) -> _Child:
    """Fork the child: it confines itself and waits for its job on a pipe."""
    started = time.perf_counter()
    scratch = SCRATCH
    if not config.namespaces:
        scratch = tempfile.mkdtemp(prefix="modl-sandbox-")
        if uid is not None:
            os.chown(scratch, uid, uid)
        os.chmod(scratch, 0o700)
    read_fd, write_fd = os.pipe()
    out_read, out_write = os.pipe()
    job_read, job_write = os.pipe()
    setup = ChildSetup(result_fd=write_fd, output_fd=out_write, cpu_seconds=10.0,
                       memory_mb=2048, namespaces=config.namespaces, uid=uid,
                       scratch=scratch, base_vm=config.base_vm,
                       processes=(config.processes_own_uid if uid is not None else 0))
    if config.pid_namespace:  # the child is init of its own PID namespace
        ns.unshare(ns.CLONE_NEWPID)
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(read_fd)
            os.close(out_read)
            os.close(job_write)
            run_pooled_child(setup, job_read)
        finally:
            os._exit(0)
    for fd in (write_fd, out_write, job_read):
        os.close(fd)
    child = _Child(pid=pid, results=read_fd, output=out_read, job=job_write, scratch=scratch)
    data = b""
    while b"\n" not in data and len(data) < 4096:  # the child's first line (ours, short)
        chunk = os.read(read_fd, 4096)
        if not chunk:
            break
        data += chunk
    child.early = data[len(PREPARED):] if data.startswith(PREPARED) else data
    child.timing["prepare"] = _ms(started)
    return child


def _remove_scratch(child: _Child, config: RunnerConfig) -> None:
    if not config.namespaces:
        shutil.rmtree(child.scratch, ignore_errors=True)


def _deliver(child: _Child, payload: bytes) -> None:
    """Write the job into the child's pipe (it reads it all first thing)."""
    view = memoryview(payload)
    try:
        while view:
            view = view[os.write(child.job, view):]
    except OSError:  # the child failed to confine itself: its records say why
        pass
    finally:
        os.close(child.job)


def _process_cpu(pid: int) -> float:
    """CPU seconds a live child (and its threads) used so far: its process CPU clock."""
    try:
        return time.clock_gettime(((~pid) << 3) | 2)  # CPUCLOCK_SCHED of the process
    except (OSError, OverflowError):
        return 0.0


def run_job(child: _Child, limits: dict[str, Any], payload: bytes, config: RunnerConfig,
            uid: int | None, sock: socket.socket | None = None,
            answered: Callable[[], None] | None = None,
            ) -> tuple[list[bytes], dict[str, Any] | None]:
    """Hand `payload` to the waiting child; its record lines and the final exit record.

    With `sock`, a child that finished is answered for at once (its teardown is not on the
    judge's path; `answered` is called just before) and the final record is None: it was
    sent."""
    cpu_seconds = float(limits.get("cpu_seconds", 10.0))
    wall = float(limits.get("wall_seconds", 3 * (cpu_seconds + 1) + 5))
    started = time.monotonic()
    clock = time.perf_counter()
    _deliver(child, payload)
    child.timing["deliver"] = _ms(clock)
    collected = _Collected(clock)
    collected.take(child.early)
    try:
        _collect(collected, child.results, child.output, wall)
    finally:
        os.close(child.results)
        os.close(child.output)
    child.timing.update(collected.marks)
    elapsed = time.monotonic() - started
    if sock is not None and collected.finished and not collected.guard_fired and \
            not collected.protocol_error:
        final = {"event": "exit", "status": "the process finished its job", "limit": "",
                 "cpu": round(_process_cpu(child.pid), 3), "wall": round(elapsed, 3),
                 "idle": False, "output": collected.output_text(), "protocol_error": "",
                 "timing": child.timing}
        if answered is not None:  # before the answer: once the judge has it, so has the runner
            answered()
        _send(sock, [*collected.lines, final], raw=True)
        _stop(child.pid, uid, config.pid_namespace)
        _remove_scratch(child, config)
        return [], None
    status, cpu = _stop(child.pid, uid, config.pid_namespace)
    _remove_scratch(child, config)
    limit = ""
    if collected.guard_fired:
        limit = "wall"
    elif status is not None and (os.WIFSIGNALED(status) and (
            os.WTERMSIG(status) == signal.SIGXCPU or
            os.WTERMSIG(status) == signal.SIGKILL and cpu >= 0.9 * cpu_seconds) or
            os.WIFEXITED(status) and os.WEXITSTATUS(status) == CPU_LIMIT_EXIT):
        limit = "cpu"  # the kernel's CPU accounting is tick-based: a few % either way
    described = describe_exit(status) if status is not None else ""
    if limit == "cpu":  # init of a PID namespace ignores SIGXCPU: the hard limit's SIGKILL
        described = "the process died from the CPU-time limit"
    final = {"event": "exit", "status": described,
             "limit": limit, "cpu": round(cpu, 3), "wall": round(elapsed, 3),
             "idle": bool(limit == "wall" and cpu < IDLE_FRACTION * elapsed),
             "output": collected.output_text(), "protocol_error": collected.protocol_error,
             "timing": child.timing}
    return collected.lines, final


class _Collected:
    def __init__(self, clock: float | None = None) -> None:
        self.clock = clock
        self.marks: dict[str, float] = {}
        self.lines: list[bytes] = []
        self.received = 0
        self.pending = bytearray()
        self.output = bytearray()
        self.output_total = 0
        self.finished = False
        self.guard_fired = False
        self.protocol_error = ""

    def take(self, chunk: bytes) -> None:
        """Split the child's stream into records (linear time, bounded size)."""
        self.received += len(chunk)
        if self.received > MAX_RESULT_BYTES:
            self.protocol_error = "the submission sent too much data"
            return
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                self.pending.extend(chunk[start:])
                break
            self.pending.extend(chunk[start:end])
            self._line(bytes(self.pending))
            self.pending.clear()
            start = end + 1
        if len(self.pending) > MAX_LINE_BYTES:
            self.protocol_error = "the submission sent a record that is too large"

    def _line(self, line: bytes) -> None:
        if line.startswith(b'{"event":"exit"'):
            return  # only the supervisor ends an answer
        self.lines.append(line + b"\n")
        if self.clock is not None:
            for mark in ("ready", "imported", "done"):
                if line.startswith(b'{"event":"%s"' % mark.encode()) and mark not in self.marks:
                    self.marks[mark] = _ms(self.clock)
        if line.startswith(b'{"event":"done"'):
            self.finished = True

    def output_text(self) -> str:
        text = bytes(self.output).decode("utf-8", "replace")
        if self.output_total > len(self.output):
            text += f"\n… (output truncated: {self.output_total} bytes printed)"
        return text


def _collect(run: _Collected, read_fd: int, out_fd: int, wall: float) -> None:
    deadline = time.monotonic() + wall
    open_fds = [read_fd, out_fd]
    while read_fd in open_fds and not run.finished and not run.protocol_error:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            run.guard_fired = True
            return
        ready, _, _ = select.select(open_fds, [], [], min(remaining, 1.0))
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.remove(fd)
            elif fd == out_fd:
                run.output_total += len(chunk)
                if len(run.output) < OUTPUT_LIMIT:
                    run.output.extend(chunk[:OUTPUT_LIMIT - len(run.output)])
                if run.output_total > OUTPUT_DRAIN_BYTES:
                    run.protocol_error = "the submission printed too much"
            else:
                run.take(chunk)
    while out_fd in open_fds:  # what was printed last, without waiting
        ready, _, _ = select.select([out_fd], [], [], 0)
        chunk = os.read(out_fd, 1 << 16) if ready else b""
        if not chunk:
            break
        run.output_total += len(chunk)
        if len(run.output) < OUTPUT_LIMIT:
            run.output.extend(chunk[:OUTPUT_LIMIT - len(run.output)])


def _stop(pid: int, uid: int | None, pid_namespace: bool) -> tuple[int | None, float]:
    """Kill the child and all it started; its exit status and the CPU seconds it used.

    As init of its own PID namespace, the child takes every process it started with it (the
    kernel empties the namespace before the child's exit completes)."""
    for kill in (lambda: os.kill(pid, signal.SIGKILL), lambda: os.killpg(pid, signal.SIGKILL)):
        try:
            kill()
        except (ProcessLookupError, PermissionError):
            pass
    try:
        _pid, status, usage = os.wait4(pid, 0)
    except ChildProcessError:
        return None, 0.0
    if not pid_namespace:
        kill_all(pid, uid, wait=True, reaped=True)
    return status, usage.ru_utime + usage.ru_stime


def describe_exit(status: int) -> str:
    """How a process ended, in words a student can act on."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        reasons = {"SIGSEGV": "a segmentation fault (a crash in C code, or runaway "
                              "recursion)",
                   "SIGKILL": "SIGKILL (the memory, CPU or time limit)",
                   "SIGXCPU": "the CPU-time limit", "SIGXFSZ": "the file-size limit",
                   "SIGABRT": "an abort", "SIGBUS": "a bus error", "SIGFPE": "SIGFPE"}
        return f"the process died from {reasons.get(name, name)}"
    if os.WIFEXITED(status):
        return f"the process exited with status {os.WEXITSTATUS(status)} (os._exit?)"
    return "the process ended"
