"""The judge's side of the student runner: jobs as plain data out, bounded records back in.

A job carries the submission's source, the exercise's public drivers and each check's call
(inputs encoded by `wire`, never a callable or a reference). The judge hands the runner a
fresh socket over the control socket; a supervisor of the runner reads the job from it (one
line with its limits, then the job) and answers with JSON lines, which are validated here
before anything else looks at them.

A job with hidden checks has two phases, run by one child: the visible calls, then (a second
line, handed over by the supervisor only once the first phase is over and its printed output
read) the hidden calls. The supervisor ends each phase with an exit record of its own (a child
cannot write one), so each phase's records are read against that phase's checks only.
"""

from __future__ import annotations

import json
import os
import select
import socket
import time
from dataclasses import dataclass, field
from typing import Any

GUARD_MARGIN = 10.0
"""Seconds the judge waits beyond the supervisor's own wall-clock guard before giving up."""
MAX_ANSWER_BYTES = 40 << 20
"""Everything a supervisor may send back (its cap on the child is below this)."""
TEXT_LIMIT = 2_000
"""Child-supplied text (error messages, names) is cut to this before it reaches feedback."""
OUTPUT_LIMIT = 9_000


@dataclass
class SandboxRun:
    """What came back from one child: one record per check index, plus how it ended."""

    records: dict[int, dict[str, Any]] = field(default_factory=dict)
    import_error: str = ""
    import_error_kind: str = ""
    sandbox_error: str = ""
    finished: bool = False
    timed_out: bool = False
    not_graded: bool = False
    idle: bool = False
    exit_description: str = ""
    output: str = ""
    current: int | None = None
    protocol_error: str = ""
    isolation: dict[str, Any] = field(default_factory=dict)
    imported: bool = False
    cpu: float = 0.0
    wall: float = 0.0
    hidden_skipped: bool = False
    timing: dict[str, float] = field(default_factory=dict)
    """Milliseconds per step as the supervisor measured them (prepare: fork and confinement,
    before the job; read, deliver; ready, imported, done: since the job reached the child)."""
    slot: list[int] = field(default_factory=list)
    """Which supervisor (its pid in the runner) and which of its children ran the job."""
    size: int = 0
    """Bytes of the runner's answer (what a parked job holds: see `judge_workers`)."""


def _text(value: Any, limit: int = TEXT_LIMIT) -> str:
    return str(value)[:limit] if value is not None else ""


def _clean_record(record: dict[str, Any]) -> dict[str, Any]:
    """A result record with only known fields, child text truncated."""
    clean: dict[str, Any] = {"event": "result", "i": record["i"], "ok": bool(record.get("ok"))}
    if clean["ok"]:
        clean["value"] = record.get("value")
        mutated = record.get("mutated")
        clean["mutated"] = [
            {"arg": m.get("arg") if isinstance(m.get("arg"), int) else -1,
             "name": _text(m.get("name"), 60),
             **({"index": [int(i) for i in m["index"][:8] if isinstance(i, int)],
                 "before": m.get("before"), "after": m.get("after")}
                if isinstance(m.get("index"), list) else {})}
            for m in (mutated[:8] if isinstance(mutated, list) else []) if isinstance(m, dict)]
    else:
        clean["kind"] = _text(record.get("kind"), 40)
        clean["error"] = _text(record.get("error"))
        line = record.get("line")
        clean["line"] = line if isinstance(line, int) else None
    return clean


def accept(run: SandboxRun, line: bytes, indices: set[int]) -> None:
    """Take one record from the child into `run` (anything malformed is a protocol error)."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        run.protocol_error = "the result channel held something that is not a result"
        return
    if not isinstance(record, dict):
        return
    event = record.get("event")
    index = record.get("i")
    if event == "start" and isinstance(index, int) and index in indices:
        run.current = index
    elif event == "result" and isinstance(index, int) and index in indices \
            and index not in run.records:
        run.records[index] = _clean_record(record)
        run.current = None
    elif event == "import_error" and not run.import_error:
        run.import_error = _text(record.get("error"))
        run.import_error_kind = _text(record.get("kind"), 40)
    elif event == "sandbox_error":
        run.sandbox_error = _text(record.get("message"), 500)
    elif event == "ready" and isinstance(record.get("isolation"), dict):
        run.isolation = {k: v for k, v in list(record["isolation"].items())[:8]
                         if isinstance(v, (bool, str, list))}
    elif event == "imported":
        run.imported = True
    elif event == "done":
        run.finished = True


def _finish(run: SandboxRun, final: dict[str, Any]) -> None:
    """The supervisor's own last record: how the child ended (trusted, but still bounded)."""
    run.exit_description = _text(final.get("status"), 300)
    run.output = _text(final.get("output"), OUTPUT_LIMIT)
    limit = final.get("limit")
    run.cpu = float(final.get("cpu") or 0.0)
    run.wall = float(final.get("wall") or 0.0)
    if limit == "cpu":
        run.timed_out = True
    elif limit == "wall":
        if final.get("idle"):
            run.timed_out = run.idle = True
        else:
            run.not_graded = True
    timing = final.get("timing")
    if isinstance(timing, dict):
        run.timing = {str(k)[:20]: float(v) for k, v in list(timing.items())[:12]
                      if isinstance(v, (int, float)) and not isinstance(v, bool)}
    slot = final.get("slot")
    if isinstance(slot, list):
        run.slot = [v for v in slot[:2] if isinstance(v, int) and not isinstance(v, bool)]
    if final.get("protocol_error"):
        run.protocol_error = _text(final.get("protocol_error"), 200)
    if run.protocol_error:
        run.finished = False


def run_job(control_fd: int, job: dict[str, Any], indices: list[int]) -> SandboxRun:
    """Send `job` to the student runner and collect its answer (bounded in bytes and time)."""
    return run_phases(control_fd, job, indices)[0]


def run_phases(control_fd: int, job: dict[str, Any], indices: list[int],
               hidden: dict[str, Any] | None = None, hidden_indices: list[int] | tuple[()] = (),
               ) -> tuple[SandboxRun, SandboxRun | None]:
    """`run_job`, then, with `hidden` (the hidden checks' calls), a second phase in the same
    child: its run, or None when the first phase did not end well enough to start it."""
    run = SandboxRun()
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    control = socket.socket(fileno=os.dup(control_fd))
    try:
        try:
            socket.send_fds(control, [b"job"], [theirs.fileno()])
        except OSError as err:
            run.sandbox_error = f"the student runner is not available ({err.strerror or err})"
            return run, None
        finally:
            theirs.close()
            control.close()
        limits = {k: job[k] for k in ("cpu_seconds", "wall_seconds", "memory_mb") if k in job}
        parts = [job] if hidden is None else [job, hidden]
        if hidden is not None:
            limits["phases"] = 2
        # JSON has no raw newline: the supervisor splits the phases on them.
        mine.sendall(b"\n".join([json.dumps(limits).encode(), *(
            json.dumps(part, allow_nan=False, separators=(",", ":")).encode() for part in parts)]))
        mine.shutdown(socket.SHUT_WR)
        guard = len(parts) * float(job.get("wall_seconds", 35.0)) + GUARD_MARGIN
        data = _receive(mine, guard)
    except OSError as err:
        run.sandbox_error = f"the student runner stopped ({err})"
        return run, None
    finally:
        mine.close()
    if data is None:
        run.not_graded = True
        run.exit_description = "the student runner did not answer in time"
        return run, None
    lines = data.split(b"\n")
    ends = [k for k, line in enumerate(lines) if line.startswith(b'{"event":"exit"')]
    first = ends[0] if ends else len(lines)  # the supervisor's record ends each phase
    run = accept_answer(lines[:first + 1], indices)
    run.size = len(data)
    second = None
    if hidden is not None and len(ends) > 1:
        second = accept_answer(lines[first + 1:], list(hidden_indices))
    return run, second


def accept_answer(lines: list[bytes], indices: list[int]) -> SandboxRun:
    """A runner's whole answer (the child's records, then the supervisor's exit record)."""
    run = SandboxRun()
    allowed = set(indices)
    final: dict[str, Any] | None = None
    for line in lines:
        if not line.strip():
            continue
        if line.startswith(b'{"event":"exit"'):
            try:
                candidate = json.loads(line)
            except ValueError:
                continue
            if isinstance(candidate, dict):
                final = candidate
            continue
        accept(run, line, allowed)
    if final is None:
        run.sandbox_error = run.sandbox_error or "the student runner ended without an answer"
        return run
    _finish(run, final)
    return run


def _receive(sock: socket.socket, guard: float) -> bytes | None:
    deadline = time.monotonic() + guard
    data = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([sock], [], [], remaining)
        if not ready:
            continue
        chunk = sock.recv(1 << 20)
        if not chunk:
            return bytes(data)
        data.extend(chunk)
        if len(data) > MAX_ANSWER_BYTES:
            return bytes(data[:MAX_ANSWER_BYTES])
