"""The precision topic: its torch reference kernels and what its checks tell apart."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from tests.inprocess import module_from_source, passes
from modl_tutor.bank.loader import load_bank, load_exercise
from modl_tutor.batch.verify import _math_findings
from modl_tutor.grading.code_grade import build_checks
from modl_tutor.kernels import bank_precision as K
from modl_tutor.kernels import precision as P

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises" / "precision"
SOLUTIONS = REPO / "solutions" / "precision"


def _solution(slug: str) -> ModuleType:
    return module_from_source(slug, (SOLUTIONS / f"{slug}.py").read_text("utf-8"))


def _failed(slug: str, source: str) -> set[str]:
    """Names of the checks of `slug` that `source` fails."""
    code = load_exercise(EXERCISES / slug).code
    assert code is not None
    module = module_from_source(slug, source)
    checks = build_checks(EXERCISES / slug / "checks.py", f"precision/{slug}")
    return {c.name for c in checks if not passes(c, module, code.function)}


def _bits(*patterns: int) -> np.ndarray:
    return np.array(patterns, dtype=np.uint32).view(np.float32)


# -- kernels -----------------------------------------------------------------------------------
def test_bfloat16_reference_matches_the_bit_formula_on_random_patterns() -> None:
    x = np.random.default_rng(0).integers(0, 2**32, 200_000, dtype=np.uint64)
    x = x.astype(np.uint32).view(np.float32)
    bits = x.view(np.uint32).astype(np.uint64)
    expected = ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).astype(np.uint32)
    expected = np.where(np.isnan(x), x, expected.view(np.float32))
    np.testing.assert_array_equal(P.round_to_bfloat16(x), expected)


def test_bfloat16_reference_ties_overflow_and_nan() -> None:
    got = P.round_to_bfloat16(_bits(0x3F808000, 0x3F818000, 0x7F7F8000, 0x7F7F7FFF, 0x7FFFFFFF))
    assert got[0] == 1.0 and got[1] == np.float32(1.015625)
    assert got[2] == np.inf and got[3] == _bits(0x7F7F0000)[0] and np.isnan(got[4])


def _exact_fixed(value: float, int_bits: int, frac_bits: int) -> float:
    """Nearest k·2^-f with ties to even and saturation, in exact rational arithmetic."""
    n = int_bits + frac_bits
    scaled = Fraction(value) * 2**frac_bits
    k = round(scaled)  # Python's round on a Fraction is ties-to-even
    k = max(-(2 ** (n - 1)), min(2 ** (n - 1) - 1, k))
    return float(Fraction(k, 2**frac_bits))


@pytest.mark.parametrize(("int_bits", "frac_bits"), [(4, 4), (1, 7), (8, 8), (3, 20), (16, 24)])
def test_fixed_point_reference_is_exact_on_ties_and_near_ties(int_bits: int,
                                                               frac_bits: int) -> None:
    rng = np.random.default_rng(int_bits * 100 + frac_bits)
    half = 2 ** (int_bits + frac_bits - 1)
    ties = (rng.integers(-half, half - 1, 300) + 0.5) * 2.0**-frac_bits
    near = ties + rng.choice([-1.0, 1.0], 300) * 2.0 ** -(frac_bits + 30)
    x = np.concatenate([ties, near, rng.normal(0, 2.0**int_bits, 300), [1e300, -1e300]])
    expected = [_exact_fixed(v, int_bits, frac_bits) for v in x]
    np.testing.assert_array_equal(K.to_fixed_point(x, int_bits, frac_bits), expected)
    np.testing.assert_array_equal(P.to_fixed_point(x, int_bits, frac_bits), expected)


@pytest.mark.parametrize("kernel", [K.to_fixed_point, P.to_fixed_point])
def test_fixed_point_reference_saturates_infinities_and_keeps_nan(kernel: Any) -> None:
    got = kernel(np.array([np.inf, -np.inf, np.nan, -8.0, 8.0]), 4, 4)
    np.testing.assert_array_equal(got[[0, 1, 3, 4]], [7.9375, -8.0, -8.0, 7.9375])
    assert np.isnan(got[2])


def test_int8_reference_parameters_and_round_trip() -> None:
    q, scale, zero_point = K.quantize_int8(np.array([-1.5, 0.0, 1.0, 3.6]))
    assert q.dtype == np.int8 and q.tolist() == [-128, -53, -3, 127]
    assert scale == pytest.approx(0.02) and zero_point == -53
    assert K.quantize_int8(np.zeros(3))[1:] == (1.0, -128)
    assert K.quantize_int8(np.array([-2.0, -0.5]))[2] == 127
    x = np.random.default_rng(1).normal(size=50)
    q, scale, zero_point = K.quantize_int8(x)
    assert np.max(np.abs(K.dequantize_int8(q, scale, zero_point) - x)) <= scale / 2 + 1e-12


def test_int8_reference_agrees_with_torch_quantize_per_tensor_away_from_ties() -> None:
    x = np.random.default_rng(5).normal(0, 2, 2000).astype(np.float32).astype(np.float64)
    q, scale, zero_point = K.quantize_int8(x)
    ratio = x / scale
    clear = np.abs(ratio - np.floor(ratio) - 0.5) > 1e-3  # float32 rounding cannot flip these
    np.testing.assert_array_equal(q[clear], P.quantize_int8(x, scale, zero_point)[clear])
    assert clear.sum() > 1900


def test_stochastic_round_reference_is_on_grid_and_unbiased() -> None:
    rng = np.random.default_rng(2)
    got = K.stochastic_round(np.full(100_000, -0.7), 0.5, rng.uniform(size=100_000))
    assert set(np.unique(got)) == {-1.0, -0.5}
    assert abs(got.mean() + 0.7) < 0.005
    np.testing.assert_array_equal(K.stochastic_round(np.array([1.5, 2.3]), 0.5, np.zeros(2)),
                                  [1.5, 2.5])


def test_scaler_step_reference_follows_the_grad_scaler_rules() -> None:
    grads = np.array([1e-3, 2.0], np.float16)
    unscaled, found, scale, tracker = K.scaler_step(grads, 65536.0, 3)
    assert unscaled.dtype == np.float32 and unscaled[0] > 0 and not found
    assert (scale, tracker) == (65536.0, 4)
    assert K.scaler_step(grads, 1024.0, 1999)[2:] == (2048.0, 0)
    assert K.scaler_step(grads, 1024.0, 2, growth_interval=3)[2:] == (2048.0, 0)
    assert K.scaler_step(np.array([np.nan], np.float16), 1024.0, 7)[1:] == (True, 512.0, 0)


def test_master_weights_keep_updates_that_float16_swamps() -> None:
    w0, grads = np.ones(3, np.float16), np.ones((100, 3), np.float16)
    master, half = K.mixed_precision_sgd(w0, grads, 1e-4)
    assert master.dtype == np.float32 and half.dtype == np.float16
    np.testing.assert_allclose(master, 0.99, rtol=1e-5)
    np.testing.assert_array_equal(K.fp16_only_sgd(w0, grads, 1e-4), np.ones(3, np.float16))


def test_exact_sum_beats_naive_float32_summation() -> None:
    x = np.concatenate([[1.0], np.full(10000, 2.0**-25)]).astype(np.float32)
    assert K.exact_sum_float32(x) == np.float32(1 + 10000 * 2.0**-25)
    assert K.naive_sum_float32(x) == np.float32(1.0)
    assert K.exact_sum_float32(np.zeros(0, np.float32)) == 0.0


# -- what the checks tell apart ---------------------------------------------------------------
def test_every_reference_solution_passes_every_check_in_process() -> None:
    for checks_file in sorted(EXERCISES.glob("*/checks.py")):
        slug = checks_file.parent.name
        code = load_exercise(checks_file.parent).code
        assert code is not None
        module = _solution(slug)
        for seed in ("", "student-7"):
            for check in build_checks(checks_file, f"precision/{slug}", seed):
                assert passes(check, module, code.function), f"{slug}: {check.name} ({seed!r})"


def test_every_starter_fails_every_check() -> None:
    for checks_file in sorted(EXERCISES.glob("*/checks.py")):
        slug = checks_file.parent.name
        starter = (checks_file.parent / "starter.py").read_text("utf-8")
        checks = build_checks(checks_file, f"precision/{slug}")
        assert _failed(slug, starter) == {c.name for c in checks}, slug


BF16_TRUNCATE = """
import numpy as np
def round_to_bfloat16(x):
    return (x.view(np.uint32) & 0xFFFF0000).view(np.float32)
"""
BF16_HALF_UP = """
import numpy as np
def round_to_bfloat16(x):
    rounded = ((x.view(np.uint32) + 0x8000) & 0xFFFF0000).view(np.float32)
    return np.where(np.isnan(x), x, rounded)
"""
BF16_NAN_TO_INF = """
import numpy as np
def round_to_bfloat16(x):
    bits = x.view(np.uint32)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).view(np.float32)
"""
BF16_VIA_FLOAT16 = """
import numpy as np
def round_to_bfloat16(x):
    return x.astype(np.float16).astype(np.float32)
"""


def test_bfloat16_checks_catch_the_usual_mistakes() -> None:
    assert {"random values (nearest, not truncated)",
            "exact ties whose kept last bit is odd (round up)"} <= _failed(
        "round_to_bfloat16", BF16_TRUNCATE)
    assert "exact ties whose kept last bit is even (round down)" in _failed(
        "round_to_bfloat16", BF16_HALF_UP)
    assert _failed("round_to_bfloat16", BF16_NAN_TO_INF) == {
        "nan payloads stay nan (never inf or −0)"}
    assert "overflow near the largest value goes to ±inf" in _failed(
        "round_to_bfloat16", BF16_VIA_FLOAT16)


FIXED_TEMPLATE = """
import numpy as np
def to_fixed_point(x, int_bits, frac_bits):
    n = int_bits + frac_bits
    v = x * 2.0**frac_bits
    k = {k}
    return np.clip(k, {lo}, {hi}) * 2.0**-frac_bits
"""


def _fixed(k: str = "np.round(v)", lo: str = "-(2.0**(n-1))", hi: str = "2.0**(n-1) - 1") -> str:
    return FIXED_TEMPLATE.format(k=k, lo=lo, hi=hi)


def test_fixed_point_checks_catch_the_usual_mistakes() -> None:
    assert _failed("fixed_point", _fixed()) == set()
    assert "Q4.4, random values" in _failed("fixed_point", _fixed(k="np.floor(v)"))
    away = _failed("fixed_point", _fixed(k="np.sign(v) * np.floor(np.abs(v) + 0.5)"))
    assert "Q4.4, exact ties go to the even k" in away
    assert "Q4.4 saturates out-of-range values" in _failed(
        "fixed_point", _fixed(lo="-np.inf", hi="np.inf"))
    assert "Q1.7: the ends of the range are asymmetric" in _failed(
        "fixed_point", _fixed(lo="-(2.0**(n-1) - 1)"))
    assert "Q1.7: the ends of the range are asymmetric" in _failed(
        "fixed_point", _fixed(hi="2.0**(n-1)"))


def test_kahan_checks_reject_plain_and_pairwise_summation() -> None:
    naive = "import numpy as np\ndef kahan_sum(x):\n    s = np.float32(0)\n" \
            "    for v in x:\n        s = s + v\n    return s\n"
    assert "1.0 followed by 10000 copies of 2^-25" in _failed("kahan_sum", naive)
    assert "0.1 added 10000 times" in _failed("kahan_sum",
                                              "import numpy as np\ndef kahan_sum(x):\n"
                                              "    return np.sum(x)\n")


def test_stochastic_rounding_checks_catch_truncation_toward_zero() -> None:
    trunc = ("import numpy as np\ndef stochastic_round(x, step, u):\n"
             "    lo = np.trunc(x / step) * step\n"
             "    return np.where(u < (x - lo) / step, lo + step, lo)\n")
    assert {"negative values", "unbiased for a negative value, step 0.5"} <= _failed(
        "stochastic_rounding", trunc)
    nearest = ("import numpy as np\ndef stochastic_round(x, step, u):\n"
               "    return np.round(x / step) * step\n")
    assert "unbiased: 20000 roundings of 1.3 with step 1" in _failed("stochastic_rounding",
                                                                     nearest)


def test_int8_checks_catch_int8_overflow_in_dequantize() -> None:
    source = (SOLUTIONS / "int8_quantization.py").read_text("utf-8").replace(
        "q.astype(np.float64) - zero_point", "q - zero_point")
    assert "dequantize: codes near ±127 with a negative zero point" in _failed(
        "int8_quantization", source)


def test_loss_scaling_checks_catch_float16_unscaling_and_missed_nan() -> None:
    source = (SOLUTIONS / "dynamic_loss_scaling.py").read_text("utf-8")
    in_half = source.replace("grads.astype(np.float32) / np.float32(scale)",
                             "(grads / scale).astype(np.float32)")
    assert "unscale in float32: small gradients must not underflow" in _failed(
        "dynamic_loss_scaling", in_half)
    inf_only = source.replace("np.all(np.isfinite(grads))", "not np.any(np.isinf(grads))")
    assert "a nan counts as overflow too" in _failed("dynamic_loss_scaling", inf_only)


def test_master_weight_checks_catch_float16_updates() -> None:
    half = ("import numpy as np\ndef mixed_precision_sgd(w0, grads, lr):\n    w = w0\n"
            "    for g in grads:\n        w = w - lr * g\n    return w.astype(np.float32), w\n")
    assert "100 tiny updates on w = 1 (swamping)" in _failed("master_weights", half)


def test_math_exercises_accept_their_answers_and_reject_known_mistakes() -> None:
    bank = load_bank(REPO / "exercises", strict=False)
    exercises = [e for e in bank.by_topic("precision") if not e.is_code]
    assert len(exercises) >= 11
    for exercise in exercises:
        assert _math_findings(exercise) == [], exercise.id


def _checks_module(slug: str) -> ModuleType:
    from modl_tutor.grading.code_grade import load_checks_module

    return load_checks_module(EXERCISES / slug / "checks.py")


def test_cancellation_input_separates_float32_compensation_from_wider_accumulators() -> None:
    x = _checks_module("kahan_sum").cancellation_input()
    assert x.dtype == np.float32 and x.size >= 200
    kahan, neumaier, exact = K.kahan_sum_float32(x), K.neumaier_sum_float32(x), \
        K.exact_sum_float32(x)
    solution = _solution("kahan_sum").kahan_sum(x)
    assert solution == kahan  # the torch kernel is Kahan's recurrence in float32
    wide = [np.float32(np.sum(x, dtype="float64")), np.float32(sum(x.tolist())),
            np.float32(np.sum(x.astype(np.float64)))]
    assert all(w == exact for w in wide)
    assert kahan != exact and neumaier != exact and kahan != neumaier


def test_loss_scaling_compares_tiny_gradients_in_ulps() -> None:
    """A float16 division flushes 1e-3/65536 to 0: within atol 1e-7, but many ULPs off."""
    source = (SOLUTIONS / "dynamic_loss_scaling.py").read_text("utf-8").replace(
        "grads.astype(np.float32) / np.float32(scale)",
        "(grads * np.float16(1.0 / scale)).astype(np.float32)")
    failed = _failed("dynamic_loss_scaling", source)
    assert "unscale in float32: small gradients must not underflow" in failed


def test_master_weights_reject_a_float64_master_copy() -> None:
    source = (SOLUTIONS / "master_weights.py").read_text("utf-8").replace(
        "w0.astype(np.float32)", "w0.astype('float64')").replace(
        "grad.astype(np.float32)", "grad.astype('float64')").replace(
        "return master, master.astype(np.float16)",
        "return master.astype(np.float32), master.astype(np.float16)")
    assert "'float64'" in source
    assert "100 tiny updates on w = 1 (swamping)" in _failed("master_weights", source)
