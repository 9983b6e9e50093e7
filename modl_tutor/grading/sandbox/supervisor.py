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
import socket
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from modl_tutor.grading.sandbox import namespaces as ns
from modl_tutor.grading.sandbox.child import OUTPUT_LIMIT, ChildSetup, run_pooled_child
from modl_tutor.grading.sandbox.collect import IDLE_FRACTION, Collected, describe_exit
from modl_tutor.grading.sandbox.job import (
    WAITING,
    WaitingChild,
    ms,
    remove_scratch,
    run_job,
    send,
    stop,
)
from modl_tutor.grading.sandbox.view import SCRATCH

MAX_JOB_BYTES = 64 << 20
"""A job (source <= 256 KB plus the check inputs) is far below this."""


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


def serve_slot(slot: socket.socket, config: RunnerConfig, uids: list[int | None]) -> None:
    """Body of a supervisor (never returns normally: the caller `os._exit`s): fork one child
    per uid now (each confines itself and waits), then serve one job per child, each job's
    socket passed by the runner on `slot`; FREE after each but the last (see `slots`)."""
    ns.die_with_parent()
    shared_network = config.namespaces and _empty_network()
    children = _fork_children(config, uids, slot.fileno(), own_network=not shared_network)
    WAITING.update(child.pid for child in children)
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
            child.timing["idle"] = ms(waiting)
            _serve(slot, child, socket.socket(fileno=fds[0]), config)
            WAITING.discard(child.pid)
            if served < len(children):
                slot.send(b"f")  # slots.FREE
    finally:
        for child in children[served:]:  # never used: no job reached them
            for fd in child.fds():
                os.close(fd)
            stop(child.pid, child.uid, config.pid_namespace)
            remove_scratch(child, config)


def _serve(slot: socket.socket, child: WaitingChild, sock: socket.socket,
           config: RunnerConfig) -> None:
    """One job: read it from the judge's socket, run it in `child`, answer."""
    started = time.perf_counter()
    try:
        limits, payload = _read_job(sock)
    except (OSError, ValueError) as err:
        for fd in child.fds():
            os.close(fd)
        stop(child.pid, child.uid, config.pid_namespace)
        remove_scratch(child, config)
        send(sock, [{"event": "exit", "status": f"bad job: {err}", "limit": "",
                      "cpu": 0.0, "wall": 0.0, "idle": False, "output": ""}])
        return
    child.timing["read"] = ms(started)

    def answered() -> None:  # only the teardown is left: the runner lets it finish
        try:
            slot.send(b"a")  # slots.ANSWERED
        except OSError:
            pass

    lines, final = run_job(child, limits, payload, config, child.uid, sock, answered)
    if final is not None:
        send(sock, [*lines, final], raw=True)
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
                   own_network: bool = True) -> list[WaitingChild]:
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
        child = WaitingChild(pid=pid, uid=plan.uid, index=index, results=results, output=output,
                       job=job, scratch=plan.scratch)
        child.timing["fork"] = round(1000 * (took + planned), 3)
        children.append(child)
    return children


_Collected = Collected  # the spawn runner's collector (grading/spawn.py)
__all__ = ["IDLE_FRACTION", "OUTPUT_LIMIT", "RunnerConfig", "describe_exit", "serve_slot"]
