"""Accumulates the master in float64 and rounds to float32 only at the end."""
import numpy as np


def sgd_fp16_vs_master(w0, grads, lr):
    plain, master = w0.copy(), w0.astype(np.float64)
    lost = np.zeros(w0.shape, np.int64)
    for g in grads:
        u = np.float16(lr) * g
        stepped = plain - u
        lost += (stepped == plain) & (u != 0)
        plain = stepped
        master = master - lr * g.astype(np.float64)
    return {"plain": plain, "master": master.astype(np.float32), "lost": lost}
