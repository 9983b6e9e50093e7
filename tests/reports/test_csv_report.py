"""`--format csv`: a gradebook the csv module (and a spreadsheet) reads back."""

from __future__ import annotations

import csv
import io

from modl_tutor.reports.csv_report import csv_report


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_submission_with_exercise_columns(results) -> None:
    text = csv_report(results)
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["submission", "student", "derivatives/power_rule_slope", "losses/softmax",
                      "total", "max", "percent", "error"]
    alice, bob, carol = rows(text)
    assert alice["losses/softmax"] == "3" and alice["total"] == "4" and alice["max"] == "5"
    assert float(alice["percent"]) == 80.0 and alice["error"] == ""
    assert carol["error"] == "subs/carol/answers.toml: not valid TOML"
    assert carol["total"] == "0" and float(carol["percent"]) == 0.0


def test_exercise_errors_are_named_and_kept_on_one_line(results) -> None:
    bob = rows(csv_report(results))[1]
    assert bob["error"].startswith("losses/softmax: your file could not be imported")
    assert "\n" not in bob["error"]


def test_formula_injection_is_neutralised(results) -> None:
    bob = rows(csv_report(results))[1]
    assert bob["submission"] == "subs/=bob"  # does not start with '=': left alone
    assert bob["student"] == "'-bob"


def test_bank_order_decides_columns_then_unknown_ids(results, tiny_bank) -> None:
    text = csv_report(results, tiny_bank)
    header = next(csv.reader(io.StringIO(text)))
    ids = [e.id for e in tiny_bank]
    assert header[2:-4] == [*ids, "derivatives/power_rule_slope", "losses/softmax"]
    assert rows(text)[0]["losses/double"] == ""  # not graded for this submission: blank cell
