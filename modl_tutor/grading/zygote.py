"""The judge server: imports numpy and the grading code once (never torch while the reference
store is usable: a missing reference is computed by its reference process, `refcompute`),
prepares each job's checks and references, then forks one trusted worker per job. It never
runs student code: its workers send plain-data jobs to the student runner (a separate process
that never held a secret) over the control socket (argv[2]).

Protocol (JSON lines): requests on stdin `{"id": ..., <grade_code request>}`, results on stdout
`{"id": ..., "result": {...}}`; `{"id": ..., "op": "sync"}` is answered once every earlier job
has finished and its worker has been reaped. The first line written is `{"event": "ready",
"pid": ...}`. When stdin closes (the client exited or was killed), every worker is killed and
the server exits at once; workers die with the server (PDEATHSIG), and so does its reference
process (killed and reaped on exit; PDEATHSIG and the client's kill of the server's session too).
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import sys
from collections import OrderedDict, deque
from pathlib import Path
from typing import Any


def _preload() -> None:
    import numpy  # noqa: F401
    import numpy.linalg  # noqa: F401 - numpy 2 loads these lazily: pay once, not per job
    import numpy.random  # noqa: F401

    # No student code runs here (the runner has what submissions may import), and torch is
    # imported only when a reference is missing from the store (`_prepare`).
    import modl_tutor.grading.code_grade  # noqa: F401
    import modl_tutor.grading.feedback  # noqa: F401
    import modl_tutor.grading.protocol  # noqa: F401
    import modl_tutor.grading.toolkit  # noqa: F401

    # an exercise's checks.py (and the kernels module it uses) is imported when its first job
    # is prepared, here, before the fork: every worker inherits it
    numpy.random.default_rng(0).choice([-1.0, 1.0], 3)  # first-call set-up, done once here
    from modl_tutor.grading.references import code_digest

    code_digest()  # hashed once here: every worker inherits it


_PREPARED: OrderedDict[tuple[str, str, bool, bool], Any] = OrderedDict()
PREPARED_KEEP = 64
"""Prepared exercises kept by the server (a watch session or a class batch reuses them)."""
_COMPUTED: set[str] = set()
"""Exercises (checks.py paths) whose missing references this server has computed once (only
where the store is not used, or for `modl verify`'s fresh requests)."""
_ASKED: set[str] = set()
"""Exercise keys (exercise, seed) the reference process was asked for: once each."""
_REFERENCES: Any = None
"""The reference process (`refcompute.ReferenceProcess`), started at the first miss."""


def _references() -> Any:
    global _REFERENCES
    if _REFERENCES is None:
        from modl_tutor.grading.refcompute import ReferenceProcess

        _REFERENCES = ReferenceProcess()
    return _REFERENCES


def _stop_references() -> None:
    """Kill and reap the reference process (when the server exits)."""
    if _REFERENCES is not None:
        _REFERENCES.close()


def _prepare(request: dict[str, Any]) -> None:
    """Build the job's checks and load its stored references here, before the fork: the
    worker inherits them (`code_grade.HANDOFF`). References missing from a usable store are
    computed and stored by the reference process (once per exercise and seed), then loaded:
    this server never imports torch for them. If that process fails, the worker computes
    what is still missing (a fallback: slower, never a wrong grade). Where the store is not
    used (see `client.store_trusted`) or a fresh computation is asked (`modl verify`), this
    server computes an exercise's first missing references itself (importing torch once);
    later misses of the same exercise are left to the workers, which inherit torch."""
    from modl_tutor.grading import code_grade
    from modl_tutor.grading.references import exercise_key

    code_grade.HANDOFF = None
    identity = code_grade.request_identity(request)
    checks_path, exercise_id, seed, fresh, use_store = identity
    if not checks_path or request.get("source") is None:
        return  # nothing to grade (a missing or unreadable file): no references needed
    had_torch = "torch" in sys.modules
    try:
        exercise = exercise_key(Path(checks_path), exercise_id, seed)
        key = (exercise, checks_path, fresh, use_store)
        prepared = _PREPARED.pop(key, None)
        if prepared is None:
            prepared = code_grade.prepare(Path(checks_path), exercise_id, seed, fresh=fresh,
                                          compute=False, use_store=use_store)
        else:
            prepared.complete(compute=False)  # a worker may have stored them since
        if prepared.missing():
            if prepared.store is not None and not fresh:
                if exercise not in _ASKED:
                    _ASKED.add(exercise)
                    if _references().compute(checks_path, exercise_id, seed):
                        prepared.complete(compute=False)
            elif checks_path not in _COMPUTED or not had_torch:
                prepared.complete()
                _COMPUTED.add(checks_path)
        _PREPARED[key] = prepared
        while len(_PREPARED) > PREPARED_KEEP:
            _PREPARED.popitem(last=False)
        code_grade.HANDOFF = (identity, prepared)
    except Exception:  # noqa: BLE001 - the worker reports a broken checks.py properly
        import traceback

        traceback.print_exc()  # to the server's stderr; the job itself then says what broke
    if not had_torch and "torch" in sys.modules:
        _torch_loaded()


def _torch_loaded() -> None:
    """torch was just imported (a reference was missing): one thread per worker, and its
    objects frozen for the GC like the rest of the server's, so workers share them."""
    import gc

    sys.modules["torch"].set_num_threads(1)
    gc.freeze()


def _worker(request: dict[str, Any], write_fd: int) -> None:
    """Body of a forked worker: grade, write one JSON document, exit."""
    from modl_tutor.grading.code_grade import grade_code

    timeout = float(request.get("timeout", 10.0) or 10.0)
    signal.alarm(int(2 * (3 * (timeout + 1) + 5) + 60))  # judging itself is bounded: two runs + slack
    try:
        result = grade_code(request)
    except BaseException as err:  # noqa: BLE001 - a worker must always answer
        import traceback

        traceback.print_exc()  # to the server's stderr, shown by the client with --debug
        result = {"id": request.get("exercise_id", "?"), "score": 0,
                  "max_score": request.get("points", 0), "status": "not_graded", "checks": [],
                  "message": f"not graded: the grader failed ({type(err).__name__}: "
                             f"{str(err)[:200]}); this is not your fault"}
    data = json.dumps(result, allow_nan=False).encode()
    view = memoryview(data)
    while view:
        written = os.write(write_fd, view)
        view = view[written:]
    os.close(write_fd)


def serve(jobs: int) -> None:
    """Answer jobs until stdin closes; at most `jobs` workers at a time."""
    from modl_tutor.grading.sandbox.namespaces import die_with_parent

    out = sys.stdout
    out.write(json.dumps({"event": "ready", "pid": os.getpid()}) + "\n")
    out.flush()
    fork = os.fork
    stdin_fd = sys.stdin.fileno()
    selector = selectors.DefaultSelector()
    selector.register(stdin_fd, selectors.EVENT_READ, "stdin")
    queue: deque[dict[str, Any]] = deque()
    running: dict[int, tuple[int, str, bytearray, float]] = {}  # fd -> (pid, id, buffer, points)
    pending = b""
    exiting: set[int] = set()
    stdin_open = True
    syncs: list[str] = []
    while stdin_open or queue or running or syncs:
        if syncs and not queue and not running:
            for pid in exiting:  # every worker, and so every process it started, is gone
                os.waitpid(pid, 0)
            exiting = set()
            for sync_id in syncs:
                out.write(json.dumps({"id": sync_id, "result": _synced()}) + "\n")
            out.flush()
            syncs = []
        while queue and len(running) < jobs:
            request = queue.popleft()
            if request.get("op") == "sync":
                syncs.append(str(request.get("id")))
                continue
            _prepare(request)
            read_fd, write_fd = os.pipe()
            out.flush()
            pid = fork()
            if pid == 0:
                code = 0
                try:
                    die_with_parent()
                    os.close(read_fd)
                    os.dup2(2, 1)  # a stray print must not reach the client's protocol
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    _worker(request, write_fd)
                except BaseException:  # noqa: BLE001
                    code = 1
                finally:
                    os._exit(code)
            os.close(write_fd)
            running[read_fd] = (pid, str(request.get("id")), bytearray(),
                                float(request.get("points", 0) or 0))
            selector.register(read_fd, selectors.EVENT_READ, "worker")
        if syncs and not queue and not running:
            continue  # answer the sync first
        for key, _ in selector.select(timeout=0.05 if exiting else 1.0):
            fd = key.fd
            if key.data == "stdin":
                chunk = os.read(fd, 1 << 16)
                if not chunk:  # the client is gone: nobody will read a result
                    _kill_workers(entry[0] for entry in running.values())
                    _kill_workers(exiting)
                    return
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.strip():
                        try:
                            queue.append(json.loads(line))
                        except ValueError:
                            continue
                continue
            pid, request_id, buffer, points = running[fd]
            chunk = os.read(fd, 1 << 16)
            if chunk:
                buffer.extend(chunk)
                continue
            selector.unregister(fd)
            os.close(fd)
            del running[fd]
            try:
                result = json.loads(bytes(buffer))
            except ValueError:
                result = {"status": "not_graded", "score": 0, "max_score": points,
                          "checks": [], "message": "not graded: the grader's worker stopped "
                                                   "without a result (out of time or memory)"}
            out.write(json.dumps({"id": request_id, "result": result}) + "\n")
            out.flush()
            exiting.add(pid)  # reaped below: its teardown need not delay the answer
        exiting = _reap(exiting)
    for pid in exiting:
        os.waitpid(pid, 0)


def serve_threads(jobs: int) -> None:
    """Without fork (Windows): the same protocol, jobs graded by threads of this process (no
    student code runs here: each job spawns its own student process)."""
    import threading
    from concurrent.futures import Future, ThreadPoolExecutor

    from modl_tutor.grading.code_grade import grade_code

    out, lock = sys.stdout, threading.Lock()
    out.write(json.dumps({"event": "ready", "pid": os.getpid()}) + "\n")
    out.flush()
    pending: list[Future[None]] = []

    def answer(request_id: str, result: dict[str, Any]) -> None:
        with lock:
            out.write(json.dumps({"id": request_id, "result": result}) + "\n")
            out.flush()

    def work(request: dict[str, Any]) -> None:
        try:
            result = grade_code(request)
        except Exception as err:  # noqa: BLE001 - a job must always answer
            import traceback

            traceback.print_exc()
            result = {"score": 0, "max_score": request.get("points", 0),
                      "status": "not_graded", "checks": [],
                      "message": f"not graded: the grader failed ({type(err).__name__})"}
        answer(str(request.get("id")), result)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for line in sys.stdin:
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if request.get("op") == "sync":
                for future in pending:
                    future.result()
                pending.clear()
                answer(str(request.get("id")), _synced())
                continue
            pending.append(pool.submit(work, request))
        os._exit(0)  # the client is gone: nobody will read a result


def _synced() -> dict[str, Any]:
    """The answer to a sync: done, whether this server has imported torch (tests and
    benchmarks check that it never does while the store is usable), and the pid of its
    reference process (None when none runs)."""
    return {"synced": True, "torch": "torch" in sys.modules,
            "references_pid": _REFERENCES.pid if _REFERENCES is not None else None}


def _kill_workers(pids: Any) -> None:
    for pid in list(pids):
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _reap(pids: set[int]) -> set[int]:
    """Collect the workers that have exited; the rest stay pending."""
    pending = set()
    for pid in pids:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        if done == 0:
            pending.add(pid)
    return pending


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else (os.cpu_count() or 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from modl_tutor.grading import code_grade

    code_grade.CONTROL_FD = int(sys.argv[2]) if len(sys.argv) > 2 else None
    _preload()
    if not hasattr(os, "fork"):
        serve_threads(max(1, jobs))
        return
    import gc

    gc.collect()
    gc.freeze()  # forked workers share these objects instead of copying them for the GC
    try:
        serve(max(1, jobs))
    finally:
        _stop_references()
    sys.stdout.flush()
    os._exit(0)  # every worker is reaped and every answer written: skip the interpreter's teardown


if __name__ == "__main__":
    main()
