"""Sums the gradients over the positions instead of averaging them."""
import numpy as np


def grad_cam(x, Wc, bc, W1, b1, W2, b2, target):
    C, H, W = x.shape
    patches = x.reshape(C, H // 2, 2, W // 2, 2).transpose(1, 3, 0, 2, 4)
    A = np.maximum(np.einsum("ijcuv,kcuv->kij", patches, Wc) + bc[:, None, None], 0)
    pre = A.reshape(-1) @ W1 + b1
    G = (W1 @ (W2[:, target] * (pre > 0))).reshape(A.shape)
    cam = np.maximum(np.tensordot(G.sum(axis=(1, 2)), A, axes=1), 0)
    return cam.repeat(2, axis=0).repeat(2, axis=1)
