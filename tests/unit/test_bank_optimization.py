"""The optimization topic: its reference kernels and what its checks tell apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.inprocess import module_from_source, passes
from modl_tutor.bank.loader import load_bank, load_exercise
from modl_tutor.batch.verify import _math_findings
from modl_tutor.grading.code_grade import build_checks
from modl_tutor.kernels import bank_optimization as K
from modl_tutor.kernels import optim as O

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises" / "optimization"
SOLUTIONS = REPO / "solutions" / "optimization"


def _failed(slug: str, source: str, seed: str = "") -> set[str]:
    code = load_exercise(EXERCISES / slug).code
    assert code is not None
    module = module_from_source(slug, source)
    checks = build_checks(EXERCISES / slug / "checks.py", f"optimization/{slug}", seed)
    return {c.name for c in checks if not passes(c, module, code.function)}


def _solution(slug: str) -> str:
    return (SOLUTIONS / f"{slug}.py").read_text("utf-8")


# -- kernels -----------------------------------------------------------------------------------
def _adam_formula(p: Any, g: Any, m: Any, v: Any, t: int, lr: float, b1: float, b2: float,
                  eps: float) -> tuple[Any, Any, Any]:
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    return p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v


@pytest.mark.parametrize("t", [1, 2, 1000])
@pytest.mark.parametrize("eps", [1e-8, 0.1])
def test_adam_reference_is_the_textbook_formula(t: int, eps: float) -> None:
    rng = np.random.default_rng(t)
    p, g = rng.normal(size=(2, 3, 4))
    m = np.zeros((3, 4)) if t == 1 else rng.normal(size=(3, 4)) * 0.1
    v = np.zeros((3, 4)) if t == 1 else rng.uniform(0.001, 0.01, (3, 4))
    got = O.adam_step(p, g, m, v, t, lr=0.01, beta1=0.8, beta2=0.99, eps=eps)
    for a, b in zip(got, _adam_formula(p, g, m, v, t, 0.01, 0.8, 0.99, eps)):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


def test_rmsprop_and_momentum_references_match_their_formulas() -> None:
    rng = np.random.default_rng(3)
    p, g, v = rng.normal(size=(3, 5))
    s = rng.uniform(0.1, 1.0, 5)
    param, avg = O.rmsprop_step(p, g, s, lr=0.01, alpha=0.9, eps=1e-3)
    np.testing.assert_allclose(avg, 0.9 * s + 0.1 * g * g, rtol=1e-14)
    np.testing.assert_allclose(param, p - 0.01 * g / (np.sqrt(avg) + 1e-3), rtol=1e-14)
    param, velocity = K.momentum_step(p, g, v, 0.1, momentum=0.5)
    np.testing.assert_allclose(velocity, 0.5 * v + g, rtol=1e-14)
    np.testing.assert_allclose(param, p - 0.1 * velocity, rtol=1e-14)


def test_conjugate_gradient_reference_solves_and_truncates() -> None:
    rng = np.random.default_rng(4)
    M = rng.normal(size=(6, 6))
    A, b = M @ M.T + 6 * np.eye(6), rng.normal(size=6)
    np.testing.assert_allclose(K.conjugate_gradient(A, b, max_iter=50), K.solve(A, b),
                               rtol=1e-10)
    alpha = (b @ b) / (b @ A @ b)
    np.testing.assert_allclose(K.conjugate_gradient(A, b, max_iter=1), alpha * b, rtol=1e-13)
    np.testing.assert_array_equal(K.conjugate_gradient(A, np.zeros(6)), np.zeros(6))


# -- what the checks tell apart ---------------------------------------------------------------
def test_every_reference_solution_passes_and_every_starter_fails() -> None:
    for checks_file in sorted(EXERCISES.glob("*/checks.py")):
        slug = checks_file.parent.name
        names = {c.name for c in build_checks(checks_file, f"optimization/{slug}")}
        for seed in ("", "student-7"):
            assert _failed(slug, _solution(slug), seed) == set(), (slug, seed)
        starter = (checks_file.parent / "starter.py").read_text("utf-8")
        assert _failed(slug, starter) == names, slug


def test_adam_checks_catch_the_usual_mistakes() -> None:
    source = _solution("adam_step")
    no_bias = source.replace("m_new / (1 - beta1**t)", "m_new").replace(
        "v_new / (1 - beta2**t)", "v_new")
    assert "first step (t = 1) from zero moments" in _failed("adam_step", no_bias)
    eps_inside = source.replace("(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat + eps)")
    assert _failed("adam_step", eps_inside) == {
        "tiny gradients with eps = 1e-4 (where eps goes matters)"}
    stale = source.replace("return param_new, m_new, v_new", "return param_new, m, v")
    assert "step t = 10, 2-D parameters" in _failed("adam_step", stale)
    zero_based = source.replace("beta1**t", "beta1**(t - 1)").replace("beta2**t",
                                                                       "beta2**(t - 1)")
    assert {"first step (t = 1) from zero moments", "step t = 10, 2-D parameters"} <= _failed(
        "adam_step", zero_based)


def test_momentum_and_rmsprop_checks_catch_other_conventions() -> None:
    damped = _solution("momentum_step").replace("momentum * velocity + grad",
                                                "momentum * velocity + (1 - momentum) * grad")
    assert "a step with an existing velocity" in _failed("momentum_step", damped)
    swapped = _solution("rmsprop_step").replace(
        "alpha * square_avg + (1 - alpha) * grad**2", "(1 - alpha) * square_avg + alpha * grad**2")
    assert "first step from s = 0" in _failed("rmsprop_step", swapped)
    eps_inside = _solution("rmsprop_step").replace("(np.sqrt(square_avg_new) + eps)",
                                                   "np.sqrt(square_avg_new + eps)")
    assert "small gradients with eps = 1e-3 (where eps goes matters)" in _failed(
        "rmsprop_step", eps_inside)


def test_conjugate_gradient_checks_reject_steepest_descent_and_a_missing_stop_test() -> None:
    steepest = ("import numpy as np\ndef conjugate_gradient(A, b, max_iter=None, tol=1e-10):\n"
                "    x = np.zeros_like(b)\n"
                "    for _ in range(len(b) if max_iter is None else max_iter):\n"
                "        r = b - A @ x\n"
                "        x = x + (r @ r) / (r @ A @ r) * r\n"
                "    return x\n")
    failed = _failed("conjugate_gradient", steepest)
    assert "max_iter = 3 on a 6×6 system (conjugate directions)" in failed
    assert "max_iter = 1 is one exact line search along r = b" not in failed
    no_stop = _solution("conjugate_gradient").replace(
        "        if np.sqrt(rs) <= limit:\n            break\n", "")
    assert "b = 0 gives x = 0 (no division by zero)" in _failed("conjugate_gradient", no_stop)


def test_math_exercises_accept_their_answers_and_reject_known_mistakes() -> None:
    bank = load_bank(REPO / "exercises", strict=False)
    exercises = [e for e in bank.by_topic("optimization") if not e.is_code]
    assert len(exercises) >= 9
    for exercise in exercises:
        assert _math_findings(exercise) == [], exercise.id
