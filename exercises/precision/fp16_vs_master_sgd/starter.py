"""precision/fp16_vs_master_sgd — plain float16 SGD beside a float32 master copy, with NumPy."""

import numpy as np


def sgd_fp16_vs_master(w0, grads, lr):
    """K SGD steps done two ways; returns {"plain": fp16, "master": fp32, "lost": int64}."""
    # TODO: one loop over the steps, updating a float16 copy and a float32 master side by side
    # and counting, per weight, the non-zero float16 updates that left the weight unchanged.
    raise NotImplementedError("sgd_fp16_vs_master is not written yet")
