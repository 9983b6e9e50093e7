"""`modl grade --dask`: a LocalCluster of real worker processes gives what a local run gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modl_tutor.bank.loader import Bank
from modl_tutor.batch.cache import ResultCache
from modl_tutor.batch.runner import grade_batch
from modl_tutor.grading.client import CodeGrader
from modl_tutor.result import SubmissionResult
from tests.batch.helpers import ABS_DOUBLE, write_submission

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def distributed() -> Any:
    """Every test here is skipped without distributed, imported when they run: not while each
    xdist worker collects the suite (~0.3 s each)."""
    return pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client(distributed: Any) -> Iterator[Any]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, scheduler_port=0,
                                       host="127.0.0.1", silence_logs=40)
    with distributed.Client(cluster, set_as_default=False) as connection:
        yield connection
    cluster.close()


@pytest.fixture(scope="module")
def subs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("dask-subs")
    alice = write_submission(root / "alice", student="alice",
                             answers='[derivatives]\nslope = "10"\nscaled = "6"\n')
    bob = write_submission(root / "bob", student="bob", code=ABS_DOUBLE,
                           answers='[derivatives]\nslope = "27"\n')
    carol = write_submission(root / "carol", student="carol", code="def double(x:\n")
    (carol / "answers.toml").write_text("[derivatives\n", encoding="utf-8")
    return [alice, bob, carol, root / "missing"]


def _plain(results: list[SubmissionResult]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in results]


def test_results_are_identical_to_a_local_run(client, subs, small_bank: Bank,
                                              grader: CodeGrader, tmp_path: Path) -> None:
    from modl_tutor.batch.dask_runner import grade_on_dask

    students = {str(p): f"id-{p.name}" for p in subs}  # from the instructor's side
    local = grade_batch(subs, small_bank, grader=grader, progress=False, students=students)
    remote = grade_on_dask(subs, small_bank, client=client, students=students)
    assert _plain(remote) == _plain(local)
    assert [r.submission for r in remote] == [str(p) for p in subs]
    bob = remote[1].to_dict()
    assert bob["student"] == "id-bob" and bob["score"] == 2  # hidden check failed remotely
    assert remote[3].error and "not found" in remote[3].error
    # tasks ran in the workers' processes, not here
    assert client.run(lambda dask_worker: bool(dask_worker.plugins["modl-grader"].grader))


def test_the_cache_is_shared_with_local_runs(client, subs, small_bank: Bank,
                                             tmp_path: Path) -> None:
    from modl_tutor.batch.dask_runner import grade_on_dask

    cache = ResultCache(tmp_path / "cache")
    first = grade_on_dask(subs, small_bank, client=client, cache=cache)
    assert cache.hits == 0
    second = grade_on_dask(subs, small_bank, client=client, cache=cache)
    assert [bool(r.extra.get("cached")) for r in second] == [True, True, False, False]
    assert _plain(second) == _plain(first)


def test_an_unreachable_scheduler_is_a_one_line_error(monkeypatch, small_bank: Bank,
                                                      subs) -> None:
    from modl_tutor.batch import dask_runner

    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT", 1.0)
    with pytest.raises(dask_runner.DaskUnavailable, match="cannot reach the Dask scheduler"):
        dask_runner.grade_on_dask(subs[:1], small_bank, "tcp://127.0.0.1:9")
