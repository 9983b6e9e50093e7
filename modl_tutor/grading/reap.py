"""Make sure nothing a submission started outlives its grading: kill, then reap."""

from __future__ import annotations

import os
import signal
import time

from modl_tutor.grading.namespaces import set_ids

_SUBREAPER = False


def become_subreaper() -> None:
    """In a disposable grading worker: adopt every orphan a submission leaves (Linux), so that
    all of them are reaped here before the result is sent."""
    global _SUBREAPER
    try:
        from modl_tutor.grading.namespaces import PR_SET_CHILD_SUBREAPER, prctl

        prctl(PR_SET_CHILD_SUBREAPER, 1)
        _SUBREAPER = True
    except OSError:
        _SUBREAPER = False


def kill_all(pid: int, uid: int | None, *, wait: bool = True) -> int | None:
    """SIGKILL the child, its process group and (by namespace or uid) whatever it started.

    As init of its own PID namespace, the worker may skip waiting when the child finished
    normally: everything is killed now, and reaped when the worker exits.
    """
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass
    is_init = os.getpid() == 1
    if is_init:  # init of our own PID namespace: everything else here is theirs
        try:
            os.kill(-1, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if not wait:
            return None
    _, status = os.waitpid(pid, 0)
    if uid is not None and not is_init:
        _kill_uid(uid, wait=not _SUBREAPER)
    _reap(block=_SUBREAPER and not is_init)
    return status


def _kill_uid(uid: int, *, wait: bool = True) -> None:
    """Kill every process of `uid` (as that uid: kill(-1) reaches exactly those); with
    `wait`, until none of them is still tearing down (a subreaper reaps them instead)."""
    helper = os.fork()
    if helper == 0:
        try:
            set_ids(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(helper, 0)
    deadline = time.monotonic() + (5.0 if wait else 0.0)
    while _living_processes_of(uid) and time.monotonic() < deadline:
        time.sleep(0.01)  # SIGKILLed processes take a moment to tear their memory down


def _living_processes_of(uid: int) -> bool:
    """Is any process of `uid` still alive (not yet a zombie)?"""
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return False
    for entry in entries:
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                status = handle.read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)] and \
                fields.get("State", "").split()[:1] not in (["Z"], ["X"]):
            return True
    return False


def _reap(*, block: bool = False) -> None:
    """Collect exited children; with `block`, wait (up to 5 s) until none is left."""
    deadline = time.monotonic() + 5.0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if not block or time.monotonic() > deadline:
                return
            time.sleep(0.005)
