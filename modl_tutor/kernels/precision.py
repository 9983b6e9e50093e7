"""Reference number-format kernels in torch: rounding by casting, fixed point by fake-quantize."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import torch

from modl_tutor.kernels._convert import to_numpy, to_torch

DTYPE_NAMES = ("float16", "bfloat16", "float32", "float64", "float8_e4m3fn", "float8_e5m2")


def _dtype(name: str) -> Any:
    """The torch dtype called `name` (KeyError for a format this module does not know)."""
    if name not in DTYPE_NAMES:
        raise KeyError(name)
    return getattr(torch, name)


def _round_to_odd_float32(tensor: torch.Tensor) -> torch.Tensor:
    """float64 -> float32 rounded to odd: a later cast to a format of <= 22 significand bits
    then rounds exactly once, as if straight from float64 (no double rounding)."""
    nearest = tensor.to(torch.float32)
    wide = nearest.to(torch.float64)
    finite = torch.isfinite(tensor)
    overshoot = finite & (wide.abs() > tensor.abs())
    toward_zero = torch.where(overshoot, torch.nextafter(nearest, torch.zeros_like(nearest)),
                              nearest)
    inexact = finite & (toward_zero.to(torch.float64) != tensor)
    bits = toward_zero.view(torch.int32)
    odd = torch.where(inexact, bits | 1, bits).view(torch.float32)
    return torch.where(finite, odd, nearest)


def round_to(x: Any, dtype: str) -> np.ndarray:
    """Round each element to the nearest value of `dtype` (a cast: ties to even, overflow to
    inf) and widen back to float32. float64 input is rounded once, not via float32."""
    tensor = to_torch(x)
    if tensor.dtype == torch.float64 and dtype != "float64":
        tensor = tensor if dtype == "float32" else _round_to_odd_float32(tensor)
    rounded = tensor.to(_dtype(dtype)).to(torch.float32)
    return to_numpy(rounded)


def round_to_bfloat16(x: Any) -> np.ndarray:
    """float32 in, float32 out holding the nearest bfloat16 (ties to even, inf/nan kept)."""
    return round_to(np.asarray(x, dtype=np.float32), "bfloat16").astype(np.float32)


def finfo(dtype: str) -> dict[str, float]:
    """max, eps, smallest normal and smallest subnormal of a torch float dtype."""
    info = torch.finfo(_dtype(dtype))
    return {"max": float(info.max), "eps": float(info.eps), "tiny": float(info.tiny),
            "smallest_subnormal": float(info.smallest_normal) * float(info.eps)}


def to_fixed_point(x: Any, int_bits: int, frac_bits: int) -> np.ndarray:
    """Nearest k·2^-frac_bits with saturating integer k (ties to even), via fake-quantize.

    torch's fake-quantize works in the tensor's dtype (float64 here) but passes its clamp
    bounds through float32, so they are exact only while int_bits + frac_bits <= 24; wider
    formats use the same round-and-clamp written out. nan stays nan.
    """
    tensor = to_torch(np.asarray(x, dtype=np.float64))
    total = int_bits + frac_bits
    scale = 2.0 ** -frac_bits
    qmin, qmax = -(2 ** (total - 1)), 2 ** (total - 1) - 1
    if total <= 24:
        quantized = torch.fake_quantize_per_tensor_affine(tensor, scale, 0, qmin, qmax)
    else:
        k = torch.clamp(torch.round(tensor / scale), float(qmin), float(qmax))
        quantized = k * scale
    return to_numpy(torch.where(torch.isnan(tensor), tensor, quantized))


def quantize_int8(x: Any, scale: float, zero_point: int) -> np.ndarray:
    """Affine int8 quantisation q = clamp(round(x/scale) + zp, -128, 127) (as int64 values)."""
    tensor = to_torch(np.asarray(x, dtype=np.float32))
    with warnings.catch_warnings():  # deprecated in recent torch, still the reference here
        warnings.simplefilter("ignore")
        q = torch.quantize_per_tensor(tensor, scale, zero_point, torch.qint8)
    return q.int_repr().to(torch.int64).numpy().copy()
