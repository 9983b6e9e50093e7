"""`modl grade` end to end: every format written with --output and parsed back; exit statuses."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from modl_tutor.cli import main
from modl_tutor.grading.client import CodeGrader as RealCodeGrader  # before a test patches it
from modl_tutor.reports.json_report import json_schema
from tests.batch.helpers import ABS_DOUBLE, write_submission
from tests.reports.test_gradescope import assert_gradescope_shape

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def subs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("subs")
    return {
        "good": write_submission(root / "good", answers='[derivatives]\nslope = "10"\n'),
        "abs": write_submission(root / "abs", student="bob", code=ABS_DOUBLE,
                                answers='[derivatives]\nslope = "27"\n'),
        "gone": root / "gone",
        "cache": root / "cache",
    }


def grade(runner_cli, subs, *args: str, names=("good", "abs", "gone")):  # type: ignore[no-untyped-def]
    paths = [str(subs[n]) for n in names]
    return runner_cli.invoke(main, ["grade", *paths, "--cache-dir", str(subs["cache"]), *args])


def test_json_matches_the_schema(use_bank, runner_cli, subs, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = grade(runner_cli, subs, "--format", "json", "--output", str(out), "--jobs", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    jsonschema.validate(data, json_schema())
    good, bad, gone = data["submissions"]
    assert (good["score"], good["max_score"]) == (4, 6)
    # Who it is comes from the instructor's side (here the folder), not its modl.toml ("bob").
    assert bad["student"] == "abs" and bad["score"] == 2
    hidden = [c for e in bad["exercises"] for c in e["checks"] if c.get("hidden")]
    assert hidden and not hidden[0]["passed"] and hidden[0]["message"] != "(hidden check)"
    assert "not found" in gone["error"]


def test_csv_gradebook(use_bank, runner_cli, subs, tmp_path: Path) -> None:
    out = tmp_path / "grades.csv"
    assert grade(runner_cli, subs, "--format", "csv", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(), newline="")))
    assert [Path(r["submission"]).name for r in rows] == ["good", "abs", "gone"]
    assert rows[0]["losses/double"] == "3" and rows[0]["derivatives/slope"] == "1"
    assert rows[1]["student"] == "abs" and rows[1]["total"] == "2"
    assert float(rows[0]["percent"]) == pytest.approx(66.67, abs=0.01)
    assert "not found" in rows[2]["error"]


def test_junit_xml(use_bank, runner_cli, subs, tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    assert grade(runner_cli, subs, "--format", "junit", "-o", str(out)).exit_code == 0
    root = ET.parse(out).getroot()
    suites = root.findall("testsuite")
    assert len(suites) == 3
    abs_cases = suites[1].findall("testcase")
    failed = [c.get("name") for c in abs_cases if c.find("failure") is not None]
    assert "doubles negatives [hidden]" in failed and "answer" in failed
    assert suites[2].find("testcase/error") is not None


def test_gradescope_results_file(use_bank, runner_cli, subs, tmp_path: Path) -> None:
    out = tmp_path / "results" / "results.json"
    result = grade(runner_cli, subs, "--format", "gradescope", "-o", str(out), names=("abs",))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert_gradescope_shape(data)
    hidden = [t for t in data["tests"] if t["visibility"] == "after_due_date"]
    assert [t["name"] for t in hidden] == ["losses/double: doubles negatives"]
    assert hidden[0]["status"] == "failed"
    many = tmp_path / "many"
    result = grade(runner_cli, subs, "--format", "gradescope", "-o", f"{many}/")
    assert result.exit_code == 0, result.output
    assert sorted(p.parent.name for p in many.rglob("results.json")) == ["abs", "gone", "good"]


def test_table_is_the_default(use_bank, runner_cli, subs) -> None:
    result = grade(runner_cli, subs)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("good" in line and "4/6" in line for line in lines)
    assert any("gone" in line and "not found" in line for line in lines)


def test_exit_statuses(use_bank, runner_cli, subs, tmp_path: Path) -> None:
    assert grade(runner_cli, subs, "--format", "csv", "--fail-under", "50",
                 names=("good",)).exit_code == 0
    assert grade(runner_cli, subs, "--format", "csv", "--fail-under", "50").exit_code == 1
    several = grade(runner_cli, subs, "--format", "gradescope")
    assert several.exit_code == 2 and "one results.json per submission" in several.output
    assert grade(runner_cli, subs, "--format", "yaml").exit_code == 2
    assert grade(runner_cli, subs, "--fail-under", "120").exit_code == 2
    folder = grade(runner_cli, subs, "--format", "json", "-o", str(tmp_path))
    assert folder.exit_code == 2 and "is a folder" in folder.output
    assert "Traceback" not in folder.output


@pytest.mark.slow
def test_limits_only_sandbox_is_announced_once_on_stderr(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from modl_tutor.cli import main
    from modl_tutor.grading import client

    monkeypatch.setenv("MODL_SANDBOX", "limits")
    monkeypatch.setattr(client, "_PROBED", None)
    # a grader of its own (not the warm shared one): `modl grade` asks its own runner
    monkeypatch.setattr(client, "CodeGrader", RealCodeGrader)
    refused = CliRunner().invoke(main, ["grade", str(tmp_path / "nobody"), "--format", "json",
                                        "--no-cache"])
    assert refused.exit_code == 2 and "--allow-weak-sandbox" in refused.stderr
    assert refused.stdout == ""
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "nobody"), "--format", "json",
                                       "--no-cache", "--allow-weak-sandbox"])
    monkeypatch.setattr(client, "_PROBED", None)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("resource limits only") == 1
    assert "resource limits only" not in result.stdout
