"""Reference kernels (torch) against independent NumPy / closed-form implementations."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest

from modl_tutor.kernels import backprop as B  # kernels import torch lazily: collecting these
from modl_tutor.kernels import losses as L  # tests costs no torch import in every worker
from modl_tutor.kernels import optim as O
from modl_tutor.kernels import precision as P

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                                reason="torch is not installed")


@pytest.fixture()
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)


def np_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = z - z.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def np_logsumexp(z: np.ndarray, axis: int = -1) -> np.ndarray:
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m, axis) + np.log(np.exp(z - m).sum(axis=axis))


# -- losses -----------------------------------------------------------------------------------
@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_matches_numpy_and_keeps_dtype(rng, axis, dtype):
    z = (rng.standard_normal((3, 4, 5)) * 3).astype(dtype)
    got = L.softmax(z, axis=axis)
    assert got.dtype == dtype and got.shape == z.shape
    np.testing.assert_allclose(got, np_softmax(z.astype(np.float64), axis), rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_softmax_closed_form_and_large_logits():
    got = L.softmax(np.array([5.0, 2.0, -1.0, 3.0]))
    e = np.exp([5.0, 2.0, -1.0, 3.0])
    np.testing.assert_allclose(got, e / e.sum(), rtol=1e-14)
    big = L.softmax(np.array([1e4, 1e4 - 1.0, -1e4]))
    np.testing.assert_allclose(big, [1 / (1 + math.exp(-1)), math.exp(-1) / (1 + math.exp(-1)), 0.0],
                               rtol=1e-12, atol=1e-300)


def test_log_softmax_and_logsumexp(rng):
    z = rng.standard_normal((4, 6)) * 50
    np.testing.assert_allclose(L.logsumexp(z), np_logsumexp(z), rtol=1e-12)
    np.testing.assert_allclose(L.log_softmax(z, axis=0), z - np_logsumexp(z, 0)[None, :], rtol=1e-12,
                               atol=1e-9)


def test_cross_entropy_is_mean_nll(rng):
    logits = rng.standard_normal((7, 5)) * 4
    targets = rng.integers(0, 5, 7)
    expected = np.mean(np_logsumexp(logits) - logits[np.arange(7), targets])
    assert L.cross_entropy(logits, targets) == pytest.approx(expected, rel=1e-12)
    huge = np.array([[1e4, 0.0], [0.0, 1e4]])
    assert L.cross_entropy(huge, np.array([1, 1])) == pytest.approx(1e4 / 2, rel=1e-12)


def test_cross_entropy_probs():
    p = np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]])
    y = np.array([[1.0, 0, 0], [0, 0, 1.0]])
    assert L.cross_entropy_probs(p, y) == pytest.approx(-(math.log(0.7) + math.log(0.5)) / 2)


def test_bce_with_logits_stable_closed_form(rng):
    x = np.concatenate([rng.standard_normal(20) * 5, [1e4, -1e4, 0.0]])
    y = np.concatenate([rng.integers(0, 2, 20).astype(float), [0.0, 1.0, 1.0]])
    expected = np.mean(np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x))))
    assert L.bce_with_logits(x, y) == pytest.approx(expected, rel=1e-12)


def test_bce_mse_huber_kl():
    p, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 0.0])
    assert L.bce(p, y) == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    a, b = np.array([1.0, 2.0, 5.0]), np.array([1.5, 0.0, 2.0])
    assert L.mse(a, b) == pytest.approx(np.mean((a - b) ** 2))
    d = np.abs(a - b)
    huber = np.where(d <= 1.0, 0.5 * d ** 2, d - 0.5)
    assert L.huber(a, b) == pytest.approx(huber.mean())
    assert L.huber(a, b, delta=2.0) == pytest.approx(np.where(d <= 2, 0.5 * d ** 2, 2 * (d - 1)).mean())
    pp, qq = np.array([[0.5, 0.5, 0.0], [0.1, 0.6, 0.3]]), np.array([[0.25, 0.5, 0.25], [0.3, 0.3, 0.4]])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(pp > 0, pp * np.log(pp / qq), 0.0)
    assert L.kl_divergence(pp, qq) == pytest.approx(terms.sum() / 2)


def test_grad_of_matches_closed_forms(rng):
    logits = rng.standard_normal((4, 3))
    t = rng.integers(0, 3, 4)
    onehot = np.eye(3)[t]
    np.testing.assert_allclose(L.grad_of("cross_entropy", logits, t), (np_softmax(logits) - onehot) / 4,
                               rtol=1e-12)
    x, y = rng.standard_normal(5), rng.integers(0, 2, 5).astype(float)
    np.testing.assert_allclose(L.grad_of("bce_with_logits", x, y), (1 / (1 + np.exp(-x)) - y) / 5,
                               rtol=1e-12)
    a, b = rng.standard_normal(6), rng.standard_normal(6)
    np.testing.assert_allclose(L.grad_of("mse", a, b), 2 * (a - b) / 6, rtol=1e-12)
    with pytest.raises(KeyError):
        L.grad_of("nope", a, b)


# -- backprop ---------------------------------------------------------------------------------
def test_logistic_regression_step_closed_form(rng):
    n, m = 3, 8
    w, b = rng.standard_normal((n, 1)), 0.3
    X, Y = rng.standard_normal((n, m)), rng.integers(0, 2, (1, m)).astype(float)
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw, db = X @ (A - Y).T / m, np.mean(A - Y)
    w_new, b_new, got_cost = B.logistic_regression_step(w, b, X, Y, 0.1)
    np.testing.assert_allclose(w_new, w - 0.1 * dw, rtol=1e-12)
    assert b_new == pytest.approx(b - 0.1 * db, rel=1e-12)
    assert got_cost == pytest.approx(cost, rel=1e-12)
    assert w_new.shape == (n, 1)


def test_logistic_worked_example_numbers():
    w_new, b_new, _ = B.logistic_regression_step(np.array([[0.5], [0.5]]), 1.0, np.array([[5.0], [3.0]]),
                                                 np.array([[1.0]]), 0.01)
    dz = 1 / (1 + math.exp(-5.0)) - 1
    np.testing.assert_allclose(w_new.ravel(), [0.5 - 0.01 * 5 * dz, 0.5 - 0.01 * 3 * dz], rtol=1e-12)
    assert b_new == pytest.approx(1 - 0.01 * dz)


def test_mlp2_gradients_by_hand(rng):
    N, D, H, C = 5, 4, 6, 3
    X, y = rng.standard_normal((N, D)), rng.integers(0, C, N)
    W1, b1 = rng.standard_normal((D, H)), rng.standard_normal(H)
    W2, b2 = rng.standard_normal((H, C)), rng.standard_normal(C)
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    dlogits = (np_softmax(h @ W2 + b2) - np.eye(C)[y]) / N
    dh = dlogits @ W2.T
    dz1 = dh * (z1 > 0)
    got = B.mlp2_gradients(X, y, W1, b1, W2, b2)
    expected = {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": h.T @ dlogits, "b2": dlogits.sum(0)}
    assert set(got) == set(expected)
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-10, atol=1e-14)


def test_linear_backward_and_activation_grads(rng):
    X, W, b, dY = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2), \
        rng.standard_normal((4, 2))
    got = B.linear_backward(X, W, b, dY)
    np.testing.assert_allclose(got["dX"], dY @ W.T, rtol=1e-12)
    np.testing.assert_allclose(got["dW"], X.T @ dY, rtol=1e-12)
    np.testing.assert_allclose(got["db"], dY.sum(0), rtol=1e-12)
    x = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(B.activation_grad("sigmoid", x), s * (1 - s), rtol=1e-12)
    np.testing.assert_allclose(B.activation_grad("tanh", x), 1 - np.tanh(x) ** 2, rtol=1e-12)
    np.testing.assert_allclose(B.activation_grad("relu", x), (x > 0).astype(float))
    np.testing.assert_allclose(B.activation_grad("tanh", x, upstream=2 * np.ones(5)),
                               2 * (1 - np.tanh(x) ** 2), rtol=1e-12)
    np.testing.assert_allclose(B.autograd_gradient(lambda t: (t ** 3).sum(), x), 3 * x ** 2,
                               rtol=1e-12)
    w = np.array([1.0, -2.0, 0.5, 4.0, 3.0])
    np.testing.assert_allclose(B.autograd_gradient_wrt(lambda a, b: (a * b ** 2).sum(), x, w, wrt=1),
                               2 * x * w, rtol=1e-12)
    with pytest.raises(TypeError):
        B.autograd_gradient_wrt(lambda a: a * 2, x)


# -- precision --------------------------------------------------------------------------------
def np_round_to_bfloat16(x: np.ndarray) -> np.ndarray:
    """Independent ties-to-even rounding of float32 to bfloat16 by integer arithmetic."""
    bits = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    lsb = (bits >> 16) & 1
    rounded = ((bits + 0x7FFF + lsb) >> 16) << 16
    out = rounded.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(x), x, out).astype(np.float32)


def test_round_to_bfloat16_ties_overflow_specials(rng):
    normal = (rng.standard_normal(500) * 10).astype(np.float32)
    ties = ((normal.view(np.uint32) & np.uint32(0xFFFF0000)) | np.uint32(0x8000)).view(np.float32)
    top = np.float32(np.array(0x7F7F0000, np.uint32).view(np.float32))
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, np.finfo(np.float32).max, top,
                      np.float32(top) * np.float32(1.003), 1e-40, -1e-45], dtype=np.float32)
    x = np.concatenate([normal, ties, edges])
    got = P.round_to_bfloat16(x)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, np_round_to_bfloat16(x))
    assert np.isinf(got[-8]) and np.isnan(got[-6])  # float32 max overflows, nan stays nan


def test_round_to_float16_matches_numpy_even_from_float64(rng):
    x64 = np.concatenate([rng.standard_normal(300) * 100, [1 + 2 ** -11 + 2 ** -40, 1 + 2 ** -11,
                                                            65519.0, 65520.0, 1e300, -1e-300]])
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(P.round_to(x64, "float16"),
                                      x64.astype(np.float16).astype(np.float32))
        x32 = x64.astype(np.float32)
        np.testing.assert_array_equal(P.round_to(x32, "float16"),
                                      x32.astype(np.float16).astype(np.float32))


def test_round_to_bfloat16_from_float64_rounds_once():
    x = np.array([1 + 2 ** -8 + 2 ** -40, 1 + 2 ** -8, 1 - 2 ** -40])  # just above a tie, a tie
    np.testing.assert_array_equal(P.round_to(x, "bfloat16"), [1 + 2 ** -7, 1.0, 1.0])


def test_finfo_values():
    assert P.finfo("float16") == {"max": 65504.0, "eps": 2 ** -10, "tiny": 2 ** -14,
                                  "smallest_subnormal": 2 ** -24}
    bf = P.finfo("bfloat16")
    assert bf["eps"] == 2 ** -7 and bf["smallest_subnormal"] == 2 ** -133
    assert bf["max"] == float(np.array(0x7F7F0000, np.uint32).view(np.float32))


def np_fixed_point(x: np.ndarray, int_bits: int, frac_bits: int) -> np.ndarray:
    total = int_bits + frac_bits
    k = np.clip(np.round(x * 2.0 ** frac_bits), -(2 ** (total - 1)), 2 ** (total - 1) - 1)
    return np.where(np.isnan(x), x, k * 2.0 ** -frac_bits)


@pytest.mark.parametrize("int_bits,frac_bits", [(4, 4), (1, 7), (8, 0), (3, 12), (8, 16), (16, 24)])
def test_to_fixed_point_ties_saturation_precision(rng, int_bits, frac_bits):
    half = 2 ** (int_bits + frac_bits - 1)
    k = rng.integers(-half, half - 1, 50)
    ties = (k + 0.5) * 2.0 ** -frac_bits
    near = ties + np.where(k % 2 == 0, 1, -1) * 2.0 ** -(frac_bits + 30)  # not ties: float64 only
    span = 2.0 ** (int_bits - 1)
    x = np.concatenate([rng.uniform(-span * 1.5, span * 1.5, 50), ties, near,
                        [np.inf, -np.inf, np.nan, 1e300, -1e300, 0.0]])
    got = P.to_fixed_point(x, int_bits, frac_bits)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, np_fixed_point(x, int_bits, frac_bits))


def test_quantize_int8_matches_affine_formula(rng):
    scale, zp = 0.05, 3
    x = rng.uniform(-8, 8, 200).astype(np.float32)
    away = np.abs(x / scale - np.floor(x / scale) - 0.5) > 1e-3  # avoid float32 near-ties
    got = P.quantize_int8(x[away], scale, zp)
    expected = np.clip(np.round(x[away].astype(np.float64) / scale) + zp, -128, 127)
    np.testing.assert_array_equal(got, expected.astype(np.int64))


# -- optimisers -------------------------------------------------------------------------------
@pytest.fixture(params=["functional", "optimizer class"])
def optim_path(request, monkeypatch):  # type: ignore[no-untyped-def]
    """Both code paths of kernels.optim: torch.optim's functional step, and the class."""
    if request.param == "optimizer class":
        def changed_signature(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise TypeError("unexpected keyword argument")

        monkeypatch.setattr(O, "_functional", lambda name: changed_signature)
    return request.param


def test_sgd_plain_momentum_nesterov(rng, optim_path):
    p, g, v = rng.standard_normal((3, 5))
    new, buf = O.sgd_step(p, g, lr=0.1)
    np.testing.assert_allclose(new, p - 0.1 * g, rtol=1e-12)
    np.testing.assert_array_equal(buf, np.zeros(5))
    new, buf = O.sgd_step(p, g, lr=0.1, momentum=0.9, velocity=v)
    np.testing.assert_allclose(buf, 0.9 * v + g, rtol=1e-12)
    np.testing.assert_allclose(new, p - 0.1 * (0.9 * v + g), rtol=1e-12)
    new, buf = O.sgd_step(p, g, lr=0.1, momentum=0.9, nesterov=True, velocity=v)
    np.testing.assert_allclose(new, p - 0.1 * (g + 0.9 * (0.9 * v + g)), rtol=1e-12)
    new, buf = O.sgd_step(p, g, lr=0.1, momentum=0.9)  # first step: the buffer is the gradient
    np.testing.assert_allclose(buf, g, rtol=1e-12)


def test_rmsprop_step_closed_form(rng, optim_path):
    p, g = rng.standard_normal((2, 6))
    sq = np.abs(rng.standard_normal(6))
    new, sq_new = O.rmsprop_step(p, g, sq, lr=0.01, alpha=0.9, eps=1e-8)
    expected_sq = 0.9 * sq + 0.1 * g ** 2
    np.testing.assert_allclose(sq_new, expected_sq, rtol=1e-12)
    np.testing.assert_allclose(new, p - 0.01 * g / (np.sqrt(expected_sq) + 1e-8), rtol=1e-12)
    new0, _ = O.rmsprop_step(p, g, np.zeros(6))  # defaults, from a zero average
    np.testing.assert_allclose(new0, p - 1e-2 * g / (np.sqrt(0.01 * g ** 2) + 1e-8), rtol=1e-12)


@pytest.mark.parametrize("t", [1, 2, 10, 1000])
def test_adam_step_closed_form(rng, t, optim_path):
    p, g, m = rng.standard_normal((3, 4))
    v = np.abs(rng.standard_normal(4))
    new, m_new, v_new = O.adam_step(p, g, m, v, t, lr=1e-2, beta1=0.8, beta2=0.99, eps=1e-6)
    m_exp = 0.8 * m + 0.2 * g
    v_exp = 0.99 * v + 0.01 * g ** 2
    m_hat, v_hat = m_exp / (1 - 0.8 ** t), v_exp / (1 - 0.99 ** t)
    np.testing.assert_allclose(m_new, m_exp, rtol=1e-12)
    np.testing.assert_allclose(v_new, v_exp, rtol=1e-12)
    np.testing.assert_allclose(new, p - 1e-2 * m_hat / (np.sqrt(v_hat) + 1e-6), rtol=1e-10)
