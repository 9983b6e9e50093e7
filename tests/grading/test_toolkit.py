"""The checks.py toolkit: inputs, dtype-aware comparisons, diagnostics, gradients, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modl_tutor.grading.toolkit import (Check, check_dtype, check_shape, compare_outputs, exact,
                                        gradient_check, inputs, numerical_gradient_check,
                                        property_check, relative_error, ulp_distance,
                                        within_relative_error, within_ulps)
from modl_tutor.grading.toolkit.compare import default_tolerance
from modl_tutor.grading.toolkit.diagnose import diagnose
from modl_tutor.grading.toolkit.properties import finite, same_dtype_as, same_shape_as, sums_to_one, within


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.fixture()
def rng():
    return np.random.default_rng(7)


# -- inputs -----------------------------------------------------------------------------------
def test_representable_values_survive_the_round_trip(rng):
    bf = inputs.representable(rng, (4, 5), "bfloat16")
    assert bf.dtype == np.float32
    assert np.all((bf.view(np.uint32) & 0xFFFF) == 0)
    half = inputs.representable(rng, 50, "float16", dtype=np.float64)
    assert half.dtype == np.float64 and np.array_equal(half.astype(np.float16).astype(np.float64), half)
    with pytest.raises(ValueError, match="unknown format"):
        inputs.representable(rng, 3, "float8")


def test_halfway_values_are_exact_ties():
    ties = inputs.halfway(np.random.default_rng(3), 100, "bfloat16")
    assert ties.dtype == np.float32 and np.all((ties.view(np.uint32) & 0xFFFF) == 0x8000)
    ties16 = inputs.halfway(np.random.default_rng(3), 100, "float16").astype(np.float64)
    base = inputs.representable(np.random.default_rng(3), 100, "float16").astype(np.float16)
    up = np.nextafter(base, np.float16(np.inf))
    np.testing.assert_array_equal(ties16, (base.astype(np.float64) + up.astype(np.float64)) / 2)


def test_with_specials_mixes_in_nan_and_inf(rng):
    x = inputs.with_specials(rng, (40, 40), fraction=0.3)
    assert np.isnan(x).any() and np.isposinf(x).any() and np.isneginf(x).any()
    assert np.isfinite(x).mean() > 0.5
    only = inputs.with_specials(rng, 200, kinds=("nan",), fraction=1.0)
    assert np.isnan(only).all()


def test_format_edges_cover_overflow_and_subnormals():
    edges = inputs.format_edges("bfloat16")
    bf_max = float(np.array(0x7F7F0000, np.uint32).view(np.float32))
    assert edges.dtype == np.float32 and edges[0] == bf_max and edges[1] == -bf_max
    assert np.float32(2.0 ** -133) in edges
    half = inputs.format_edges("float16")
    assert half[0] == 65504.0
    with pytest.raises(ValueError):
        inputs.format_edges("int4")


def test_fixed_point_ties_are_halfway(rng):
    ties = inputs.fixed_point_ties(rng, 30, 4, 4)
    k = ties * 16 - 0.5
    assert np.array_equal(k, np.round(k)) and ties.min() >= -8 and ties.max() < 8


# -- errors and distances ---------------------------------------------------------------------
def test_relative_error_is_cs231n():
    np.testing.assert_allclose(relative_error([1.0, 0.0, -2.0], [1.1, 0.0, 2.0]),
                               [0.1 / 1.1, 0.0, 2.0])


def test_ulp_distance_in_several_dtypes():
    one = np.float32(1.0)
    assert ulp_distance(one, np.nextafter(one, np.float32(2))) == 1
    assert ulp_distance(np.float64(-0.0), np.float64(0.0)) == 0
    assert ulp_distance(np.float32(-1e-45), np.float32(1e-45)) == 2  # across zero
    assert ulp_distance(np.float32(1.0), np.float32(1.0 + 2 ** -7), "bfloat16") == 1
    assert ulp_distance(np.float16(1.0), np.float16(1.0 + 2 ** -9)) == 2
    assert math.isnan(float(ulp_distance(np.float64(np.nan), np.float64(1.0))))


def test_default_tolerances_follow_the_dtype():
    assert default_tolerance(np.float16)[0] > default_tolerance(np.float32)[0] > \
        default_tolerance(np.float64)[0]
    expected = np.array([1.0, 2.0], np.float32)
    close32 = np.array([1.0 + 3e-6, 2.0], np.float32)
    assert compare_outputs(close32, expected).passed
    assert not compare_outputs(close32.astype(np.float64), expected.astype(np.float64)).passed


# -- messages ---------------------------------------------------------------------------------
def test_shape_messages_suggest_the_cause():
    e = np.zeros((3, 4))
    assert "transposed" in check_shape(np.zeros((4, 3)), e).message
    assert "keepdims" in check_shape(np.zeros(12), e).message
    assert "5 values: a missing reduction" in compare_outputs(np.zeros(5), 1.5).message
    assert "broadcasting" in check_shape(np.zeros((3, 4, 4)), e).message


def test_dtype_change_is_explained():
    verdict = check_dtype(np.zeros(3), np.zeros(3, np.float32))
    assert not verdict.passed and "float64" in verdict.message and "upcast" in verdict.message
    assert compare_outputs(np.zeros(3), np.zeros(3, np.float32), Check("x", check_dtype=False)).passed


def test_nan_from_overflow_points_at_the_max_trick():
    z = np.array([1000.0, 2.0, 3.0])
    with np.errstate(all="ignore"):
        naive = np.exp(z) / np.exp(z).sum()
    verdict = compare_outputs(naive, softmax(z), Check("big", args=(z,)))
    assert not verdict.passed
    assert "got nan at index (0,)" in verdict.message and "subtract the max" in verdict.message


def test_inf_and_nan_placement():
    expected = np.array([np.inf, 1.0, np.nan])
    assert compare_outputs(np.array([np.inf, 1.0, np.nan]), expected).passed
    assert "nan must propagate" in compare_outputs(np.array([np.inf, 1.0, 0.0]), expected).message
    assert "expected inf" in compare_outputs(np.array([1e308, 1.0, np.nan]), expected).message


def test_infinite_input_passed_through_asks_for_saturation():
    x = np.array([1.0, np.inf])
    message = compare_outputs(x, np.array([1.0, 7.9375]), Check("s", args=(x, 4, 4))).message
    assert "expected 7.9375, got inf" in message and "saturate" in message


def test_value_report_has_errors_location_ulps_and_values():
    expected = np.array([0.25, 0.5, 0.25], np.float32)
    got = np.array([0.25, 0.5, 0.2500001], np.float32)
    message = compare_outputs(got, expected, Check("x", rtol=0, atol=0)).message
    assert "1 of 3 values differ" in message and "at index (2,)" in message
    assert "ULP" in message and "expected [0.25, 0.5 , 0.25]" in message


@pytest.mark.parametrize("got_factor,fragment", [
    (-1.0, "sign is flipped"),
    (5.0, "5× the expected one"),
    (0.2, "1/5 of the expected"),
    (1 / math.log(10), "log10"),
])
def test_diagnosis_of_common_slips(got_factor, fragment):
    x = np.linspace(0.5, 2.0, 5)
    check = Check("c", args=(np.zeros((5, 3)),))
    assert fragment in diagnose(x * got_factor, x, check)


def test_scalar_sum_instead_of_mean_names_the_batch_size():
    logits = np.zeros((8, 3))
    check = Check("ce", args=(logits, np.zeros(8, int)))
    message = compare_outputs(8 * 0.7, 0.7, check).message
    assert "8× the expected one" in message and "N = 8" in message
    assert "likely cause" not in compare_outputs(0.71234, 0.7, check).message  # no guess


def test_wrong_axis_and_transpose_are_recognised():
    z = np.random.default_rng(0).standard_normal((4, 3))
    message = compare_outputs(softmax(z, axis=0), softmax(z, axis=1)).message
    assert "normalised over the wrong axis" in message
    m = np.arange(9.0).reshape(3, 3) + 1
    assert "transpose" in compare_outputs(m.T, m).message


def test_known_mistakes_are_named():
    z = np.random.default_rng(1).standard_normal((3, 3))
    check = Check("axis", args=(z,), reference=softmax,
                  mistakes={"you normalised over axis 0": lambda z: softmax(z, axis=0),
                            "broken": lambda z: 1 / 0})
    message = compare_outputs(softmax(z, axis=0), check.expected_value(), check).message
    assert "likely cause: you normalised over axis 0" in message


def test_ulps_field_and_factories():
    e = np.array([1.0, 2.0], np.float32)
    off = np.array([np.nextafter(np.float32(1.0), np.float32(2)), 2.0], np.float32)
    assert not compare_outputs(off, e, Check("u", ulps=0)).passed
    assert compare_outputs(off, e, Check("u", ulps=1)).passed
    assert exact()(e.copy(), e, Check("x")).passed
    assert not exact()(off, e, Check("x")).passed
    bf = np.array([1.0 + 2 ** -7], np.float32)
    assert within_ulps(1, "bfloat16")(bf, np.array([1.0], np.float32), Check("b")).passed
    assert "ULPs of bfloat16" in within_ulps(0, "bfloat16")(bf, np.array([1.0], np.float32),
                                                            Check("b")).message
    assert within_relative_error(1e-3)(np.array([1.0005]), np.array([1.0]), Check("r")).passed
    assert not within_relative_error(1e-5)(np.array([1.0005]), np.array([1.0]), Check("r")).passed
    assert "expected shape" in within_ulps(0)(np.zeros(2), np.zeros(3), Check("s")).message


def test_nested_outputs_report_the_path():
    expected = {"W1": np.ones((2, 2)), "b1": np.zeros(2)}
    verdict = compare_outputs({"W1": np.ones((2, 2)), "b1": np.ones(2)}, expected)
    assert not verdict.passed and verdict.message.startswith("output['b1']")
    assert "missing key(s) 'b1'" in compare_outputs({"W1": np.ones((2, 2))}, expected).message
    assert "expected 3 values, got 2" in compare_outputs((1.0, 2.0), (1.0, 2.0, 3.0)).message
    assert "forget `return`" in compare_outputs(None, 1.0).message


# -- gradients and properties -----------------------------------------------------------------
def test_gradient_check_uses_autograd(rng):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x, y = rng.standard_normal(6), rng.integers(0, 2, 6).astype(float)
    check = gradient_check("bce grad", (x, y), lambda t, target: F.binary_cross_entropy_with_logits(t, target),
                           rel_error=1e-7)
    expected = check.expected_value()
    np.testing.assert_allclose(expected, (1 / (1 + np.exp(-x)) - y) / 6, rtol=1e-12)
    assert check.compare(expected * (1 + 1e-9), expected, check).passed
    assert not check.compare(expected * 1.01, expected, check).passed
    both = gradient_check("both", (x, y), lambda a, b: (a * b).sum(), wrt=(0, 1))
    gx, gy = both.expected_value()
    np.testing.assert_allclose(gx, y)
    np.testing.assert_allclose(gy, x)
    with pytest.raises(TypeError):
        gradient_check("vector", (x,), lambda t: t * 2).expected_value()
    assert isinstance(torch.__version__, str)


def test_numerical_gradient_check_reference(rng):
    pytest.importorskip("torch")
    x = rng.standard_normal(4)
    from modl_tutor.grading.toolkit import Fn

    check = numerical_gradient_check("squares", Fn("sum_of_squares"), lambda t: (t ** 2).sum(), x,
                                     kwargs={"h": 1e-5})
    np.testing.assert_allclose(check.expected_value(), 2 * x, rtol=1e-12)
    assert check.args[1] is x and isinstance(check.args[0], Fn)
    with pytest.raises(TypeError, match="drivers.py"):  # a function object cannot reach the sandbox
        numerical_gradient_check("squares", lambda v: float(np.sum(v ** 2)),
                                 lambda t: (t ** 2).sum(), x)


def test_property_checks():
    p = np.array([[0.2, 0.8], [0.5, 0.5]])
    check = property_check("probs", (p,), sums_to_one(), finite(), within(0, 1), same_shape_as(0),
                           same_dtype_as(0))
    assert not check.has_reference and check.validate(p, check) is None
    assert "sum to 1" in check.validate(p * 2, check)
    assert "finite" in property_check("f", (p,), finite()).validate(np.array([np.nan]), None)
    assert "outside [0, 1]" in property_check("w", (p,), within(0, 1)).validate(np.array([1.5]), None)
    assert "shape" in check.validate(p.ravel() / 2, check)
    assert "dtype" in property_check("d", (p,), same_dtype_as(0)).validate(p.astype(np.float32),
                                                                            Check("d", args=(p,)))


# -- misdiagnoses that once were offered (each explained only some entries, or the wrong cause) --
def _lse(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m, axis) + np.log(np.exp(z - m).sum(axis=axis))


def test_softmax_over_the_whole_array_is_not_a_mean_where_a_sum_was_expected():
    z = np.full((2, 4), 7.0)
    whole = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    message = compare_outputs(whole, softmax(z), Check("ties", args=(z,))).message
    assert "1/2" not in message and "mean where a sum" not in message
    assert "sum to 1 over the whole array" in message
    z = np.random.default_rng(3).standard_normal((3, 5))
    whole = np.exp(z) / np.exp(z).sum()
    assert "whole array" in compare_outputs(whole, softmax(z), Check("b", args=(z,))).message


def test_returning_the_input_is_not_a_factor_of_28():
    z = np.full((2, 4), 7.0)
    message = compare_outputs(z.copy(), softmax(z), Check("ties", args=(z,))).message
    assert "28" not in message and "sum where a mean" not in message
    assert "exactly the values of the input" in message


def test_relu_backward_without_dout_is_not_a_mean():
    x, dout = np.array([-1.0, 0.0, -0.0, 2.0, 0.0]), np.array([3.0, 5.0, 7.0, 11.0, -2.0])
    message = compare_outputs((x > 0).astype(float), dout * (x > 0),
                              Check("relu", args=(x, dout))).message
    assert "1/11" not in message and "mean" not in message
    assert "only 0s and 1s" in message and "upstream gradient" in message


def test_a_single_nonzero_entry_pins_down_no_factor():
    message = diagnose(np.array([0.0, 3.0, 0.0]), np.array([0.0, 7.0, 0.0]), Check("c"))
    assert "factor" not in message and "×" not in message


def test_exp_underflow_is_not_called_overflow():
    z = -np.abs(inputs.large(np.random.default_rng(0), (2, 5), 1e4))
    with np.errstate(all="ignore"):
        naive = np.log(np.exp(z).sum(axis=-1))
    message = compare_outputs(naive, _lse(z), Check("neg", args=(z,))).message
    assert "got -inf" in message and "underflowed to 0" in message
    assert "overflow:" not in message and "overflowed" not in message
    with np.errstate(all="ignore"):
        nan = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
    message = compare_outputs(nan, softmax(z), Check("neg", args=(z,))).message
    assert "got nan" in message and "underflowed to 0" in message and "overflowed" not in message


def test_keepdims_on_a_vector_is_not_a_missing_mean_over_the_batch():
    z = np.array([5.0, 2.0, -1.0, 3.0])
    kept = np.log(np.exp(z).sum(keepdims=True))
    message = compare_outputs(kept, _lse(z), Check("v", args=(z,))).message
    assert "mean over the batch" not in message and "one value per example" not in message
    assert "keepdims" in message and "shape (1,)" in message
    assert "extra axis of length 1" in check_shape(np.zeros((3, 1)), np.zeros(3)).message


def test_float16_rounding_of_tiny_values_is_named():
    expected = np.array([1.526e-8, -3.05e-8, 7.6e-9, 65504 / 65536], np.float32)
    got = expected.astype(np.float16).astype(np.float32)
    message = compare_outputs(got, expected, Check("u", ulps=1)).message
    assert "rounded to float16" in message


def test_known_mistakes_match_a_part_of_a_structured_output():
    def wrong(a):
        return a * 2, a.sum()

    a = np.array([1.0, 2.0, 4.0])
    check = Check("parts", args=(a,), reference=lambda a: (a, a.sum()),
                  mistakes={"you doubled it": wrong})
    message = compare_outputs((a * 2, a.sum()), check.expected_value(), check).message
    assert message.startswith("output[0]") and "likely cause: you doubled it" in message
    near_truth = compare_outputs((a * (1 + 1e-7), a.sum()), (a * (1 - 1e-7), a.sum()),
                                 Check("p", args=(a,), mistakes={"m": lambda a: (a, 0.0)}))
    assert "likely cause: m" not in near_truth.message  # no nearer to it than to the truth


def test_structured_outputs_say_which_parts_were_right():
    expected = {"dX": np.ones((2, 2)), "dW": np.ones((2, 3)), "db": np.ones(3)}
    got = {"dX": np.ones((2, 2)), "dW": np.ones((2, 3)), "db": np.ones((1, 3))}
    message = compare_outputs(got, expected).message
    assert message.startswith("output['db']: expected shape (3,)")
    assert "(right: dX, dW; wrong: db)" in message
    message = compare_outputs((1.0, 3.0), (1.0, 2.0)).message
    assert "(right: output[0]; wrong: output[1])" in message


def test_near_one_ratios_that_differ_are_no_common_precision_problem():
    expected = np.array([1000.0, 2000.5, 3000.25, 4000.0])
    got = expected + np.array([0.0, 0.5, -0.25, 0.0])  # ties rounded the wrong way
    assert "precision problem" not in diagnose(got, expected, Check("t"))
    scaled = expected * (1 + 2e-7)
    assert "precision problem" in diagnose(scaled, expected, Check("t"))


def test_a_factor_two_with_a_size_two_names_both_readings():
    x = np.linspace(0.5, 2.0, 4)
    message = diagnose(2 * x, x, Check("c", args=(np.zeros((2, 3)),)))
    assert "factor 2" in message and "N = 2" in message


def test_observed_values_are_shown_with_enough_digits():
    message = diagnose(np.full(3, 1.00200045), np.full(3, 1.00200033), Check("o"))
    assert "1.00200045" in message and "1.00200033" in message


def test_an_output_equal_to_a_constant_input_is_only_observed():
    zeros = np.zeros(4)
    message = diagnose(np.zeros(4), np.array([0.1, 0.2, 0.3, 0.4]), Check("z", args=(zeros,)))
    assert "input" not in message and "every value you returned is 0" in message
