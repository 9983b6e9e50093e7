"""Explicit loops for the convolution, np.kron for the upsampling."""
import numpy as np


def grad_cam(x, Wc, bc, W1, b1, W2, b2, target):
    C, H, W = x.shape
    K = Wc.shape[0]
    A = np.zeros((K, H // 2, W // 2), dtype=x.dtype)
    for k in range(K):
        for i in range(H // 2):
            for j in range(W // 2):
                patch = x[:, 2 * i:2 * i + 2, 2 * j:2 * j + 2]
                A[k, i, j] = max(np.sum(patch * Wc[k]) + bc[k], 0)
    f = A.ravel()
    hidden_grad = np.where(f @ W1 + b1 > 0, W2[:, target], 0)
    G = (W1 @ hidden_grad).reshape(A.shape)
    alpha = G.sum(axis=(1, 2)) / (A.shape[1] * A.shape[2])
    cam = np.zeros(A.shape[1:], dtype=x.dtype)
    for k in range(K):
        cam += alpha[k] * A[k]
    cam = np.maximum(cam, 0)
    return np.kron(cam, np.ones((2, 2), dtype=x.dtype))
