"""Checks for adversarial/fgsm: autograd of BCE-with-logits, torch.sign and torch.clamp."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_adversarial as K


def _descent(x, y, w, b, eps, lo=0.0, hi=1.0):
    return K.fgsm_logistic(x, y, w, b, -eps, lo, hi)


def _no_clip(x, y, w, b, eps, lo=0.0, hi=1.0):
    return K.fgsm_logistic(x, y, w, b, eps, -np.inf, np.inf)


def _sign_of_w(x, y, w, b, eps, lo=0.0, hi=1.0):
    return np.clip(x + eps * np.sign(w), lo, hi)


MISTAKES = {
    "the step went down the loss (x − ε·sign): an attack climbs it, x + ε·sign(∇x L)": _descent,
    "the result was not clipped to [lo, hi]": _no_clip,
    "that is x + ε·sign(w) for every example: the gradient (σ(z) − y)·w changes sign with the "
    "label, so examples with y = 1 move the other way": _sign_of_w,
}


def _case(rng, N, D, dtype=np.float64, wscale=1.0):
    x = inputs.uniform(rng, (N, D), 0.1, 0.9, dtype)
    w = inputs.normal(rng, D, wscale, dtype)
    y = inputs.binary(rng, N).astype(dtype)
    y[0], y[-1] = 0.0, 1.0
    return x, y, w, 0.1


def checks(rng):
    x, y, w, b = _case(rng, 4, 3)
    yield Check("4 examples, eps = 0.05", args=(x, y, w, b, 0.05), reference=K.fgsm_logistic,
                points=2, mistakes=MISTAKES,
                hint="∇x L = (σ(x·w + b) − y)·w, one row per example")
    x, y, w, b = _case(rng, 3, 4)
    w[1] = 0.0
    yield Check("a feature with weight 0 does not move", args=(x, y, w, b, 0.1),
                reference=K.fgsm_logistic, mistakes=MISTAKES,
                hint="np.sign(0) = 0: where the gradient is 0 the input stays as it is")
    x, y, w, b = _case(rng, 5, 4)
    x[:2] = np.array([[0.0, 0.02, 0.0, 0.01], [1.0, 0.99, 1.0, 0.98]])
    w[:2] = np.abs(w[:2]) * np.array([1.0, -1.0])  # mixed signs: some pixel always leaves
    yield Check("pixels at the edges of [0, 1] are clipped", args=(x, y, w, b, 0.1),
                reference=K.fgsm_logistic, points=2, mistakes=MISTAKES,
                hint="clip the perturbed input to [lo, hi] (np.clip) after the step")
    yield Check("eps = 0 returns x", args=(*_case(rng, 3, 3), 0.0), reference=K.fgsm_logistic)
    x, y, w, b = _case(rng, 4, 5)
    yield Check("range [-1, 1], eps = 0.3", args=(2 * x - 1, y, w, b, 0.3),
                kwargs={"lo": -1.0, "hi": 1.0}, reference=K.fgsm_logistic, mistakes=MISTAKES,
                hint="clip to the `lo` and `hi` you are given")
    yield Check("float32 keeps float32", args=(*_case(rng, 3, 6, np.float32), 0.03),
                reference=K.fgsm_logistic, mistakes=MISTAKES)
    yield Check("larger batch (20, 8)", args=(*_case(rng, 20, 8, wscale=2.0), 0.07),
                reference=K.fgsm_logistic, hidden=True, mistakes=MISTAKES)
