"""One job in a child that waits for it: hand the job over (in two phases when it has hidden
checks: the second only once the first is answered for and all it printed was read), collect
the child's records under the wall-clock guard, stop it with all it started, and write the
exit records (the child cannot write one)."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from modl_tutor.grading.sandbox.child import CPU_LIMIT_EXIT
from modl_tutor.grading.sandbox.collect import (
    IDLE_FRACTION,
    Collected,
    collect,
    describe_exit,
    process_cpu,
)
from modl_tutor.grading.sandbox.reap import kill_all

if TYPE_CHECKING:
    from modl_tutor.grading.sandbox.supervisor import RunnerConfig

PREPARED = b'{"event":"prepared"'
WAITING: set[int] = set()
"""This supervisor's children still waiting for a job (spared when a job's leftovers die)."""


@dataclass
class WaitingChild:
    """A confined child waiting for its job, and the supervisor's ends of its pipes."""

    pid: int
    uid: int | None
    index: int
    results: int
    output: int
    job: int
    scratch: str
    early: bytes = b""
    timing: dict[str, float] = field(default_factory=dict)

    def fds(self) -> list[int]:
        return [self.results, self.output, self.job]


def ms(since: float) -> float:
    return round(1000 * (time.perf_counter() - since), 3)


def send(sock: socket.socket, records: list[Any], *, raw: bool = False) -> None:
    payload = bytearray()
    for record in records:
        payload.extend(record if raw and isinstance(record, bytes) else
                       (json.dumps(record, separators=(",", ":")) + "\n").encode())
    try:
        sock.sendall(bytes(payload))
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def _await_prepared(child: WaitingChild) -> None:
    """The child's first line (written by our code, before any job): "prepared", with how
    long its confinement took, or why it failed (kept for the collector)."""
    data = b""
    while b"\n" not in data and len(data) < 4096:
        chunk = os.read(child.results, 4096)
        if not chunk:
            break
        data += chunk
    line, _, rest = data.partition(b"\n")
    if line.startswith(PREPARED):
        child.early = rest
        try:
            child.timing["prepare"] = float(json.loads(line).get("ms", 0.0))
        except (ValueError, TypeError, AttributeError):
            pass
    else:
        child.early = data


def remove_scratch(child: WaitingChild, config: RunnerConfig) -> None:
    if not config.namespaces:
        shutil.rmtree(child.scratch, ignore_errors=True)


def _deliver(child: WaitingChild, payload: bytes, *, close: bool = True) -> None:
    """Write (a phase of) the job into the child's pipe (it reads it first thing)."""
    view = memoryview(payload)
    try:
        while view:
            view = view[os.write(child.job, view):]
    except OSError:  # the child failed to confine itself: its records say why
        pass
    finally:
        if close:
            os.close(child.job)


def _phases(limits: dict[str, Any], payload: bytes) -> tuple[bytes, bytes | None]:
    """What the child gets first (the limits, the visible job) and, in a job with hidden
    checks (`phases` 2), the second phase's line: held back until the first is over."""
    if limits.get("phases") != 2:
        return payload, None
    first_end = payload.find(b"\n")
    second = payload.find(b"\n", first_end + 1)
    if first_end < 0 or second < 0:
        raise ValueError("a job of two phases has two lines after its limits")
    return payload[:second + 1], payload[second + 1:]


def run_job(child: WaitingChild, limits: dict[str, Any], payload: bytes, config: RunnerConfig,
            uid: int | None, sock: socket.socket | None = None,
            answered: Callable[[], None] | None = None,
            ) -> tuple[list[bytes], dict[str, Any] | None]:
    """Hand `payload` to the waiting child; its record lines and the final exit record.

    A job of two phases (hidden checks) gets the second phase's calls only once the first
    phase is done and all it printed was read: each phase ends with an exit record of ours
    (the child cannot write one), and what the second phase prints is dropped. With `sock`,
    a child that finished is answered for at once (its teardown is not on the judge's path;
    `answered` is called just before) and the final record is None: it was sent."""
    cpu_seconds = float(limits.get("cpu_seconds", 10.0))
    wall = float(limits.get("wall_seconds", 3 * (cpu_seconds + 1) + 5))
    first, second = _phases(limits, payload)
    _await_prepared(child)
    started = time.monotonic()
    clock = time.perf_counter()
    _deliver(child, first, close=second is None)
    child.timing["deliver"] = ms(clock)
    collected = Collected(clock)
    collected.take(child.early)
    earlier: list[bytes] = []
    spent = 0.0
    share = math.ceil(cpu_seconds) + 1  # a phase's CPU, SIGKILL included (see limits.confine)
    try:
        # The child's own limit leaves room for both phases: each is held to its share here.
        collect(collected, child.results, child.output, wall,
                cpu_limit=(child.pid, share) if second is not None else None)
        used = process_cpu(child.pid) if second is not None and _phase_ended(collected) \
            else None
        collected.over_cpu = collected.over_cpu or used is not None and used >= share
        if used is not None and not collected.over_cpu:
            spent = used  # everything printed so far was read: go on
            child.timing.update(collected.marks)
            earlier = [*collected.lines, _record(_exit_record(
                collected, child, "the first phase finished", "", spent,
                time.monotonic() - started))]
            started = time.monotonic()
            collected = Collected(time.perf_counter())
            collect(collected, child.results, child.output, wall, send=(child.job, second),
                    cpu_limit=(child.pid, spent + share))
            collected.output.clear()  # the hidden phase's output is never shown
            collected.output_total = 0
        elif second is not None:
            os.close(child.job)  # no second phase: the child reads the end of its job
    finally:
        os.close(child.results)
        os.close(child.output)
    child.timing.update(collected.marks)
    elapsed = time.monotonic() - started
    if sock is not None and collected.finished and not collected.guard_fired and \
            not collected.protocol_error and not collected.over_cpu:
        final = _exit_record(collected, child, "the process finished its job", "",
                             process_cpu(child.pid) - spent, elapsed)
        if answered is not None:  # before the answer: once the judge has it, so has the runner
            answered()
        send(sock, [*earlier, *collected.lines, final], raw=True)
        stop(child.pid, uid, config.pid_namespace)
        remove_scratch(child, config)
        return [], None
    status, cpu = stop(child.pid, uid, config.pid_namespace)
    cpu -= spent
    remove_scratch(child, config)
    limit = ""
    if collected.guard_fired:
        limit = "wall"
    elif collected.over_cpu or status is not None and (os.WIFSIGNALED(status) and (
            os.WTERMSIG(status) == signal.SIGXCPU or
            os.WTERMSIG(status) == signal.SIGKILL and cpu >= 0.9 * cpu_seconds) or
            os.WIFEXITED(status) and os.WEXITSTATUS(status) == CPU_LIMIT_EXIT):
        limit = "cpu"  # the kernel's CPU accounting is tick-based: a few % either way
    described = describe_exit(status) if status is not None else ""
    if limit == "cpu":  # init of a PID namespace ignores SIGXCPU: the hard limit's SIGKILL
        described = "the process died from the CPU-time limit"
    final = _exit_record(collected, child, described, limit, cpu, elapsed)
    final["idle"] = bool(limit == "wall" and cpu < IDLE_FRACTION * elapsed)
    return [*earlier, *collected.lines], final


def _phase_ended(collected: Collected) -> bool:
    """Did the first phase end well enough for the second (the file imported, every call
    answered)? Its CPU is checked apart (`run_job`: each phase is held to its share)."""
    return collected.finished and not collected.guard_fired and \
        not collected.protocol_error and "imported" in collected.marks


def _exit_record(collected: Collected, child: WaitingChild, status: str, limit: str, cpu: float,
                 wall: float) -> dict[str, Any]:
    return {"event": "exit", "status": status, "limit": limit, "cpu": round(max(0.0, cpu), 3),
            "wall": round(wall, 3), "idle": False, "output": collected.output_text(),
            "protocol_error": collected.protocol_error, "timing": child.timing,
            "slot": [os.getpid(), child.index]}


def _record(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, separators=(",", ":")) + "\n").encode()


def stop(pid: int, uid: int | None, pid_namespace: bool) -> tuple[int | None, float]:
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
        kill_all(pid, uid, wait=True, reaped=True, spare=frozenset(WAITING - {pid}))
    return status, usage.ru_utime + usage.ru_stime
