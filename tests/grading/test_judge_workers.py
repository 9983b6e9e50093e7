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


SLOW_CHECKS = '''\
import time

import numpy as np

from modl_tutor.grading.toolkit import Check


def _twice_slowly(x):
    time.sleep(300)  # the reference process is busy far longer than this test
    return 2 * x


def checks(rng):
    yield Check("doubles", args=(np.array([1.0, 2.0]),), reference=_twice_slowly)
'''


def test_a_job_waiting_for_references_is_parked_while_its_worker_grades_the_next(tmp_path,
                                                                               monkeypatch):
    """A first grading: one worker, the first job's references take minutes to compute. Its
    sandboxed runs done, the job is parked and the same worker grades the next job (whose
    checks need no reference) meanwhile; the parked job is lost with its worker ("not
    graded", never a 0) and the replacement grades on."""
    from modl_tutor.bank.loader import load_bank
    from modl_tutor.grading.client import CodeGrader
    from tests.batch.helpers import write_bank

    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))  # an empty store
    exercises = write_bank(tmp_path / "bank", math=False)
    slow = exercises / "losses" / "slow"
    slow.mkdir()
    (slow / "exercise.toml").write_text((exercises / "losses" / "double" / "exercise.toml")
                                        .read_text().replace("Double a vector", "Slowly"))
    (slow / "prompt.md").write_text("Write `double(x)`.\n")
    (slow / "checks.py").write_text(SLOW_CHECKS)
    (slow / "starter.py").write_text((exercises / "losses" / "double" / "starter.py").read_text())
    bank = load_bank(exercises, cached=False)
    source = "def double(x):\n    return x * 2\n"
    waits = _request(tmp_path, bank.get("losses/slow"), source, "waits")
    plain = _request(tmp_path, bank.get("losses/double"), source, "plain")
    with CodeGrader(jobs=1) as grader:
        parked = grader.submit(waits)
        graded = grader.submit(plain).get(timeout=120)  # not behind the parked job
        assert graded["status"] == "passed" and graded["score"] == graded["max_score"] > 0, graded["message"]
        assert parked.empty()  # still waiting for its references
        server = grader._proc.pid  # type: ignore[union-attr]
        workers = {pid for pid in children(server)  # not its reference process
                   if b"refcompute" not in Path(f"/proc/{pid}/cmdline").read_bytes()}
        assert len(workers) == 1
        os.kill(workers.pop(), signal.SIGKILL)
        lost = parked.get(timeout=60)
        assert lost["status"] == "not_graded" and lost["score"] == 0
        assert "stopped without a result" in lost["message"]
        again = grader.grade(plain)  # a fresh worker grades on
        assert again["status"] == "passed" and again["score"] == again["max_score"]


def test_the_server_tracks_each_workers_running_and_parked_jobs(monkeypatch):
    from modl_tutor.grading import judge_workers
    from modl_tutor.grading.judge_workers import Worker

    monkeypatch.setattr(judge_workers, "MAX_PARKED", 2)
    worker = Worker(pid=0, requests=-1, results=-1)
    assert worker.free and worker.jobs() == []
    first, second, third = ({"id": n} for n in (1, 2, 3))
    worker.active = first
    assert not worker.free
    worker.park("9")  # not its running job: nothing moves
    assert worker.active is first and not worker.parked
    worker.park("1")
    assert worker.free and worker.parked == {"1": first}
    worker.active = second
    worker.park("2")
    assert not worker.free  # two parked: no room for a third
    assert worker.jobs() == [first, second]
    worker.active = third  # (the server never does this; its jobs are still all known)
    assert worker.jobs() == [third, first, second]
    assert worker.finish(3) is third and worker.finish("1") is first
    assert worker.finish("1") is None and worker.finish("7") is None  # answered once only
    assert worker.free and worker.jobs() == [second]


def test_waiting_for_one_answer_keeps_every_other_message_for_later():
    """A worker that waits for its answer in place (no room to park) keeps the jobs and the
    other parked jobs' answers it reads meanwhile, in order: none is lost."""
    import io
    import json

    from modl_tutor.grading.judge_workers import ServerReferences

    lines = [{"job": {"id": "7"}}, {"references": True, "token": "other"},
             {"references": False, "token": "mine"}, {"job": {"id": "8"}}]
    pipe = io.BytesIO(b"".join(json.dumps(m).encode() + b"\n" for m in lines))
    references = ServerReferences(pipe, result_fd=-1)  # type: ignore[arg-type]
    assert references.answer("mine") is False
    assert [references.next_message() for _ in range(3)] == [lines[0], lines[1], lines[3]]
    references.answers["later"] = True  # read by the worker's loop before it resumes a job
    assert references.answer("later") is True and references.answers == {}


@pytest.fixture()
def slow_double(tmp_path):  # type: ignore[no-untyped-def]
    """A code exercise whose reference must be computed (a plain function: no torch)."""
    from modl_tutor.bank.loader import load_bank
    from tests.batch.helpers import write_bank

    exercises = write_bank(tmp_path / "bank", math=False)
    checks = exercises / "losses" / "double" / "checks.py"
    checks.write_text(checks.read_text().replace(
        "expected=np.array([2.0, 4.0])", "reference=lambda x: 2 * x"))
    return load_bank(exercises, cached=False).get("losses/double")


@pytest.mark.parametrize("room", [1 << 30, 0], ids=["parked", "no-room"])
def test_a_job_parks_only_within_its_workers_room_and_ends_the_same(slow_double, tmp_path,
                                                                    monkeypatch, room):
    from modl_tutor.grading import code_grade, zygote
    from modl_tutor.grading.client import StudentRunner

    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))  # nothing stored
    answered: list[str] = []

    class Asked:  # the server's answer, as a worker's `ServerReferences` gets it
        def ask(self, checks_path: str, exercise_id: str, seed: str) -> str:
            return "t1"

        def answered(self, token: str) -> bool:
            return False

        def answer(self, token: str) -> bool:
            answered.append(token)
            return False  # not stored: the worker computes them itself

    monkeypatch.setattr(zygote, "_REFERENCES", Asked())
    monkeypatch.setattr(zygote, "_ASKED", {})
    monkeypatch.setattr(code_grade, "HANDOFF", None)
    request = {**_request(tmp_path, slow_double, "def double(x):\n    return x * 2\n", "s"),
               "id": "1"}
    with StudentRunner() as runner:
        runner.start()
        monkeypatch.setattr(code_grade, "CONTROL_FD", runner.control.fileno())
        result, steps, token, held = zygote._step(request, None, room)
        if room:
            assert result is None and token == "t1" and 0 < held <= room and answered == []
            result, steps, token, held = zygote._step(request, steps)  # its answer came
        assert steps is None and answered == ["t1"]
    assert result is not None and result["status"] == "passed"
    assert result["score"] == result["max_score"] == 3


@pytest.mark.parametrize("size", [1, 7, 64, 4096])
def test_json_lines_reassembles_messages_from_any_chunking(size):
    """Whole lines only, in order, whatever the chunks (a line split anywhere, several lines
    in one chunk, a long line over many chunks); a line that is not an object is skipped."""
    import json

    from modl_tutor.grading.judge_workers import json_lines

    messages = [{"id": str(i), "source": "x" * (i * 997 % 20_000)} for i in range(30)]
    stream = b"".join(json.dumps(m).encode() + b"\n" for m in messages[:15]) + \
        b"[1, 2]\nnot json\n" + b"".join(json.dumps(m).encode() + b"\n" for m in messages[15:])
    buffer, seen = bytearray(), []
    for at in range(0, len(stream), size):
        seen += json_lines(buffer, stream[at:at + size])
    assert seen == messages and buffer == b""
    assert json_lines(buffer, b'{"id": "half') == [] and buffer == b'{"id": "half'
    assert json_lines(buffer, b'"}\n{"id"') == [{"id": "half"}] and buffer == b'{"id"'
