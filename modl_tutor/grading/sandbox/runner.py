"""The student runner: a process started fresh (exec) by the grading client that loads only
NumPy and the public sandbox code and confines itself once (namespaces, the whitelisted view;
where it can, it goes on as init of a PID namespace of its own). It then keeps a few *slots*
ready (see `slots`): supervisors forked ahead of the jobs, each with a few children already
confined (namespaces, private scratch, unprivileged) that wait for one job each.

It never sees a check, a reference, a seed or a hidden input, and never reads a job itself:
the judge hands it a socket (SCM_RIGHTS on the control socket), the runner passes it on to a
ready slot (SCM_RIGHTS again) and that slot's supervisor reads the job from it. Protocol:
argv[1] is the control socket's fd; the first line on stdout is `{"event": "ready",
"capabilities": {...}}`; "sync" on stdin is answered with `{"event": "synced"}` once every job
sent so far is over and its processes are gone; when stdin closes (the client exited or was
killed) every supervisor is killed and the runner exits.

Run: `python -I -m modl_tutor.grading.sandbox.runner FD`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from typing import Any

from modl_tutor.grading.sandbox import namespaces as ns
from modl_tutor.grading.sandbox.limits import _virtual_memory_bytes
from modl_tutor.grading.sandbox.slots import Runner
from modl_tutor.grading.sandbox.supervisor import RunnerConfig

LIMITS = ["cpu-time", "wall-clock guard", "address-space", "file-size", "open-files",
          "processes"]


LAZY = ("numpy.fft", "numpy.random", "numpy.testing")
"""Imported by a child that uses them, inside the view, where the sandbox's uid can read
them: preloaded, they would make every fork dearer (numpy.random alone: 50 more mappings to
copy, ~0.4 ms per child) for the rare job that needs them."""


def preload() -> None:
    """What every submission uses, imported before the view hides the files."""
    import importlib

    import numpy
    import numpy.linalg  # noqa: F401 - numpy 2 loads linalg itself

    for name in ("decimal", "fractions", "statistics", "math", "cmath", "itertools",
                 "functools", "collections", "dataclasses", "typing", "copy", "hashlib",
                 "linecache", "traceback", "tempfile", "base64", "json", "numbers", "random",
                 "heapq", "bisect", "operator", "string", "re", "warnings", "contextlib"):
        importlib.import_module(name)
    from modl_tutor.grading.wire import plain_dtypes

    plain_dtypes()
    sys.dont_write_bytecode = True


def preload_lazy() -> None:
    """`LAZY` too, where a child may not read the interpreter's files (limits only, children
    under another uid: an interpreter under /root is unreadable to them)."""
    import importlib

    import numpy

    for name in LAZY:
        importlib.import_module(name)
    numpy.random.default_rng(0).choice([-1.0, 1.0], 3)  # first-call set-up, done once here


def _warning(reason: str) -> str:
    return ("the sandbox runs with resource limits only: the student's code can read every "
            "file this account can read (the bank and the grader included, unless they were "
            f"made private) and reach the network ({reason})")


def _pid_namespaces_work(own: int | None) -> bool:
    """Can a supervisor start each of its children as init of a new PID namespace, one after
    the other? (probed in a fork)"""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            for _ in range(2):
                ns.new_pid_namespace_for_next_child(own)
                inner = os.fork()
                if inner == 0:
                    os._exit(0 if os.getpid() == 1 else 1)
                _, status = os.waitpid(inner, 0)
                if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                    break
            else:
                code = 0
        except BaseException:  # noqa: BLE001 - a probe answers by its exit status
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _become_pid_init() -> int | None:
    """Go on as init of a fresh PID namespace owned by the runner's own user namespace, so
    that supervisors may start every child in a PID namespace of its own (setns back to this
    one in between); the process that was started stays behind as a shim that waits for it
    and exits as it does. An open fd to that namespace, or None where this is not possible."""
    try:
        ns.unshare(ns.CLONE_NEWPID)
        pid = os.fork()
    except OSError:
        return None
    if pid:  # the shim: nothing else to do (the client kills the whole session if need be)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        os._exit(code if code >= 0 else 128 - code)
    ns.die_with_parent()
    try:
        return os.open("/proc/self/ns/pid", os.O_RDONLY)
    except OSError:
        return None


def confine_runner() -> tuple[dict[str, Any], int | None, bool]:
    """Enter the namespaces and the whitelisted view where possible; the capabilities, an fd
    to the PID namespace children are started from (None: no PID namespace per child), and
    whether this is the real root."""
    from modl_tutor.grading.sandbox.view import enter_view, plan_view

    caps: dict[str, Any] = {"platform": sys.platform, "mode": "limits", "network": False,
                            "filesystem": False, "pid_namespace": False,
                            "privileges_dropped": False, "limits": list(LIMITS),
                            "view": "", "reason": ""}
    root = hasattr(os, "geteuid") and os.geteuid() == 0 and ns.in_initial_user_namespace()
    pids: int | None = None
    if ns.requested_mode() == "limits":
        caps["reason"] = ("MODL_SANDBOX=limits" if sys.platform.startswith("linux")
                          else f"namespaces need Linux (this is {sys.platform})")
    else:
        try:
            plan = plan_view()
            if not root and not ns.enter_user_namespace():
                raise OSError("user namespaces are not available")
            ns.unshare(ns.CLONE_NEWNS | ns.CLONE_NEWNET | ns.CLONE_NEWIPC | ns.CLONE_NEWUTS)
            pids = _become_pid_init()
            enter_view(plan)
            if pids is not None and not _pid_namespaces_work(pids):
                os.close(pids)
                pids = None
            caps.update(mode="namespaces", network=True, filesystem=True,
                        privileges_dropped=True, pid_namespace=pids is not None,
                        view="whitelist: the standard library, NumPy, system libraries, "
                             "/dev/null and a private scratch folder")
        except OSError as err:
            if caps["filesystem"] or os.getcwd() == "/" and not os.path.exists(sys.prefix):
                raise  # half-entered the view: never continue in an unknown state
            caps["reason"] = f"namespaces unavailable: {err}"
            pids = None
    if caps["mode"] == "limits" and root:
        caps["privileges_dropped"] = True
    caps["limits_only"] = caps["mode"] == "limits"
    caps["warning"] = _warning(caps["reason"]) if caps["limits_only"] else ""
    return caps, pids, root


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=int(sys.argv[1]))
    preload()
    host_pid = ns.global_pid()
    base_vm = _virtual_memory_bytes()
    caps, pids, root = confine_runner()
    if caps["mode"] != "namespaces":  # no view: the files are still there to import
        preload_lazy()
    config = RunnerConfig(namespaces=caps["mode"] == "namespaces", root=root,
                          base_vm=base_vm + (64 << 20), pid_namespace=pids is not None,
                          pid_ns_fd=pids)
    if config.namespaces:  # every child's scratch is /scratch: its environment, set once
        from modl_tutor.grading.sandbox.child import child_environment
        from modl_tutor.grading.sandbox.view import SCRATCH

        os.environ.clear()
        os.environ.update(child_environment(SCRATCH))
    sys.stdout.write(json.dumps({"event": "ready", "pid": ns.global_pid(),
                                 "capabilities": caps}) + "\n")
    sys.stdout.flush()
    import gc

    gc.collect()
    gc.freeze()  # slots share these objects: a collection in one never touches (copies) them
    Runner(control, config, host_pid).serve()


if __name__ == "__main__":
    main()
