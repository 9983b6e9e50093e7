"""The JUnit XML report of `modl grade --format junit`: a testsuite per submission, a testcase per check."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from modl_tutor.result import ExerciseResult, SubmissionResult

# Characters XML 1.0 cannot hold at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """`value` with characters XML 1.0 forbids written as visible `\\xNN` escapes."""
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _case(suite: ET.Element, classname: str, name: str, time: float = 0.0) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=xml_text(classname),
                         name=xml_text(name), time=f"{time:.3f}")


def _outcome(case: ET.Element, tag: str, message: str, kind: str) -> None:
    element = ET.SubElement(case, tag, message=xml_text(_first_line(message)), type=kind)
    element.text = xml_text(message)


def _exercise_cases(suite: ET.Element, exercise: ExerciseResult) -> tuple[int, int, int]:
    """Add the testcases of one exercise; returns (tests, failures, errors)."""
    if not exercise.checks:
        case = _case(suite, exercise.id, "(grading)", exercise.duration)
        message = exercise.message or f"status: {exercise.status}"
        if exercise.status in ("error", "missing"):
            _outcome(case, "error", message, exercise.status)
            return 1, 0, 1
        if exercise.status == "failed":
            _outcome(case, "failure", message, "failed")
            return 1, 1, 0
        return 1, 0, 0
    # A missing answer or an exercise that could not be graded is an error, not a failure.
    tag = "error" if exercise.status in ("error", "missing") else "failure"
    bad = 0
    for check in exercise.checks:
        case = _case(suite, exercise.id, check.name + (" [hidden]" if check.hidden else ""),
                     exercise.duration / len(exercise.checks))
        if not check.passed:
            bad += 1
            detail = check.message or exercise.status
            if exercise.message:
                detail = f"{detail}\n{exercise.message}"
            kind = exercise.status if tag == "error" else "failed"
            _outcome(case, tag, detail, f"{kind} ({check.score:g}/{check.max_score:g} points)")
    return (len(exercise.checks), 0, bad) if tag == "error" else (len(exercise.checks), bad, 0)


def junit_report(results: Sequence[SubmissionResult]) -> str:
    """Valid JUnit XML (the de-facto Ant/Surefire schema that CI systems read)."""
    root = ET.Element("testsuites", name="modl grade")
    totals = [0, 0, 0]
    total_time = 0.0
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=xml_text(result.submission))
        properties = ET.SubElement(suite, "properties")
        for name, value in (("student", result.student), ("score", f"{result.score:g}"),
                            ("max_score", f"{result.max_score:g}")):
            ET.SubElement(properties, "property", name=name, value=xml_text(value))
        counts = [0, 0, 0]
        if result.error:
            case = _case(suite, "submission", "(submission)")
            _outcome(case, "error", result.error, "error")
            counts = [1, 0, 1]
        else:
            for exercise in result.exercises:
                for i, n in enumerate(_exercise_cases(suite, exercise)):
                    counts[i] += n
            printed = [f"[{e.id}]\n{e.output}" for e in result.exercises if e.output]
            if printed:
                ET.SubElement(suite, "system-out").text = xml_text("\n".join(printed))
        suite.set("tests", str(counts[0]))
        suite.set("failures", str(counts[1]))
        suite.set("errors", str(counts[2]))
        suite.set("skipped", "0")
        suite.set("time", f"{result.duration:.3f}")
        totals = [a + b for a, b in zip(totals, counts)]
        total_time += result.duration
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
