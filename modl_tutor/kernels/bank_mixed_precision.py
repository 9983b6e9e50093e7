"""Reference kernel in torch for mixed-precision SGD: plain float16 against a float32 master."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def sgd_fp16_vs_master(w0: Any, grads: Any, lr: float) -> dict[str, np.ndarray]:
    """K SGD steps two ways from float16 weights `w0` with float16 `grads` (K, *w0.shape).

    "plain": every step in float16 (u = fp16(lr)·g rounded to float16, then w − u rounded);
    "master": the same steps on a float32 copy (u = fp32(lr)·fp32(g));
    "lost": per weight, how many non-zero float16 updates u left the plain weight unchanged.
    """
    plain = to_torch(np.asarray(w0, dtype=np.float16))
    master = plain.to(torch.float32)
    lost = torch.zeros(plain.shape, dtype=torch.int64)
    rate16 = torch.tensor(lr, dtype=torch.float16)
    rate32 = torch.tensor(lr, dtype=torch.float32)
    for grad in to_torch(np.asarray(grads, dtype=np.float16)):
        update = rate16 * grad
        stepped = plain - update
        lost += ((stepped == plain) & (update != 0)).to(torch.int64)
        plain = stepped
        master = master - rate32 * grad.to(torch.float32)
    return {"plain": to_numpy(plain), "master": to_numpy(master), "lost": to_numpy(lost)}
