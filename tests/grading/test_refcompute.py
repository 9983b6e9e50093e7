"""The judge's reference process failing (killed mid-request, an error, garbage, a hang):
the job is still graded right (its worker computes the references), the failure is logged,
and a process that keeps failing is not restarted forever."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest

from modl_tutor.grading import code_grade, refcompute, zygote
from tests.processes import alive

DIES = "import os, sys; sys.stdin.readline(); os.kill(os.getpid(), 9)"
ERROR = ("import json, sys\nfor line in sys.stdin:\n"
         "    print(json.dumps({'id': json.loads(line)['id'], 'error': 'boom'}), flush=True)")
GARBAGE = "import sys; sys.stdin.readline(); print('[1, 2]', flush=True); sys.stdin.read()"
HANGS = "import sys, time; sys.stdin.readline(); time.sleep(60)"


@pytest.fixture()
def store_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MODL_REFERENCE_STORE", raising=False)
    return tmp_path / "cache" / "references"


@pytest.fixture(scope="module")
def softmax():  # type: ignore[no-untyped-def]
    from modl_tutor.bank.loader import load_bank

    bank = load_bank(strict=False)
    return bank, bank.get("losses/softmax")


@pytest.fixture()
def fresh_server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """This test process as a judge server with nothing prepared; a broken reference
    process installed by `install(script)`."""
    monkeypatch.setattr(zygote, "_ASKED", {})
    monkeypatch.setattr(zygote, "_REFERENCES", None)
    monkeypatch.setattr(code_grade, "HANDOFF", None)

    def install(script: str) -> refcompute.ReferenceProcess:
        process = refcompute.ReferenceProcess([sys.executable, "-c", script])
        monkeypatch.setattr(zygote, "_REFERENCES", process)
        return process

    yield install
    zygote._stop_references()


def _request(exercise: Any, bank: Any, tmp_path: Path, seed: str = "") -> dict[str, Any]:
    from modl_tutor.grading.client import code_request

    target = tmp_path / "ws" / exercise.workspace_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((bank.solutions_root / f"{exercise.id}.py").read_text())
    return code_request(exercise, str(target), seed)


@pytest.fixture()
def warnings():  # type: ignore[no-untyped-def]
    """The `modl` logger's warnings (its own handler: other tests may stop propagation)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("modl")
    logger.addHandler(handler)
    try:
        yield lambda: "\n".join(r.getMessage() for r in records)
    finally:
        logger.removeHandler(handler)


@pytest.mark.usefixtures("judge_in_process")
@pytest.mark.parametrize("script, said", [(DIES, "exited"), (ERROR, "boom"),
                                          (GARBAGE, "not a JSON object")],
                         ids=["killed", "error", "garbage"])
def test_a_failing_reference_process_still_grades_right(softmax, store_root, fresh_server,
                                                         tmp_path, warnings, script, said):
    bank, exercise = softmax
    process = fresh_server(script)
    request = _request(exercise, bank, tmp_path)
    zygote._prepare(request)
    assert code_grade.HANDOFF is not None
    assert code_grade.HANDOFF[1].missing()  # nothing came back...
    assert process.requests == 1 and said in warnings()
    result = code_grade.grade_code(request)  # ...so the worker computes them
    assert result["status"] == "passed" and result["score"] == result["max_score"] > 0
    assert any(store_root.rglob("*.npz"))  # and stores them for the next job
    zygote._prepare(request)
    assert code_grade.HANDOFF[1].missing() == [] and process.requests == 1  # not asked again


def test_a_hung_reference_process_is_given_up(softmax, store_root, fresh_server, tmp_path,
                                              warnings, monkeypatch):
    bank, exercise = softmax
    monkeypatch.setattr(refcompute, "ANSWER_TIMEOUT", 0.2)
    process = fresh_server(HANGS)
    zygote._prepare(_request(exercise, bank, tmp_path))
    assert "no answer within" in warnings()
    assert process.proc is None and process.failures == 1  # killed and reaped
    assert code_grade.HANDOFF is not None and code_grade.HANDOFF[1].missing()


def test_a_reference_process_that_keeps_dying_is_not_restarted_forever(softmax, store_root,
                                                                       fresh_server, tmp_path):
    bank, exercise = softmax
    process = fresh_server(DIES)
    for seed in range(refcompute.MAX_FAILURES + 2):
        zygote._prepare(_request(exercise, bank, tmp_path, f"s{seed}"))
        assert process.proc is None
    assert process.failures == refcompute.MAX_FAILURES
    assert process.requests == refcompute.MAX_FAILURES  # then no more starts


def test_a_usable_store_turned_off_computes_in_the_worker(softmax, fresh_server, tmp_path,
                                                         monkeypatch):
    """MODL_REFERENCE_STORE=off: nothing to store into, so no reference process."""
    bank, exercise = softmax
    monkeypatch.setenv("MODL_REFERENCE_STORE", "off")
    request = _request(exercise, bank, tmp_path)
    zygote._prepare(request)
    assert zygote._REFERENCES is None
    assert code_grade.HANDOFF is not None and code_grade.HANDOFF[1].missing()
    assert code_grade._prepared(request).complete().missing() == []  # what grade_code does


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_reference_process_leaves_a_judge_that_still_grades_right(softmax, store_root,
                                                                            tmp_path):
    """The real thing, by pid: the judge's reference process is killed between two jobs; the
    next students still get full marks (never a 0), a new reference process serves a later
    miss, and none outlives the grader."""
    import os
    import signal

    from modl_tutor.grading.client import CodeGrader

    bank, exercise = softmax
    pids = []
    with CodeGrader(jobs=1) as grader:
        results = [grader.grade(_request(exercise, bank, tmp_path, "alice"))]
        pids.append(grader.sync()["references_pid"])
        os.kill(pids[0], signal.SIGKILL)
        results.append(grader.grade(_request(exercise, bank, tmp_path, "bob")))
        results.append(grader.grade(_request(exercise, bank, tmp_path, "carol")))
        synced = grader.sync()
        pids.append(synced["references_pid"])
    assert [r["status"] for r in results] == ["passed"] * 3
    assert all(r["score"] == r["max_score"] > 0 for r in results)
    # bob's references came from his worker (the server wrote to the dead process first) or
    # from a restarted process (it saw the death first): either way full marks, never a 0
    assert synced["torch"] is False  # the server itself never imported torch
    assert None not in pids and pids[0] != pids[1]  # restarted for a later miss
    assert not [pid for pid in pids if alive(pid)]
