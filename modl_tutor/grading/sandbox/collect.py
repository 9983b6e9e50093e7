"""What a supervisor collects from its child: the records (split into lines in linear time,
bounded in size; a line that claims to be the exit record is dropped) and the printed output
(kept up to OUTPUT_LIMIT, drained up to OUTPUT_DRAIN_BYTES), under the wall-clock guard."""

from __future__ import annotations

import os
import select
import signal
import time

from modl_tutor.grading.sandbox.child import OUTPUT_LIMIT

MAX_RESULT_BYTES = 32 << 20
"""All the records one child may send; past this it is stopped ("sent too much data")."""
MAX_LINE_BYTES = 24 << 20
OUTPUT_DRAIN_BYTES = 64 << 20
"""Printed output is read (and dropped past OUTPUT_LIMIT) up to this, then the child is
stopped, so a child cannot stall on a full pipe or keep the supervisor busy forever."""
IDLE_FRACTION = 0.1
"""Under the wall-clock guard, a child that used less CPU than this share of the elapsed time
was waiting (sleep, a blocked read): its own doing, graded as a time-out."""


def _ms(since: float) -> float:
    return round(1000 * (time.perf_counter() - since), 3)


class Collected:
    def __init__(self, clock: float | None = None) -> None:
        self.clock = clock
        self.marks: dict[str, float] = {}
        self.lines: list[bytes] = []
        self.received = 0
        self.pending = bytearray()
        self.output = bytearray()
        self.output_total = 0
        self.finished = False
        self.guard_fired = False
        self.protocol_error = ""
        self.over_cpu = False
        """The child used more CPU than `collect`'s `cpu_limit` (a phase past its share)."""

    def take(self, chunk: bytes) -> None:
        """Split the child's stream into records (linear time, bounded size)."""
        self.received += len(chunk)
        if self.received > MAX_RESULT_BYTES:
            self.protocol_error = "the submission sent too much data"
            return
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                self.pending.extend(chunk[start:])
                break
            self.pending.extend(chunk[start:end])
            self._line(bytes(self.pending))
            self.pending.clear()
            start = end + 1
        if len(self.pending) > MAX_LINE_BYTES:
            self.protocol_error = "the submission sent a record that is too large"

    def _line(self, line: bytes) -> None:
        if line.startswith(b'{"event":"exit"'):
            return  # only the supervisor ends an answer
        self.lines.append(line + b"\n")
        if self.clock is not None:
            for mark in ("ready", "imported", "done"):
                if line.startswith(b'{"event":"%s"' % mark.encode()) and mark not in self.marks:
                    self.marks[mark] = _ms(self.clock)
        if line.startswith(b'{"event":"done"'):
            self.finished = True

    def output_text(self) -> str:
        text = bytes(self.output).decode("utf-8", "replace")
        if self.output_total > len(self.output):
            text += f"\n… (output truncated: {self.output_total} bytes printed)"
        return text


def process_cpu(pid: int) -> float:
    """CPU seconds a live child (and its threads) used so far: its process CPU clock."""
    try:
        return time.clock_gettime(((~pid) << 3) | 2)  # CPUCLOCK_SCHED of the process
    except (OSError, OverflowError):
        return 0.0


CPU_POLL = 0.1
"""Seconds between two looks at a child's CPU clock under a `cpu_limit`."""


def collect(run: Collected, read_fd: int, out_fd: int, wall: float,
            send: tuple[int, bytes] | None = None,
            cpu_limit: tuple[int, float] | None = None) -> None:
    """Read the child's records and output until it is done, under the wall-clock guard;
    with `send`, first write those bytes to that fd (then close it) as the child reads them,
    never blocking on a child that does not; with `cpu_limit` (pid, seconds), stop once that
    process's CPU clock passes it (`over_cpu`): a phase of a job held to its own share,
    whatever the child did to its own limits."""
    writing = _Writing(*send) if send is not None else None
    try:
        _collect(run, read_fd, out_fd, time.monotonic() + wall, writing, cpu_limit)
    finally:
        if writing is not None:
            writing.close()


def _collect(run: Collected, read_fd: int, out_fd: int, deadline: float,
             writing: _Writing | None, cpu_limit: tuple[int, float] | None) -> None:
    open_fds = [read_fd, out_fd]
    poll = CPU_POLL if cpu_limit is not None else 1.0
    while read_fd in open_fds and not run.finished and not run.protocol_error:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            run.guard_fired = True
            return
        if cpu_limit is not None and process_cpu(cpu_limit[0]) >= cpu_limit[1]:
            run.over_cpu = True
            return
        waiting = [writing.fd] if writing is not None and not writing.closed else []
        ready, writable, _ = select.select(open_fds, waiting, [], min(remaining, poll))
        if writable and writing is not None:
            writing.step()
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.remove(fd)
            elif fd == out_fd:
                run.output_total += len(chunk)
                if len(run.output) < OUTPUT_LIMIT:
                    run.output.extend(chunk[:OUTPUT_LIMIT - len(run.output)])
                if run.output_total > OUTPUT_DRAIN_BYTES:
                    run.protocol_error = "the submission printed too much"
            else:
                run.take(chunk)
    while out_fd in open_fds:  # what was printed last, without waiting
        ready, _, _ = select.select([out_fd], [], [], 0)
        chunk = os.read(out_fd, 1 << 16) if ready else b""
        if not chunk:
            break
        run.output_total += len(chunk)
        if len(run.output) < OUTPUT_LIMIT:
            run.output.extend(chunk[:OUTPUT_LIMIT - len(run.output)])


class _Writing:
    """Bytes on their way into a pipe the child reads, a non-blocking write at a time."""

    def __init__(self, fd: int, data: bytes) -> None:
        self.fd, self.view, self.closed = fd, memoryview(data), False
        os.set_blocking(fd, False)

    def step(self) -> None:
        """Write what the pipe takes now; close it once all is written."""
        try:
            self.view = self.view[os.write(self.fd, self.view[:1 << 16]):]
        except BlockingIOError:
            return
        except OSError:  # the child closed its end: nothing more to give it
            self.view = self.view[:0]
        if not self.view:
            self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self.fd)


def describe_exit(status: int) -> str:
    """How a process ended, in words a student can act on."""
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
