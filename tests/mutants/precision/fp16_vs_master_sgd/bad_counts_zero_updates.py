"""Counts every step that left the weight unchanged, zero updates included."""
import numpy as np


def sgd_fp16_vs_master(w0, grads, lr):
    plain, master = w0.copy(), w0.astype(np.float32)
    lost = np.zeros(w0.shape, np.int64)
    for g in grads:
        stepped = plain - np.float16(lr) * g
        lost += stepped == plain
        plain = stepped
        master = master - np.float32(lr) * g.astype(np.float32)
    return {"plain": plain, "master": master, "lost": lost}
