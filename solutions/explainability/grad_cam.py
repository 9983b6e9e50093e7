"""explainability/grad_cam — Grad-CAM of a tiny CNN (2×2 stride-2 conv, ReLU, MLP head)."""

import numpy as np


def grad_cam(x, Wc, bc, W1, b1, W2, b2, target):
    """The Grad-CAM map of class `target` for image x (C, H, W), upsampled to (H, W)."""
    # TODO: forward (conv maps A, flatten, head), backward (dy_target/dA), then the map:
    # pooled gradients as weights, ReLU, nearest-neighbour upsampling by 2.
    # BEGIN SOLUTION
    C, H, W = x.shape
    h, w = H // 2, W // 2
    # the 2×2 patches of x, as (C, h, 2, w, 2) -> (h, w, C, 2, 2)
    patches = x.reshape(C, h, 2, w, 2).transpose(1, 3, 0, 2, 4)
    A = np.maximum(np.einsum("ijcuv,kcuv->kij", patches, Wc) + bc[:, None, None], 0)
    f = A.reshape(-1)
    pre = f @ W1 + b1
    d_pre = W2[:, target] * (pre > 0)
    G = (W1 @ d_pre).reshape(A.shape)
    alpha = G.mean(axis=(1, 2))
    cam = np.maximum(np.tensordot(alpha, A, axes=1), 0)
    return cam.repeat(2, axis=0).repeat(2, axis=1)
    # END SOLUTION
