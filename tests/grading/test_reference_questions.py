"""The judge server asks its reference process without waiting: one request per exercise and
seed however many workers ask, every worker answered when the process answers, and a process
that errs, dies, talks garbage or hangs answers them all False (their workers then compute)."""

from __future__ import annotations

import select
import selectors
import sys
from typing import Any

import pytest

from modl_tutor.grading import ref_questions, refcompute, zygote

GOOD = ("import json, sys\nfor line in sys.stdin:\n"
        "    print(json.dumps({'id': json.loads(line)['id'], 'done': True}), flush=True)")
ERROR = ("import json, sys\nfor line in sys.stdin:\n"
         "    print(json.dumps({'id': json.loads(line)['id'], 'error': 'boom'}), flush=True)")
DIES = "import os, sys; sys.stdin.readline(); os.kill(os.getpid(), 9)"
GARBAGE = "import sys; sys.stdin.readline(); print('[1, 2]', flush=True); sys.stdin.read()"
HANGS = "import sys, time; sys.stdin.readline(); time.sleep(60)"


def _answers(process: refcompute.ReferenceProcess, count: int) -> list[tuple[str, bool]]:
    """What the process answers, waiting on its output as the server's selector does."""
    answers: list[tuple[str, bool]] = []
    while len(answers) < count:
        fd = process.fileno()
        assert fd is not None
        ready, _, _ = select.select([fd], [], [], 30)
        assert ready, "no answer"
        answers += process.take_answers()
    return answers


@pytest.mark.parametrize("script, stored", [(GOOD, True), (ERROR, False)], ids=["good", "error"])
def test_requests_sent_without_waiting_are_answered_in_turn(script, stored):
    process = refcompute.ReferenceProcess([sys.executable, "-c", script])
    try:
        first = process.submit("c.py", "t/a", "s1")
        second = process.submit("c.py", "t/a", "s2")
        assert first is not None and second is not None and process.pending
        assert _answers(process, 2) == [(first, stored), (second, stored)]
        assert not process.pending and process.failures == 0
    finally:
        process.close()


@pytest.mark.parametrize("script", [DIES, GARBAGE], ids=["dies", "garbage"])
def test_a_process_that_dies_or_talks_garbage_fails_every_pending_request(script):
    process = refcompute.ReferenceProcess([sys.executable, "-c", script])
    first = process.submit("c.py", "t/a", "s1")
    second = process.submit("c.py", "t/a", "s2")
    assert sorted(_answers(process, 2)) == sorted([(first, False), (second, False)])
    assert process.proc is None and process.failures == 1 and not process.pending


def test_a_hung_process_is_killed_once_overdue(monkeypatch):
    process = refcompute.ReferenceProcess([sys.executable, "-c", HANGS])
    request = process.submit("c.py", "t/a", "s1")
    assert process.overdue() == []  # not yet
    proc = process.proc
    monkeypatch.setattr(refcompute, "ANSWER_TIMEOUT", 0.0)
    assert process.overdue() == [(request, False)]
    assert process.proc is None and proc is not None and proc.poll() is not None  # reaped


def test_a_process_given_up_is_not_started_again():
    process = refcompute.ReferenceProcess([sys.executable, "-c", DIES])
    process.failures = refcompute.MAX_FAILURES
    assert process.submit("c.py", "t/a", "s1") is None and process.proc is None


class _Worker:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, message: dict[str, Any]) -> bool:
        self.sent.append(message)
        return True


class _References:
    """Stands for the reference process: records what is submitted."""

    def __init__(self) -> None:
        self.submitted: list[tuple[str, str, str]] = []
        self.failed_requests: list[tuple[str, bool]] = []

    def submit(self, checks_path: str, exercise_id: str, seed: str) -> str:
        self.submitted.append((checks_path, exercise_id, seed))
        return str(len(self.submitted))

    def fileno(self) -> None:
        return None


def _questions(references: _References) -> tuple[ref_questions.Questions, dict[str, bool]]:
    asked: dict[str, bool] = {}
    return ref_questions.Questions(selectors.DefaultSelector(), asked, lambda: references,
                                   lambda: references), asked


def test_the_server_asks_once_per_exercise_and_seed_and_answers_every_worker():
    references = _References()
    questions, _asked = _questions(references)
    one, two = _Worker(), _Worker()
    need = {"checks_path": "c.py", "exercise_id": "t/a", "seed": "alice"}
    questions.ask(one, {**need, "token": "1:1"})
    questions.ask(two, {**need, "token": "2:1"})  # the same exercise and seed: not sent again
    questions.ask(two, {**need, "seed": "bob", "token": "2:2"})
    assert references.submitted == [("c.py", "t/a", "alice"), ("c.py", "t/a", "bob")]
    assert one.sent == two.sent == []  # nobody waited for the process: answered later
    questions.answer([("1", True)])
    assert one.sent == [{"references": True, "token": "1:1"}]
    assert two.sent == [{"references": True, "token": "2:1"}]
    questions.answer([("2", False)])  # it failed for bob: his worker computes
    assert two.sent[-1] == {"references": False, "token": "2:2"}
    late = _Worker()
    questions.ask(late, {**need, "token": "3:1"})  # answered before: at once, nothing sent
    assert late.sent == [{"references": True, "token": "3:1"}]
    assert len(references.submitted) == 2


def _job(seed: str, **extra: Any) -> dict[str, Any]:
    return {"checks_path": "c.py", "exercise_id": "t/a", "seed": seed, "source": "x = 1\n",
            **extra}


def test_queued_jobs_are_asked_for_ahead_only_once_the_store_is_cold():
    references = _References()
    questions, _asked = _questions(references)
    for seed in ("s0", "s1"):
        questions.ahead(_job(seed))
    assert references.submitted == []  # a warm store: the process is never started
    questions.ahead(_job("fresh", fresh_references=True))  # never for modl verify...
    questions.ahead(_job("untrusted", reference_store=False))  # ...or an untrusted store
    questions.ahead(_job("missing", source=None))  # ...or a file that could not be read
    worker = _Worker()
    questions.ask(worker, {"checks_path": "c.py", "exercise_id": "t/a", "seed": "s1",
                           "token": "1:1"})  # a miss: the store is cold
    assert references.submitted == [("c.py", "t/a", "s1"), ("c.py", "t/a", "s0")]
    for seed in range(2 * ref_questions.MAX_AHEAD):
        questions.ahead(_job(f"n{seed}"))
    assert len(questions.sent) == ref_questions.MAX_AHEAD  # bounded: the pipes never fill
    questions.answer([(request_id, True) for request_id in list(questions.sent)])
    assert len(questions.sent) == ref_questions.MAX_AHEAD  # the next ones, as answers come
    assert worker.sent == [{"references": True, "token": "1:1"}]
    while questions.sent:
        questions.answer([(request_id, True) for request_id in list(questions.sent)])
    assert not questions.upcoming
    assert len(references.submitted) == 2 + 2 * ref_questions.MAX_AHEAD  # each once


def test_with_an_empty_store_the_first_job_is_asked_for_at_once():
    references = _References()
    questions = ref_questions.Questions(selectors.DefaultSelector(), {}, lambda: references,
                                        lambda: references, empty_store=True)
    questions.ahead(_job("untrusted", reference_store=False))
    assert references.submitted == []  # only for jobs that use the store
    questions.ahead(_job("s0"))  # no miss needed: torch's import starts with the first job
    assert references.submitted == [("c.py", "t/a", "s0")]


def test_an_empty_store_is_one_with_nothing_in_its_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MODL_REFERENCE_STORE", raising=False)
    assert zygote._store_is_empty()  # no folder yet
    (tmp_path / "cache" / "references").mkdir(parents=True)
    assert zygote._store_is_empty()
    (tmp_path / "cache" / "references" / "ab").mkdir()
    assert not zygote._store_is_empty()
    monkeypatch.setenv("MODL_REFERENCE_STORE", "off")
    assert not zygote._store_is_empty()  # no store: nothing to compute into
