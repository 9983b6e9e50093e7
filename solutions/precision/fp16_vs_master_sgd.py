"""precision/fp16_vs_master_sgd — plain float16 SGD beside a float32 master copy, with NumPy."""

import numpy as np


def sgd_fp16_vs_master(w0, grads, lr):
    """K SGD steps done two ways; returns {"plain": fp16, "master": fp32, "lost": int64}."""
    # TODO: one loop over the steps, updating a float16 copy and a float32 master side by side
    # and counting, per weight, the non-zero float16 updates that left the weight unchanged.
    # BEGIN SOLUTION
    plain = w0.copy()
    master = w0.astype(np.float32)
    lost = np.zeros(w0.shape, dtype=np.int64)
    lr16, lr32 = np.float16(lr), np.float32(lr)
    for g in grads:
        update = lr16 * g
        stepped = plain - update
        lost += (stepped == plain) & (update != 0)
        plain = stepped
        master = master - lr32 * g.astype(np.float32)
    return {"plain": plain, "master": master, "lost": lost}
    # END SOLUTION
