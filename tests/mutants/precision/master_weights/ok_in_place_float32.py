"""Updates a float32 copy in place with a float32 learning rate."""
import numpy as np


def mixed_precision_sgd(w0, grads, lr):
    master = np.array(w0, dtype=np.float32)
    rate = np.float32(lr)
    for k in range(grads.shape[0]):
        master -= rate * grads[k].astype(np.float32)
    return master, master.astype(np.float16)
