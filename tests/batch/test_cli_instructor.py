"""`modl grade` exports through the CLI (JUnit schemas, Canvas, roster, --fail-under) and `modl report`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from modl_tutor.cli import main
from tests.batch.helpers import ABS_DOUBLE, write_submission

pytestmark = pytest.mark.slow

SCHEMAS = Path(__file__).resolve().parents[1] / "reports" / "schemas"


@pytest.fixture(scope="module")
def subs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("instructor-subs")
    nameless = root / "dora"
    nameless.mkdir()
    (nameless / "answers.toml").write_text('[derivatives]\nslope = "27"\n', encoding="utf-8")
    return {
        "good": write_submission(root / "good", student="alice",
                                 answers='[derivatives]\nslope = "10"\n'),
        "abs": write_submission(root / "abs", student="bob", code=ABS_DOUBLE,
                                answers='[derivatives]\nslope = "2*5+17"\n'),
        "dora": nameless,  # no modl.toml, no code file
        "cache": root / "cache",
    }


def run(runner_cli, subs, *args: str):  # type: ignore[no-untyped-def]
    paths = [str(subs[n]) for n in ("good", "abs", "dora")]
    return runner_cli.invoke(main, [*args[:1], *paths, "--cache-dir", str(subs["cache"]),
                                    *args[1:]])


def test_junit_through_the_cli_is_valid_for_both_schemas(use_bank, runner_cli, subs,
                                                         tmp_path: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    out = tmp_path / "junit.xml"
    result = run(runner_cli, subs, "grade", "--format", "junit", "-o", str(out))
    assert result.exit_code == 0, result.output
    for name in ("junit-10.xsd", "JUnit.xsd"):
        xmlschema.XMLSchema(SCHEMAS / name).validate(str(out))
    import xml.etree.ElementTree as ET

    suites = ET.parse(out).getroot().findall("testsuite")
    cases = [[(c.get("classname"), c.get("name")) for c in s.findall("testcase")]
             for s in suites]
    assert cases[0] == cases[1] == cases[2] and len(cases[0]) == 5
    assert [s.get("package") for s in suites] == ["good", "abs", "dora"]  # folder names
    dora = {c.get("name"): c for c in suites[2].findall("testcase")}
    assert dora["doubles zeros"].find("failure").get("type").startswith("missing")


def test_canvas_with_a_roster_and_fail_under_lines(use_bank, runner_cli, subs,
                                                   tmp_path: Path) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("student,submission,name,sis user id,section\n"
                      "s-3,dora,Dora Dee,9003,B\nalice,good,Alice Ay,9001,A\n", encoding="utf-8")
    out = tmp_path / "canvas.csv"
    result = run(runner_cli, subs, "grade", "--format", "canvas", "-o", str(out),
                 "--roster", str(roster), "--fail-under", "50")
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "modl-tutor"]
    assert rows[1][0].strip() == "Points Possible" and rows[1][5] == "6"
    assert rows[2] == ["Alice Ay", "", "9001", "", "A", "4"]
    assert rows[4] == ["Dora Dee", "", "9003", "", "B", "0"]
    err = result.stderr
    assert "not on the roster" in err and "abs" in err
    assert f"modl: below 50%: {subs['abs']} (abs) 33.3% (2/6)" in err
    assert f"modl: below 50%: {subs['dora']} (s-3) 0.0% (0/6)" in err
    assert "2 of 3 submission(s) below 50%" in err


def test_a_bad_roster_is_refused_before_grading(use_bank, runner_cli, subs,
                                                tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("name\nx\n", encoding="utf-8")
    result = run(runner_cli, subs, "grade", "--roster", str(roster))
    assert result.exit_code == 2 and "no 'student' column" in result.stderr
    assert "Traceback" not in result.output


def test_report_prints_plots_and_writes_html(use_bank, runner_cli, subs,
                                             tmp_path: Path) -> None:
    html = tmp_path / "class.html"
    result = run(runner_cli, subs, "report", "--html", str(html), "--title", "Week 1")
    assert result.exit_code == 0, result.output
    assert "students by total score" in result.stdout
    assert "27 is f(5), not its slope." in result.stdout  # a known mistake, by share
    assert "66.7%" in result.stdout  # bob and dora both hit it: 2 of 3
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>Week 1</title>" in page
    assert "2*5+17" in page  # bob's wrong answer, grouped with dora's 27
    assert run(runner_cli, subs, "report", "--html", str(tmp_path)).exit_code == 2
    json.dumps(result.stdout)  # plain text


def test_report_without_submissions_uses_the_group_workspace(use_bank, runner_cli, subs) -> None:
    alone = runner_cli.invoke(main, ["report"])
    assert alone.exit_code == 2 and "give at least one submission" in alone.stderr
    result = runner_cli.invoke(main, ["-w", str(subs["good"]), "report", "--cache-dir",
                                      str(subs["cache"])])
    assert result.exit_code == 0, result.output
    assert "Class report: 1 submission(s), 1 graded" in result.stdout
