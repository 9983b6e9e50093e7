"""The zygote: a process that imports numpy and torch once, then forks one trusted worker per job.

Protocol (JSON lines): requests on stdin `{"id": ..., <grade_code request>}`, results on stdout
`{"id": ..., "result": {...}}`. The first line written is `{"event": "ready"}`.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import sys
from collections import deque
from typing import Any


def _preload() -> None:
    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)
    import modl_tutor.grading.code_grade  # noqa: F401
    import modl_tutor.grading.sandbox  # noqa: F401
    import modl_tutor.grading.toolkit  # noqa: F401
    import modl_tutor.kernels as kernels_pkg
    import pkgutil
    import importlib

    for info in pkgutil.iter_modules(kernels_pkg.__path__):
        importlib.import_module(f"modl_tutor.kernels.{info.name}")


def _worker(request: dict[str, Any], write_fd: int) -> None:
    """Body of a forked worker: grade, write one JSON document, exit."""
    from modl_tutor.grading.code_grade import grade_code

    try:
        result = grade_code(request)
    except BaseException as err:  # noqa: BLE001 - a worker must always answer
        result = {"id": request.get("exercise_id", "?"), "score": 0,
                  "max_score": request.get("points", 0), "status": "error", "checks": [],
                  "message": f"grader error: {type(err).__name__}: {err}"}
    data = json.dumps(result, allow_nan=False).encode()
    view = memoryview(data)
    while view:
        written = os.write(write_fd, view)
        view = view[written:]
    os.close(write_fd)


def serve(jobs: int) -> None:
    _preload()
    out = sys.stdout
    out.write(json.dumps({"event": "ready", "pid": os.getpid()}) + "\n")
    out.flush()
    stdin_fd = sys.stdin.fileno()
    selector = selectors.DefaultSelector()
    selector.register(stdin_fd, selectors.EVENT_READ, "stdin")
    queue: deque[dict[str, Any]] = deque()
    running: dict[int, tuple[int, str, bytearray]] = {}  # read fd -> (pid, id, buffer)
    pending = b""
    stdin_open = True
    while stdin_open or queue or running:
        while queue and len(running) < jobs:
            request = queue.popleft()
            read_fd, write_fd = os.pipe()
            out.flush()
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    os.close(read_fd)
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    _worker(request, write_fd)
                except BaseException:  # noqa: BLE001
                    code = 1
                finally:
                    os._exit(code)
            os.close(write_fd)
            running[read_fd] = (pid, str(request.get("id")), bytearray())
            selector.register(read_fd, selectors.EVENT_READ, "worker")
        for key, _ in selector.select(timeout=1.0):
            fd = key.fd
            if key.data == "stdin":
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    stdin_open = False
                    selector.unregister(fd)
                    continue
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.strip():
                        queue.append(json.loads(line))
                continue
            pid, request_id, buffer = running[fd]
            chunk = os.read(fd, 1 << 16)
            if chunk:
                buffer.extend(chunk)
                continue
            selector.unregister(fd)
            os.close(fd)
            del running[fd]
            os.waitpid(pid, 0)
            try:
                result = json.loads(bytes(buffer))
            except ValueError:
                result = {"status": "error", "score": 0, "checks": [],
                          "message": "grader worker died without a result"}
            out.write(json.dumps({"id": request_id, "result": result}) + "\n")
            out.flush()


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else (os.cpu_count() or 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(max(1, jobs))


if __name__ == "__main__":
    main()
