"""The judge server's workers: forked once, each grades one job at a time for as long as the
server lives (a fork per job cost a fork and copy-on-write faults in both processes for every
exercise of a class). A worker that dies is answered for and replaced.

Server → worker, JSON lines on the worker's request pipe: `{"job": <request>}`, or the
answer to one of its questions. Worker → server, on its result pipe:
`{"id": <request id>, "result": {...}, "torch": bool}` once per job, and
`{"need": {..., "token": ...}}` when stored references are missing (the server has its
reference process compute them, once per exercise and seed, and answers
`{"references": bool, "token": ...}` when it has, without waiting). A job whose sandboxed runs
are over while its answer is still to come is *parked* (`{"parked": <request id>}`): the
worker takes another job meanwhile and judges the parked one when its answer comes (at most
`MAX_PARKED` jobs and `MAX_PARKED_BYTES` of their answers at a time), so a first grading runs
student code while torch is imported.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import deque
from collections.abc import Callable
from typing import Any, BinaryIO


def json_lines(buffer: bytearray, chunk: bytes) -> list[dict[str, Any]]:
    """The JSON objects of the whole lines `chunk` completes in `buffer` (which keeps the
    unfinished rest); a line that is not a JSON object is skipped. The buffer is copied only
    when a chunk completes a line (a long message read in many chunks costs linear time)."""
    end = chunk.rfind(b"\n")
    if end < 0:
        buffer.extend(chunk)
        return []
    buffer.extend(chunk[:end])
    whole = bytes(buffer).split(b"\n")
    buffer[:] = chunk[end + 1:]
    messages = []
    for line in whole:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict):
            messages.append(message)
    return messages


MAX_PARKED = 64
"""Parked jobs one worker holds at most (each keeps its sandboxed runs' records)."""
MAX_PARKED_BYTES = 128 << 20
"""Bytes of answers a worker's parked jobs hold at most: past this, a job waits for its
references where it is (a class of huge outputs cannot make a worker grow without bound)."""


class Worker:
    """The server's handle on one worker."""

    def __init__(self, pid: int, requests: int, results: int) -> None:
        self.pid = pid
        self.requests = requests  # the server writes jobs and answers here
        self.results = results  # and reads results and questions here
        self.buffer = bytearray()
        self.active: dict[str, Any] | None = None  # the request it is running, if any
        self.parked: dict[str, dict[str, Any]] = {}  # request id -> parked request

    @property
    def free(self) -> bool:
        """It may be sent a job: none running, room to park one more."""
        return self.active is None and len(self.parked) < MAX_PARKED

    def jobs(self) -> list[dict[str, Any]]:
        """Every request it holds (running or parked): lost if it dies."""
        return ([self.active] if self.active is not None else []) + list(self.parked.values())

    def park(self, request_id: str) -> None:
        """Its running job waits for references: it holds it and may take another."""
        if self.active is not None and str(self.active.get("id")) == request_id:
            self.parked[request_id] = self.active
            self.active = None

    def finish(self, request_id: Any) -> dict[str, Any] | None:
        """The request a result answers (None: not one of its jobs: ignored)."""
        request_id = str(request_id)
        if self.active is not None and str(self.active.get("id")) == request_id:
            request, self.active = self.active, None
            return request
        return self.parked.pop(request_id, None)

    def send(self, message: dict[str, Any]) -> bool:
        """Write one message; False when the worker is gone (its pipe is closed)."""
        view = memoryview(json.dumps(message, allow_nan=False).encode() + b"\n")
        try:
            while view:
                view = view[os.write(self.requests, view):]
        except OSError:
            return False
        return True

    def lines(self, chunk: bytes) -> list[dict[str, Any]]:
        """The whole messages `chunk` completes (a line that is not a JSON object is skipped:
        the worker is trusted code, but never trusted to be well-formed)."""
        return json_lines(self.buffer, chunk)

    def stop(self) -> None:
        """Kill and reap it, and close its pipes."""
        for fd in (self.requests, self.results):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def fork_worker(keep: tuple[int, ...], body: Callable[[BinaryIO, int], None]) -> Worker:
    """A worker running `body(requests, result_fd)`; it keeps only stdio, `keep` (the
    control socket to the student runner) and its own two pipes."""
    requests_read, requests_write = os.pipe()
    results_read, results_write = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            from modl_tutor.grading.sandbox.limits import close_fds
            from modl_tutor.grading.sandbox.namespaces import die_with_parent

            die_with_parent()
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)  # the client's requests are the server's to read
            os.dup2(2, 1)  # a stray print must not reach the client's protocol
            close_fds((0, 1, 2, requests_read, results_write, *keep))
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            body(os.fdopen(requests_read, "rb"), results_write)
        except BaseException:  # noqa: BLE001 - a worker always exits through os._exit
            import traceback

            traceback.print_exc()  # to the server's stderr, shown by the client with --debug
            code = 1
        finally:
            os._exit(code)
    os.close(requests_read)
    os.close(results_write)
    return Worker(pid, requests_write, results_read)


def write_line(fd: int, message: dict[str, Any]) -> None:
    """One JSON line to `fd`, whole."""
    view = memoryview(json.dumps(message, allow_nan=False).encode() + b"\n")
    while view:
        view = view[os.write(fd, view):]


def read_message(requests: BinaryIO) -> dict[str, Any] | None:
    """The next message from the server; None when the server is gone."""
    while True:
        line = requests.readline()
        if not line:
            return None
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict):
            return message


class ServerReferences:
    """In a worker: asks its server to have missing references computed (the server's one
    reference process serves every worker; `zygote._references` in a worker is this). A
    question is asked before the job's sandboxed runs and its answer read after them."""

    pid = None

    def __init__(self, requests: BinaryIO, result_fd: int) -> None:
        self.requests_pipe = requests
        self.result_fd = result_fd
        self.requests = 0
        self.answers: dict[str, bool] = {}  # token -> stored?, read and not yet used
        self.inbox: deque[dict[str, Any]] = deque()  # other messages read while waiting

    def next_message(self) -> dict[str, Any] | None:
        """The next message from the server (one read while waiting for an answer first)."""
        return self.inbox.popleft() if self.inbox else read_message(self.requests_pipe)

    def ask(self, checks_path: str, exercise_id: str, seed: str) -> str:
        """Send the question; its token for `answer`."""
        self.requests += 1
        token = f"{os.getpid()}:{self.requests}"
        write_line(self.result_fd, {"need": {"checks_path": checks_path, "token": token,
                                             "exercise_id": exercise_id, "seed": seed}})
        return token

    def answered(self, token: str) -> bool:
        return False  # the server answers later: `answer` waits for it

    def answer(self, token: str) -> bool:
        """The server's answer to `token`, waiting for it if it has not come yet (any other
        message read meanwhile, another job's answer too, is kept for `next_message`)."""
        while token not in self.answers:
            message = read_message(self.requests_pipe)
            if message is None:
                os._exit(0)  # the server is gone: nobody will read a result
            if "references" in message and message.get("token") == token:
                return message.get("references") is True
            self.inbox.append(message)  # a job, or a parked job's answer: read next
        return self.answers.pop(token)

    def compute(self, checks_path: str, exercise_id: str, seed: str) -> bool:
        return self.answer(self.ask(checks_path, exercise_id, seed))

    def close(self) -> None:
        """Nothing to stop: the server owns the reference process."""
