"""The information topic: its torch reference kernels and what its checks tell apart."""

from __future__ import annotations

import numpy as np
import pytest

from modl_tutor.kernels import bank_information as K
from tests.unit import bank_topic as bt

TOPIC = "information"


@pytest.mark.parametrize("slug", bt.code_slugs(TOPIC))
def test_code_exercise_meets_the_bar(slug: str) -> None:
    bt.assert_code_exercise(TOPIC, slug)


@pytest.mark.parametrize("slug", bt.math_slugs(TOPIC))
def test_math_exercise_meets_the_bar(slug: str) -> None:
    bt.assert_math_exercise(TOPIC, slug)


def test_topic_size() -> None:
    assert len(bt.code_slugs(TOPIC)) >= 3 and len(bt.math_slugs(TOPIC)) >= 6


# -- kernels against the definitions ----------------------------------------------------------
def test_entropy_reference_counts_zero_probabilities_as_zero() -> None:
    assert K.entropy(np.array([0.5, 0.25, 0.125, 0.125])) == pytest.approx(1.75 * np.log(2))
    got = K.entropy(np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]], np.float32))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, [0.0, np.log(2)], rtol=1e-6)
    np.testing.assert_allclose(K.entropy(np.full((2, 3), 0.5), axis=0), np.full(3, np.log(2)))


def test_kl_from_logits_reference_is_the_definition_and_stable() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 3, 4))
    p = np.exp(a) / np.exp(a).sum(-1, keepdims=True)
    q = np.exp(b) / np.exp(b).sum(-1, keepdims=True)
    np.testing.assert_allclose(K.kl_from_logits(a, b), (p * np.log(p / q)).sum(-1), rtol=1e-12)
    big = K.kl_from_logits(a * 1e4, b * 1e4)
    assert np.all(np.isfinite(big)) and np.all(big >= 0)
    assert K.kl_from_logits(a[0], a[0]) == pytest.approx(0.0, abs=1e-15)


def test_gaussian_kl_reference_matches_numerical_integration() -> None:
    t = np.linspace(-12, 12, 200_001)

    def density(mu: float, sigma: float) -> np.ndarray:
        return np.exp(-(t - mu) ** 2 / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))

    p, q = density(0.0, 1.0), density(1.0, 0.5)
    numeric = np.sum(p * np.log(p / q)) * (t[1] - t[0])
    assert float(K.gaussian_kl(0.0, 1.0, 1.0, 0.5)) == pytest.approx(numeric, rel=1e-6)
    assert float(K.gaussian_kl(0.0, 1.0, 1.0, 0.5)) == pytest.approx(np.log(0.5) + 4 - 0.5)


def test_mutual_information_reference() -> None:
    table = np.array([[0.4, 0.1], [0.1, 0.4]])
    outer = table.sum(1)[:, None] * table.sum(0)[None, :]
    assert K.mutual_information(table) == pytest.approx(np.sum(table * np.log(table / outer)))
    assert K.mutual_information(np.full((2, 3), 1 / 6)) == pytest.approx(0.0, abs=1e-15)


# -- what the checks tell apart ---------------------------------------------------------------
def test_entropy_checks_catch_nan_for_zero_probabilities() -> None:
    naive = "import numpy as np\ndef entropy(p, axis=-1):\n" \
            "    return -np.sum(p * np.log(p), axis=axis)\n"
    assert "one-hot rows have entropy 0" in bt.failed(TOPIC, "entropy", naive)


def test_kl_checks_catch_ln_of_underflowed_probabilities() -> None:
    source = bt.solution(TOPIC, "kl_from_logits").replace(
        "return np.sum(np.exp(log_p) * (log_p - log_q), axis=axis)",
        "p, q = np.exp(log_p), np.exp(log_q)\n    return np.sum(p * np.log(p / q), axis=axis)")
    assert bt.failed(TOPIC, "kl_from_logits", source) == {"large logits (|z| up to 1e4)",
                                                         "3-D input, middle axis, large logits"}


def test_gaussian_kl_feedback_names_the_swap() -> None:
    from modl_tutor.grading.toolkit import compare_outputs

    check = bt.checks(TOPIC, "gaussian_kl")[1]
    mu_p, s_p, mu_q, s_q = check.args
    swapped = K.gaussian_kl(mu_q, s_q, mu_p, s_p)
    assert "KL(q‖p)" in compare_outputs(swapped, check.expected_value(), check).message


# -- math answers: independently computed values are accepted --------------------------------
def test_math_answers_computed_with_torch_are_accepted() -> None:
    import torch

    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.4, 0.4, 0.2])
    logits = torch.tensor([2.0, 1.0, 0.0], dtype=torch.float64)
    table = np.array([[0.4, 0.1], [0.1, 0.4]])
    computed = {
        ("entropy_by_hand", "bits"): K.entropy(np.array([0.5, 0.25, 0.125, 0.125])) / np.log(2),
        ("entropy_by_hand", "nats"): K.entropy(np.array([0.5, 0.25, 0.125, 0.125])),
        ("cross_entropy_decomposition", "h_p"): K.entropy(p),
        ("cross_entropy_decomposition", "h_pq"): -np.sum(p * np.log(q)),
        ("cross_entropy_decomposition", "kl"): K.kl_from_logits(np.log(p), np.log(q)),
        ("kl_two_gaussians", "kl_pq"): float(K.gaussian_kl(0.0, 1.0, 1.0, 0.5)),
        ("kl_two_gaussians", "kl_qp"): float(K.gaussian_kl(1.0, 0.5, 0.0, 1.0)),
        ("mutual_information_table", "hxy"): K.entropy(table.ravel()) / np.log(2),
        ("mutual_information_table", "mi"): K.mutual_information(table) / np.log(2),
        ("softmax_temperature", "p_half"): torch.softmax(logits / 0.5, 0)[0].item(),
        ("softmax_temperature", "p_two"): torch.softmax(logits / 2.0, 0)[0].item(),
    }
    for (slug, name), value in computed.items():
        text = f"{float(value):.5g}"
        assert bt.answer_status(f"{TOPIC}/{slug}", name, text) == "correct", (slug, name, text)
