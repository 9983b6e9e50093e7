"""Workspaces: init from starters, answers.toml reading, atomic recording, bad files named."""

from __future__ import annotations

import tomllib

import pytest

from modl_tutor.errors import WorkspaceError
from modl_tutor.workspace.workspace import Workspace, find_workspace, init_workspace


def test_init_creates_marker_answers_and_starters(tmp_path, bank):
    root = tmp_path / "ws"
    created = init_workspace(root, bank, student="alice")
    ws = Workspace(root)
    assert ws.student_id == "alice"
    assert ws.answers_path in created and ws.marker_path in created
    answers = tomllib.loads(ws.answers_path.read_text())
    assert answers["derivatives"]["sigmoid_prime"] == ""
    softmax = bank.get("losses/softmax")
    assert ws.code_path(softmax).read_text() == softmax.starter_path.read_text()
    for exercise in bank:
        if exercise.is_multipart:
            assert set(answers[exercise.topic][exercise.slug]) == {p.name for p in exercise.parts}


def test_init_refuses_an_existing_workspace_and_never_overwrites(tmp_path, bank):
    root = tmp_path / "ws"
    init_workspace(root, bank, student="alice")
    softmax = bank.get("losses/softmax")
    Workspace(root).code_path(softmax).write_text("# my work\n")
    with pytest.raises(WorkspaceError, match="already a workspace"):
        init_workspace(root, bank)
    init_workspace(root, bank, force=True)
    assert Workspace(root).code_path(softmax).read_text() == "# my work\n"


def test_bad_student_id_is_refused(tmp_path, bank):
    with pytest.raises(WorkspaceError, match="student id"):
        init_workspace(tmp_path / "ws", bank, student="../../etc")


def test_record_answer_keeps_comments_and_is_read_back(workspace, bank):
    exercise = bank.get("derivatives/sigmoid_prime")
    text = workspace.answers_path.read_text()
    workspace.answers_path.write_text("# my notes\n" + text)
    workspace.record_answer(exercise, "sigmoid(x)*(1-sigmoid(x))")
    assert workspace.answer(exercise) == "sigmoid(x)*(1-sigmoid(x))"
    assert workspace.answers_path.read_text().startswith("# my notes\n")
    assert not list(workspace.root.glob(".answers.toml.*"))  # no temp file left behind


def test_blank_answer_is_none(workspace, bank):
    assert workspace.answer(bank.get("derivatives/sigmoid_prime")) is None


def test_numbers_and_lists_in_answers_are_accepted(workspace, bank):
    workspace.answers_path.write_text("[derivatives]\npower_rule_slope = 10\n")
    assert workspace.answer(bank.get("derivatives/power_rule_slope")) == "10"


def test_malformed_answers_toml_names_the_file(workspace, bank):
    workspace.answers_path.write_text("[derivatives\nsigmoid_prime = 'x'\n")
    with pytest.raises(WorkspaceError) as info:
        workspace.answer(bank.get("derivatives/sigmoid_prime"))
    assert "answers.toml" in str(info.value) and "not valid TOML" in str(info.value)
    with pytest.raises(WorkspaceError, match="fix it before recording"):
        workspace.record_answer(bank.get("derivatives/sigmoid_prime"), "x")


def test_wrong_type_in_answers_names_the_key(workspace, bank):
    workspace.answers_path.write_text("[derivatives]\nsigmoid_prime = true\n")
    with pytest.raises(WorkspaceError, match="derivatives.sigmoid_prime' must be a string"):
        workspace.answer(bank.get("derivatives/sigmoid_prime"))


def test_bad_marker_names_the_field(workspace):
    workspace.marker_path.write_text('[student]\nid = "a b/c"\n')
    with pytest.raises(WorkspaceError, match="student.id"):
        _ = workspace.student_id


def test_find_workspace_walks_up(workspace):
    nested = workspace.root / "losses"
    assert find_workspace(nested) == workspace.root.resolve()


def test_record_answers_writes_several_parts_at_once_keeping_comments(workspace, bank):
    exercise = bank.get("backprop/logistic_worked_example")
    text = workspace.answers_path.read_text(encoding="utf-8")
    workspace.answers_path.write_text("# my notes: keep me\n" + text, encoding="utf-8")
    workspace.record_answers(exercise, {"z": "5", "a": "0.9933"})
    assert workspace.answer(exercise, "z") == "5" and workspace.answer(exercise, "a") == "0.9933"
    workspace.record_answers(exercise, {"a": ""})  # a blank clears the part
    assert workspace.answer(exercise, "a") is None and workspace.answer(exercise, "z") == "5"
    assert workspace.answers_path.read_text(encoding="utf-8").startswith("# my notes: keep me")
    assert not [p for p in workspace.root.iterdir() if p.name.endswith(".tmp")]


def test_a_topic_that_is_not_a_table_is_replaced_only_when_recording(workspace, bank):
    workspace.answers_path.write_text('derivatives = "oops"\n', encoding="utf-8")
    exercise = bank.get("derivatives/sigmoid_prime")
    with pytest.raises(WorkspaceError, match=r"\[derivatives\] must be a table"):
        workspace.answer(exercise)
    workspace.record_answer(exercise, "sigmoid(x)")
    assert workspace.answer(exercise) == "sigmoid(x)"
