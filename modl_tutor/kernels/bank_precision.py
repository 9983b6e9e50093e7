"""Reference kernels in torch for the precision exercises: fixed point, int8, sums, scaling."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def to_fixed_point(x: Any, int_bits: int, frac_bits: int) -> np.ndarray:
    """Nearest k·2^-frac_bits, k saturated to the signed (int_bits+frac_bits)-bit range.

    A second, independent truth for `kernels.precision.to_fixed_point` (fake-quantize): plain
    round-and-clamp in float64, where x·2^frac_bits is exact, so ties go to even exactly.
    """
    tensor = to_torch(np.asarray(x, dtype=np.float64))
    total = int_bits + frac_bits
    qmin, qmax = -(2.0 ** (total - 1)), 2.0 ** (total - 1) - 1
    k = torch.clamp(torch.round(tensor * 2.0 ** frac_bits), qmin, qmax)
    return to_numpy(torch.where(torch.isnan(tensor), tensor, k * 2.0 ** -frac_bits))


def int8_params(x: Any) -> tuple[float, int]:
    """Scale and zero point of affine int8 from the range [min(x, 0), max(x, 0)]."""
    tensor = to_torch(np.asarray(x, dtype=np.float64))
    lo = min(float(tensor.min()), 0.0)
    hi = max(float(tensor.max()), 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zero_point = int(torch.clamp(torch.round(torch.tensor(-128.0 - lo / scale,
                                                          dtype=torch.float64)), -128, 127))
    return scale, zero_point


def quantize_int8(x: Any) -> tuple[np.ndarray, float, int]:
    """(q, scale, zero_point): q = clamp(round(x/scale) + zero_point, -128, 127) as int8."""
    scale, zero_point = int8_params(x)
    tensor = to_torch(np.asarray(x, dtype=np.float64))
    q = torch.clamp(torch.round(tensor / scale) + zero_point, -128, 127).to(torch.int8)
    return q.numpy().copy(), scale, zero_point


def dequantize_int8(q: Any, scale: float, zero_point: int) -> np.ndarray:
    """(q - zero_point) · scale in float64."""
    tensor = torch.from_numpy(np.asarray(q).astype(np.int64))
    return to_numpy((tensor - zero_point).to(torch.float64) * scale)


def stochastic_round(x: Any, step: float, u: Any) -> np.ndarray:
    """Round down to the grid of `step`, or up when u < (x - lo)/step (u uniform in [0, 1))."""
    tx, tu = to_torch(np.asarray(x, dtype=np.float64)), to_torch(np.asarray(u, dtype=np.float64))
    lo = torch.floor(tx / step) * step
    frac = (tx - lo) / step
    return to_numpy(torch.where(tu < frac, lo + step, lo))


def exact_sum_float32(x: Any) -> np.float32:
    """The float32 sum of `x` as if computed exactly, then rounded once (float64 accumulation)."""
    tensor = to_torch(np.asarray(x, dtype=np.float32)).to(torch.float64)
    return np.float32(float(tensor.sum()))


def naive_sum_float32(x: Any) -> np.float32:
    """Left-to-right float32 accumulation (for authoring and tests: what Kahan improves on)."""
    total = torch.zeros((), dtype=torch.float32)
    for value in to_torch(np.asarray(x, dtype=np.float32)):
        total = total + value
    return np.float32(float(total))


def kahan_sum_float32(x: Any) -> np.float32:
    """Kahan's compensated summation, left to right, every operation in float32."""
    s = torch.zeros((), dtype=torch.float32)
    c = torch.zeros((), dtype=torch.float32)
    for value in to_torch(np.asarray(x, dtype=np.float32)):
        y = value - c
        t = s + y
        c = (t - s) - y
        s = t
    return np.float32(float(s))


def neumaier_sum_float32(x: Any) -> np.float32:
    """Neumaier's variant (Kahan–Babuška), every operation in float32: the compensation is
    taken from whichever of the running sum and the addend is larger, and added at the end."""
    s = torch.zeros((), dtype=torch.float32)
    c = torch.zeros((), dtype=torch.float32)
    for value in to_torch(np.asarray(x, dtype=np.float32)):
        t = s + value
        c = c + ((s - t) + value if torch.abs(s) >= torch.abs(value) else (value - t) + s)
        s = t
    return np.float32(float(s + c))


def scaler_step(grads: Any, scale: float, growth_tracker: int, growth_interval: int = 2000,
                growth_factor: float = 2.0,
                backoff_factor: float = 0.5) -> tuple[np.ndarray, bool, float, int]:
    """torch.amp's unscale + update_scale: (float32 grads/scale, found_inf, new scale, tracker)."""
    g32 = to_torch(np.asarray(grads)).to(torch.float32)
    found = torch.zeros(1, dtype=torch.float32)
    inv_scale = torch.tensor([1.0 / scale], dtype=torch.float32)
    torch._amp_foreach_non_finite_check_and_unscale_([g32], found, inv_scale)
    t_scale = torch.tensor([scale], dtype=torch.float32)
    tracker = torch.tensor([growth_tracker], dtype=torch.int32)
    torch._amp_update_scale_(t_scale, tracker, found, growth_factor, backoff_factor,
                             growth_interval)
    return to_numpy(g32), bool(found.item() > 0), float(t_scale.item()), int(tracker.item())


def mixed_precision_sgd(w0: Any, grads: Any, lr: float) -> tuple[np.ndarray, np.ndarray]:
    """SGD with float32 master weights and float16 gradients: (master float32, copy float16)."""
    master = to_torch(np.asarray(w0)).to(torch.float32)
    rate = torch.tensor(lr, dtype=torch.float32)
    for grad in to_torch(np.asarray(grads)):
        master = master - rate * grad.to(torch.float32)
    return to_numpy(master), to_numpy(master.to(torch.float16))


def fp16_only_sgd(w0: Any, grads: Any, lr: float) -> np.ndarray:
    """The same SGD done entirely in float16 (for authoring and tests: updates get swamped)."""
    weights = to_torch(np.asarray(w0)).to(torch.float16)
    rate = torch.tensor(lr, dtype=torch.float16)
    for grad in to_torch(np.asarray(grads)):
        weights = weights - rate * grad.to(torch.float16)
    return to_numpy(weights)
