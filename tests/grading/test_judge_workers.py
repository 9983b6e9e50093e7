"""The judge's workers: forked once and reused, stripped of every descriptor but their own, and
a worker killed mid-job costs that job a "not graded" (never a 0) and nothing else."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.processes import alive, children

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.fixture(scope="module")
def softmax():  # type: ignore[no-untyped-def]
    from modl_tutor.bank.loader import load_bank

    bank = load_bank(strict=False)
    return bank, bank.get("losses/softmax")


MUTANTS = Path(__file__).resolve().parent.parent / "mutants" / "losses" / "softmax"


def _verdict(result: dict[str, Any]) -> tuple[Any, ...]:
    return (result["status"], result["score"], result.get("message"),
            tuple((c["name"], c["passed"], c["score"], c.get("message")) for c in result["checks"]))


def _request(tmp_path: Path, exercise: Any, source: str, name: str) -> dict[str, Any]:
    from modl_tutor.grading.client import code_request

    target = tmp_path / name / exercise.workspace_file
    target.parent.mkdir(parents=True)
    target.write_text(source)
    return code_request(exercise, str(target), "")


def test_workers_are_forked_once_reused_and_replaced_when_killed(softmax, tmp_path, monkeypatch):
    from modl_tutor.grading.client import CodeGrader

    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    bank, exercise = softmax
    good = _request(tmp_path, exercise, (bank.solutions_root / f"{exercise.id}.py").read_text(),
                    "good")
    stalls = _request(tmp_path, exercise, "import time\ntime.sleep(60)\n", "stalls")
    stalls["timeout"] = 2.0  # its wall guard: 14 s, far after the kill below
    with CodeGrader(jobs=1) as grader:
        assert grader.grade(good)["status"] == "passed"
        server = grader._proc.pid  # type: ignore[union-attr]
        references = grader.sync()["references_pid"]
        workers = children(server) - {references}
        assert len(workers) == 1
        (worker,) = workers
        assert os.readlink(f"/proc/{worker}/fd/0") == "/dev/null"  # not the client's pipe
        # stdio, the runner's control socket and its own two pipes: nothing else inherited
        assert len(os.listdir(f"/proc/{worker}/fd")) <= 6
        wrong = _request(tmp_path, exercise, (MUTANTS / "bad_in_place.py").read_text(), "wrong")
        verdicts = [_verdict(grader.grade(request)) for request in (wrong, good, wrong, good)]
        assert verdicts[0] == verdicts[2] and verdicts[1] == verdicts[3]  # nothing carried over
        assert verdicts[0][0] == "failed" and verdicts[1][0] == "passed"
        assert children(server) - {references} == {worker}  # the same worker each time

        pending = grader.submit(stalls)
        time.sleep(1.0)  # the worker now waits on the runner for the stalled run
        os.kill(worker, signal.SIGKILL)
        lost = pending.get(timeout=60)
        assert lost["status"] == "not_graded" and lost["score"] == 0
        assert "stopped without a result" in lost["message"]
        after = grader.grade(good)  # a fresh worker grades the next job, right
        assert after["status"] == "passed" and after["score"] == after["max_score"] > 0
        replaced = children(server) - {references}
        assert len(replaced) == 1 and worker not in replaced
    assert not alive(server) and not [pid for pid in replaced if alive(pid)]


def test_wind_down_lets_both_servers_exit_on_their_own_and_close_reaps_them(softmax, tmp_path,
                                                                          monkeypatch):
    """`modl grade` winds the grader down before it writes its report: the judge server, its
    workers, the runner and its slots exit without being waited for, and `close` reaps them."""
    from modl_tutor.grading.client import CodeGrader
    from tests.processes import descendants

    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    bank, exercise = softmax
    good = _request(tmp_path, exercise, (bank.solutions_root / f"{exercise.id}.py").read_text(),
                    "good")
    grader = CodeGrader(jobs=1)
    try:
        grader.start()
        assert grader.grade(good)["status"] == "passed"
        servers = [grader._proc.pid, grader._runner.proc.pid]  # type: ignore[union-attr]
        started = set(servers).union(*(descendants(p) for p in servers))
        assert len(started) >= 4  # the judge, its worker, the runner, a slot
        grader.wind_down()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(alive(p) for p in servers):
            time.sleep(0.02)
        assert not any(alive(p) for p in servers)  # exited (zombies until reaped), unwaited
    finally:
        grader.close()
    assert [p for p in started if alive(p)] == []
