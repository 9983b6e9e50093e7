"""`--format junit`: valid for Jenkins' junit-10.xsd and Ant's JUnit.xsd, the same cases per suite."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import pytest

from modl_tutor.reports.junit import case_plan, junit_report, xml_text
from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult

xmlschema = pytest.importorskip("xmlschema")

SCHEMAS = Path(__file__).parent / "schemas"


@cache
def schema(name: str):  # type: ignore[no-untyped-def]
    return xmlschema.XMLSchema(SCHEMAS / name)


def validate(text: str) -> None:
    for name in ("junit-10.xsd", "JUnit.xsd"):
        schema(name).validate(text)  # raises XMLSchemaValidationError with the reason


def parse(results: list[SubmissionResult], bank=None) -> ET.Element:  # type: ignore[no-untyped-def]
    text = junit_report(results, bank)
    validate(text)
    return ET.fromstring(text.encode("utf-8"))


def cases(suite: ET.Element) -> list[tuple[str, str]]:
    return [(c.get("classname"), c.get("name")) for c in suite.findall("testcase")]


def test_the_schemas_are_strict_enough_to_catch_the_old_shape() -> None:
    old = ('<testsuites name="modl grade" tests="1"><testsuite name="s" tests="1" failures="0" '
           'errors="0" time="0"><testcase classname="a" name="b" time="0"/></testsuite>'
           '</testsuites>')
    schema("junit-10.xsd").validate(old)
    assert not schema("JUnit.xsd").is_valid(old)


def test_valid_for_both_schemas_with_every_status(results) -> None:
    root = parse(results)
    assert root.tag == "testsuites" and not root.attrib
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["subs/alice", "subs/=bob", "subs/carol"]
    assert [s.get("id") for s in suites] == ["0", "1", "2"]
    for suite in suites:
        assert suite.get("hostname") and suite.get("timestamp")
        assert [c.tag for c in suite][0] == "properties"
        assert [c.tag for c in suite][-2:] == ["system-out", "system-err"]


def test_every_submission_has_the_same_cases_classname_is_the_exercise(results) -> None:
    suites = parse(results).findall("testsuite")
    expected = [("derivatives/power_rule_slope", "answer"),
                ("losses/softmax", "vector of 4 logits"),
                ("losses/softmax", "large logits"),
                ("losses/softmax", "3-D input, middle axis [hidden]")]
    assert [cases(s) for s in suites] == [expected] * 3
    alice = suites[0]
    failure = alice.findall("testcase")[3].find("failure")
    assert failure is not None and "max abs error 0.3" in failure.get("message", "")
    assert (alice.get("tests"), alice.get("failures"), alice.get("errors")) == ("4", "1", "0")
    props = {p.get("name"): p.get("value") for p in alice.iter("property")}
    assert props == {"student": "alice", "score": "4", "max_score": "5"}
    assert "debug print" in (alice.findtext("system-out") or "")


def test_a_missing_or_broken_exercise_gives_its_checks_as_failed_cases(results) -> None:
    bob = parse(results).findall("testsuite")[1]
    outcomes = [(c.get("name"), [child.tag for child in c]) for c in bob.findall("testcase")]
    assert outcomes == [("answer", ["failure"]), ("vector of 4 logits", ["error"]),
                        ("large logits", ["error"]),
                        ("3-D input, middle axis [hidden]", ["error"])]
    missing = bob.find("testcase").find("failure")
    assert missing.get("type").startswith("missing")
    assert (bob.get("tests"), bob.get("failures"), bob.get("errors")) == ("4", "1", "3")


def test_a_broken_submission_is_an_error_in_every_case(results) -> None:
    carol = parse(results).findall("testsuite")[2]
    errors = [c.find("error") for c in carol.findall("testcase")]
    assert len(errors) == 4 and all(e is not None for e in errors)
    assert {e.get("message") for e in errors} == {"subs/carol/answers.toml: not valid TOML"}


def test_a_check_another_submission_had_is_skipped(results) -> None:
    fewer = replace(results[0].exercises[1], checks=results[0].exercises[1].checks[:1])
    other = replace(results[0], submission="subs/dave", exercises=(results[0].exercises[0],
                                                                   fewer))
    dave = parse([results[0], other]).findall("testsuite")[1]
    tags = [[child.tag for child in c] for c in dave.findall("testcase")]
    assert tags == [[], [], ["skipped"], ["skipped"]]
    assert dave.get("skipped") == "2"


def test_an_exercise_nobody_reached_is_one_grading_case_everywhere() -> None:
    broken = ExerciseResult("losses/softmax", 0.0, 4.0, "error", message="SyntaxError: x")
    missing = ExerciseResult("losses/softmax", 0.0, 4.0, "missing")
    subs = [SubmissionResult("a", (broken,)), SubmissionResult("b", (missing,))]
    suites = parse(subs).findall("testsuite")
    assert [cases(s) for s in suites] == [[("losses/softmax", "(grading)")]] * 2
    assert suites[0].find("testcase/error") is not None
    assert suites[1].find("testcase/failure") is not None


def test_the_bank_adds_math_parts_nobody_answered(results, tiny_bank) -> None:
    plan = case_plan(results, tiny_bank)
    ids = [c.exercise for c in plan]
    assert ids[:3] == [e.id for e in tiny_bank][:3]
    assert ("derivatives/slope", "answer") in [(c.exercise, c.check) for c in plan]
    suites = parse(results, tiny_bank).findall("testsuite")
    skipped = [c for c in suites[0].findall("testcase") if c.get("classname") ==
               "derivatives/slope"]
    assert skipped and skipped[0].find("skipped") is not None


def test_control_characters_and_odd_names_stay_valid(results) -> None:
    nasty = CheckResult("tab\there\nnewline \x00 <&>", False, 0.0, 1.0, "\x1b[31m red")
    odd = SubmissionResult("  spaced \x07 name ", (ExerciseResult("t/x", 0.0, 1.0, "failed",
                                                                  (nasty,), output="\x00"),),
                           student="")
    root = parse([*results, odd])
    text = "".join(root.itertext())
    assert "\\x00" in text and "\\x1b" in text
    assert xml_text("ok\ttab\nnl") == "ok\ttab\nnl"


def test_timestamp_and_hostname_can_be_pinned(results) -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    text = junit_report(results, timestamp=when, hostname="")
    validate(text)
    suite = ET.fromstring(text).find("testsuite")
    assert suite.get("timestamp") == "2026-01-02T03:04:05" and suite.get("hostname") == \
        "localhost"


def test_a_grader_time_out_is_an_error_not_a_failure() -> None:
    late = ExerciseResult("losses/softmax", 0.0, 4.0, "not_graded", message="")
    root = parse([SubmissionResult("a", (late,))])
    case = root.find("testsuite/testcase")
    assert case.find("error") is not None and "own time" in case.find("error").text
