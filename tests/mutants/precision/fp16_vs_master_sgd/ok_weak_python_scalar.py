"""Correct: a Python float times a float16 array stays float16 (NEP 50), explicit loops."""
import numpy as np


def sgd_fp16_vs_master(w0, grads, lr):
    plain = np.array(w0, dtype=np.float16, copy=True)
    master = np.array(w0, dtype=np.float32)
    lost = np.zeros(w0.shape, dtype=np.int64)
    for k in range(grads.shape[0]):
        u = lr * grads[k]
        new = plain - u
        lost = lost + np.logical_and(new == plain, u != 0).astype(np.int64)
        plain = new
        master = master - np.float32(lr) * grads[k].astype(np.float32)
    return {"plain": plain, "master": master, "lost": lost}
