"""Checks for explainability/rise_saliency: the RISE estimate computed in torch is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_explainability as K


def _per_pixel(x, masks, W, b, target, p):
    scores = K.rise_scores(x, masks, W, b, target)
    return np.tensordot(scores, masks, axes=1) / np.maximum(masks.sum(axis=0), 1e-300)


def _no_p(x, masks, W, b, target, p):
    return K.rise_saliency(x, masks, W, b, target, p) * p


def _logits(x, masks, W, b, target, p):
    flat = (masks * x).reshape(masks.shape[0], -1)
    return np.tensordot(flat @ W[:, target] + b[target], masks, axes=1) / (masks.shape[0] * p)


MISTAKES = {
    "dividing by Σ_i M_i pixel by pixel is another estimator; RISE divides by N·p":
        _per_pixel,
    "the division by p is missing: S = Σ s_i M_i / (N·p)": _no_p,
    "this weights the masks by the target's logit; RISE uses its softmax probability": _logits,
}


def _problem(rng, N, H, W_, Q, p, scale=0.5, dtype=np.float64, soft=False):
    masks = rng.random((N, H, W_)) < p
    masks = masks * inputs.uniform(rng, (N, H, W_), 0.5, 1.0) if soft else masks
    return (inputs.uniform(rng, (H, W_), 0.0, 1.0, dtype), masks.astype(dtype),
            inputs.normal(rng, (H * W_, Q), scale, dtype), inputs.normal(rng, Q, 0.1, dtype),
            int(rng.integers(Q)), p)


def _shifted(rng, shift):
    """Every logit moved by `shift`: softmax is unchanged, a naive exp() is not."""
    x, masks, W, b, target, p = _problem(rng, 10, 3, 3, 4, 0.5, scale=3.0)
    return x, masks, W, b + shift, target, p


def checks(rng):
    yield Check("8 binary masks on a 3×4 image, p = 0.5", args=_problem(rng, 8, 3, 4, 3, 0.5),
                reference=K.rise_saliency, points=2, mistakes=MISTAKES,
                hint="score each masked image with the softmax probability of the target, then "
                     "average the masks weighted by those scores and divide by N·p")
    yield Check("soft masks, p = 0.25, 5 classes", args=_problem(rng, 20, 4, 4, 5, 0.25, soft=True),
                reference=K.rise_saliency, mistakes=MISTAKES)
    yield Check("logits near +1000 (exp overflows)", args=_shifted(rng, 1000.0),
                reference=K.rise_saliency, mistakes=MISTAKES,
                hint="exp(1000) overflows: subtract each row's max logit before np.exp")
    yield Check("logits near −1000 (exp underflows to 0/0)", args=_shifted(rng, -1000.0),
                reference=K.rise_saliency, mistakes=MISTAKES,
                hint="exp(−1000) is 0 for every class and 0/0 is nan: subtract each row's max "
                     "logit before np.exp")
    yield Check("p = 1 with all-ones masks: the map is the plain score everywhere",
                args=(inputs.uniform(rng, (2, 3)), np.ones((4, 2, 3)), inputs.normal(rng, (6, 2)),
                      np.zeros(2), 1, 1.0), reference=K.rise_saliency, mistakes=MISTAKES)
    yield Check("float32 keeps float32", args=_problem(rng, 6, 2, 5, 3, 0.5, dtype=np.float32),
                reference=K.rise_saliency, mistakes=MISTAKES)
    yield Check("many masks, 6×6 image, p = 0.3", args=_problem(rng, 200, 6, 6, 4, 0.3),
                reference=K.rise_saliency, hidden=True, mistakes=MISTAKES)
