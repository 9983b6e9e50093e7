"""Grade on a Dask cluster: one grading server per worker (a worker plugin), one task per submission."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from modl_tutor.bank.loader import Bank, load_bank
from modl_tutor.batch.cache import ResultCache, bank_digest, cacheable, submission_key
from modl_tutor.batch.runner import error_row, grade_one
from modl_tutor.errors import ModlError
from modl_tutor.result import SubmissionResult

logger = logging.getLogger("modl")

PLUGIN = "modl-grader"
CONNECT_TIMEOUT = 30.0

try:  # the `dask` extra; without it only `grade_on_dask` complains, with a one-line error
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover - exercised where distributed is not installed
    _PluginBase = object  # type: ignore[assignment,misc]


class DaskUnavailable(ModlError):
    """`--dask` without the optional dependency, or a scheduler that cannot be reached."""


@lru_cache(maxsize=4)
def _bank_at(root: str) -> Bank:
    return load_bank(Path(root), cached=False)


class GraderPlugin(_PluginBase):  # type: ignore[misc,valid-type]
    """Hosts one grading server (torch loaded once) in each worker, for the worker's life."""

    name = PLUGIN

    def __init__(self, bank_root: str, exercise_ids: Sequence[str], jobs: int | None = None,
                 digest: str = "") -> None:
        self.bank_root = bank_root
        self.exercise_ids = list(exercise_ids)
        self.jobs = jobs
        self.digest = digest
        self.grader: Any = None

    def setup(self, worker: Any = None) -> None:
        from modl_tutor.grading.client import CodeGrader

        bank = _bank_at(self.bank_root)
        if self.digest and bank_digest(bank) != self.digest:
            raise DaskUnavailable(f"this worker's bank at {self.bank_root} (or its modl) differs "
                                  "from the one the client grades with")
        self.grader = CodeGrader(jobs=self.jobs)

    def teardown(self, worker: Any = None) -> None:
        if self.grader is not None:
            self.grader.close()
            self.grader = None

    def signature(self) -> tuple[Any, ...]:
        """What decides a grade here: the same signature needs no new grading server."""
        return (self.bank_root, tuple(self.exercise_ids), self.jobs, self.digest)

    def grade(self, path: str, student: str | None = None) -> SubmissionResult:
        bank = _bank_at(self.bank_root)
        exercises = [bank.get(i) for i in self.exercise_ids]
        return grade_one(Path(path), bank, self.grader, exercises, student=student)


def plugin_signature(dask_worker: Any) -> tuple[Any, ...] | None:
    """The signature of the grading plugin a worker runs (None: none yet); for `client.run`."""
    plugin = dask_worker.plugins.get(PLUGIN)
    if plugin is None or getattr(plugin, "grader", None) is None:
        return None
    return tuple(plugin.signature())


def grade_task(path: str, student: str | None = None) -> SubmissionResult:
    """One whole submission, graded by this worker's grading server (run on a worker)."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN)
    if plugin is None:
        raise DaskUnavailable("this Dask worker has no modl grading plugin")
    return plugin.grade(path, student)


def _require_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise DaskUnavailable("--dask needs the optional Dask support: "
                              "pip install 'modl-tutor[dask]'") from None
    return distributed


def _connect(distributed: Any, scheduler: str) -> Any:
    try:
        return distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise DaskUnavailable(f"--dask {scheduler}: cannot reach the Dask scheduler "
                              f"({type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''})"
                              ) from None


def grade_on_dask(submissions: Sequence[Path], bank: Bank, scheduler: str | None = None, *,
                  cache: ResultCache | None = None, client: Any = None,
                  exercises: Iterable[Any] | None = None, jobs: int | None = None,
                  students: Mapping[str, str] | None = None) -> list[SubmissionResult]:
    """Grade every submission on the cluster; results in the order given, as `grade_batch`.

    The cache is read and written here, on the client. Workers must see the submissions and
    the bank at the same paths (a shared file system; relative paths resolve in each worker's
    folder). Pass `client` to reuse a connection (then `scheduler` is not used).
    """
    distributed = _require_distributed()
    chosen = list(exercises) if exercises is not None else list(bank)
    digest = bank_digest(bank)
    results: list[SubmissionResult | None] = [None] * len(submissions)
    keys: dict[int, str | None] = {}
    todo: list[int] = []
    for index, path in enumerate(submissions):
        student = (students or {}).get(str(path))
        salted = f"{digest}\0student={student}" if student is not None else digest
        key = submission_key(Path(path), salted) if cache is not None else None
        hit = cache.get(key, str(path)) if cache is not None and key is not None else None
        if hit is not None:
            results[index] = hit
        else:
            keys[index] = key
            todo.append(index)
    if todo:
        own = client is None
        if own:
            if not scheduler:
                raise DaskUnavailable("--dask needs a scheduler address (tcp://host:8786)")
            client = _connect(distributed, scheduler)
        try:
            _run(distributed, client, submissions, bank, chosen, digest, todo, results, jobs,
                 students or {})
        finally:
            if own:
                client.close()
    for index in todo:
        result = results[index]
        key = keys.get(index)
        if cache is not None and key is not None and result is not None and cacheable(result):
            cache.put(key, result)
    return [r for r in results if r is not None]


def _run(distributed: Any, client: Any, submissions: Sequence[Path], bank: Bank,
         chosen: list[Any], digest: str, todo: list[int],
         results: list[SubmissionResult | None], jobs: int | None,
         students: Mapping[str, str]) -> None:
    plugin = GraderPlugin(str(bank.root), [e.id for e in chosen], jobs=jobs, digest=digest)
    states = client.run(plugin_signature)
    wanted = json.dumps(plugin.signature(), default=str)  # tuples travel back as lists
    if not states or any(json.dumps(s, default=str) != wanted for s in states.values()):
        client.register_plugin(plugin, name=PLUGIN)  # (re)starts a grading server per worker
    batch = uuid.uuid4().hex[:8]
    futures = {client.submit(grade_task, str(submissions[i]), students.get(str(submissions[i])),
                             pure=False, key=f"modl-grade-{batch}-{i}"): i for i in todo}
    try:
        for future in distributed.as_completed(list(futures), loop=client.loop):
            index = futures[future]
            path = Path(submissions[index])
            try:
                results[index] = future.result()
            except Exception as err:  # noqa: BLE001 - a lost worker must not stop the batch
                logger.warning("dask: %s could not be graded", path, exc_info=True)
                first = str(err).splitlines()[0] if str(err) else ""
                results[index] = error_row(path, chosen, f"{path}: could not be graded on the "
                                                         f"cluster ({type(err).__name__}: {first})")
    except BaseException:  # Ctrl+C: drop what is still queued on the cluster
        client.cancel(list(futures))
        raise
