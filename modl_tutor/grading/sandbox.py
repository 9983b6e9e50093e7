"""Run a submission in a forked, confined child and collect its plain-data results on a pipe.

Isolation (see `sandbox_capabilities`): on Linux where namespaces work, the child gets new
mount, network, IPC and UTS namespaces (the bank, home folders, /tmp and the workspace's
parent are hidden, the student's own file and the interpreter stay visible, writes go to a
private tmpfs), drops every privilege, and — when the grading worker is init of its own PID
namespace — every process it starts dies with the worker. Everywhere: rlimits (CPU, address
space, file size, open files, processes), a wall-clock limit enforced here with SIGKILL of
the process group, captured and truncated output. `MODL_SANDBOX=limits` forces limits only.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modl_tutor.grading import wire
from modl_tutor.grading.child import OUTPUT_LIMIT, ChildSetup, run_child
from modl_tutor.grading.namespaces import (global_pid, in_initial_user_namespace, plan_isolation,
                                           requested_mode)
from modl_tutor.grading.reap import kill_all
from modl_tutor.grading.toolkit.check import Check

UID_BASE = 10_000_000
"""Sandboxes run by root get the uid UID_BASE + (a live pid): unique, never a real user."""

_CAPABILITIES: dict[str, Any] | None = None


@dataclass
class SandboxRun:
    """What came back from the child: one record per check index, plus how it ended."""

    records: dict[int, dict[str, Any]] = field(default_factory=dict)
    import_error: str = ""
    import_error_kind: str = ""
    sandbox_error: str = ""
    finished: bool = False
    timed_out: bool = False
    exit_description: str = ""
    output: str = ""
    current: int | None = None
    protocol_error: str = ""
    isolation: dict[str, Any] = field(default_factory=dict)
    imported: bool = False


def set_pid_namespace(enabled: bool) -> None:
    """Record whether grading workers are forked as init of their own PID namespace."""
    caps = sandbox_capabilities()
    caps["pid_namespace"] = bool(enabled and caps["mode"] == "namespaces")
    global _CAPABILITIES
    _CAPABILITIES = caps


def sandbox_capabilities(*, refresh: bool = False) -> dict[str, Any]:
    """What isolation a sandbox started from this process gets (probed once by a fork).

    Keys: `mode` ("namespaces" or "limits"), `network`, `filesystem`, `pid_namespace`,
    `privileges_dropped` (bools), `limits` (the rlimits and the wall clock), `reason` (why
    limits only), `limits_only` and `warning` (one line to show instructors, '' if isolated).
    """
    global _CAPABILITIES
    if _CAPABILITIES is not None and not refresh:
        return dict(_CAPABILITIES)
    limits = ["wall-clock", "cpu", "address-space", "file-size", "open-files", "processes"]
    caps: dict[str, Any] = {"platform": sys.platform, "mode": "limits", "network": False,
                            "filesystem": False, "pid_namespace": False,
                            "privileges_dropped": False, "limits": limits, "reason": ""}
    if requested_mode() == "limits":
        caps["reason"] = ("MODL_SANDBOX=limits" if sys.platform.startswith("linux")
                          else f"namespaces need Linux (this is {sys.platform})")
    else:
        problem = _probe_namespaces()
        if problem:
            caps["reason"] = f"namespaces unavailable: {problem}"
        else:
            caps.update(mode="namespaces", network=True, filesystem=True,
                        privileges_dropped=True, pid_namespace=os.getpid() == 1)
    if caps["mode"] == "limits" and hasattr(os, "getuid") and os.getuid() == 0 \
            and in_initial_user_namespace():
        caps["privileges_dropped"] = True
        if not _readable_by_others(sys.prefix):
            caps["reason"] += (f"; {sys.prefix} is not readable by the sandbox's unprivileged "
                               "uid, so only modules the grader preloads can be imported")
    caps["limits_only"] = caps["mode"] == "limits"
    caps["warning"] = ("the sandbox runs with resource limits only: no network, filesystem or "
                       f"process isolation ({caps['reason']})" if caps["limits_only"] else "")
    _CAPABILITIES = caps
    return dict(caps)


def _readable_by_others(path: str) -> bool:
    """Can a uid with no special rights reach and read `path`?"""
    current = Path(path).resolve()
    for folder in [current, *current.parents]:
        try:
            mode = folder.stat().st_mode
        except OSError:
            return False
        if not mode & 0o001 or (folder == current and not mode & 0o004):
            return False
    return True


def _probe_namespaces() -> str:
    """'' when a child can enter the namespaces `isolate` uses, else why not."""
    from modl_tutor.grading.namespaces import drop_privileges, isolate

    read_fd, write_fd = os.pipe()
    tmp = tempfile.mkdtemp(prefix="modl-probe-")
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(read_fd)
            plan = plan_isolation(Path(tmp) / "ws" / "t" / "x.py", "", [], uid=None,
                                  fresh_proc=False)
            plan.hide, plan.keep, plan.rehide, plan.student_file = [], [], [], ""
            plan.scratch = tmp
            isolate(plan)
            drop_privileges(None)
        except BaseException as err:  # noqa: BLE001
            os.write(write_fd, str(err).encode()[:300])
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    message = b""
    while chunk := os.read(read_fd, 1024):
        message += chunk
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    os.rmdir(tmp)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return ""
    return message.decode("utf-8", "replace") or _describe_exit(status)


def _describe_exit(status: int) -> str:
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


def run_checks(student_file: Path, function: str, checks: list[Check], *, timeout: float,
               memory_mb: int, secrets: list[Path] | None = None,
               source: str | None = None, scrub: list[Check] | None = None) -> SandboxRun:
    """Fork a confined child that imports `student_file` and runs every check's call.

    `scrub` lists checks this child must not see: their inputs are cleared in the child's
    copy of memory before the submission is imported (used for hidden checks).
    """
    if source is None:
        source = Path(student_file).read_text(encoding="utf-8", errors="replace")
    caps = sandbox_capabilities()
    is_root = hasattr(os, "getuid") and os.getuid() == 0 and in_initial_user_namespace()
    use_ns = caps["mode"] == "namespaces"
    uid = UID_BASE + global_pid() if is_root else None
    read_fd, write_fd = os.pipe()
    out_read, out_write = os.pipe()
    scratch = "/tmp" if use_ns else tempfile.mkdtemp(prefix="modl-sandbox-")
    if uid is not None and not use_ns:
        os.chown(scratch, uid, uid)
        os.chmod(scratch, 0o700)
    isolation = plan_isolation(Path(student_file), source, list(secrets or []), uid=uid,
                               fresh_proc=os.getpid() == 1) if use_ns else None
    visible_file = str(student_file) if use_ns else _copy_into(scratch, Path(student_file),
                                                               source, uid)
    setup = ChildSetup(student_file=visible_file, source=source, function=function,
                       result_fd=write_fd, output_fd=out_write, timeout=timeout,
                       memory_mb=memory_mb, scratch=scratch, isolation=isolation, uid=uid,
                       processes=(32 if uid is not None else 0))
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child: never returns
        try:
            os.close(read_fd)
            os.close(out_read)
            for other in scrub or ():
                other.args, other.kwargs, other.expected = (), {}, None
            run_child(setup, checks)
        finally:
            os._exit(0)
    os.close(write_fd)
    os.close(out_write)
    run = SandboxRun()
    try:
        _collect(run, read_fd, out_read, timeout)
    finally:
        os.close(read_fd)
        os.close(out_read)
        status = kill_all(pid, uid, wait=not run.finished)
    run.exit_description = _describe_exit(status) if status is not None else ""
    if not use_ns:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    return run


def _copy_into(scratch: str, student_file: Path, source: str, uid: int | None) -> str:
    """Without a mount namespace, the submission reads its own file from its temp dir."""
    folder = Path(scratch) / student_file.parent.name
    folder.mkdir(exist_ok=True)
    copy = folder / student_file.name
    copy.write_text(source, encoding="utf-8")
    if uid is not None:
        for path in (folder, copy):
            os.chown(path, uid, uid)
    return str(copy)


def _collect(run: SandboxRun, read_fd: int, out_fd: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    buffer = b""
    received = 0
    output = bytearray()
    output_total = 0
    open_fds = [read_fd, out_fd]
    while read_fd in open_fds and not run.finished:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            run.timed_out = True
            break
        ready, _, _ = select.select(open_fds, [], [], min(remaining, 0.5))
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.remove(fd)
                continue
            if fd == out_fd:
                output_total += len(chunk)
                if len(output) < OUTPUT_LIMIT:
                    output.extend(chunk[:OUTPUT_LIMIT - len(output)])
                continue
            received += len(chunk)
            if received > wire.MAX_ARRAY_BYTES * 2:
                run.protocol_error = "the submission sent too much data"
                open_fds.remove(fd)
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                _accept(run, line)
    while out_fd in open_fds and len(output) < OUTPUT_LIMIT:  # what was printed last
        ready, _, _ = select.select([out_fd], [], [], 0)
        chunk = os.read(out_fd, 1 << 16) if ready else b""
        if not chunk:
            break
        output_total += len(chunk)
        output.extend(chunk[:OUTPUT_LIMIT - len(output)])
    text = bytes(output).decode("utf-8", "replace")
    if output_total > len(output):
        text += f"\n… (output truncated: {output_total} bytes printed)"
    run.output = text


def _accept(run: SandboxRun, line: bytes) -> None:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        run.protocol_error = "the result channel held something that is not a result"
        return
    if not isinstance(record, dict):
        return
    event = record.get("event")
    index = record.get("i")
    if event == "start" and isinstance(index, int):
        run.current = index
    elif event == "result" and isinstance(index, int) and index not in run.records:
        run.records[index] = record
        run.current = None
    elif event == "import_error" and not run.import_error:
        run.import_error = str(record.get("error", ""))[:2000]
        run.import_error_kind = str(record.get("kind", ""))
    elif event == "sandbox_error":
        run.sandbox_error = str(record.get("message", ""))[:500]
    elif event == "ready" and isinstance(record.get("isolation"), dict):
        run.isolation = record["isolation"]
    elif event == "imported":
        run.imported = True
    elif event == "done":
        run.finished = True
