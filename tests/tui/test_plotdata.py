"""Plots give nothing away before they are earned: no derivative, tangent or naming title."""

from __future__ import annotations

from pathlib import Path

import pytest

from modl_tutor.bank.loader import load_exercise
from modl_tutor.bank.models import PlotSpec
from modl_tutor.tui.plotdata import plot_data, plot_title

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
ANSWERS = {  # exercise -> text that names or draws its answer
    "derivatives/sigmoid_prime": ("sigmoid(x)*(1-sigmoid(x))", "σ'", "slope"),
    "derivatives/tanh_prime": ("1 - tanh(x)^2", "1 − tanh²", "tanh²", "slope"),
    "derivatives/power_rule_slope": ("10*x - 23", "tangent"),
}


def _spec(exercise_id: str) -> PlotSpec:
    spec = load_exercise(EXERCISES / exercise_id).plot
    assert spec is not None and spec.kind == "function"
    return spec


@pytest.mark.parametrize("exercise_id", sorted(ANSWERS))
def test_before_reveal_only_the_function_is_drawn(exercise_id: str) -> None:
    spec = _spec(exercise_id)
    data = plot_data(spec)
    assert [s.label for s in data.series] == [spec.expressions[0]]
    shown = " ".join([data.title, plot_title(spec), *(s.label for s in data.series)])
    for giveaway in ANSWERS[exercise_id]:
        assert giveaway not in shown, giveaway


@pytest.mark.parametrize("exercise_id", sorted(ANSWERS))
def test_after_reveal_everything_is_drawn(exercise_id: str) -> None:
    spec = _spec(exercise_id)
    data = plot_data(spec, revealed=True)
    assert [s.label for s in data.series] == list(spec.expressions)
    assert data.title == spec.title == plot_title(spec, revealed=True)


def test_the_revealed_tangent_touches_the_parabola_at_5() -> None:
    data = plot_data(_spec("derivatives/power_rule_slope"), revealed=True)
    parabola, tangent = data.series
    i = min(range(len(parabola.xs)), key=lambda k: abs(parabola.xs[k] - 5.0))
    assert parabola.ys[i] == pytest.approx(tangent.ys[i], abs=0.05)


def test_a_single_curve_keeps_its_title_and_other_kinds_are_unchanged() -> None:
    one = PlotSpec("function", ("max(0, 1 - x)",), (-2.0, 3.0), "hinge loss")
    assert plot_data(one).title == "hinge loss" == plot_title(one)
    spacing = PlotSpec("float_spacing", (), (0.01, 100.0), "gaps")
    assert plot_data(spacing).title == "gaps" and len(plot_data(spacing).series) == 2


def test_plot_panel_hides_until_revealed() -> None:
    from modl_tutor.tui.widgets.plot_panel import PlotPanel

    panel = PlotPanel(_spec("derivatives/sigmoid_prime"))
    assert panel.revealed is False
    panel.reveal()  # not mounted: only the flag changes, the next draw shows everything
    assert panel.revealed is True
    assert PlotPanel(_spec("derivatives/tanh_prime"), revealed=True).revealed
