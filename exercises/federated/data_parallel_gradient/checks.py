"""Checks for federated/data_parallel_gradient: autograd on the whole batch is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_federated as K

UNWEIGHTED = ("this is the plain mean of the workers' mean gradients: with unequal shards, "
              "weight each by its shard size (or add the local sums and divide by B)")


def _mean_of_means(X_shards, y_shards, w):
    return np.mean(K.local_mean_gradients(X_shards, y_shards, w), axis=0)


def _sum_of_means(X_shards, y_shards, w):
    return np.sum(K.local_mean_gradients(X_shards, y_shards, w), axis=0)


MISTAKES = {
    UNWEIGHTED: _mean_of_means,
    "the workers' mean gradients were added, not averaged: divide by the global batch size":
        _sum_of_means,
    "the factor 2 from the square is missing":
        lambda X_shards, y_shards, w: 0.5 * K.data_parallel_gradient(X_shards, y_shards, w),
}


def _shards(rng, sizes, D):
    w_true = inputs.normal(rng, D)
    X = [inputs.normal(rng, (b, D)) for b in sizes]
    y = [x @ w_true + inputs.normal(rng, b, 0.3) for x, b in zip(X, sizes)]
    return X, y, inputs.normal(rng, D)


def checks(rng):
    yield Check("3 workers with shards of 2, 5 and 9 examples", args=_shards(rng, [2, 5, 9], 3),
                reference=K.data_parallel_gradient, points=2, mistakes=MISTAKES, hint=UNWEIGHTED)
    yield Check("4 equal shards of 8", args=_shards(rng, [8, 8, 8, 8], 4),
                reference=K.data_parallel_gradient, mistakes=MISTAKES,
                hint="∂L/∂w = (2/B) Xᵀ(Xw − y) over the whole batch")
    yield Check("one worker: the ordinary gradient", args=_shards(rng, [6], 2),
                reference=K.data_parallel_gradient, mistakes=MISTAKES)
    yield Check("an empty shard (b = 0) among others", args=_shards(rng, [4, 0, 3], 3),
                reference=K.data_parallel_gradient, mistakes=MISTAKES,
                hint="an empty shard adds nothing to the sum and nothing to B — and its mean is "
                     "0/0: do not divide by its size")
    yield Check("8 workers of very different sizes",
                args=_shards(rng, [1, 30, 2, 7, 64, 3, 1, 12], 5),
                reference=K.data_parallel_gradient, hidden=True, mistakes=MISTAKES)
