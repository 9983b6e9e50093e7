"""The exercise-bank format: valid exercises load into typed models; bad ones name file and field."""

from __future__ import annotations

import pytest

from modl_tutor.bank.loader import load_bank, load_exercise, validate_bank
from modl_tutor.errors import BankError, UnknownExercise

GOOD = """
title = "Demo"
kind = "expression"
points = 2
hints = ["one", "two"]

[answer]
expected = "2*x"
variables = ["x"]

[[answer.mistakes]]
expected = "x"
message = "no"
"""


def test_loads_a_valid_exercise(make_exercise):
    exercise = load_exercise(make_exercise(GOOD))
    assert exercise.id == "derivatives/demo"
    assert exercise.kind == "expression"
    assert exercise.points == 2.0
    assert exercise.hints == ("one", "two")
    (part,) = exercise.parts
    assert part.name == "answer" and part.expected == "2*x" and part.variables == ("x",)
    assert part.mistakes[0].message == "no"


@pytest.mark.parametrize(
    ("toml", "field", "problem"),
    [
        (GOOD.replace('kind = "expression"', 'kind = "essay"'), "kind", "must be one of"),
        (GOOD.replace("points = 2", "points = -1"), "points", "must be positive"),
        (GOOD.replace("points = 2", 'points = "two"'), "points", "must be a number"),
        (GOOD.replace('title = "Demo"', ""), "title", "is required"),
        (GOOD.replace('expected = "2*x"', ""), "answer.expected", "is required"),
        (GOOD.replace('hints = ["one", "two"]', "hints = [1]"), "hints[0]", "non-empty string"),
        ('colour = "red"\n' + GOOD, "colour", "is not a known field"),
        (GOOD.replace("title", "titel"), "titel", "did you mean 'title'"),
        (GOOD.replace('message = "no"', ""), "answer.mistakes[0].message", "is required"),
        (GOOD.replace('variables = ["x"]', 'variables = ["x"]\ndomains = { x = "(1, 0)" }'),
         "answer.domains.x", "low < high"),
        (GOOD.replace('variables = ["x"]', 'variables = ["x"]\ndomains = { x = "probability" }'),
         "answer.domains.x", "is not a domain"),
        (GOOD.replace('variables = ["x"]', 'variables = ["x"]\ndomains = { y = "{0, 1}" }'),
         "answer.domains.y", "is not one of the part's variables"),
        (GOOD.replace('variables = ["x"]', 'variables = ["x"]\ndomains = { x = 3 }'),
         "answer.domains.x", "must be a string"),
        (GOOD.replace('variables = ["x"]', 'variables = ["x"]\ndomains = "positive"'),
         "answer.domains", "must be a table"),
        (GOOD.replace('variables = ["x"]', 'variables = ["x"]\nfeedback = ["a"]'),
         "answer.feedback", "only for a choice part"),
    ],
)
def test_bad_fields_are_named(make_exercise, toml, field, problem):
    with pytest.raises(BankError) as info:
        load_exercise(make_exercise(toml))
    assert info.value.field == field
    assert problem in str(info.value)
    assert "exercise.toml" in str(info.value)


def test_domains_and_choice_feedback_load(make_exercise):
    toml = GOOD.replace('variables = ["x"]',
                        'variables = ["x", "m"]\ndomains = { x = "(0, 1)", m = "positive integer" }')
    (part,) = load_exercise(make_exercise(toml)).parts
    assert dict(part.domains) == {"x": "(0, 1)", "m": "positive integer"}
    choice = """
title = "Pick"
kind = "choice"
points = 1

[answer]
options = ["right", "wrong"]
correct = 0
feedback = ["", "because"]
"""
    (part,) = load_exercise(make_exercise(choice)).parts
    assert part.feedback == ("", "because")
    bad = choice.replace('feedback = ["", "because"]', 'feedback = ["only one"]')
    with pytest.raises(BankError) as info:
        load_exercise(make_exercise(bad))
    assert info.value.field == "answer.feedback" and "one per option" in str(info.value)


def test_toml_syntax_error_names_the_file_and_line(make_exercise):
    with pytest.raises(BankError) as info:
        load_exercise(make_exercise('title = "unterminated\nkind = "number"\n'))
    message = str(info.value)
    assert "exercise.toml" in message and "not valid TOML" in message and "line 1" in message


def test_missing_prompt_is_reported(make_exercise):
    directory = make_exercise(GOOD)
    (directory / "prompt.md").unlink()
    with pytest.raises(BankError, match="prompt.md: is missing"):
        load_exercise(directory)


def test_code_exercise_needs_starter_and_checks(make_exercise):
    toml = 'title = "C"\nkind = "code"\npoints = 1\n[code]\nfunction = "f"\n'
    with pytest.raises(BankError, match="starter.py: is missing"):
        load_exercise(make_exercise(toml, topic="losses", slug="c"))


def test_multipart_points_must_add_up(make_exercise):
    toml = """
title = "M"
kind = "multipart"
points = 3
[[parts]]
name = "a"
type = "number"
expected = "1"
[[parts]]
name = "b"
type = "number"
expected = "2"
"""
    with pytest.raises(BankError, match="add up to 2"):
        load_exercise(make_exercise(toml))


def test_choice_correct_index_is_checked(make_exercise):
    toml = """
title = "Q"
kind = "choice"
points = 1
[answer]
options = ["a", "b"]
correct = [2]
"""
    with pytest.raises(BankError) as info:
        load_exercise(make_exercise(toml))
    assert info.value.field == "answer.correct"


def test_unknown_topic_is_refused(make_exercise):
    with pytest.raises(BankError, match="topic folder 'cooking'"):
        load_exercise(make_exercise(GOOD, topic="cooking"))


def test_validate_bank_lists_every_broken_folder(make_exercise):
    make_exercise(GOOD, slug="good")
    make_exercise(GOOD.replace("points = 2", "points = 0"), slug="bad_one")
    broken = make_exercise(GOOD, slug="bad_two")
    (broken / "exercise.toml").write_text("= nope", encoding="utf-8")
    root = broken.parent.parent
    problems = validate_bank(root)
    assert sorted(p.path.parent.name for p in problems) == ["bad_one", "bad_two"]
    bank = load_bank(root, strict=False)
    assert [e.slug for e in bank] == ["good"]
    with pytest.raises(BankError):
        load_bank(root, strict=True)


def test_the_real_bank_is_valid_and_has_the_skeleton_exercises(bank):
    assert validate_bank(bank.root) == []
    for exercise_id in ("derivatives/sigmoid_prime", "derivatives/power_rule_slope",
                        "losses/softmax"):
        assert bank.get(exercise_id).id == exercise_id
    assert any(e.kind == "choice" for e in bank)


def test_unknown_id_suggests_the_closest(bank):
    with pytest.raises(UnknownExercise, match="did you mean derivatives/sigmoid_prime"):
        bank.get("derivatives/sigmoid_prim")
    assert bank.get("sigmoid_prime").id == "derivatives/sigmoid_prime"
