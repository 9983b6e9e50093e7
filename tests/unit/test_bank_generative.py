"""The generative topic: its torch reference kernels and what its checks tell apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from modl_tutor.bank.loader import load_bank, load_exercise
from modl_tutor.batch.verify import _math_findings
from modl_tutor.grading.toolkit import Check
from modl_tutor.kernels import bank_generative as K
from tests.inprocess import module_from_source, passes
from tests.unit import bank_topic

REPO = Path(__file__).resolve().parents[2]
TOPIC = "generative"
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
def test_vae_kl_reference_is_the_closed_form() -> None:
    rng = np.random.default_rng(0)
    mu, logvar = rng.normal(size=(4, 3)), rng.uniform(-20, 20, (4, 3))
    closed = 0.5 * np.sum(np.exp(logvar) + mu**2 - 1 - logvar, axis=1)
    np.testing.assert_allclose(K.vae_kl(mu, logvar), closed, rtol=1e-12)
    assert K.vae_kl(mu.astype(np.float32), logvar.astype(np.float32)).dtype == np.float32
    np.testing.assert_array_equal(K.vae_kl(np.zeros((2, 5)), np.zeros((2, 5))), [0.0, 0.0])


def test_vae_kl_reference_agrees_with_the_by_hand_exercise() -> None:
    kl = K.vae_kl(np.array([[0.5, -1.0]]), np.log(np.array([[1.0, 0.25]])))
    assert kl[0] == pytest.approx(0.25 + np.log(2), rel=1e-12)


def test_encoder_gradients_are_both_paths_in_closed_form() -> None:
    rng = np.random.default_rng(4)
    mu, logvar, eps, dz = rng.normal(size=(4, 2, 3))
    got = K.vae_encoder_grads(mu, logvar, eps, dz, beta=0.3)
    np.testing.assert_allclose(got["dmu"], dz + 0.3 * mu, rtol=1e-12)
    np.testing.assert_allclose(got["dlogvar"], dz * eps * np.exp(logvar / 2) / 2
                               + 0.3 * (np.exp(logvar) - 1) / 2, rtol=1e-12)


def test_gan_losses_reference_at_zero_and_when_saturated() -> None:
    zero = K.gan_losses(np.zeros(3), np.zeros(5))
    assert zero["d_loss"] == pytest.approx(2 * np.log(2))
    assert zero["g_minimax"] == pytest.approx(-np.log(2))
    assert zero["g_nonsat"] == pytest.approx(np.log(2))
    saturated = K.gan_losses(np.array([1e4]), np.array([-1e4]))
    assert saturated["d_loss"] == pytest.approx(0.0, abs=1e-300)
    assert saturated["g_nonsat"] == pytest.approx(1e4)


def test_generator_gradients_show_the_saturation_of_the_by_hand_exercise() -> None:
    minimax, nonsat = K.generator_logit_grads(np.array([-5.0]))
    sig = 1 / (1 + np.exp(5.0))
    assert minimax[0] == pytest.approx(-sig, rel=1e-12)
    assert nonsat[0] == pytest.approx(sig - 1, rel=1e-12)
    assert nonsat[0] / minimax[0] == pytest.approx(np.exp(5.0), rel=1e-10)


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
    ("vae_kl", "bad_no_half", "batch of 4, D = 3", "factor ½"),
    ("vae_kl", "bad_batch_mean", "batch of 4, D = 3", "of shape (4,)"),
    ("gan_losses", "bad_naive_log", "saturated discriminator: real ≈ +1e4, fake ≈ −1e4", "inf"),
])
def test_known_mistakes_are_named(slug: str, mutant: str, check: str, says: str) -> None:
    source = (MUTANTS / slug / f"{mutant}.py").read_text("utf-8")
    messages = _messages(slug, source)
    assert check in messages and says in messages[check], messages.get(check, messages)


def test_vae_kl_checks_catch_sigma_for_variance_and_an_upcast() -> None:
    sigma = (MUTANTS / "vae_kl" / "bad_sigma_for_variance.py").read_text("utf-8")
    assert "batch of 4, D = 3" in _messages("vae_kl", sigma)
    upcast = (MUTANTS / "vae_kl" / "bad_upcast.py").read_text("utf-8")
    assert set(_messages("vae_kl", upcast)) == {"float32 keeps float32"}


def test_encoder_checks_separate_the_two_paths() -> None:
    def failed(mutant: str) -> set[str]:
        source = (MUTANTS / "vae_encoder_backward" / f"{mutant}.py").read_text("utf-8")
        return set(_messages("vae_encoder_backward", source))

    assert "dz = 0: the KL path alone" not in failed("bad_no_half_in_sigma")
    assert "beta = 0: the reconstruction path alone" in failed("bad_no_half_in_sigma")
    assert "dz = 0: the KL path alone" in failed("bad_no_kl_path")
    assert "beta = 0: the reconstruction path alone" not in failed("bad_no_kl_path")
    assert "beta = 0: the reconstruction path alone" in failed("bad_no_z_path")


def test_gan_checks_catch_pooled_batches_only_when_sizes_differ_or_the_half() -> None:
    pooled = (MUTANTS / "gan_losses" / "bad_pooled_mean.py").read_text("utf-8")
    assert "real and fake batches of different sizes (5 and 3)" in _messages("gan_losses", pooled)


def test_math_exercises_accept_their_answers_and_reject_known_mistakes() -> None:
    exercises = [e for e in load_bank(REPO / "exercises", strict=False).by_topic(TOPIC)
                 if not e.is_code]
    assert len(exercises) >= 5
    for exercise in exercises:
        assert len(exercise.hints) >= 2, exercise.id
        assert _math_findings(exercise) == [], exercise.id
