"""The verdict cache: statuses are not regraded, a forged entry never reaches `modl grade`,
corrupt entries are recomputed, time-outs are never stored, the folder stays bounded."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from modl_tutor.answers import verdict_cache as vc
from modl_tutor.cli import main
from modl_tutor.grading import core
from modl_tutor.tutor import Tutor

SIGMOID = "derivatives/sigmoid_prime"
CHOICE = "derivatives/activation_choice"
WORKED = "backprop/logistic_worked_example"
RIGHT, WRONG = "sigmoid(x)*(1-sigmoid(x))", "sigmoid(x)"
ENGINE = core.check_answer


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODL_VERDICT_CACHE", raising=False)


def entries(math_env) -> list[Path]:
    root = vc.cache_dir()
    assert root is not None
    return sorted(root.glob("*.json")) if root.is_dir() else []


def answer(tutor: Tutor, exercise_id: str, texts: dict[str, str]) -> None:
    tutor.workspace.record_answers(tutor.exercise(exercise_id), texts)


def fresh(ws: Path, math_env) -> Tutor:
    """A new session (no in-process memo): what the next `modl list` is."""
    return Tutor.open(ws, math_env)


def forbid_grading(monkeypatch) -> None:
    def engine(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged answer was graded again")

    monkeypatch.setattr(core, "check_answer", engine)


def test_statuses_come_from_the_cache_and_equal_a_fresh_grade(tutor, ws, math_env,
                                                             monkeypatch):
    answer(tutor, SIGMOID, {"answer": RIGHT})
    answer(tutor, WORKED, {"z": "5", "dz": "-0.00693"})
    first = {k: v.to_dict() for k, v in tutor.statuses().items()}
    assert len(entries(math_env)) == 3  # one per answered part
    forbid_grading(monkeypatch)
    again = {k: v.to_dict() for k, v in fresh(ws, math_env).statuses().items()}
    assert again == first
    assert again[SIGMOID]["status"] == "done" and again[WORKED]["status"] == "attempted"
    monkeypatch.setattr(core, "check_answer", ENGINE)
    monkeypatch.setenv("MODL_VERDICT_CACHE", "off")
    assert {k: v.to_dict() for k, v in fresh(ws, math_env).statuses().items()} == first


def test_a_changed_answer_is_graded_again(tutor, ws, math_env):
    answer(tutor, SIGMOID, {"answer": RIGHT})
    assert tutor.status(tutor.exercise(SIGMOID)).done
    answer(tutor, SIGMOID, {"answer": WRONG})
    assert fresh(ws, math_env).status(tutor.exercise(SIGMOID)).state == "attempted"
    assert len(entries(math_env)) == 2


def test_the_seed_and_the_exercise_files_are_part_of_the_key(math_env):
    exercise = math_env.get(SIGMOID)
    key = vc.entry_key(exercise, "alice", "answer", RIGHT)
    assert key != vc.entry_key(exercise, "bob", "answer", RIGHT)
    assert key != vc.entry_key(exercise, "alice", "answer", RIGHT + " ")
    assert key != vc.entry_key(math_env.get(CHOICE), "alice", "answer", RIGHT)
    vc._DIGESTS.clear()
    toml = Path(exercise.directory) / "exercise.toml"
    saved = toml.read_text(encoding="utf-8")
    try:
        toml.write_text(saved + "\n# edited\n", encoding="utf-8")
        assert key != vc.entry_key(exercise, "alice", "answer", RIGHT)
    finally:
        toml.write_text(saved, encoding="utf-8")
        vc._DIGESTS.clear()


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"schema": "1"}', b"\xff\xfe",
                                     b" " * (vc.MAX_ENTRY_BYTES + 1),
                                     b'{"schema": "1", "key": "other"}', b"[]"])
def test_corrupt_entries_are_ignored_and_recomputed(tutor, ws, math_env, garbage):
    answer(tutor, SIGMOID, {"answer": WRONG})
    assert tutor.status(tutor.exercise(SIGMOID)).state == "attempted"
    (path,) = entries(math_env)
    path.write_bytes(garbage)
    assert fresh(ws, math_env).status(tutor.exercise(SIGMOID)).state == "attempted"
    assert json.loads(path.read_text(encoding="utf-8"))["status"] == "wrong"  # rewritten


def test_an_entry_of_another_part_or_score_type_is_refused(tutor, ws, math_env):
    answer(tutor, SIGMOID, {"answer": WRONG})
    tutor.statuses()
    (path,) = entries(math_env)
    data = json.loads(path.read_text(encoding="utf-8"))
    for forged in ({"score": "lots"}, {"score": 99.0}, {"max_score": 99.0, "score": 99.0},
                   {"part": "other"}, {"lines": [[1]]}):
        path.write_text(json.dumps({**data, "status": "correct", **forged}), encoding="utf-8")
        assert fresh(ws, math_env).status(tutor.exercise(SIGMOID)).state == "attempted"
    assert fresh(ws, math_env).status(tutor.exercise(SIGMOID)).state == "attempted"


def test_a_time_out_or_a_grader_failure_is_never_stored(tutor, ws, math_env, monkeypatch):
    original = core.check_answer
    message = {"timeout": "Not graded", "undecided": "The grader could not check this"}

    for status in ("timeout", "undecided"):
        def engine(exercise, part, text, *, seed="", status=status):  # type: ignore[no-untyped-def]
            return replace(original(exercise, part, text, seed=seed), status=status,
                           score=0.0, message=message[status])

        monkeypatch.setattr(core, "check_answer", engine)
        answer(tutor, SIGMOID, {"answer": RIGHT})
        assert not fresh(ws, math_env).status(tutor.exercise(SIGMOID)).done
        assert entries(math_env) == []
    monkeypatch.setattr(core, "check_answer", original)
    assert fresh(ws, math_env).status(tutor.exercise(SIGMOID)).done  # graded now, for real


def test_a_forged_verdict_never_reaches_modl_grade(cli, tutor, ws, math_env):
    answer(tutor, SIGMOID, {"answer": WRONG})
    tutor.statuses()
    (path,) = entries(math_env)
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "status": "correct",
                                "score": data["max_score"], "message": "Correct."}), encoding="utf-8")
    # the student's own list believes its own cache...
    assert fresh(ws, math_env).status(tutor.exercise(SIGMOID)).done
    # ...the instructor's grade never reads it, with or without the batch cache
    for extra in ([], ["--no-cache"]):
        result = cli.invoke(main, ["grade", str(ws), "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        rows = {e["id"]: e for e in json.loads(result.stdout)["submissions"][0]["exercises"]}
        assert rows[SIGMOID]["status"] == "failed" and rows[SIGMOID]["score"] == 0


def test_nothing_is_written_inside_the_workspace(tutor, ws, math_env):
    before = {p.relative_to(ws) for p in ws.rglob("*")}
    answer(tutor, SIGMOID, {"answer": RIGHT})
    tutor.statuses()
    fresh(ws, math_env).statuses()
    new = {p.relative_to(ws) for p in ws.rglob("*")} - before
    assert all(not str(p).endswith(".json") for p in new), new
    assert entries(math_env) and all(ws not in p.parents for p in entries(math_env))


def test_turned_off_nothing_is_written(tutor, ws, math_env, monkeypatch):
    monkeypatch.setenv("MODL_VERDICT_CACHE", "off")
    answer(tutor, SIGMOID, {"answer": RIGHT})
    assert fresh(ws, math_env).status(tutor.exercise(SIGMOID)).done
    monkeypatch.delenv("MODL_VERDICT_CACHE")
    assert entries(math_env) == []


def test_the_folder_stays_bounded(tutor, math_env, monkeypatch):
    monkeypatch.setattr(vc, "MAX_ENTRIES", 8)
    exercise = tutor.exercise(SIGMOID)
    for k in range(20):
        tutor.check(exercise, {"answer": f"{k}*x"})
    assert 0 < len(entries(math_env)) <= 8


def test_submitting_stores_the_verdict_for_the_next_list(cli, ws, math_env, monkeypatch):
    done = cli.invoke(main, ["answer", SIGMOID, RIGHT, "-w", str(ws)])
    assert done.exit_code == 0, done.output
    forbid_grading(monkeypatch)
    rows = {r["id"]: r for r in json.loads(cli.invoke(main, ["list", "--json", "-w",
                                                             str(ws)]).stdout)}
    assert rows[SIGMOID]["status"] == "done"


def test_a_derivation_keeps_its_line_marks_through_the_cache(workspace, bank, tmp_path,
                                                              monkeypatch):
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    exercise = bank.get("backprop/two_layer_chain_steps")
    part = exercise.parts[0]
    workspace.record_answers(exercise, {part.name: "\n".join(part.broken[1].steps)})
    first = Tutor(workspace, bank)
    marks, status = first.line_marks(exercise), first.status(exercise).to_dict()
    assert marks[part.name][part.broken[1].line - 1]["status"] == "broken"
    forbid_grading(monkeypatch)
    again = Tutor(workspace, bank)
    assert again.line_marks(exercise) == marks and again.status(exercise).to_dict() == status
