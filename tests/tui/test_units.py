"""Unit tests of the app's helpers: plot data, display formulas, choice letters, the store."""

from __future__ import annotations

import math

import pytest

from modl_tutor.bank.models import Part, PlotSpec
from modl_tutor.progress.status import derive_status
from modl_tutor.progress.store import ProgressStore
from modl_tutor.result import ExerciseResult
from modl_tutor.tui.formula import layout_formula, split_prompt
from modl_tutor.tui.plotdata import PlotError, plot_data, spacing
from modl_tutor.tutor import Tutor, chosen_positions, letters_answer, option_letter


def test_function_plot_evaluates_author_expressions():
    data = plot_data(PlotSpec("function", ("sigmoid(x)", "sigmoid(x)*(1-sigmoid(x))", "2"),
                              (-6.0, 6.0)), revealed=True)
    sig, slope, const = data.series
    middle = len(sig.xs) // 2
    assert sig.xs[middle] == pytest.approx(0.0)
    assert sig.ys[middle] == pytest.approx(0.5) and slope.ys[middle] == pytest.approx(0.25)
    assert sig.ys[-1] == pytest.approx(1 / (1 + math.exp(-6)))
    assert set(const.ys) == {2.0}


def test_function_plot_drops_non_finite_points():
    data = plot_data(PlotSpec("function", ("1/x", "log(x)"), (-1.0, 1.0)), revealed=True)
    for series in data.series:
        assert all(math.isfinite(y) for y in series.ys)
    assert len(data.series[1].xs) < len(data.series[0].xs)  # log is nan for x <= 0


@pytest.mark.parametrize("bad", ["x +", "y + 1", "[x, x]", "__import__('os')"])
def test_bad_plot_expressions_raise_a_one_line_error(bad):
    with pytest.raises(PlotError) as info:
        plot_data(PlotSpec("function", (bad,), (0.0, 1.0)))
    assert bad[:3] in str(info.value) and "\n" not in str(info.value)


def test_descent_path_goes_downhill_on_a_quadratic():
    data = plot_data(PlotSpec("descent", ("(x - 1)^2",), (-4.0, 4.0)))
    steps = data.series[1]
    assert steps.style == "scatter"
    assert steps.xs[0] == pytest.approx(3.2)
    assert all(b < a for a, b in zip(steps.ys, steps.ys[1:]))
    assert steps.xs[-1] == pytest.approx(1.0, abs=0.05)


def test_float_spacing_matches_numpy_for_float16():
    import numpy as np

    xs = np.array([1.0, 3.0, 1000.0, 1e-6])
    assert list(spacing(xs, "float16")) == [float(np.spacing(np.float16(x))) for x in xs]
    assert spacing(np.array([1.0]), "bfloat16")[0] == 2.0 ** -7
    data = plot_data(PlotSpec("float_spacing", (), (-5.0, 100.0)))
    assert data.ylog and data.xlog and {s.label for s in data.series} == {"float16",
                                                                        "bfloat16"}


def test_display_formula_stacks_top_level_fractions():
    lines = layout_formula(r"\sigma(x) = \frac{1}{1 + e^{-x}}").splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("σ(x) = ─") and "1 + e⁻ˣ" in lines[2]
    assert lines[0].strip() == "1"
    assert layout_formula(r"a^2 + b") == "a² + b"
    blocks = split_prompt("Intro $x^2$.\n\n$$y = \\frac{a}{b}$$\n\nAfter.")
    assert [kind for kind, _ in blocks] == ["markdown", "formula", "markdown"]
    assert "x²" in blocks[0][1]


def test_choice_letters_round_trip():
    assert letters_answer([2, 0]) == "a, c"
    assert chosen_positions("a, c", 4) == [0, 2]
    assert chosen_positions("C;a b", 4) == [0, 1, 2]
    assert chosen_positions("z, 1, ", 3) == []
    assert chosen_positions(None, 3) == []


@pytest.mark.parametrize("position, letter", [(0, "a"), (25, "z"), (26, "aa"), (27, "ab"),
                                              (51, "az"), (52, "ba"), (701, "zz")])
def test_option_letters_go_past_26_and_round_trip(position, letter):
    assert option_letter(position) == letter
    assert letters_answer([position]) == letter
    assert chosen_positions(letter, position + 1) == [position]
    assert chosen_positions(letter, position) == []  # not an option of a shorter list


def test_preview_reports_errors_with_column(tmp_path, tui_bank):
    from modl_tutor.workspace.workspace import Workspace

    tutor = Tutor(Workspace(tmp_path), tui_bank)
    part = Part(name="answer", type="expression", points=1, expected="x", variables=("x",))
    ok = tutor.preview(part, "x^2")
    assert not ok.error and "2" in ok.text
    bad = tutor.preview(part, "x ** * 2")
    assert bad.error and "column" in bad.text and "^" in bad.text
    assert tutor.preview(part, "   ").text == ""
    assert tutor.preview(part, "__import__('os')").error


def _result(score: float, status: str = "failed") -> ExerciseResult:
    return ExerciseResult("b/multi", score, 4.0, status)  # type: ignore[arg-type]


def test_status_is_the_grade_now_and_best_is_history(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.record_submission("b/multi", 1.0, 4.0, "failed",
                            [("z", "5", 1.0, 1.0, "correct"), ("a", "0.1", 0.0, 1.0, "wrong")])
    progress = store.get("b/multi")
    assert (progress.best_score, progress.max_score, progress.attempts) == (1.0, 4.0, 1)
    assert derive_status("b/multi", 4, _result(1.0), progress).state == "attempted"
    assert progress.full_at is None
    store.record_submission("b/multi", 4.0, 4.0, "passed", [])
    store.record_submission("b/multi", 2.0, 4.0, "failed", [("z", "4", 0.0, 1.0, "wrong")])
    progress = store.get("b/multi")
    assert progress.best_score == 4.0 and progress.full_at is not None
    now = derive_status("b/multi", 4, _result(2.0), progress)
    assert now.state == "attempted" and not now.done  # the best ever does not make it done
    assert now.history.startswith("you had this right on ")
    assert derive_status("b/multi", 4, _result(4.0, "passed"), progress).done
    assert len(store.history("b/multi")) == 4
    assert store.last_exercise() == "b/multi"


def test_give_up_and_time_out_statuses(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.give_up("b/multi")
    gave_up = store.get("b/multi")
    assert derive_status("b/multi", 4, _result(0.0), gave_up).label == "gave up"
    solved = derive_status("b/multi", 4, _result(4.0, "passed"), gave_up)
    assert solved.done and solved.label == "solved after viewing the solution"
    late = derive_status("b/multi", 4, _result(0.0, "not_graded"), gave_up)
    assert late.state == "not_graded" and late.score is None
    assert derive_status("c/code", 4, None, None, edited=True).state == "changed"
    assert derive_status("c/code", 4, None, None).state == "new"
