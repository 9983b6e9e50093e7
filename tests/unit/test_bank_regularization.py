"""The regularization topic: its torch reference kernels and what its checks tell apart."""

from __future__ import annotations

import numpy as np
import pytest

from modl_tutor.kernels import bank_regularization as K
from tests.unit import bank_topic as bt

TOPIC = "regularization"


@pytest.mark.parametrize("slug", bt.code_slugs(TOPIC))
def test_code_exercise_meets_the_bar(slug: str) -> None:
    bt.assert_code_exercise(TOPIC, slug)


@pytest.mark.parametrize("slug", bt.math_slugs(TOPIC))
def test_math_exercise_meets_the_bar(slug: str) -> None:
    bt.assert_math_exercise(TOPIC, slug)


def test_topic_size() -> None:
    assert len(bt.code_slugs(TOPIC)) >= 3 and len(bt.math_slugs(TOPIC)) >= 5


# -- kernels against the textbook formulas ----------------------------------------------------
def test_layer_norm_reference_is_the_formula_per_row() -> None:
    rng = np.random.default_rng(0)
    x, gamma, beta = rng.normal(size=(3, 5)), rng.normal(size=5), rng.normal(size=5)
    mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(K.layer_norm(x, gamma, beta, 0.1),
                               (x - mu) / np.sqrt(var + 0.1) * gamma + beta, rtol=1e-12)
    assert K.layer_norm(x.astype(np.float32), gamma.astype(np.float32),
                        beta.astype(np.float32)).dtype == np.float32


def test_layer_norm_backward_reference_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    x, gamma, dout = rng.normal(size=(2, 4)), rng.normal(size=4), rng.normal(size=(2, 4))
    grads = K.layer_norm_backward(x, gamma, dout, 0.01)
    h, numeric = 1e-6, np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        up = np.sum(K.layer_norm(x + step, gamma, 0 * gamma, 0.01) * dout)
        down = np.sum(K.layer_norm(x - step, gamma, 0 * gamma, 0.01) * dout)
        numeric[i] = (up - down) / (2 * h)
    np.testing.assert_allclose(grads["dx"], numeric, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(grads["dbeta"], dout.sum(0), rtol=1e-12)


@pytest.mark.parametrize("t", [1, 5])
def test_adamw_and_adam_l2_references_are_the_formulas(t: int) -> None:
    rng = np.random.default_rng(t)
    p, g = rng.normal(size=(2, 4))
    m = np.zeros(4) if t == 1 else rng.normal(size=4) * 0.1
    v = np.zeros(4) if t == 1 else rng.uniform(0.01, 0.02, 4)

    def adam(theta: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        m2 = 0.9 * m + 0.1 * grad
        v2 = 0.999 * v + 0.001 * grad**2
        return theta - 0.1 * (m2 / (1 - 0.9**t)) / (np.sqrt(v2 / (1 - 0.999**t)) + 1e-8), m2, v2

    for got, want in zip(K.adamw_step(p, g, m, v, t, lr=0.1, weight_decay=0.3),
                         adam(p * (1 - 0.1 * 0.3), g)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    for got, want in zip(K.adam_l2_step(p, g, m, v, t, lr=0.1, weight_decay=0.3),
                         adam(p, g + 0.3 * p)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_elastic_penalty_reference_uses_subgradient_zero() -> None:
    value, grad = K.elastic_penalty(np.array([0.5, -2.0, 0.0]), 0.1, 0.2)
    assert value == pytest.approx(0.25 + 0.425)
    np.testing.assert_allclose(grad, [0.2, -0.5, 0.0])


# -- what the checks tell apart ---------------------------------------------------------------
ONE_PASS = """
import numpy as np
def layer_norm(x, gamma, beta, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    var = (x * x).mean(-1, keepdims=True) - mu * mu
    return (x - mu) / np.sqrt(np.maximum(var, 0) + eps) * gamma + beta
"""


def test_layer_norm_checks_catch_one_pass_variance_only_where_it_matters() -> None:
    assert bt.failed(TOPIC, "layer_norm", ONE_PASS) == {"float32 rows with mean 1000"}


def test_adamw_checks_catch_coupled_weight_decay() -> None:
    coupled = bt.solution(TOPIC, "adamw_step").replace(
        "decayed = param * (1.0 - lr * weight_decay)\n",
        "decayed = param\n    grad = grad + weight_decay * param\n")
    assert "zero gradient and zero moments: only the decay acts" in bt.failed(
        TOPIC, "adamw_step", coupled)


def test_layer_norm_feedback_names_the_batch_norm_axis() -> None:
    from modl_tutor.grading.toolkit import compare_outputs

    check = next(c for c in bt.checks(TOPIC, "layer_norm") if c.name == "batch (4, 6)")
    x, gamma, beta = check.args
    wrong = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5) * gamma + beta
    message = compare_outputs(wrong, check.expected_value(), check).message
    assert "axis 0" in message


# -- math answers: independently computed values are accepted --------------------------------
def test_math_answers_computed_with_numpy_are_accepted() -> None:
    import torch
    import torch.nn.functional as F

    x = np.array([1.0, 2.0, 3.0, 6.0])
    zeros = np.zeros(1)
    theta = K.adamw_step(np.array([2.0]), np.array([0.5]), zeros, zeros, 1, lr=0.1, eps=0.0,
                         weight_decay=0.1)[0]
    theta_l2 = K.adam_l2_step(np.array([2.0]), np.array([0.5]), zeros, zeros, 1, lr=0.1, eps=0.0,
                              weight_decay=0.1)[0]
    computed = {
        ("l1_l2_penalties", "l1_grad"): bt.vector(K.elastic_penalty([0.5, -2, 0], 0.1, 0)[1]),
        ("l1_l2_penalties", "l2_grad"): bt.vector(K.elastic_penalty([0.5, -2, 0], 0, 0.2)[1]),
        ("l1_l2_penalties", "l2_value"): f"{K.elastic_penalty([0.5, -2, 0], 0, 0.2)[0]:.4f}",
        ("adam_l2_vs_adamw", "theta_adamw"): f"{theta[0]:.4f}",
        ("adam_l2_vs_adamw", "theta_adam_l2"): f"{theta_l2[0]:.4f}",
        ("inverted_dropout_scaling", "output"):
            bt.vector(np.array([2, -1, 0.5, 4, 1.5]) * np.array([1, 0, 1, 1, 0]) / 0.8),
        ("batchnorm_inference", "y"): bt.vector(F.batch_norm(
            torch.tensor([[2.5, -0.5]], dtype=torch.float64), torch.tensor([0.5, -1.0]).double(),
            torch.tensor([4.0, 0.25]).double(), torch.tensor([2.0, 1.0]).double(),
            torch.tensor([0.1, -0.2]).double(), training=False, eps=1e-5)),
        ("layer_norm_by_hand", "var"): f"{x.var():.4f}",
        ("layer_norm_by_hand", "xhat"): bt.vector(K.layer_norm(x[None], np.ones(4),
                                                               np.zeros(4), 0.0)),
    }
    for (slug, name), text in computed.items():
        assert bt.answer_status(f"{TOPIC}/{slug}", name, text) == "correct", (slug, name, text)
