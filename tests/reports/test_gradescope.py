"""`--format gradescope`: results.json as Gradescope's autograder specification has it."""

from __future__ import annotations

import json

import pytest

from modl_tutor.reports.gradescope import gradescope_data, gradescope_report

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def assert_gradescope_shape(data: dict) -> None:
    """Field names and types of the Gradescope results.json specification."""
    assert isinstance(data["score"], (int, float))
    assert isinstance(data["execution_time"], int) and data["execution_time"] >= 0
    assert isinstance(data["output"], str)
    assert data["visibility"] in VISIBILITIES and data["stdout_visibility"] in VISIBILITIES
    assert isinstance(data["tests"], list) and data["tests"]
    for test in data["tests"]:
        assert set(test) <= {"score", "max_score", "status", "name", "name_format", "number",
                             "output", "output_format", "tags", "visibility", "extra_data"}
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"],
                                                                      (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert isinstance(test["output"], str)
        assert test["visibility"] in VISIBILITIES
    # The total is the JSON report's (4 decimals); the tests keep their exact values.
    assert abs(data["score"] - sum(t["score"] for t in data["tests"])) <= 5e-5 + 1e-9


def test_a_test_per_check_and_hidden_after_due_date(results) -> None:
    data = json.loads(gradescope_report(results[0]))
    assert_gradescope_shape(data)
    names = [t["name"] for t in data["tests"]]
    assert names == ["derivatives/power_rule_slope", "losses/softmax: vector of 4 logits",
                     "losses/softmax: large logits", "losses/softmax: 3-D input, middle axis"]
    hidden = data["tests"][3]
    assert hidden["visibility"] == "after_due_date" and hidden["status"] == "failed"
    assert "max abs error" in hidden["output"] and "debug print" in hidden["output"]
    assert all(t["visibility"] == "visible" for t in data["tests"][:3])
    assert data["score"] == 4 and data["extra_data"]["max_score"] == 5
    assert "hidden check" in data["output"]


def test_error_and_missing_exercises_are_failed_tests(results) -> None:
    data = gradescope_data(results[1])
    assert_gradescope_shape(data)
    softmax = [t for t in data["tests"] if t["name"] == "losses/softmax"]
    assert softmax[0]["status"] == "failed" and softmax[0]["max_score"] == 4
    assert "could not be imported" in softmax[0]["output"]
    assert "losses/softmax: could not be graded" in data["output"]


def test_broken_submission_still_gives_a_full_results_file(results) -> None:
    data = gradescope_data(results[2])
    assert_gradescope_shape(data)
    assert data["score"] == 0
    assert data["output"].startswith("This submission could not be graded")
    assert sum(t["max_score"] for t in data["tests"]) == 5


def _thirds(student: str = "") -> "SubmissionResult":
    from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult, scaled_checks

    full = scaled_checks([CheckResult(f"c{i}", True, 1.0, 1.0) for i in range(3)], 4.0)
    part = scaled_checks([CheckResult("a", True, 1.0, 1.0), CheckResult("b", False, 0.0, 1.0),
                          CheckResult("c", False, 0.0, 1.0)], 1.0)
    exercises = [ExerciseResult("losses/softmax", sum(c.score for c in full), 4.0, "passed",
                                full)]
    exercises += [ExerciseResult(f"derivatives/e{i}", sum(c.score for c in part), 1.0,
                                 "failed", part) for i in range(176)]
    return SubmissionResult("subs/x", tuple(exercises), student=student)


def test_scores_are_exact_full_marks_is_max_and_total_matches_json() -> None:
    from modl_tutor.reports.json_report import json_data

    result = _thirds("alice")
    data = gradescope_data(result)
    assert_gradescope_shape(data)
    softmax = [t for t in data["tests"] if t["name"].startswith("losses/softmax")]
    assert all(t["score"] == t["max_score"] for t in softmax)  # not 1.3333/1.3333...
    assert sum(t["max_score"] for t in softmax) == pytest.approx(4.0, abs=1e-12)
    total = json_data([result])["submissions"][0]["score"]
    assert data["score"] == total  # to the last digit
    assert json.loads(json.dumps(data))["score"] == total
    rounded_per_test = sum(round(t["score"], 4) for t in data["tests"])
    assert round(rounded_per_test, 4) != total  # what rounding per test used to give


def test_every_results_file_names_the_student() -> None:
    from modl_tutor.result import SubmissionResult

    assert gradescope_data(_thirds("bob"))["extra_data"]["student"] == "bob"
    broken = SubmissionResult("subs/carol", (), error="subs/carol/answers.toml: bad")
    assert gradescope_data(broken)["extra_data"]["student"] == "carol"
