"""Reference number-format kernels in torch: dtype rounding by casting, fixed point by fake-quantize."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from modl_tutor.kernels._convert import to_numpy, to_torch

DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
          "float64": torch.float64, "float8_e4m3fn": torch.float8_e4m3fn,
          "float8_e5m2": torch.float8_e5m2}


def round_to(x: Any, dtype: str) -> np.ndarray:
    """Round each element to the nearest value of `dtype` (a cast) and widen back to float32."""
    tensor = to_torch(x)
    rounded = tensor.to(DTYPES[dtype]).to(torch.float32)
    return to_numpy(rounded)


def round_to_bfloat16(x: Any) -> np.ndarray:
    """float32 in, float32 out holding the nearest bfloat16 (ties to even, inf/nan kept)."""
    return round_to(np.asarray(x, dtype=np.float32), "bfloat16").astype(np.float32)


def finfo(dtype: str) -> dict[str, float]:
    """max, eps, smallest normal and smallest subnormal of a torch float dtype."""
    info = torch.finfo(DTYPES[dtype])
    return {"max": float(info.max), "eps": float(info.eps), "tiny": float(info.tiny),
            "smallest_subnormal": float(info.smallest_normal) * float(info.eps)}


def to_fixed_point(x: Any, int_bits: int, frac_bits: int) -> np.ndarray:
    """Nearest k·2^-frac_bits with saturating integer k (ties to even), via fake-quantize."""
    tensor = to_torch(np.asarray(x, dtype=np.float64))
    total = int_bits + frac_bits
    scale = 2.0 ** -frac_bits
    qmin, qmax = -(2 ** (total - 1)), 2 ** (total - 1) - 1
    # fake_quantize works in float32; it is exact while |k| < 2^24, which covers total <= 24.
    if total <= 24:
        quantized = torch.fake_quantize_per_tensor_affine(
            tensor.to(torch.float32), scale, 0, qmin, qmax).to(torch.float64)
        nan = torch.isnan(tensor)
        return to_numpy(torch.where(nan, tensor, quantized))
    k = torch.clamp(torch.round(tensor / scale), qmin, qmax)
    return to_numpy(torch.where(torch.isnan(tensor), tensor, k * scale))


def quantize_int8(x: Any, scale: float, zero_point: int) -> np.ndarray:
    """Affine int8 quantisation q = clamp(round(x/scale) + zp, -128, 127) (as int64 values)."""
    tensor = to_torch(np.asarray(x, dtype=np.float32))
    q = torch.quantize_per_tensor(tensor, scale, zero_point, torch.qint8)
    return q.int_repr().to(torch.int64).numpy().copy()
