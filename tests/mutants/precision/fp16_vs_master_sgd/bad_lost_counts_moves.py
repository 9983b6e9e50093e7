"""Counts the steps that moved the weight instead of the ones that were lost."""
import numpy as np


def sgd_fp16_vs_master(w0, grads, lr):
    plain, master = w0.copy(), w0.astype(np.float32)
    lost = np.zeros(w0.shape, np.int64)
    for g in grads:
        u = np.float16(lr) * g
        stepped = plain - u
        lost += stepped != plain
        plain = stepped
        master = master - np.float32(lr) * g.astype(np.float32)
    return {"plain": plain, "master": master, "lost": lost}
