"""`modl report`: per-exercise statistics, grouped wrong answers, terminal text and HTML parsed for real."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from modl_tutor.bank.loader import Bank, load_bank
from modl_tutor.reports.class_report.analysis import BINS, analyse, score_bin
from modl_tutor.reports.class_report.diagnoses import generic_diagnosis
from modl_tutor.reports.class_report.html import report_html
from modl_tutor.reports.class_report.terminal import report_text
from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult

SLOPE = """\
title = "Slope of x² at x"
kind = "expression"
points = 2
hints = ["power rule"]

[answer]
expected = "2*x"
variables = ["x"]

[[answer.mistakes]]
expected = "x^2"
message = "x² is the function itself, not its slope."
"""

DOUBLE = """\
title = "Double a vector"
kind = "code"
points = 3
hints = ["multiply"]

[code]
function = "double"
"""

SIGN_FEEDBACK = ("output: 2 of 2 values differ\nexpected [-2., -6.]\n     got [2., 6.]\n"
                 "likely cause: the sign is flipped (a missing minus, or the gradient's "
                 "direction reversed)")
ODD_FEEDBACK = "output differs\nlikely cause: you forgot to <b>copy</b> the input"


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    root = tmp_path_factory.mktemp("class-bank")
    for rel, text in (("derivatives/slope/exercise.toml", SLOPE),
                      ("derivatives/slope/prompt.md", "Slope of x²?\n"),
                      ("losses/double/exercise.toml", DOUBLE),
                      ("losses/double/prompt.md", "double(x)\n"),
                      ("losses/double/checks.py", "def checks(rng):\n    return []\n"),
                      ("losses/double/starter.py", "def double(x):\n    pass\n")):
        path = root / "exercises" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_bank(root / "exercises")


def _slope(answer: str | None, passed: bool, message: str = "") -> ExerciseResult:
    if answer is None:
        check = CheckResult("answer", False, 0.0, 2.0, "No answer given.")
        return ExerciseResult("derivatives/slope", 0.0, 2.0, "missing", (check,))
    check = CheckResult("answer", passed, 2.0 if passed else 0.0, 2.0, message)
    return ExerciseResult("derivatives/slope", check.score, 2.0,
                          "passed" if passed else "failed", (check,))


def _double(sign: bool, odd: bool = False) -> ExerciseResult:
    checks = (CheckResult("doubles a vector", True, 1.0, 1.0),
              CheckResult("doubles negatives", not sign, 0.0 if sign else 1.0, 1.0,
                          SIGN_FEEDBACK if sign else ""),
              CheckResult("keeps the input", not odd, 0.0 if odd else 1.0, 1.0,
                          ODD_FEEDBACK if odd else "", hidden=True))
    score = sum(c.score for c in checks)
    return ExerciseResult("losses/double", score, 3.0, "passed" if score == 3 else "failed",
                          checks)


CLASS = [  # (name, answer, passed, feedback, sign slip, odd slip)
    ("ann", "2x", True, "", False, False),
    ("ben", "x^2", False, "x² is the function itself, not its slope.", True, False),
    ("cat", "x*x", False, "x² is the function itself, not its slope.", True, False),
    ("dan", "-2*x", False, "Off by a sign: your answer is the negative of the correct one.",
     False, True),
    ("eve", "x + x + x", False, "Not equivalent to the correct answer.", False, False),
    ("fay", "3x", False, "Not equivalent to the correct answer.", True, False),
    ("gus", None, False, "", False, False),
]


@pytest.fixture()
def graded(tmp_path: Path) -> list[SubmissionResult]:
    results = []
    for name, answer, passed, feedback, sign, odd in CLASS:
        folder = tmp_path / name
        folder.mkdir()
        if answer is not None:
            (folder / "answers.toml").write_text(f'[derivatives]\nslope = "{answer}"\n',
                                                 encoding="utf-8")
        results.append(SubmissionResult(str(folder), (_slope(answer, passed, feedback),
                                                      _double(sign, odd)), student=name))
    results.append(SubmissionResult(str(tmp_path / "zed"), (), error="zed: not a folder"))
    return results


def test_bins_cover_every_score() -> None:
    assert [score_bin(s, 4) for s in (0, 0.5, 1, 2, 3.99, 4)] == \
        ["0%", "1–24%", "25–49%", "50–74%", "75–99%", "100%"]
    assert score_bin(0, 0) == BINS[0]


def test_generic_diagnoses_read_the_graders_wording() -> None:
    assert generic_diagnosis("Off by a sign: the magnitude is right") == "sign"
    assert generic_diagnosis("a sum where a mean was expected, or a factor counted twice") \
        == "sum vs mean"
    assert generic_diagnosis("overflow or log(0): clip the argument") == "overflow / nan"
    assert generic_diagnosis("something new") == "other wrong answer"


def test_statistics_mistakes_and_diagnoses(graded, bank) -> None:
    report = analyse(graded, bank)
    assert (report.submissions, report.graded) == (8, 7)
    assert report.errors == [(graded[-1].submission, "zed: not a folder")]
    slope, double = report.exercises
    assert slope.id == "derivatives/slope" and slope.students == 7
    assert dict(slope.histogram)["100%"] == 1 and dict(slope.histogram)["0%"] == 6
    assert slope.mean_percent == pytest.approx(100 / 7)
    assert slope.mistakes == [("x² is the function itself, not its slope.", 2)]
    diagnoses = dict(slope.diagnoses)
    assert diagnoses["sign"] == 1 and diagnoses["no answer"] == 1
    assert diagnoses["other wrong answer"] == 2
    assert slope.share(2) == pytest.approx(200 / 7)
    assert dict(double.diagnoses)["sign"] == 3
    assert double.causes == [("you forgot to <b>copy</b> the input", 1)]
    assert double.failing_checks[0] == ("doubles negatives", 3, 7)


def test_equivalent_wrong_answers_are_grouped(graded, bank) -> None:
    slope = analyse(graded, bank).exercises[0]
    groups = {(g.shown, g.count) for g in slope.wrong_answers}
    # x^2 and x*x are one misconception; x + x + x and 3x another; -2*x alone.
    assert len(slope.wrong_answers) == 3
    assert {count for _, count in groups} == {2, 2, 1}
    by_form = {form: g for g in slope.wrong_answers for form in g.forms}
    assert by_form["x^2"] is by_form["x*x"] and by_form["3x"] is by_form["x + x + x"]
    assert by_form["-2*x"].count == 1


def test_hostile_answers_are_never_evaluated_and_stay_text(tmp_path, bank) -> None:
    folder = tmp_path / "mallory"
    folder.mkdir()
    (folder / "answers.toml").write_text(
        '[derivatives]\nslope = "__import__(\'os\').system(\'touch pwned\')"\n', "utf-8")
    result = SubmissionResult(str(folder), (_slope("x", False, "Not equivalent."),))
    slope = analyse([result], bank).exercises[0]
    assert slope.wrong_answers[0].shown.startswith("__import__")
    assert not (Path.cwd() / "pwned").exists() and not (folder / "pwned").exists()


def test_terminal_text_has_plots_and_findings(graded, bank) -> None:
    text = report_text(analyse(graded, bank), width=80)
    assert "\x1b[" not in text
    assert "students by total score" in text and "mean % per exercise" in text
    assert "x² is the function itself" in text and "28.6%" in text
    assert "   2  x^2   (also: x*x)" in text
    assert "not graded: " in text


def test_html_is_valid_self_contained_and_escaped(graded, bank) -> None:
    html5lib = pytest.importorskip("html5lib")
    page = report_html(analyse(graded, bank), title="Week 3 <script>")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    root = parser.parse(page)  # raises on any parse error
    assert root.find(".//title").text == "Week 3 <script>"
    assert root.find(".//script") is None and root.find(".//link") is None
    for element in root.iter():
        for attribute in ("src", "href"):
            value = element.get(attribute)
            assert value is None or value.startswith(("#", "data:")), value
    sections = root.findall(".//section")
    assert [s.get("id") for s in sections] == ["ex-derivatives-slope", "ex-losses-double"]
    assert len(root.findall(".//{http://www.w3.org/2000/svg}svg")) == 3
    texts = " ".join("".join(s.itertext()) for s in sections)
    assert "you forgot to <b>copy</b> the input" in texts  # shown as text, not markup
    assert root.find(".//b") is None
    rows = root.findall(".//table[@class='wrong-answers']/tbody/tr")
    assert len(rows) == 3
