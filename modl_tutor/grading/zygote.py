"""The judge server: imports numpy and the grading code once (never torch while the reference
store is usable: a missing reference is computed by its reference process, `refcompute`),
then forks its trusted workers once (`judge_workers`); each prepares a job's checks and
references and grades it, one job at a time. Nothing here runs student code: workers send
plain-data jobs to the student runner (a separate process that never held a secret) over the
control socket (argv[2]).

Protocol (JSON lines): requests on stdin `{"id": ..., <grade_code request>}`, results on stdout
`{"id": ..., "result": {...}}`; `{"id": ..., "op": "sync"}` is answered once every earlier job
has been answered. The first line written is `{"event": "ready", "pid": ...}`. When stdin
closes (the client exited or was killed), every worker is killed and the server exits at once;
workers die with the server (PDEATHSIG), and so does its reference process (killed and reaped
on exit; PDEATHSIG and the client's kill of the server's session too).
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import sys
from collections import deque
from collections.abc import Generator
from pathlib import Path
from typing import Any, BinaryIO


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

    numpy.random.default_rng(0).choice([-1.0, 1.0], 3)  # first-call set-up, done once here
    from modl_tutor.grading.references import code_digest

    code_digest()  # hashed once here: every worker inherits it


_ASKED: dict[str, bool] = {}
"""Exercise keys a worker asked its server's reference process for, and the answer: once each
(a worker's own copy answers again without asking)."""
_REFERENCES: Any = None
"""The reference process (`refcompute.ReferenceProcess`), started at the first miss; in a
worker, `judge_workers.ServerReferences` (its server's process, asked over the pipes)."""
_WORKER_TORCH = False
"""Whether a worker of this server has imported torch (a reference it had to compute)."""


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
    """Build the job's checks and load its stored references (`code_grade.HANDOFF`, which
    `grade_code` then takes). References missing from a usable store are computed and stored
    by the server's reference process (asked once per exercise and seed), then loaded: the
    judge never imports torch for them. If that process fails, `grade_code` computes what is
    still missing (a fallback: slower, never a wrong grade), as it does where the store is
    not used (see `client.store_trusted`) or a fresh computation is asked (`modl verify`)."""
    from modl_tutor.grading import code_grade

    code_grade.HANDOFF = None
    identity = code_grade.request_identity(request)
    checks_path, exercise_id, seed, fresh, use_store = identity
    if not checks_path or request.get("source") is None:
        return  # nothing to grade (a missing or unreadable file): no references needed
    try:
        prepared = code_grade.prepare(Path(checks_path), exercise_id, seed, fresh=fresh,
                                      compute=False, use_store=use_store)
        if prepared.missing() and prepared.store is not None and not fresh:
            key = prepared.store.key
            if key not in _ASKED:  # asked now, answered when the job needs it (`complete`)
                references = _references()
                token = references.ask(checks_path, exercise_id, seed)

                def waiting() -> bool:
                    _ASKED[key] = references.answer(token)
                    return _ASKED[key]

                prepared.waiting, prepared.asked = waiting, token
                if references.answered(token):  # computed in place (no server to ask)
                    prepared.complete(compute=False)
            elif _ASKED[key]:
                prepared.complete(compute=False)
        code_grade.HANDOFF = (identity, prepared)
    except Exception:  # noqa: BLE001 - the job itself then says what broke, properly
        import traceback

        traceback.print_exc()  # to the server's stderr, shown by the client with --debug


def _failed(request: dict[str, Any], err: BaseException) -> dict[str, Any]:
    import traceback

    traceback.print_exc()  # to the server's stderr, shown by the client with --debug
    return {"id": request.get("exercise_id", "?"), "score": 0,
            "max_score": request.get("points", 0), "status": "not_graded", "checks": [],
            "message": f"not graded: the grader failed ({type(err).__name__}: "
                       f"{str(err)[:200]}); this is not your fault"}


def _step(request: dict[str, Any], steps: Generator[Any, None, dict[str, Any]] | None,
          room: int = 0,
          ) -> tuple[dict[str, Any] | None, Generator[Any, None, dict[str, Any]] | None, str, int]:
    """A job in a worker, run to its end, (result, None, "", 0), or to where it waits for
    references, (None, its steps, the awaited answer's token, the bytes it holds), when those
    fit in `room` (else it waits here). A new job (`steps` None) is prepared first. A step is
    bounded (SIGALRM ends the worker: its jobs are answered "not graded"); a job is always
    answered."""
    from modl_tutor.grading.code_grade import grading

    had_torch = "torch" in sys.modules
    timeout = float(request.get("timeout", 10.0) or 10.0)
    signal.alarm(int(2 * (3 * (timeout + 1) + 5) + 60))  # judging itself is bounded: two runs + slack
    resumed = steps is not None
    try:
        if steps is None:
            _prepare(request)
            steps = grading(request)
        prepared = next(steps)
        if resumed or not prepared.asked:  # never parked twice, nor without an answer to await
            raise RuntimeError("a job waited for its references twice")
        if prepared.held <= room:
            return None, steps, prepared.asked, prepared.held
        next(steps)  # no room to park it: its references are awaited here, then it ends
        raise RuntimeError("a job waited for its references twice")
    except StopIteration as done:
        return done.value, None, "", 0
    except BaseException as err:  # noqa: BLE001 - a worker must always answer
        return _failed(request, err), None, "", 0
    finally:
        signal.alarm(0)
        if not had_torch and "torch" in sys.modules:  # a reference was computed here
            sys.modules["torch"].set_num_threads(1)


def _serve_jobs(requests: BinaryIO, result_fd: int) -> None:
    """Body of a worker: grade each job the server sends, until the server is gone. A job
    that waits for references is parked (see `judge_workers`) and resumed when they come."""
    global _REFERENCES
    from modl_tutor.grading.judge_workers import MAX_PARKED_BYTES, ServerReferences, write_line

    references = ServerReferences(requests, result_fd)
    _REFERENCES = references
    parked: dict[str, tuple[dict[str, Any], Any, int]] = {}  # token -> (request, steps, held)

    def run(request: dict[str, Any], steps: Any, _held: int = 0) -> None:
        request_id = str(request.get("id"))
        room = MAX_PARKED_BYTES - sum(held for _, _, held in parked.values())
        result, steps, token, held = _step(request, steps, room)
        if steps is not None:
            parked[token] = (request, steps, held)
            write_line(result_fd, {"parked": request_id})
        else:
            write_line(result_fd, {"id": request_id, "result": result,
                                   "torch": "torch" in sys.modules})

    while True:
        message = references.next_message()
        if message is None:
            return
        if "references" in message:  # a parked job's answer (any other is stale: skipped)
            token = str(message.get("token", ""))
            if token in parked:
                references.answers[token] = message.get("references") is True
                run(*parked.pop(token))
            continue
        request = message.get("job")
        if isinstance(request, dict):
            run(request, None)


def _store_is_empty() -> bool:
    """No reference was ever stored here (the store on, its folder missing or empty)."""
    from modl_tutor.grading.references import store_dir

    root = store_dir()
    if root is None:
        return False
    try:
        with os.scandir(root) as entries:
            return not any(True for _ in entries)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _lost(request: dict[str, Any]) -> dict[str, Any]:
    return {"status": "not_graded", "score": 0, "max_score": float(request.get("points", 0) or 0),
            "checks": [], "message": "not graded: the grader's worker stopped without a result "
                                     "(out of time or memory)"}


def serve(jobs: int) -> None:
    """Answer jobs until stdin closes: `jobs` workers, forked once, one job each at a time."""
    global _WORKER_TORCH
    from modl_tutor.grading import code_grade
    from modl_tutor.grading.judge_workers import Worker, fork_worker, json_lines
    from modl_tutor.grading.ref_questions import Questions

    out = sys.stdout
    out.write(json.dumps({"event": "ready", "pid": os.getpid()}) + "\n")
    out.flush()
    stdin_fd = sys.stdin.fileno()
    selector = selectors.DefaultSelector()
    selector.register(stdin_fd, selectors.EVENT_READ, None)
    keep = () if code_grade.CONTROL_FD is None else (code_grade.CONTROL_FD,)
    idle: deque[Worker] = deque()  # free workers (nothing running, room to park)
    workers: dict[int, Worker] = {}  # results fd -> worker

    def add_worker() -> None:
        worker = fork_worker(keep, _serve_jobs)
        workers[worker.results] = worker
        selector.register(worker.results, selectors.EVENT_READ, worker)
        idle.append(worker)

    def remove(worker: Worker) -> None:
        selector.unregister(worker.results)
        del workers[worker.results]
        if worker in idle:
            idle.remove(worker)
        worker.stop()

    def answer(request: dict[str, Any], result: dict[str, Any]) -> None:
        out.write(json.dumps({"id": str(request.get("id")), "result": result}) + "\n")
        out.flush()

    def release(worker: Worker) -> None:
        if worker.free and worker not in idle and worker.results in workers:
            idle.append(worker)

    def lose(worker: Worker) -> None:  # it died: its jobs, running or parked, not graded
        for lost in worker.jobs():
            answer(lost, _lost(lost))
        worker.active, worker.parked = None, {}
        remove(worker)

    for _ in range(jobs):
        add_worker()
    questions = Questions(selector, _ASKED, _references, lambda: _REFERENCES,
                          empty_store=_store_is_empty())
    queue: deque[dict[str, Any]] = deque()
    pending = bytearray()
    syncs: list[str] = []
    try:
        while True:
            busy = any(worker.jobs() for worker in workers.values())
            if syncs and not queue and not busy:
                for sync_id in syncs:
                    out.write(json.dumps({"id": sync_id, "result": _synced()}) + "\n")
                out.flush()
                syncs = []
            while queue and (idle or len(workers) < jobs):
                request = queue.popleft()
                if request.get("op") == "sync":
                    syncs.append(str(request.get("id")))
                    continue
                if not idle:
                    add_worker()  # one died since: its replacement
                worker = idle.popleft()
                worker.active = request
                if not worker.send({"job": request}):
                    worker.active = None
                    queue.appendleft(request)
                    lose(worker)
            if syncs and not queue and not any(w.jobs() for w in workers.values()):
                continue  # answer the sync first
            questions.poll()
            for key, _ in selector.select(timeout=1.0):
                if key.data is questions:  # the reference process answered (or ended)
                    questions.readable()
                    continue
                if key.data is None:  # stdin: the client's requests
                    chunk = os.read(stdin_fd, 1 << 16)
                    if not chunk:  # the client is gone: nobody will read a result
                        return
                    for request in json_lines(pending, chunk):
                        queue.append(request)
                        questions.ahead(request)
                    continue
                worker = key.data
                chunk = os.read(worker.results, 1 << 16)
                if not chunk:  # it died (its alarm, or out of memory): answered, replaced
                    lose(worker)
                    continue
                for message in worker.lines(chunk):
                    if "need" in message:
                        questions.ask(worker, message["need"])
                    elif "parked" in message:
                        worker.park(str(message["parked"]))
                        release(worker)
                    elif isinstance(message.get("result"), dict):
                        request = worker.finish(message.get("id"))
                        if request is not None:
                            _WORKER_TORCH = _WORKER_TORCH or message.get("torch") is True
                            answer(request, message["result"])
                            release(worker)
    finally:
        for worker in list(workers.values()):
            worker.stop()


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
    """The answer to a sync: done, whether this server and whether one of its workers has
    imported torch (tests and benchmarks check that none does while the store is usable),
    and the pid of its reference process (None when none runs)."""
    return {"synced": True, "torch": "torch" in sys.modules, "workers_torch": _WORKER_TORCH,
            "references_pid": _REFERENCES.pid if _REFERENCES is not None else None}


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
    gc.freeze()  # the workers share these objects instead of copying them for the GC
    try:
        serve(max(1, jobs))
    finally:
        _stop_references()
    sys.stdout.flush()
    os._exit(0)  # every worker is reaped and every answer written: skip the interpreter's teardown


if __name__ == "__main__":
    main()
