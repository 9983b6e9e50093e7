"""Make sure nothing a submission started outlives its grading: kill, then reap."""

from __future__ import annotations

import os
import signal
import time

from modl_tutor.grading.sandbox.namespaces import set_ids

_SUBREAPER = False


def become_subreaper() -> None:
    """In a disposable grading worker: adopt every orphan a submission leaves (Linux), so that
    all of them are reaped here before the result is sent."""
    global _SUBREAPER
    try:
        from modl_tutor.grading.sandbox.namespaces import PR_SET_CHILD_SUBREAPER, prctl

        prctl(PR_SET_CHILD_SUBREAPER, 1)
        _SUBREAPER = True
    except OSError:
        _SUBREAPER = False


def kill_all(pid: int, uid: int | None, *, wait: bool = True, reaped: bool = False,
             spare: frozenset[int] = frozenset()) -> int | None:
    """SIGKILL the child, its process group and (by namespace or uid) whatever it started.

    As init of its own PID namespace the caller kills everything else in it; with `reaped`
    the child itself was already collected (its status is the caller's). `spare`: the
    caller's own children that are not this job's (children waiting for later jobs).
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
    status = None
    if not reaped:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = None
    if uid is not None and not is_init:
        _kill_uid(uid, wait=wait and not _SUBREAPER)
    if _SUBREAPER and not is_init:
        _kill_adopted(spare)
    _reap(block=wait and _SUBREAPER and not is_init and not spare)
    return status


def _kill_adopted(spare: frozenset[int] = frozenset()) -> None:
    """As a subreaper: SIGKILL every process that was handed to us (orphans that left the
    child's process group) but `spare`, until none is left (bounded)."""
    me = str(os.getpid())
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        found = False
        try:
            entries = [e for e in os.listdir("/proc") if e.isdigit()]
        except OSError:
            return
        listed = _my_children()
        if listed is not None:  # the kernel's own list: no scan of every process
            entries = [str(pid) for pid in listed]
        for entry in entries:
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[1:2] == [me.encode()] and fields[0] not in (b"Z", b"X") and \
                    int(entry) not in spare:
                found = True
                try:
                    os.kill(int(entry), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        _reap()
        if not found:
            return
        time.sleep(0.002)


def _my_children() -> list[int] | None:
    """This (single-threaded) process's children as the kernel lists them, or None where
    /proc does not say (then every process is scanned)."""
    try:
        with open(f"/proc/self/task/{os.getpid()}/children", "rb") as handle:
            return [int(pid) for pid in handle.read().split()]
    except (OSError, ValueError):
        return None


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
    want = str(uid).encode()
    for entry in entries:
        try:
            with open(f"/proc/{entry}/status", "rb") as handle:
                status = handle.read()
        except OSError:
            continue
        at = status.find(b"\nUid:")
        if at < 0 or status[at + 5:status.find(b"\n", at + 5)].split()[:1] != [want]:
            continue
        state = status.find(b"\nState:")
        if state >= 0 and status[state + 7:state + 12].split()[:1] not in ([b"Z"], [b"X"]):
            return True
    return False


def collect_exited() -> tuple[list[int], bool]:
    """Collect every child that has exited, never waiting: their pids, and whether children
    are left (still running)."""
    pids = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return pids, False
        if pid == 0:
            return pids, True
        pids.append(pid)


def _reap(*, block: bool = False) -> None:
    """Collect exited children; with `block`, wait (up to 5 s) until none is left."""
    deadline = time.monotonic() + 5.0
    while True:
        _pids, left = collect_exited()
        if not (left and block) or time.monotonic() > deadline:
            return
        time.sleep(0.005)
