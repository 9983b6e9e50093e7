"""The tutor service: submit (save then record), status = the grade now, history, give up."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from modl_tutor.errors import ModlError
from modl_tutor.grading import core
from modl_tutor.grading.core import grade_submission
from modl_tutor.tutor import Tutor

SIGMOID = "derivatives/sigmoid_prime"
MULTI = "backprop/logistic_worked_example"
RIGHT = "sigmoid(x)*(1-sigmoid(x))"


def stored(root: Path) -> dict:
    return tomllib.loads((root / "answers.toml").read_text(encoding="utf-8"))


def graded(tutor: Tutor) -> dict[str, tuple[float, str]]:
    """What `modl grade` gives every exercise of the workspace now."""
    result = grade_submission(tutor.workspace.root, tutor.bank, grader=None)  # type: ignore[arg-type]
    return {e.id: (e.score, e.status) for e in result.exercises}


def test_right_then_wrong_is_not_done_and_history_remembers(tutor, ws):
    exercise = tutor.exercise(SIGMOID)
    first = tutor.submit(exercise, {"answer": RIGHT})
    assert first.recorded and first.result.full_marks and not first.warning()
    assert tutor.status(exercise).done
    second = tutor.check(exercise, {"answer": "sigmoid(x)"})
    assert second.replaced_correct == ("answer",) and RIGHT in second.warning()
    assert stored(ws)["derivatives"]["sigmoid_prime"] == RIGHT  # checking saves nothing
    tutor.record(second)
    assert stored(ws)["derivatives"]["sigmoid_prime"] == "sigmoid(x)"
    status = tutor.status(exercise)
    assert status.state == "attempted" and not status.done and status.score == 0
    assert status.history.startswith("you had this right on ")
    assert graded(tutor)[SIGMOID] == (0, "failed")


def test_status_agrees_with_the_grade_for_every_exercise(tutor, ws):
    tutor.submit(tutor.exercise(SIGMOID), {"answer": RIGHT})
    tutor.submit(tutor.exercise(MULTI), {"z": "5", "a": "0.9933", "dz": "0.5"})
    # and an answer typed by hand into answers.toml, never seen by the service
    text = (ws / "answers.toml").read_text(encoding="utf-8")
    (ws / "answers.toml").write_text(text.replace('activation_choice = ""',
                                                  'activation_choice = "a"'), encoding="utf-8")
    grades = graded(tutor)
    for exercise_id, status in tutor.statuses().items():
        score, grade_status = grades[exercise_id]
        assert status.done == (grade_status == "passed"), exercise_id
        assert status.score == pytest.approx(score), exercise_id


def test_invalid_answer_is_not_saved_and_blank_clears(tutor, ws):
    exercise = tutor.exercise(MULTI)
    tutor.submit(exercise, {"z": "5", "a": "0.9933"})
    bad = tutor.submit(exercise, {"z": "5 +* 2"})
    assert bad.outcomes["z"].status == "invalid" and "z" not in bad.saved
    assert stored(ws)["backprop"]["logistic_worked_example"]["z"] == "5"
    cleared = tutor.submit(exercise, {"a": ""})
    assert cleared.saved == {"a": ""} and cleared.replaced_correct == ("a",)
    assert stored(ws)["backprop"]["logistic_worked_example"]["a"] == ""
    assert tutor.status(exercise).score == 1


def test_unknown_part_and_code_exercise_are_one_line_errors(tutor):
    with pytest.raises(ModlError, match="has no part 'zz'"):
        tutor.check(tutor.exercise(MULTI), {"zz": "1"})


def test_give_up_is_remembered_and_shown_after_solving(tutor):
    exercise = tutor.exercise(SIGMOID)
    tutor.give_up(exercise)
    assert tutor.status(exercise).label == "gave up"
    tutor.submit(exercise, {"answer": RIGHT})
    status = tutor.status(exercise)
    assert status.done and status.label == "solved after viewing the solution"


def test_hints_are_revealed_one_at_a_time(tutor):
    exercise = tutor.exercise(SIGMOID)
    assert [tutor.reveal_hint(exercise) for _ in range(4)] == [1, 2, 2, 2]
    assert tutor.hints_shown(exercise) == 2


def test_a_time_out_is_not_graded_never_a_recorded_zero(tutor, ws, monkeypatch):
    exercise = tutor.exercise(SIGMOID)
    tutor.submit(exercise, {"answer": RIGHT})

    def out_of_time(exercise, part, text, *, seed=""):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        outcome = original(exercise, part, text, seed=seed)
        return replace(outcome, status="timeout", score=0.0,
                       message="not graded: the grader ran out of time")

    original = core.check_answer
    monkeypatch.setattr(core, "check_answer", out_of_time)
    monkeypatch.setattr("modl_tutor.grading.core.check_answer", out_of_time)
    attempts = tutor.store.get(SIGMOID).attempts
    late = tutor.submit(exercise, {"answer": "exp(-x)/(1+exp(-x))^2"})
    assert late.result.status == "not_graded"
    assert stored(ws)["derivatives"]["sigmoid_prime"] == "exp(-x)/(1+exp(-x))^2"  # kept
    assert tutor.store.get(SIGMOID).attempts == attempts  # no score recorded
    assert tutor.status(exercise).state == "not_graded"


def test_neighbours_follow_course_order(tutor):
    items = list(tutor.bank)
    assert tutor.neighbour(items[0], 1) == items[1]
    assert tutor.neighbour(items[0], -1) is None
    assert tutor.neighbour(items[-1], 1) is None
    tutor.submit(items[0], {p.name: "" for p in items[0].parts})
    assert tutor.next_pending(items[0], items) == items[1]


def test_a_broken_answers_toml_is_a_one_line_error(tutor, ws):
    (ws / "answers.toml").write_text("[derivatives\n", encoding="utf-8")
    with pytest.raises(ModlError, match="answers.toml"):
        tutor.statuses()
    with pytest.raises(ModlError, match="answers.toml"):
        tutor.submit(tutor.exercise(SIGMOID), {"answer": RIGHT})
    assert (ws / "answers.toml").read_text(encoding="utf-8") == "[derivatives\n"
