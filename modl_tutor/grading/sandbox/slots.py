"""The student runner's fork loop: slots forked ahead of the jobs, one job socket to each.

A slot is a supervisor that forked its children (each confined, each for one job) before any
job existed, so none of them holds anything of another job. It serves its children's jobs one
at a time and tells the runner on its slot socket when a job is answered (only the child's
teardown is left) and when it is free again; it exits after its last child.
"""

from __future__ import annotations

import os
import selectors
import signal
import socket
import sys
import time
from collections import deque

from modl_tutor.grading.sandbox.reap import collect_exited
from modl_tutor.grading.sandbox.supervisor import RunnerConfig, serve_slot

UID_BASE = 10_000_000
"""Sandboxes run by root get a uid of their own from UID_BASE up: never a real user."""
SPARE_SLOTS = 2
"""Slots kept ready: `--jobs 2` grades two exercises at a time (one job each: its hidden
checks are a second phase of the same child)."""
CHILDREN_PER_SLOT = 8
"""Jobs one supervisor serves (its children, forked at once): its own fork and the pages it
copies are paid once for these (8 rather than 4: 3% less CPU for a class)."""
FIRST_SLOT_CHILDREN = 4
"""Children of each slot forked at the start (2 measured no faster for `modl check`, which
needs one); the later slots of a batch have CHILDREN_PER_SLOT."""


JOB, ANSWERED, FREE = b"j", b"a", b"f"
"""On a slot's socket: a job's socket comes with JOB; the supervisor says ANSWERED (only the
child's teardown is left) and FREE (that child is gone, the next one waits)."""


def _exited(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return bool(done)


class Runner:
    """The fork loop of the student runner (see the module docstring)."""

    def __init__(self, control: socket.socket, config: RunnerConfig, host_pid: int,
                 spare: int = SPARE_SLOTS, children: int = CHILDREN_PER_SLOT) -> None:
        self.control = control
        self.config = config
        self.host_pid = host_pid
        self.spare = spare
        self.children = children
        self.sequence = 0
        self.forked = 0
        self.sockets: dict[int, socket.socket] = {}
        """Every living slot: supervisor pid -> the runner's end of its slot socket."""
        self.ready: deque[int] = deque()
        """Slots waiting for a job."""
        self.busy: set[int] = set()
        """Slots serving a job (until "free", or until they are reaped)."""
        self.answered: set[int] = set()
        self.selector = selectors.DefaultSelector()

    def next_uid(self) -> int | None:
        if not self.config.root:
            return None
        self.sequence += 1
        return UID_BASE + (self.host_pid % 20_000) * 5_000 + self.sequence % 5_000

    def fork_slot(self) -> None:
        """A supervisor that forks its confined children at once and waits for jobs."""
        first = self.forked < self.spare
        self.forked += 1
        uids = [self.next_uid() for _ in range(min(self.children, FIRST_SLOT_CHILDREN)
                                               if first else self.children)]
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                self.selector.close()
                self.control.close()
                mine.close()
                for other in self.sockets.values():  # a slot knows nothing of the others
                    other.close()
                if not self.config.pid_namespace:  # adopt what the children leave behind
                    from modl_tutor.grading.sandbox.reap import become_subreaper

                    become_subreaper()
                serve_slot(theirs, self.config, uids)
            except BaseException:  # noqa: BLE001 - a supervisor always exits (via os._exit)
                import traceback

                traceback.print_exc()  # to the runner's stderr, shown by the client with --debug
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.sockets[pid] = mine
        self.ready.append(pid)
        self.selector.register(mine, selectors.EVENT_READ, pid)

    def start(self, fd: int) -> None:
        """Hand the judge's job socket `fd` to a ready slot (a fresh one if none is left)."""
        try:
            while True:
                if not self.ready:
                    self.fork_slot()
                pid = self.ready.popleft()
                self.busy.add(pid)
                try:
                    socket.send_fds(self.sockets[pid], [JOB], [fd])
                except OSError:  # that slot died: it is reaped below
                    continue
                return
        finally:
            os.close(fd)

    def message(self, pid: int) -> None:
        """What a slot says: ANSWERED, FREE (one byte each), or end-of-file (it is exiting)."""
        slot = self.sockets.get(pid)
        if slot is None:
            return
        while True:
            try:
                data = slot.recv(64, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self.forget(pid, reaped=False)
                return
            for byte in data:
                if byte == ANSWERED[0]:
                    self.answered.add(pid)
                elif byte == FREE[0] and pid in self.busy:  # first in line again: few
                    self.answered.discard(pid)              # slots stay in use
                    self.busy.discard(pid)
                    self.ready.appendleft(pid)

    def forget(self, pid: int, *, reaped: bool) -> None:
        slot = self.sockets.pop(pid, None)
        if slot is not None:
            self.selector.unregister(slot)
            slot.close()
        if pid in self.ready:
            self.ready.remove(pid)
        if reaped:
            self.busy.discard(pid)
            self.answered.discard(pid)

    def refill(self) -> None:
        while len(self.ready) < self.spare:
            self.fork_slot()

    def reap(self) -> None:
        """Collect every process that ended (as init of the runner's PID namespace, orphans
        too)."""
        for pid in collect_exited()[0]:
            self.forget(pid, reaped=True)

    def stop(self) -> None:
        """Kill the supervisors of running jobs at once; let the others finish (idle slots,
        and jobs already answered: a limits-only slot removes its scratch folders), killing
        any still there after a second."""
        for pid in list(self.busy):
            self.message(pid)
        running = [pid for pid in self.busy if pid not in self.answered]
        for pid in running:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        waiting = [pid for pid in self.sockets if pid not in running]
        for slot in self.sockets.values():
            slot.close()  # an idle slot reads end-of-file: it tidies up and exits
        deadline = time.monotonic() + 1.0
        gone: set[int] = set()
        while waiting and time.monotonic() < deadline:
            gone.update(pid for pid in waiting if _exited(pid))
            waiting = [pid for pid in waiting if pid not in gone]
            if waiting:
                time.sleep(0.005)
        for pid in {*running, *waiting} - gone:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.sockets.clear()
        self.ready.clear()
        self.busy.clear()

    def serve(self) -> None:
        stdin = sys.stdin.fileno()
        self.selector.register(stdin, selectors.EVENT_READ, "stdin")
        self.selector.register(self.control, selectors.EVENT_READ, "control")
        syncs = 0
        while True:
            self.refill()
            for key, _ in self.selector.select(timeout=0.05 if syncs else 0.2):
                if key.data == "stdin":
                    data = os.read(stdin, 4096)
                    if not data:
                        self.stop()
                        return
                    syncs += data.count(b"sync")
                elif key.data == "control":
                    try:
                        _msg, fds, _flags, _addr = socket.recv_fds(self.control, 64, 4)
                    except OSError:
                        continue
                    for fd in fds:
                        self.start(fd)
                else:
                    self.message(key.data)
            self.reap()
            if syncs and not self.busy:  # every job's processes are gone
                sys.stdout.write('{"event": "synced"}\n' * syncs)
                sys.stdout.flush()
                syncs = 0
