"""Verdicts depend on work, not on the machine's speed: a clock running many times faster (a
loaded server) gives the same status, message and work for every canonical answer."""

from __future__ import annotations

import itertools

import pytest

from modl_tutor.answers import evaluate
from modl_tutor.answers.check import check_part
from modl_tutor.bank.loader import default_bank

CANONICAL = ["derivatives/sigmoid_prime", "derivatives/tanh_prime", "derivatives/power_rule_slope",
             "losses/bce_derivative", "losses/softmax_example", "backprop/logistic_worked_example",
             "precision/fp16_max", "precision/bf16_epsilon"]
EXTRA = {"derivatives/tanh_prime": ["sech(x)^2", "1/cosh(x)^2", "4/(e^x + e^-x)^2",
                                    "1 - tanh(x)^2 + relu(x - 7)", "(1 - tanh(x))*(1 + tanh(x))"],
         "derivatives/sigmoid_prime": ["exp(-x)/(1 + exp(-x))^2", "sigmoid(x) - sigmoid(x)^2"],
         "losses/bce_derivative": ["(a - y)/(a - a^2)", "y/a"]}


def _probes() -> list[tuple[str, str, str]]:
    out = []
    for eid in CANONICAL:
        exercise = default_bank().get(eid)
        for part in exercise.parts:
            texts = [part.expected, *(m.expected for m in part.mistakes), *EXTRA.get(eid, [])]
            out += [(eid, part.name, t) for t in texts]
    return out


@pytest.mark.parametrize("probe", _probes(), ids=lambda p: f"{p[0].split('/')[1]}:{p[1]}:{p[2][:24]}")
def test_a_slow_machine_gets_the_same_verdict(probe: tuple[str, str, str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    eid, part_name, text = probe
    part = default_bank().get(eid).part(part_name)
    quiet = check_part(part, text, exercise_id=eid)
    ticks = itertools.count()
    # every budget check sees 2 ms pass: a machine ~100 times slower than a quiet laptop
    monkeypatch.setattr(evaluate.time, "monotonic", lambda: 1000.0 + 0.002 * next(ticks))
    busy = check_part(part, text, exercise_id=eid)
    assert (busy.status, busy.score, busy.message, busy.work) == \
        (quiet.status, quiet.score, quiet.message, quiet.work)
    assert quiet.status in ("correct", "wrong")


def test_the_guard_only_stops_denial_of_service(monkeypatch: pytest.MonkeyPatch) -> None:
    part = default_bank().get("derivatives/tanh_prime").part("answer")
    ticks = itertools.count()
    monkeypatch.setattr(evaluate.time, "monotonic", lambda: 1000.0 + 1.0 * next(ticks))
    outcome = check_part(part, "sech(x)^2")  # each check "takes" a second: the guard fires
    assert outcome.status == "timeout" and outcome.score == 0
    assert "not graded" in outcome.message.lower()
