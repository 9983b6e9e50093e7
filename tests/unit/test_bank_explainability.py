"""The explainability topic: its torch reference kernels and what its checks tell apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from modl_tutor.bank.loader import load_bank, load_exercise
from modl_tutor.batch.verify import _math_findings
from modl_tutor.grading.toolkit import Check
from modl_tutor.kernels import bank_explainability as K
from tests.inprocess import module_from_source, passes
from tests.unit import bank_topic

REPO = Path(__file__).resolve().parents[2]
TOPIC = "explainability"
EXERCISES = REPO / "exercises" / TOPIC
SOLUTIONS = REPO / "solutions" / TOPIC
MUTANTS = REPO / "tests" / "mutants" / TOPIC
CODE = sorted(p.parent.name for p in EXERCISES.glob("*/checks.py"))


def _checks(slug: str, seed: str = "") -> list[Check]:
    return bank_topic.checks(TOPIC, slug, seed)


def _messages(slug: str, source: str) -> dict[str, str]:
    """Failed check name -> the comparison's message, for `source` run in-process."""
    return bank_topic.messages(TOPIC, slug, source)


_plain = bank_topic.plain


# -- kernels -----------------------------------------------------------------------------------
def test_input_gradient_is_the_masked_backward_pass() -> None:
    rng = np.random.default_rng(0)
    X, W1, b1 = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    W2, b2, t = rng.normal(size=(4, 3)), rng.normal(size=3), np.array([0, 2, 1, 1, 0])
    manual = ((X @ W1 + b1 > 0) * W2[:, t].T) @ W1.T
    np.testing.assert_allclose(K.input_gradient(X, W1, b1, W2, b2, t), manual, rtol=1e-12)
    np.testing.assert_allclose(K.input_gradient(X, W1, b1, W2, b2, t, "gradient_x_input"),
                               manual * X, rtol=1e-12)
    with pytest.raises(ValueError):
        K.input_gradient(X, W1, b1, W2, b2, t, "absolute")


def test_input_gradient_matches_the_saliency_worked_by_hand() -> None:
    W = np.array([[2.0, -1.0], [1.0, 3.0]])
    got = K.input_gradient(np.array([[1.0, 0.5]]), W.T, np.array([0.5, -4.0]),
                           np.array([[1.5], [-2.0]]), np.zeros(1), np.array([0]))
    np.testing.assert_allclose(got, [[3.0, -1.5]])


def _cnn(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return (rng.normal(size=(2, 4, 6)), rng.normal(size=(3, 2, 2, 2)), rng.normal(size=3),
            rng.normal(size=(18, 5)), rng.normal(size=5), rng.normal(size=(5, 2)),
            rng.normal(size=2))


def test_grad_cam_is_pooled_gradients_relu_and_nearest_upsampling() -> None:
    x, Wc, bc, W1, b1, W2, b2 = _cnn(np.random.default_rng(1))
    A, G = K.maps_and_gradients(x, Wc, bc, W1, b1, W2, b2, 1)
    # the conv is PyTorch's cross-correlation, stride 2
    assert A[2, 1, 2] == pytest.approx(max(np.sum(x[:, 2:4, 4:6] * Wc[2]) + bc[2], 0.0))
    hidden = A.reshape(-1) @ W1 + b1
    np.testing.assert_allclose(G.reshape(-1), W1 @ (W2[:, 1] * (hidden > 0)), rtol=1e-12)
    cam = np.maximum(np.tensordot(G.mean(axis=(1, 2)), A, axes=1), 0)
    np.testing.assert_allclose(K.grad_cam(x, Wc, bc, W1, b1, W2, b2, 1),
                               np.kron(cam, np.ones((2, 2))), rtol=1e-12)


def test_grad_cam_matches_the_map_worked_by_hand() -> None:
    A = np.array([[[1.0, 0.0], [2.0, 3.0]], [[0.0, 4.0], [1.0, 1.0]]])
    G = np.array([[[0.5, 0.1], [0.3, 0.3]], [[-0.2, -0.4], [0.0, -0.2]]])
    cam = np.maximum(np.tensordot(G.mean(axis=(1, 2)), A, axes=1), 0)
    np.testing.assert_allclose(cam.ravel(), [0.3, 0.0, 0.4, 0.7], atol=1e-15)
    np.testing.assert_allclose(K.upsample_nearest(cam, (4, 4)).numpy(),
                               cam.repeat(2, 0).repeat(2, 1))


def test_rise_reference_is_the_weighted_mask_average() -> None:
    rng = np.random.default_rng(2)
    x, W, b = rng.random((3, 4)), rng.normal(size=(12, 3)), rng.normal(size=3)
    masks = (rng.random((50, 3, 4)) < 0.5).astype(float)
    scores = []
    for mask in masks:
        logits = (mask * x).ravel() @ W + b
        scores.append(np.exp(logits[2]) / np.exp(logits).sum())
    expected = sum(s * m for s, m in zip(scores, masks)) / (50 * 0.5)
    np.testing.assert_allclose(K.rise_saliency(x, masks, W, b, 2, 0.5), expected, rtol=1e-12)
    # all-ones masks with p = 1: every pixel gets the plain score of the image
    flat = x.ravel() @ W + b
    np.testing.assert_allclose(K.rise_saliency(x, np.ones((4, 3, 4)), W, b, 0, 1.0),
                               np.full((3, 4), np.exp(flat[0]) / np.exp(flat).sum()))


def test_integrated_gradients_reference_rules_and_completeness() -> None:
    rng = np.random.default_rng(3)
    x, base = rng.normal(size=4), rng.normal(size=4)
    W1, b1, W2, b2 = rng.normal(size=(4, 6)), rng.normal(size=6), rng.normal(size=(6, 2)), \
        rng.normal(size=2)
    alphas = (np.arange(7) + 0.5) / 7
    points = base + alphas[:, None] * (x - base)
    manual = (x - base) * (((points @ W1 + b1 > 0) * W2[:, 1]) @ W1.T).mean(axis=0)
    np.testing.assert_allclose(K.integrated_gradients(x, base, W1, b1, W2, b2, 1, 7), manual,
                               rtol=1e-12)
    left = K.integrated_gradients(x, base, W1, b1, W2, b2, 1, 7, rule="left")
    assert not np.allclose(left, manual)
    gap = K.mlp_score(x, W1, b1, W2, b2, 1) - K.mlp_score(base, W1, b1, W2, b2, 1)
    many = K.integrated_gradients(x, base, W1, b1, W2, b2, 1, 20000)
    assert np.sum(many) == pytest.approx(gap, abs=1e-3)


def test_integrated_gradients_of_a_linear_region_is_gradient_times_difference() -> None:
    W1, b1 = np.eye(2), np.full(2, 10.0)  # both units fire on the whole path
    W2, b2 = np.array([[2.0], [-3.0]]), np.zeros(1)
    got = K.integrated_gradients(np.array([1.0, 2.0]), np.zeros(2), W1, b1, W2, b2, 0, 3)
    np.testing.assert_allclose(got, [2.0, -6.0], rtol=1e-12)


# -- what the checks tell apart ---------------------------------------------------------------
@pytest.mark.parametrize("slug", CODE)
def test_solution_passes_starter_fails_and_inputs_are_plain_data(slug: str) -> None:
    code = load_exercise(EXERCISES / slug).code
    assert code is not None
    solution = module_from_source(slug, (SOLUTIONS / f"{slug}.py").read_text("utf-8"))
    for seed in ("", "student-7"):
        checks = _checks(slug, seed)
        assert any(c.hidden for c in checks) and len(checks) >= 4
        for check in checks:
            assert check.run is None and _plain(check.args) and _plain(check.kwargs), check.name
            assert passes(check, solution, code.function), (slug, check.name, seed)
    starter = (EXERCISES / slug / "starter.py").read_text("utf-8")
    assert set(_messages(slug, starter)) == {c.name for c in _checks(slug)}


@pytest.mark.parametrize(("slug", "mutant", "check", "says"), [
    ("input_saliency", "bad_no_relu_mask", "gradient, N=4, D=3, H=5, C=3", "without its ReLU"),
    ("input_saliency", "bad_abs", "gradient, N=4, D=3, H=5, C=3", "drops the sign"),
    ("grad_cam", "bad_no_final_relu", "one channel, 4×4 image, 2 maps", "no ReLU at the end"),
    ("grad_cam", "bad_sum_pool", "3 channels, 6×8 image (not square), 4 maps", "sum of the"),
    ("grad_cam", "bad_linear_head", "3 channels, 6×8 image (not square), 4 maps",
     "as if it were linear"),
    ("grad_cam", "bad_gradient_times_activation", "one channel, 4×4 image, 2 maps",
     "pools the gradients"),
    ("rise_saliency", "bad_per_pixel_normalisation", "8 binary masks on a 3×4 image, p = 0.5",
     "pixel by pixel"),
    ("rise_saliency", "bad_no_p", "8 binary masks on a 3×4 image, p = 0.5", "division by p"),
    ("rise_saliency", "bad_logit_scores", "8 binary masks on a 3×4 image, p = 0.5", "logit"),
    ("integrated_gradients_code", "bad_left_riemann", "zero baseline, 8 steps", "left Riemann"),
    ("integrated_gradients_code", "bad_times_x", "a non-zero baseline", "multiplied by x"),
    ("integrated_gradients_code", "bad_gradient_at_input", "zero baseline, 8 steps",
     "whole path"),
])
def test_known_mistakes_are_named(slug: str, mutant: str, check: str, says: str) -> None:
    source = (MUTANTS / slug / f"{mutant}.py").read_text("utf-8")
    messages = _messages(slug, source)
    assert check in messages and says in messages[check], messages.get(check, messages)


def test_relu_kink_check_catches_a_mask_that_lets_zero_through() -> None:
    source = (MUTANTS / "input_saliency" / "bad_mask_at_zero.py").read_text("utf-8")
    assert set(_messages("input_saliency", source)) == {
        "a unit exactly at the ReLU kink (relu'(0) = 0)"}


def test_evidence_against_the_class_really_gives_an_empty_map() -> None:
    check = next(c for c in _checks("grad_cam") if c.name.startswith("evidence against"))
    assert not np.any(check.expected_value())
    no_relu = next(fn for msg, fn in check.mistakes.items() if msg.startswith("no ReLU"))
    assert np.any(no_relu(*check.args) < 0)


def test_math_exercises_accept_their_answers_and_reject_known_mistakes() -> None:
    exercises = [e for e in load_bank(REPO / "exercises", strict=False).by_topic(TOPIC)
                 if not e.is_code]
    assert len(exercises) >= 4
    for exercise in exercises:
        assert len(exercise.hints) >= 2, exercise.id
        assert _math_findings(exercise) == [], exercise.id
