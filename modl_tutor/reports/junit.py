"""The JUnit XML report of `modl grade --format junit`: valid for Jenkins' and Ant's schemas alike."""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from modl_tutor.bank.loader import Bank
from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult

# Characters XML 1.0 cannot hold at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_THE_STUDENTS = ("error", "not_graded")
"""Statuses that are JUnit errors (could not be graded), not failures (graded and wrong)."""
GRADING_CASE = "(grading)"
"""The one case of an exercise whose checks no submission of the batch reached."""


def xml_text(value: str) -> str:
    """`value` with characters XML 1.0 forbids written as visible `\\xNN` escapes."""
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def _token(value: str) -> str:
    """An xs:token value: one line, single spaces (what the schemas normalise it to anyway)."""
    return " ".join(xml_text(value).split())


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


@dataclass(frozen=True)
class Case:
    """One planned testcase: the same list of cases is written for every submission."""

    exercise: str
    check: str
    hidden: bool = False
    max_score: float = 0.0

    @property
    def name(self) -> str:
        return self.check + (" [hidden]" if self.hidden else "")


def case_plan(results: Sequence[SubmissionResult], bank: Bank | None = None) -> list[Case]:
    """Every (exercise, check) pair any submission has, in bank order then first appearance.

    A math exercise of the bank contributes its parts even when nobody answered them; an
    exercise whose checks nobody reached (every file missing or broken) is one `(grading)` case.
    """
    order: dict[str, dict[str, Case]] = {}
    points: dict[str, float] = {}
    if bank is not None:
        for exercise in bank:
            order[exercise.id] = {}
            points[exercise.id] = exercise.points
            if not exercise.is_code:
                for part in exercise.parts:
                    order[exercise.id][part.name] = Case(exercise.id, part.name, False,
                                                         part.points)
    for result in results:
        for exercise in result.exercises:
            cases = order.setdefault(exercise.id, {})
            points.setdefault(exercise.id, exercise.max_score)
            for check in exercise.checks:
                if check.name not in cases:
                    cases[check.name] = Case(exercise.id, check.name, check.hidden,
                                             check.max_score)
    plan: list[Case] = []
    for exercise_id, cases in order.items():
        plan.extend(cases.values() or [Case(exercise_id, GRADING_CASE, False,
                                            points.get(exercise_id, 0.0))])
    return plan


def _points(score: float, max_score: float) -> str:
    return f"{score:.4g}/{max_score:.4g} points"


def _outcome(case: ET.Element, tag: str, message: str, kind: str) -> None:
    element = ET.SubElement(case, tag, message=xml_text(_first_line(message)),
                            type=xml_text(kind))
    element.text = xml_text(message)


def _fill(case: ET.Element, planned: Case, exercise: ExerciseResult | None,
          check: CheckResult | None, submission_error: str) -> str:
    """Give one case its outcome; returns '', 'failure', 'error' or 'skipped'."""
    if submission_error:
        _outcome(case, "error", submission_error, f"error ({_points(0, planned.max_score)})")
        return "error"
    if exercise is None:
        _outcome(case, "skipped", "this exercise was not graded for this submission", "skipped")
        return "skipped"
    if check is None and exercise.checks:
        _outcome(case, "skipped", "this check was not run for this submission", "skipped")
        return "skipped"
    if check is not None:
        if check.passed:
            return ""
        detail = check.message or exercise.status
        if exercise.message:
            detail = f"{detail}\n{exercise.message}"
        tag = "error" if exercise.status in _NOT_THE_STUDENTS else "failure"
        _outcome(case, tag, detail, f"{exercise.status} ({_points(check.score, check.max_score)})")
        return tag
    # No checks at all: missing file / no answer (a failure) or could not be graded (an error).
    if exercise.status == "passed":
        return ""
    default = {"missing": "no answer was submitted", "error": "could not be graded",
               "not_graded": "the grader ran out of its own time (not the submission's fault)"
               }.get(exercise.status, exercise.status)
    tag = "error" if exercise.status in _NOT_THE_STUDENTS else "failure"
    _outcome(case, tag, exercise.message or default,
             f"{exercise.status} ({_points(0, planned.max_score)})")
    return tag


def _suite(root: ET.Element, index: int, result: SubmissionResult, plan: list[Case],
           timestamp: str, hostname: str) -> None:
    suite = ET.SubElement(root, "testsuite", name=_token(result.submission) or "submission",
                          timestamp=timestamp, hostname=hostname, id=str(index),
                          package=_token(result.student or result.submission) or "submission")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("student", result.student), ("score", f"{result.score:g}"),
                        ("max_score", f"{result.max_score:g}")):
        ET.SubElement(properties, "property", name=name, value=xml_text(value))
    exercises = {e.id: e for e in result.exercises}
    counts = {"tests": 0, "failure": 0, "error": 0, "skipped": 0}
    for planned in plan:
        exercise = exercises.get(planned.exercise)
        checks = {c.name: c for c in exercise.checks} if exercise is not None else {}
        time = exercise.duration / max(1, len(exercise.checks)) if exercise is not None else 0.0
        case = ET.SubElement(suite, "testcase", name=_token(planned.name),
                             classname=_token(planned.exercise), time=f"{time:.3f}")
        outcome = _fill(case, planned, exercise, checks.get(planned.check), result.error)
        counts["tests"] += 1
        if outcome:
            counts[outcome] += 1
    printed = [f"[{e.id}]\n{e.output}" for e in result.exercises if e.output]
    ET.SubElement(suite, "system-out").text = xml_text("\n".join(printed))
    ET.SubElement(suite, "system-err").text = ""
    suite.set("tests", str(counts["tests"]))
    suite.set("failures", str(counts["failure"]))
    suite.set("errors", str(counts["error"]))
    suite.set("skipped", str(counts["skipped"]))
    suite.set("time", f"{max(0.0, result.duration):.3f}")


def junit_report(results: Sequence[SubmissionResult], bank: Bank | None = None, *,
                 timestamp: datetime | None = None, hostname: str | None = None) -> str:
    """JUnit XML that both Jenkins' junit-10.xsd and Ant's stricter JUnit.xsd accept.

    One `<testsuite>` per submission with the same `<testcase>`s (classname = exercise id,
    name = check) in every suite, so suites can be compared side by side.
    """
    stamp = (timestamp or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S")
    host = _token(hostname if hostname is not None else socket.gethostname()) or "localhost"
    plan = case_plan(results, bank)
    root = ET.Element("testsuites")  # Ant's schema allows no attributes here
    for index, result in enumerate(results):
        _suite(root, index, result, plan, stamp, host)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
