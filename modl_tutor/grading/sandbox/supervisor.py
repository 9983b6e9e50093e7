"""The jobs of one slot of the student runner: a supervisor forks a few children at once
(each confines itself and waits for one job), then for each child receives the judge's socket,
reads the job, hands it to that child, collects its plain-data records (bounded), answers, and
stops everything the child started.

The runner forks a supervisor before any job exists and never reads a job itself; the
supervisor forks all its children before it reads its first job: no child ever holds another
job's data. Where Linux allows it each child is init of its own PID namespace, so every process
the submission starts dies with it. Its budget is the child's CPU time (deterministic under
load); a generous wall-clock guard only protects the batch, and when it fires on a busy child
the answer is "not graded", never a 0.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from modl_tutor.grading.sandbox import namespaces as ns
from modl_tutor.grading.sandbox.child import (
    CPU_LIMIT_EXIT,
    OUTPUT_LIMIT,
    ChildSetup,
    run_pooled_child,
)
from modl_tutor.grading.sandbox.collect import (
    IDLE_FRACTION,
    Collected,
    collect,
    describe_exit,
)
from modl_tutor.grading.sandbox.reap import kill_all
from modl_tutor.grading.sandbox.view import SCRATCH

MAX_JOB_BYTES = 64 << 20
"""A job (source <= 256 KB plus the check inputs) is far below this."""
PREPARED = b'{"event":"prepared"'
_WAITING: set[int] = set()
"""This supervisor's children still waiting for a job (spared when a job's leftovers die)."""


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
    pid_ns_fd: int | None = None
    """The runner's own PID namespace, which a supervisor returns to before each child."""


@dataclass
class _Child:
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


def _ms(since: float) -> float:
    return round(1000 * (time.perf_counter() - since), 3)


def serve_slot(slot: socket.socket, config: RunnerConfig, uids: list[int | None]) -> None:
    """Body of a supervisor (never returns normally: the caller `os._exit`s): fork one child
    per uid now (each confines itself and waits), then serve one job per child, each job's
    socket passed by the runner on `slot`; FREE after each but the last (see `slots`)."""
    ns.die_with_parent()
    shared_network = config.namespaces and _empty_network()
    children = _fork_children(config, uids, slot.fileno(), own_network=not shared_network)
    _WAITING.update(child.pid for child in children)
    served = 0
    try:
        for child in children:
            waiting = time.perf_counter()
            try:
                _message, fds, _flags, _addr = socket.recv_fds(slot, 16, 1)
            except OSError:
                fds = []
            if not fds:  # the runner is stopping
                break
            served += 1
            child.timing["idle"] = _ms(waiting)
            _serve(slot, child, socket.socket(fileno=fds[0]), config)
            _WAITING.discard(child.pid)
            if served < len(children):
                slot.send(b"f")  # slots.FREE
    finally:
        for child in children[served:]:  # never used: no job reached them
            for fd in child.fds():
                os.close(fd)
            _stop(child.pid, child.uid, config.pid_namespace)
            _remove_scratch(child, config)


def _serve(slot: socket.socket, child: _Child, sock: socket.socket,
           config: RunnerConfig) -> None:
    """One job: read it from the judge's socket, run it in `child`, answer."""
    started = time.perf_counter()
    try:
        limits, payload = _read_job(sock)
    except (OSError, ValueError) as err:
        for fd in child.fds():
            os.close(fd)
        _stop(child.pid, child.uid, config.pid_namespace)
        _remove_scratch(child, config)
        _send(sock, [{"event": "exit", "status": f"bad job: {err}", "limit": "",
                      "cpu": 0.0, "wall": 0.0, "idle": False, "output": ""}])
        return
    child.timing["read"] = _ms(started)

    def answered() -> None:  # only the teardown is left: the runner lets it finish
        try:
            slot.send(b"a")  # slots.ANSWERED
        except OSError:
            pass

    lines, final = run_job(child, limits, payload, config, child.uid, sock, answered)
    if final is not None:
        _send(sock, [*lines, final], raw=True)
    sock.close()


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


def _empty_network() -> bool:
    """Move this supervisor (and so the children it forks next) into a new, empty network
    namespace: one per slot instead of one per child (its creation and teardown were a tenth
    of a job's CPU). Its children run one job at a time, each killed with everything it started
    before the next job is read, and hold no capability over it (it belongs to the runner's
    user namespace): nothing one job does to it outlives that job, and two jobs running at
    once are always in two slots, two namespaces. False (each child unshares its own) when
    it cannot be created."""
    try:
        ns.unshare(ns.CLONE_NEWNET)
    except OSError:
        return False
    return True


@dataclass
class _Plan:
    """A child's pipes and set-up, made before any child is forked."""

    uid: int | None
    scratch: str
    setup: ChildSetup
    mine: tuple[int, int, int]
    """The supervisor's ends: results (read), output (read), job (write)."""
    theirs: tuple[int, int, int]
    """The child's ends: results (write), output (write), job (read)."""


def _plan_child(config: RunnerConfig, uid: int | None, own_network: bool) -> _Plan:
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
                       scratch=scratch, base_vm=config.base_vm, own_network=own_network,
                       processes=(config.processes_own_uid if uid is not None else 0))
    return _Plan(uid, scratch, setup, (read_fd, out_read, job_write),
                 (write_fd, out_write, job_read))


def _fork_children(config: RunnerConfig, uids: list[int | None], slot_fd: int, *,
                   own_network: bool = True) -> list[_Child]:
    """Fork one child per uid: each confines itself and waits for its job on a pipe.

    Every pipe and set-up is made first and the children are forked back to back: each fork
    makes all of the supervisor's pages copy-on-write again, so the less it runs between two
    forks, the fewer pages it copies (about a quarter of a job's CPU went there). A child
    first closes every descriptor that is not its own: the slot socket, the supervisor's ends
    of its pipes and both ends of every other child's."""
    started = time.perf_counter()
    plans = [_plan_child(config, uid, own_network) for uid in uids]
    planned = (time.perf_counter() - started) / max(1, len(plans))
    every_fd = [slot_fd, *(fd for plan in plans for fd in (*plan.mine, *plan.theirs))]
    pid_namespace, own_pid_ns = config.pid_namespace, config.pid_ns_fd
    pids: list[int] = []
    forked: list[float] = []
    for plan in plans:
        clock = time.perf_counter()
        if pid_namespace:  # the child is init of its own PID namespace
            ns.new_pid_namespace_for_next_child(own_pid_ns)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                for fd in every_fd:
                    if fd not in plan.theirs:
                        os.close(fd)
                run_pooled_child(plan.setup, plan.theirs[2])
            finally:
                os._exit(0)
        pids.append(pid)
        forked.append(time.perf_counter() - clock)
    children = []
    for index, (plan, pid, took) in enumerate(zip(plans, pids, forked)):
        for fd in plan.theirs:
            os.close(fd)
        results, output, job = plan.mine
        child = _Child(pid=pid, uid=plan.uid, index=index, results=results, output=output,
                       job=job, scratch=plan.scratch)
        child.timing["fork"] = round(1000 * (took + planned), 3)
        children.append(child)
    return children


def _await_prepared(child: _Child) -> None:
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
    _await_prepared(child)
    started = time.monotonic()
    clock = time.perf_counter()
    _deliver(child, payload)
    child.timing["deliver"] = _ms(clock)
    collected = Collected(clock)
    collected.take(child.early)
    try:
        collect(collected, child.results, child.output, wall)
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
                 "timing": child.timing, "slot": [os.getpid(), child.index]}
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
             "timing": child.timing, "slot": [os.getpid(), child.index]}
    return collected.lines, final


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
        kill_all(pid, uid, wait=True, reaped=True, spare=frozenset(_WAITING - {pid}))
    return status, usage.ru_utime + usage.ru_stime


_Collected = Collected  # the spawn runner's collector (grading/spawn.py)
__all__ = ["IDLE_FRACTION", "OUTPUT_LIMIT", "RunnerConfig", "describe_exit", "serve_slot"]
