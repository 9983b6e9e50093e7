"""explainability/grad_cam — Grad-CAM of a tiny CNN (2×2 stride-2 conv, ReLU, MLP head)."""

import numpy as np


def grad_cam(x, Wc, bc, W1, b1, W2, b2, target):
    """The Grad-CAM map of class `target` for image x (C, H, W), upsampled to (H, W)."""
    # TODO: forward (conv maps A, flatten, head), backward (dy_target/dA), then the map:
    # pooled gradients as weights, ReLU, nearest-neighbour upsampling by 2.
    raise NotImplementedError("grad_cam is not written yet")
