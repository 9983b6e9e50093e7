"""NumPy <-> torch conversion for the reference kernels (dtype preserved, no shared memory)."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import torch


def to_torch(array: Any, dtype: torch.dtype | None = None) -> torch.Tensor:
    """A torch tensor copy of `array` (keeps float32/float64 unless `dtype` is given)."""
    tensor = torch.from_numpy(np.array(array, copy=True))
    return tensor.to(dtype) if dtype is not None else tensor


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """A NumPy copy of a tensor (bfloat16 is widened to float32, which holds it exactly)."""
    tensor = tensor.detach()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.to(torch.float32)
    return tensor.cpu().numpy().copy()
