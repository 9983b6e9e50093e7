"""Checks for federated/fedavg_round: the round computed in torch is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_federated as K

UNWEIGHTED = ("this is the plain mean of the clients: FedAvg weights client k by its share "
              "n_k / Σ n of the data")


def _unweighted(global_w, client_w, num_samples, server_lr=1.0):
    return K.fedavg_round(global_w, client_w, np.ones(len(num_samples)), server_lr)


def _lr_on_average(global_w, client_w, num_samples, server_lr=1.0):
    return server_lr * K.fedavg_round(global_w, client_w, num_samples)


def _sum_not_average(global_w, client_w, num_samples, server_lr=1.0):
    p = np.asarray(num_samples, np.float64)
    p = p / p.sum()
    return global_w + server_lr * np.tensordot(len(p) * p, client_w - global_w, axes=1)


MISTAKES = {
    UNWEIGHTED: _unweighted,
    "server_lr scaled the averaged weights; it scales the averaged change: "
    "w + η_s·Σ p_k (w_k − w)":
        _lr_on_average,
    "the changes were summed with weights K·p_k; the shares p_k must add up to 1":
        _sum_not_average,
}


def _round(rng, K_, shape, counts, dtype=np.float64):
    w = inputs.normal(rng, shape, dtype=dtype)
    noise = inputs.normal(rng, (K_,) + tuple(np.atleast_1d(shape)), 0.1, dtype)
    clients = (w + noise).astype(dtype)
    return w, clients, np.asarray(counts, dtype=np.int64)


def checks(rng):
    yield Check("3 clients of very different sizes", args=_round(rng, 3, 4, [100, 300, 600]),
                reference=K.fedavg_round, points=2, mistakes=MISTAKES, hint=UNWEIGHTED)
    yield Check("equal clients: the plain mean", args=_round(rng, 4, (2, 3), [50, 50, 50, 50]),
                reference=K.fedavg_round, mistakes=MISTAKES)
    yield Check("server learning rate 0.5", args=_round(rng, 3, 5, [10, 20, 70]),
                kwargs={"server_lr": 0.5}, reference=K.fedavg_round, points=2, mistakes=MISTAKES,
                hint="w_new = w + server_lr · Σ p_k (w_k − w)")
    yield Check("a client with no data counts for nothing", args=_round(rng, 3, 3, [0, 5, 15]),
                reference=K.fedavg_round, mistakes=MISTAKES)
    yield Check("counts up to 10¹² (no int32 overflow)",
                args=_round(rng, 2, 3, [3 * 10**12, 10**12]), reference=K.fedavg_round,
                mistakes=MISTAKES, hint="form the shares in float64: n / n.sum()")
    yield Check("float32 weights stay float32", args=_round(rng, 5, (3, 2), [1, 2, 3, 4, 5],
                                                           np.float32),
                kwargs={"server_lr": 1.5}, reference=K.fedavg_round, mistakes=MISTAKES)
    yield Check("10 clients, a (4, 4, 3) tensor", args=_round(rng, 10, (4, 4, 3),
                                                           rng.integers(1, 1000, 10)),
                kwargs={"server_lr": 0.8}, reference=K.fedavg_round, hidden=True,
                mistakes=MISTAKES)
