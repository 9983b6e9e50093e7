"""`--format junit`: valid XML (even with control characters), a testcase per check."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from modl_tutor.reports.junit import junit_report, xml_text
from modl_tutor.result import SubmissionResult


def parse(results: list[SubmissionResult]) -> ET.Element:
    return ET.fromstring(junit_report(results).encode("utf-8"))


def test_one_suite_per_submission_one_case_per_check(results) -> None:
    root = parse(results)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["subs/alice", "subs/=bob", "subs/carol"]
    alice = suites[0]
    cases = alice.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("derivatives/power_rule_slope", "answer"),
        ("losses/softmax", "vector of 4 logits"),
        ("losses/softmax", "large logits"),
        ("losses/softmax", "3-D input, middle axis [hidden]")]
    failure = cases[3].find("failure")
    assert failure is not None and "max abs error 0.3" in failure.get("message", "")
    assert (alice.get("tests"), alice.get("failures"), alice.get("errors")) == ("4", "1", "0")
    props = {p.get("name"): p.get("value") for p in alice.iter("property")}
    assert props == {"student": "alice", "score": "4", "max_score": "5"}
    assert "debug print" in (alice.findtext("system-out") or "")


def test_missing_and_error_exercises_are_errors(results) -> None:
    bob = parse(results).findall("testsuite")[1]
    cases = bob.findall("testcase")
    missing = cases[0].find("error")  # a missing math answer is an error, not a failure
    assert missing is not None and missing.get("type").startswith("missing")
    assert cases[0].find("failure") is None
    grading = [c for c in cases if c.get("name") == "(grading)"]
    assert len(grading) == 1 and grading[0].get("classname") == "losses/softmax"
    error = grading[0].find("error")
    assert error is not None and error.get("type") == "error"
    assert (bob.get("errors"), bob.get("failures")) == ("2", "0")


def test_submission_error_is_one_error_case(results) -> None:
    carol = parse(results).findall("testsuite")[2]
    (case,) = carol.findall("testcase")
    assert case.find("error").get("message") == "subs/carol/answers.toml: not valid TOML"


def test_control_characters_are_escaped_visibly(results) -> None:
    root = parse(results)  # would raise on a raw \x00 or \x1b
    text = "".join(root.itertext())
    assert "\\x00" in text and "\\x1b" in text
    assert xml_text("ok\ttab\nnl") == "ok\ttab\nnl"


def test_totals_add_up(results) -> None:
    root = parse(results)
    suites = root.findall("testsuite")
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites)
    assert int(root.get("errors")) == sum(int(s.get("errors")) for s in suites)
