"""The student runner: a process started fresh (exec) by the grading client that loads only
NumPy and the public sandbox code, confines itself once, then keeps a few *slots* forked ahead
of the jobs: a supervisor whose child is already confined (namespaces, private scratch,
unprivileged) and waits for its one job. Forked before any job reaches them, they hold
nothing secret; each serves one job and exits, so no child ever sees another job's data.

It never sees a check, a reference, a seed or a hidden input, and never reads a job itself:
the judge hands it a socket (SCM_RIGHTS on the control socket), the runner passes it on to a
ready slot (SCM_RIGHTS again) and that slot's supervisor reads its one job from it. Protocol:
argv[1] is the control socket's fd; the first line on stdout is `{"event": "ready",
"capabilities": {...}}`; "sync" on stdin is answered with `{"event": "synced"}` once every job
sent so far is over and its processes are gone; when stdin closes (the client exited or was
killed) every supervisor is killed and the runner exits.

Run: `python -I -m modl_tutor.grading.sandbox.runner FD`.
"""

from __future__ import annotations

import json
import os
import select
import selectors
import signal
import socket
import sys
import time
from collections import deque
from typing import Any

from modl_tutor.grading.sandbox import namespaces as ns
from modl_tutor.grading.sandbox.limits import _virtual_memory_bytes
from modl_tutor.grading.sandbox.supervisor import RunnerConfig, serve_slot

UID_BASE = 10_000_000
"""Sandboxes run by root get a uid of their own from UID_BASE up: never a real user."""
SPARE_SLOTS = 2
"""Slots kept ready: a code exercise runs two jobs (visible, hidden checks) one after the
other, and `--jobs 2` two exercises at a time."""
LIMITS = ["cpu-time", "wall-clock guard", "address-space", "file-size", "open-files",
          "processes"]


def preload() -> None:
    """Everything a submission may use, imported before the view hides the files."""
    import importlib

    import numpy
    import numpy.fft  # noqa: F401 - numpy 2 loads these lazily: pay once, not per job
    import numpy.linalg  # noqa: F401
    import numpy.random  # noqa: F401
    import numpy.testing  # noqa: F401 - and unittest with it

    for name in ("decimal", "fractions", "statistics", "math", "cmath", "itertools",
                 "functools", "collections", "dataclasses", "typing", "copy", "hashlib",
                 "linecache", "traceback", "tempfile", "base64", "json", "numbers", "random",
                 "heapq", "bisect", "operator", "string", "re", "warnings", "contextlib"):
        importlib.import_module(name)
    numpy.random.default_rng(0).choice([-1.0, 1.0], 3)  # first-call set-up, done once here
    sys.dont_write_bytecode = True


def _warning(reason: str) -> str:
    return ("the sandbox runs with resource limits only: the student's code can read every "
            "file this account can read (the bank and the grader included, unless they were "
            f"made private) and reach the network ({reason})")


def _pid_namespaces_work() -> bool:
    """Can a supervisor start its child as init of a new PID namespace? (probed in a fork)"""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            ns.unshare(ns.CLONE_NEWPID)
            inner = os.fork()
            if inner == 0:
                os._exit(0 if os.getpid() == 1 else 1)
            _, status = os.waitpid(inner, 0)
            code = 0 if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else 1
        except BaseException:  # noqa: BLE001 - a probe answers by its exit status
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def confine_runner() -> tuple[dict[str, Any], bool, bool]:
    """Enter the namespaces and the whitelisted view where possible; the capabilities."""
    from modl_tutor.grading.sandbox.view import enter_view, plan_view

    caps: dict[str, Any] = {"platform": sys.platform, "mode": "limits", "network": False,
                            "filesystem": False, "pid_namespace": False,
                            "privileges_dropped": False, "limits": list(LIMITS),
                            "view": "", "reason": ""}
    root = hasattr(os, "geteuid") and os.geteuid() == 0 and ns.in_initial_user_namespace()
    pids = False
    if ns.requested_mode() == "limits":
        caps["reason"] = ("MODL_SANDBOX=limits" if sys.platform.startswith("linux")
                          else f"namespaces need Linux (this is {sys.platform})")
    else:
        try:
            plan = plan_view()
            if not root and not ns.enter_user_namespace():
                raise OSError("user namespaces are not available")
            ns.unshare(ns.CLONE_NEWNS | ns.CLONE_NEWNET | ns.CLONE_NEWIPC | ns.CLONE_NEWUTS)
            enter_view(plan)
            pids = _pid_namespaces_work()
            caps.update(mode="namespaces", network=True, filesystem=True,
                        privileges_dropped=True, pid_namespace=pids,
                        view="whitelist: the standard library, NumPy, system libraries, "
                             "/dev/null and a private scratch folder")
        except OSError as err:
            if caps["filesystem"] or os.getcwd() == "/" and not os.path.exists(sys.prefix):
                raise  # half-entered the view: never continue in an unknown state
            caps["reason"] = f"namespaces unavailable: {err}"
            pids = False
    if caps["mode"] == "limits" and root:
        caps["privileges_dropped"] = True
    caps["limits_only"] = caps["mode"] == "limits"
    caps["warning"] = _warning(caps["reason"]) if caps["limits_only"] else ""
    return caps, pids, root


def _exited(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return bool(done)


class Runner:
    """The fork loop: slots forked ahead of the jobs, one job socket handed to each."""

    def __init__(self, control: socket.socket, config: RunnerConfig, host_pid: int,
                 spare: int = SPARE_SLOTS) -> None:
        self.control = control
        self.config = config
        self.host_pid = host_pid
        self.spare = spare
        self.sequence = 0
        self.ready: deque[tuple[int, socket.socket]] = deque()
        """Idle slots: (supervisor pid, the runner's end of its slot socket)."""
        self.busy: dict[int, socket.socket] = {}
        """Slots serving a job: supervisor pid -> its slot socket (readable once it answered)."""

    def next_uid(self) -> int | None:
        if not self.config.root:
            return None
        self.sequence += 1
        return UID_BASE + (self.host_pid % 20_000) * 5_000 + self.sequence % 5_000

    def fork_slot(self) -> None:
        """A supervisor (and, at once, its confined child) that waits for one job."""
        uid = self.next_uid()
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                self.control.close()
                mine.close()
                for _pid, other in self.ready:  # a slot knows nothing of the others
                    other.close()
                if not self.config.pid_namespace:  # adopt what the child leaves behind
                    from modl_tutor.grading.sandbox.reap import become_subreaper

                    become_subreaper()
                serve_slot(theirs, self.config, uid)
            except BaseException:  # noqa: BLE001 - a supervisor always exits
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.ready.append((pid, mine))

    def start(self, fd: int) -> None:
        """Hand the judge's job socket `fd` to a ready slot (a fresh one if none is left)."""
        try:
            while True:
                if not self.ready:
                    self.fork_slot()
                pid, slot = self.ready.popleft()
                self.busy[pid] = slot
                try:
                    socket.send_fds(slot, [b"job"], [fd])
                except OSError:  # that slot died: its supervisor is reaped below
                    continue
                return
        finally:
            os.close(fd)

    def refill(self) -> None:
        while len(self.ready) < self.spare:
            self.fork_slot()

    def reap(self) -> None:
        for pid in [*self.busy, *(p for p, _ in self.ready)]:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                slot = self.busy.pop(pid, None)
                if slot is not None:
                    slot.close()
                for entry in [e for e in self.ready if e[0] == pid]:
                    self.ready.remove(entry)
                    entry[1].close()

    def stop(self) -> None:
        """Kill the supervisors of running jobs at once; let the others finish (a slot never
        used, or one that has answered and is tearing down: a limits-only slot removes its
        scratch folder), killing any still there after a second."""
        answered = select.select(list(self.busy.values()), [], [], 0)[0] if self.busy else []
        waiting = [p for p, s in self.busy.items() if s in answered]
        for pid in self.busy:
            if pid not in waiting:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        waiting += [pid for pid, _ in self.ready]
        for slot in [*self.busy.values(), *(s for _, s in self.ready)]:
            slot.close()  # an idle slot reads end-of-file: it tidies up and exits
        deadline = time.monotonic() + 1.0
        gone: set[int] = set()
        while waiting and time.monotonic() < deadline:
            gone.update(pid for pid in waiting if _exited(pid))
            waiting = [pid for pid in waiting if pid not in gone]
            if waiting:
                time.sleep(0.005)
        for pid in {*self.busy, *waiting} - gone:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.ready.clear()
        self.busy.clear()

    def serve(self) -> None:
        selector = selectors.DefaultSelector()
        stdin = sys.stdin.fileno()
        selector.register(stdin, selectors.EVENT_READ, "stdin")
        selector.register(self.control, selectors.EVENT_READ, "control")
        syncs = 0
        while True:
            self.refill()
            for key, _ in selector.select(timeout=0.05 if syncs else 0.2):
                if key.data == "stdin":
                    data = os.read(stdin, 4096)
                    if not data:
                        self.stop()
                        return
                    syncs += data.count(b"sync")
                    continue
                try:
                    _msg, fds, _flags, _addr = socket.recv_fds(self.control, 64, 4)
                except OSError:
                    continue
                for fd in fds:
                    self.start(fd)
            self.reap()
            if syncs and not self.busy:  # every job's processes are gone
                sys.stdout.write('{"event": "synced"}\n' * syncs)
                sys.stdout.flush()
                syncs = 0


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=int(sys.argv[1]))
    preload()
    host_pid = ns.global_pid()
    base_vm = _virtual_memory_bytes()
    caps, pids, root = confine_runner()
    config = RunnerConfig(namespaces=caps["mode"] == "namespaces", root=root,
                          base_vm=base_vm + (64 << 20), pid_namespace=pids)
    if config.namespaces:  # every child's scratch is /scratch: its environment, set once
        from modl_tutor.grading.sandbox.child import child_environment
        from modl_tutor.grading.sandbox.view import SCRATCH

        os.environ.clear()
        os.environ.update(child_environment(SCRATCH))
    sys.stdout.write(json.dumps({"event": "ready", "pid": os.getpid(),
                                 "capabilities": caps}) + "\n")
    sys.stdout.flush()
    import gc

    gc.collect()
    gc.freeze()  # slots share these objects: a collection in one never touches (copies) them
    Runner(control, config, host_pid).serve()


if __name__ == "__main__":
    main()
