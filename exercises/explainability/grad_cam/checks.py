"""Checks for explainability/grad_cam: torch autograd and F.interpolate are the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_explainability as K


def _up(cam):
    return cam.repeat(2, axis=0).repeat(2, axis=1)


def _variant(pool="mean", relu=True, weights="pooled"):
    def wrong(x, Wc, bc, W1, b1, W2, b2, target):
        A, G = K.maps_and_gradients(x, Wc, bc, W1, b1, W2, b2, target)
        if weights == "elementwise":
            cam = np.sum(G * A, axis=0)
        else:
            alpha = G.sum(axis=(1, 2)) if pool == "sum" else G.mean(axis=(1, 2))
            cam = np.tensordot(alpha, A, axes=1)
        return _up(np.maximum(cam, 0) if relu else cam)
    return wrong


def _linear_head(x, Wc, bc, W1, b1, W2, b2, target):
    A, _ = K.maps_and_gradients(x, Wc, bc, W1, b1, W2, b2, target)
    alpha = (W1 @ W2[:, target]).reshape(A.shape).mean(axis=(1, 2))
    return _up(np.maximum(np.tensordot(alpha, A, axes=1), 0))


MISTAKES = {
    "no ReLU at the end: negative evidence must be cut off, cam = relu(Σ α_k A_k)":
        _variant(relu=False),
    "α_k is the sum of the gradients over the positions; Grad-CAM averages them (divide by h·w)":
        _variant(pool="sum"),
    "the map weights each position by its own gradient (Σ_k G_k ⊙ A_k); Grad-CAM first pools "
    "the gradients of a map into one weight α_k": _variant(weights="elementwise"),
    "the gradient went through the head as if it were linear: multiply by the head's ReLU mask "
    "(f·W1 + b1 > 0)": _linear_head,
}


def _cnn(rng, C, H, W, K_, M, Q, dtype=np.float64):
    h, w = H // 2, W // 2
    return (inputs.normal(rng, (C, H, W), dtype=dtype),
            inputs.normal(rng, (K_, C, 2, 2), 0.7, dtype),
            inputs.normal(rng, K_, 0.2, dtype), inputs.normal(rng, (K_ * h * w, M), 0.5, dtype),
            inputs.normal(rng, M, 0.5, dtype), inputs.normal(rng, (M, Q), dtype=dtype),
            inputs.normal(rng, Q, dtype=dtype))


def _evidence_against(rng):
    """W1 ≥ 0 and W2[:, 0] ≤ 0: every gradient dy_0/dA is ≤ 0, so the map is all zeros."""
    x, Wc, bc, W1, b1, W2, b2 = _cnn(rng, 1, 4, 4, 2, 3, 2)
    W2 = W2.copy()
    W2[:, 0] = -np.abs(W2[:, 0])
    return x, Wc, np.abs(bc) + 0.5, np.abs(W1), np.abs(b1), W2, b2, 0


def checks(rng):
    yield Check("one channel, 4×4 image, 2 maps", args=_cnn(rng, 1, 4, 4, 2, 3, 2) + (1,),
                reference=K.grad_cam, points=2, mistakes=MISTAKES,
                hint="conv → flatten → head forward; then backpropagate y_t to A, average over "
                     "positions, weight, relu, upsample")
    yield Check("3 channels, 6×8 image (not square), 4 maps",
                args=_cnn(rng, 3, 6, 8, 4, 5, 3) + (2,),
                reference=K.grad_cam, points=2, mistakes=MISTAKES,
                hint="keep the (row, column) order: A is (K, H/2, W/2) and the map (H, W)")
    yield Check("evidence against the class: the map is all zeros",
                args=_evidence_against(rng), reference=K.grad_cam, mistakes=MISTAKES,
                hint="when every α_k A_k is ≤ 0 the ReLU leaves nothing: the map is 0 "
                     "everywhere")
    yield Check("float32 keeps float32", args=_cnn(rng, 2, 4, 6, 3, 4, 2, np.float32) + (0,),
                reference=K.grad_cam, mistakes=MISTAKES)
    yield Check("larger: 3 channels, 12×12, 6 maps, 5 classes",
                args=_cnn(rng, 3, 12, 12, 6, 8, 5) + (4,), reference=K.grad_cam, hidden=True,
                mistakes=MISTAKES)
