"""The federated topic: its torch reference kernels and what its checks tell apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from modl_tutor.bank.loader import load_bank, load_exercise
from modl_tutor.batch.verify import _math_findings
from modl_tutor.grading.toolkit import Check
from modl_tutor.kernels import bank_federated as K
from tests.inprocess import module_from_source, passes
from tests.unit import bank_topic

REPO = Path(__file__).resolve().parents[2]
TOPIC = "federated"
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
def test_fedavg_reference_is_the_weighted_average_of_changes() -> None:
    rng = np.random.default_rng(0)
    w, clients = rng.normal(size=(2, 3)), rng.normal(size=(4, 2, 3))
    n = np.array([1, 2, 3, 4])
    average = np.tensordot(n / 10, clients, axes=1)
    np.testing.assert_allclose(K.fedavg_round(w, clients, n), average, rtol=1e-12)
    np.testing.assert_allclose(K.fedavg_round(w, clients, n, 0.5), w + 0.5 * (average - w),
                               rtol=1e-12)
    assert K.fedavg_round(w.astype(np.float32), clients.astype(np.float32), n).dtype == np.float32


def test_fedavg_reference_agrees_with_the_by_hand_exercise() -> None:
    clients, n = np.array([[0.2], [0.5], [0.9]]), np.array([100, 300, 600])
    assert K.fedavg_round(np.array([0.4]), clients, n)[0] == pytest.approx(0.71, rel=1e-12)
    assert K.fedavg_round(np.array([0.4]), clients, n, 0.5)[0] == pytest.approx(0.555, rel=1e-12)


def test_symmetric_int8_reference_rounds_ties_to_even_and_handles_zeros() -> None:
    q, scale = K.quantize_symmetric_int8(np.array([127.0, 0.5, 1.5, 2.5, -0.5, -3.5]) / 64)
    assert scale == 1 / 64 and q.dtype == np.int8
    assert q.tolist() == [127, 0, 2, 2, 0, -4]
    q, scale = K.quantize_symmetric_int8(np.zeros(3))
    assert scale == 1.0 and q.tolist() == [0, 0, 0]
    x = np.random.default_rng(5).normal(size=100)
    q, scale = K.quantize_symmetric_int8(x)
    assert np.max(np.abs(q * scale - x)) <= scale / 2 + 1e-15 and np.max(np.abs(q)) == 127


def test_quantized_fedavg_is_fedavg_of_the_reconstructed_changes() -> None:
    rng = np.random.default_rng(6)
    w, clients, n = rng.normal(size=4), rng.normal(size=(3, 4)), np.array([2, 3, 5])
    recon = [np.multiply(*K.quantize_symmetric_int8(c - w)) for c in clients]
    expected = w + np.tensordot(n / 10, recon, axes=1)
    np.testing.assert_allclose(K.quantized_fedavg(w, clients, n), expected, rtol=1e-13)
    # int8 codes lose at most half a step per client
    plain = K.fedavg_round(w, clients, n)
    bound = sum(p * np.abs(c - w).max() / 254 for p, c in zip(n / 10, clients))
    assert np.max(np.abs(K.quantized_fedavg(w, clients, n) - plain)) <= bound + 1e-12


def test_dp_sgd_reference_clips_each_example_and_scales_the_noise_by_c() -> None:
    grads = np.array([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0]])
    noise = np.array([1.0, -2.0])
    got = K.dp_sgd_gradient(grads, 1.0, 0.5, noise)
    clipped_sum = np.array([0.6, 0.8]) + np.array([0.3, 0.4])  # (3, 4) has norm 5 -> norm 1
    np.testing.assert_allclose(got, (clipped_sum + 0.5 * 1.0 * noise) / 3, rtol=1e-14)
    assert np.all(np.isfinite(K.dp_sgd_gradient(np.zeros((2, 3)), 1.0, 0.0, np.zeros(3))))


def test_data_parallel_reference_is_the_global_batch_gradient() -> None:
    rng = np.random.default_rng(1)
    sizes, w = [3, 0, 5, 1], rng.normal(size=2)
    X = [rng.normal(size=(b, 2)) for b in sizes]
    y = [rng.normal(size=b) for b in sizes]
    Xa, ya = np.concatenate(X), np.concatenate(y)
    np.testing.assert_allclose(K.data_parallel_gradient(X, y, w),
                               2 / 9 * Xa.T @ (Xa @ w - ya), rtol=1e-12)
    local = K.local_mean_gradients(X, y, w)
    assert len(local) == 3  # the empty shard has no mean
    np.testing.assert_allclose(np.average(local, axis=0, weights=[3, 5, 1]),
                               K.data_parallel_gradient(X, y, w), rtol=1e-12)


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
    ("fedavg_round", "bad_unweighted", "3 clients of very different sizes", "plain mean"),
    ("fedavg_round", "bad_lr_on_average", "server learning rate 0.5", "scaled the averaged"),
    ("data_parallel_gradient", "bad_mean_of_means",
     "3 workers with shards of 2, 5 and 9 examples", "plain mean of the workers"),
    ("data_parallel_gradient", "bad_no_factor_two", "4 equal shards of 8", "factor 2"),
    ("dp_sgd_gradient", "bad_clip_the_mean", "batch of 6, C = 1, σ = 1.1",
     "mean gradient was clipped"),
    ("dp_sgd_gradient", "bad_normalise_all", "short gradients are left alone (C = 10, σ = 0)",
     "rescaled to norm C"),
    ("dp_sgd_gradient", "bad_noise_not_scaled_by_c", "large noise multiplier (σ = 4, C = 2)",
     "not scaled by C"),
    ("quantized_fedavg", "bad_cast_truncates", "3 clients, different data sizes", "truncated"),
    ("quantized_fedavg", "bad_no_quantisation", "3 clients, different data sizes",
     "no quantisation"),
    ("quantized_fedavg", "bad_shared_scale", "updates of very different sizes",
     "shared by all clients"),
])
def test_known_mistakes_are_named(slug: str, mutant: str, check: str, says: str) -> None:
    source = (MUTANTS / slug / f"{mutant}.py").read_text("utf-8")
    messages = _messages(slug, source)
    assert check in messages and says in messages[check], messages.get(check, messages)


def test_equal_shards_do_not_tell_the_mean_of_means_apart_but_unequal_ones_do() -> None:
    source = (MUTANTS / "data_parallel_gradient" / "bad_mean_of_means.py").read_text("utf-8")
    failed = set(_messages("data_parallel_gradient", source))
    assert "4 equal shards of 8" not in failed and "one worker: the ordinary gradient" not in failed
    assert "3 workers with shards of 2, 5 and 9 examples" in failed


def test_ties_and_zero_updates_are_caught() -> None:
    half_up = (MUTANTS / "quantized_fedavg" / "bad_round_half_up.py").read_text("utf-8")
    assert set(_messages("quantized_fedavg", half_up)) == {"exact ties round to even"}
    nan = (MUTANTS / "quantized_fedavg" / "bad_zero_update_nan.py").read_text("utf-8")
    assert "a client that did not change (all-zero update)" in _messages("quantized_fedavg", nan)


def test_dp_sgd_zero_row_check_catches_0_over_0() -> None:
    nan = (MUTANTS / "dp_sgd_gradient" / "bad_zero_row_nan.py").read_text("utf-8")
    assert set(_messages("dp_sgd_gradient", nan)) == {"a zero gradient in the batch"}


def test_empty_shard_and_int32_counts_are_caught() -> None:
    nan = (MUTANTS / "data_parallel_gradient" / "bad_empty_shard_nan.py").read_text("utf-8")
    assert set(_messages("data_parallel_gradient", nan)) == {
        "an empty shard (b = 0) among others"}
    int32 = (MUTANTS / "fedavg_round" / "bad_int32_counts.py").read_text("utf-8")
    assert "counts up to 10¹² (no int32 overflow)" in _messages("fedavg_round", int32)


def test_math_exercises_accept_their_answers_and_reject_known_mistakes() -> None:
    exercises = [e for e in load_bank(REPO / "exercises", strict=False).by_topic(TOPIC)
                 if not e.is_code]
    assert len(exercises) >= 5
    for exercise in exercises:
        assert len(exercise.hints) >= 2, exercise.id
        assert _math_findings(exercise) == [], exercise.id
