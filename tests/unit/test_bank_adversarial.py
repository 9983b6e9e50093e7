"""The adversarial topic: its torch reference kernels and what its checks tell apart."""

from __future__ import annotations

import numpy as np
import pytest

from modl_tutor.kernels import bank_adversarial as K
from tests.unit import bank_topic as bt

TOPIC = "adversarial"


@pytest.mark.parametrize("slug", bt.code_slugs(TOPIC))
def test_code_exercise_meets_the_bar(slug: str) -> None:
    bt.assert_code_exercise(TOPIC, slug)


@pytest.mark.parametrize("slug", bt.math_slugs(TOPIC))
def test_math_exercise_meets_the_bar(slug: str) -> None:
    bt.assert_math_exercise(TOPIC, slug)


def test_topic_size() -> None:
    assert len(bt.code_slugs(TOPIC)) >= 3 and len(bt.math_slugs(TOPIC)) >= 4


def _softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# -- kernels against closed forms and properties ----------------------------------------------
def test_input_gradient_reference_is_softmax_minus_onehot_times_w_transposed() -> None:
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    y = np.array([0, 4, 2, 2])
    expected = (_softmax(X @ W + b) - np.eye(5)[y]) @ W.T
    np.testing.assert_allclose(K.input_gradient(X, y, W, b), expected, rtol=1e-12)


def test_fgsm_reference_steps_up_the_loss_and_clips() -> None:
    x = np.array([[0.5, 0.8, 0.2]])
    got = K.fgsm_logistic(x, np.array([1.0]), np.array([2.0, -1.0, 0.5]), -1.0, 0.25)
    np.testing.assert_allclose(got, [[0.25, 1.0, 0.0]])
    same = K.fgsm_logistic(x, np.array([0.0]), np.array([0.0, 1.0, 0.0]), 0.0, 0.1)
    np.testing.assert_allclose(same[0, [0, 2]], x[0, [0, 2]])


def test_pgd_reference_stays_in_the_ball_and_range_and_one_step_is_fgsm() -> None:
    rng = np.random.default_rng(1)
    x, W, b = rng.uniform(size=(8, 5)), rng.normal(size=(5, 4)) * 3, rng.normal(size=4)
    y = rng.integers(0, 4, 8)
    adv = K.pgd_linear(x, y, W, b, 0.1, 0.04, 12)
    assert np.all(np.abs(adv - x) <= 0.1 + 1e-12) and adv.min() >= 0 and adv.max() <= 1
    one = K.pgd_linear(x, y, W, b, 1.0, 0.05, 1)
    np.testing.assert_allclose(one, np.clip(x + 0.05 * np.sign(K.input_gradient(x, y, W, b)),
                                            0, 1))
    np.testing.assert_array_equal(K.pgd_linear(x, y, W, b, 0.1, 0.04, 0), x)


def test_pgd_sign_flip_check_has_a_safe_margin() -> None:
    """The handmade PGD check never evaluates a gradient near 0 (no sign ties to flip)."""
    check = next(c for c in bt.checks(TOPIC, "pgd_linf") if "flips" in c.name)
    x0, y, W, b, eps, alpha, steps = check.args
    adv = x0.copy()
    for _ in range(steps):
        g = (_softmax(adv @ W + b) - np.eye(W.shape[1])[y]) @ W.T
        assert np.abs(g).min() > 1e-2
        adv = np.clip(np.clip(adv + alpha * np.sign(g), x0 - eps, x0 + eps), 0, 1)
    np.testing.assert_allclose(adv, check.expected_value())


# -- what the checks tell apart ---------------------------------------------------------------
def test_pgd_checks_catch_projection_only_at_the_end() -> None:
    late = bt.solution(TOPIC, "pgd_linf").replace(
        "        adv = np.clip(np.clip(adv, x - eps, x + eps), lo, hi)\n    return adv",
        "    adv = np.clip(np.clip(adv, x - eps, x + eps), lo, hi)\n    return adv")
    assert late != bt.solution(TOPIC, "pgd_linf")
    for seed in bt.SEEDS:
        assert "the gradient's sign flips on the way (project every step)" in bt.failed(
            TOPIC, "pgd_linf", late, seed)


def test_fgsm_checks_catch_zero_gradient_treated_as_positive() -> None:
    source = bt.solution(TOPIC, "fgsm").replace(
        "np.sign(grad)", "np.where(grad >= 0, 1, -1).astype(x.dtype)")
    assert bt.failed(TOPIC, "fgsm", source) == {"a feature with weight 0 does not move"}


# -- math answers: independently computed values are accepted --------------------------------
def test_math_answers_computed_with_torch_are_accepted() -> None:
    import torch
    import torch.nn.functional as F

    x = torch.tensor([0.5, 0.8, 0.2], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([2.0, -1.0, 0.5], dtype=torch.float64)
    z = x @ w - 1.0
    one = torch.tensor(1.0, dtype=torch.float64)
    F.binary_cross_entropy_with_logits(z, one).backward()
    x_adv = torch.clamp(x.detach() + 0.25 * torch.sign(x.grad), 0, 1)
    z_adv = x_adv @ w - 1.0
    computed = {
        ("input_gradient_by_hand", "z"): f"{z.item():.5g}",
        ("input_gradient_by_hand", "grad_x"): bt.vector(x.grad.numpy()),
        ("input_gradient_by_hand", "direction"): bt.vector(torch.sign(x.grad).numpy(), 0),
        ("fgsm_by_hand", "x_adv"): bt.vector(x_adv.numpy()),
        ("fgsm_by_hand", "z_adv"): f"{z_adv.item():.5g}",
        ("fgsm_by_hand", "loss_adv"):
            f"{F.binary_cross_entropy_with_logits(z_adv, one).item():.5g}",
        ("linear_explanation", "delta_z"): f"{4 / 255 * np.abs(np.full(3072, 0.02)).sum():.5g}",
        ("linear_explanation", "eta_l2"): f"{np.linalg.norm(np.full(3072, 4 / 255)):.5g}",
    }
    x0, signs, adv = np.array([0.5, 0.9]), [(1, 1), (1, 1), (-1, 1)], np.array([0.5, 0.9])
    for k, sign in enumerate(signs, 1):
        adv = np.clip(np.clip(adv + 0.08 * np.array(sign), x0 - 0.1, x0 + 0.1), 0, 1)
        computed[("pgd_by_hand", f"x{k}")] = bt.vector(adv)
    for (slug, name), text in computed.items():
        assert bt.answer_status(f"{TOPIC}/{slug}", name, text) == "correct", (slug, name, text)
