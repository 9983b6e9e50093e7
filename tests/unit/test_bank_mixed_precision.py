"""Mixed-precision gradient descent (precision topic, new exercises): kernel, checks, answers."""

from __future__ import annotations

import numpy as np
import pytest

from modl_tutor.kernels import bank_mixed_precision as K
from tests.unit import bank_topic as bt

TOPIC = "precision"
SLUGS = ("fp16_vs_master_sgd", "fp16_sgd_trace", "swamping_learning_rate")


@pytest.mark.parametrize("slug", bt.code_slugs(TOPIC, SLUGS))
def test_code_exercise_meets_the_bar(slug: str) -> None:
    bt.assert_code_exercise(TOPIC, slug)


@pytest.mark.parametrize("slug", bt.math_slugs(TOPIC, SLUGS))
def test_math_exercise_meets_the_bar(slug: str) -> None:
    bt.assert_math_exercise(TOPIC, slug)


def test_the_new_exercises_exist() -> None:
    assert bt.code_slugs(TOPIC, SLUGS) == ["fp16_vs_master_sgd"]
    assert bt.math_slugs(TOPIC, SLUGS) == ["fp16_sgd_trace", "swamping_learning_rate"]


# -- the kernel -------------------------------------------------------------------------------
def test_plain_float16_is_swamped_while_the_master_moves() -> None:
    out = K.sgd_fp16_vs_master(np.ones(3, np.float16), np.full((5, 3), -0.04, np.float16), 0.01)
    assert out["plain"].dtype == np.float16 and out["master"].dtype == np.float32
    np.testing.assert_array_equal(out["plain"], np.ones(3, np.float16))
    np.testing.assert_allclose(out["master"], 1.002, rtol=1e-4)
    assert out["master"].astype(np.float16)[0] == np.float16(1 + 2 * 2.0**-10)
    np.testing.assert_array_equal(out["lost"], [5, 5, 5])


def test_kernel_matches_numpy_half_arithmetic_bit_for_bit() -> None:
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=6).astype(np.float16)
    grads = rng.normal(scale=0.1, size=(50, 6)).astype(np.float16)
    grads[::5] = 0
    plain, master, lost = w0.copy(), w0.astype(np.float32), np.zeros(6, np.int64)
    for g in grads:
        u = np.float16(0.003) * g
        new = plain - u
        lost += (new == plain) & (u != 0)
        plain, master = new, master - np.float32(0.003) * g.astype(np.float32)
    out = K.sgd_fp16_vs_master(w0, grads, 0.003)
    np.testing.assert_array_equal(out["plain"].view(np.uint16), plain.view(np.uint16))
    np.testing.assert_array_equal(out["master"].view(np.uint32), master.view(np.uint32))
    np.testing.assert_array_equal(out["lost"], lost)


@pytest.mark.parametrize(("w", "direction", "threshold"),
                         [(1.0, -1, 2.0**-11), (1.0, 1, 2.0**-10), (1000.0, -1, 0.5)])
def test_swamping_thresholds_hold_on_both_sides(w: float, direction: int,
                                                threshold: float) -> None:
    """lr ≤ lr* is lost (ties to even included), anything above moves the weight."""
    weight = np.float16(w)
    for lr, moves in ((threshold, False), (threshold * 1.01, True), (threshold * 0.5, False)):
        stepped = np.float16(np.float64(weight) + direction * lr * 0.5)
        assert (stepped != weight) == moves, (w, direction, lr)


# -- what the checks tell apart ---------------------------------------------------------------
def test_checks_catch_an_update_that_was_never_rounded_to_float16() -> None:
    """u = lr·g kept in float32 is not 0 when its float16 value underflows: counted as lost."""
    source = bt.solution(TOPIC, "fp16_vs_master_sgd").replace(
        "update = lr16 * g\n        stepped = plain - update",
        "update = lr32 * g.astype(np.float32)\n"
        "        stepped = (plain.astype(np.float32) - update).astype(np.float16)")
    assert source != bt.solution(TOPIC, "fp16_vs_master_sgd")
    assert bt.failed(TOPIC, "fp16_vs_master_sgd", source) == {
        "zero and underflowing updates are not counted as lost"}


def test_checks_catch_zero_updates_counted_as_lost() -> None:
    source = bt.solution(TOPIC, "fp16_vs_master_sgd").replace(
        "lost += (stepped == plain) & (update != 0)", "lost += stepped == plain")
    assert source != bt.solution(TOPIC, "fp16_vs_master_sgd")
    assert "zero and underflowing updates are not counted as lost" in bt.failed(
        TOPIC, "fp16_vs_master_sgd", source)


# -- math answers: independently computed values are accepted --------------------------------
def test_math_answers_computed_with_numpy_are_accepted() -> None:
    w16, m32 = np.float16(1), np.float32(1)
    copies = []
    for _ in range(5):
        w16 = np.float16(np.float32(w16) + np.float32(0.0004))
        m32 = np.float32(m32 + np.float32(0.0004))
        copies.append(np.float16(m32))
    first = next(k for k, c in enumerate(copies, 1) if c != 1)
    computed = {("fp16_sgd_trace", "plain_5"): repr(float(w16)),
                ("fp16_sgd_trace", "master_5"): f"{float(m32):.7g}",
                ("fp16_sgd_trace", "copy_5"): repr(float(copies[-1])),
                ("fp16_sgd_trace", "first_move"): str(first),
                ("swamping_learning_rate", "lr_1000"): repr(float(np.spacing(np.float16(1000))))}
    for (slug, name), text in computed.items():
        assert bt.answer_status(f"{TOPIC}/{slug}", name, text) == "correct", (slug, name, text)
