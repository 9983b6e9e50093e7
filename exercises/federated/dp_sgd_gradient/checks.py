"""Checks for federated/dp_sgd_gradient: the DP-SGD step computed in torch is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_federated as K


def _clip_the_mean(grads, clip_norm, noise_multiplier, noise):
    mean = grads.mean(axis=0)
    norm = np.linalg.norm(mean)
    clipped = mean * min(1.0, clip_norm / norm) if norm > 0 else mean
    return clipped + noise_multiplier * clip_norm * noise / len(grads)


def _noise_without_c(grads, clip_norm, noise_multiplier, noise):
    return K.dp_sgd_gradient(grads, clip_norm, noise_multiplier / clip_norm, noise)


def _noise_after_mean(grads, clip_norm, noise_multiplier, noise):
    return (K.dp_sgd_gradient(grads, clip_norm, 0.0, noise)
            + noise_multiplier * clip_norm * noise)


def _normalise_all(grads, clip_norm, noise_multiplier, noise):
    norms = np.linalg.norm(grads, axis=1, keepdims=True)
    scaled = np.where(norms > 0, grads * clip_norm / np.where(norms > 0, norms, 1), 0)
    return (scaled.sum(axis=0) + noise_multiplier * clip_norm * noise) / len(grads)


MISTAKES = {
    "the batch's mean gradient was clipped; DP-SGD clips every example's gradient before "
    "summing": _clip_the_mean,
    "the noise was not scaled by C: its standard deviation is noise_multiplier·C":
        _noise_without_c,
    "the noise was added after dividing by B: add it to the sum, then divide":
        _noise_after_mean,
    "every gradient was rescaled to norm C; only those longer than C are shrunk":
        _normalise_all,
}


def _batch(rng, B, P, scale=1.0):
    return inputs.normal(rng, (B, P), scale), inputs.normal(rng, P)


def checks(rng):
    grads, noise = _batch(rng, 6, 4, 2.0)
    yield Check("batch of 6, C = 1, σ = 1.1", args=(grads, 1.0, 1.1, noise),
                reference=K.dp_sgd_gradient, points=2, mistakes=MISTAKES,
                hint="clip each row to norm ≤ C, sum, add σ·C·z, divide by B")
    grads, noise = _batch(rng, 5, 3, 0.1)
    yield Check("short gradients are left alone (C = 10, σ = 0)", args=(grads, 10.0, 0.0, noise),
                reference=K.dp_sgd_gradient, mistakes=MISTAKES,
                hint="min(1, C/‖g‖) = 1 for a gradient shorter than C: it is not rescaled")
    grads, noise = _batch(rng, 4, 5, 3.0)
    grads[1] = 0.0
    yield Check("a zero gradient in the batch", args=(grads, 0.5, 0.8, noise),
                reference=K.dp_sgd_gradient, mistakes=MISTAKES,
                hint="a zero row has norm 0: avoid C/0, its clipped gradient is 0")
    grads, noise = _batch(rng, 3, 6, 5.0)
    yield Check("large noise multiplier (σ = 4, C = 2)", args=(grads, 2.0, 4.0, noise),
                reference=K.dp_sgd_gradient, mistakes=MISTAKES,
                hint="the noise is σ·C·z, added once to the sum of the clipped gradients")
    grads, noise = _batch(rng, 1, 3, 2.0)
    yield Check("a batch of one example", args=(grads, 1.0, 0.5, noise),
                reference=K.dp_sgd_gradient, mistakes=MISTAKES)
    grads, noise = _batch(rng, 64, 20, 1.5)
    yield Check("batch of 64, 20 parameters", args=(grads, 1.2, 1.0, noise),
                reference=K.dp_sgd_gradient, hidden=True, mistakes=MISTAKES)
