"""Unit tests of the app's helpers: plot data, display formulas, choice letters, the store."""

from __future__ import annotations

import math

import pytest

from modl_tutor.bank.models import Part, PlotSpec
from modl_tutor.progress.store import ProgressStore
from modl_tutor.tui.engine import letters_for, positions_from, preview_part
from modl_tutor.tui.formula import layout_formula, split_prompt
from modl_tutor.tui.plotdata import PlotError, plot_data, spacing
from modl_tutor.tui.session import status_of


def test_function_plot_evaluates_author_expressions():
    data = plot_data(PlotSpec("function", ("sigmoid(x)", "sigmoid(x)*(1-sigmoid(x))", "2"),
                              (-6.0, 6.0)))
    sig, slope, const = data.series
    middle = len(sig.xs) // 2
    assert sig.xs[middle] == pytest.approx(0.0)
    assert sig.ys[middle] == pytest.approx(0.5) and slope.ys[middle] == pytest.approx(0.25)
    assert sig.ys[-1] == pytest.approx(1 / (1 + math.exp(-6)))
    assert set(const.ys) == {2.0}


def test_function_plot_drops_non_finite_points():
    data = plot_data(PlotSpec("function", ("1/x", "log(x)"), (-1.0, 1.0)))
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
    assert letters_for([2, 0]) == "a, c"
    assert positions_from("a, c", 4) == [0, 2]
    assert positions_from("C;a b", 4) == [0, 1, 2]
    assert positions_from("z, 1, ", 3) == []
    assert positions_from(None, 3) == []


def test_preview_reports_errors_with_column():
    part = Part(name="answer", type="expression", points=1, expected="x", variables=("x",))
    ok = preview_part(part, "x^2")
    assert not ok.error and "2" in ok.text
    bad = preview_part(part, "x ** * 2")
    assert bad.error and "column" in bad.text and "^" in bad.text
    assert preview_part(part, "   ").text == ""
    assert preview_part(part, "__import__('os')").error


def test_record_submission_scores_the_whole_exercise(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.record_submission("b/multi", 1.0, 4.0, "failed",
                            [("z", "5", 1.0, 1.0, "correct"), ("a", "0.1", 0.0, 1.0, "wrong")])
    progress = store.get("b/multi")
    assert (progress.best_score, progress.max_score, progress.attempts) == (1.0, 4.0, 1)
    assert status_of(progress) == "attempted"
    store.record_submission("b/multi", 4.0, 4.0, "passed", [])
    store.record_submission("b/multi", 2.0, 4.0, "failed", [("z", "4", 0.0, 1.0, "wrong")])
    assert store.get("b/multi").best_score == 4.0 and status_of(store.get("b/multi")) == "done"
    assert len(store.history("b/multi")) == 4
    assert store.last_exercise() == "b/multi"
