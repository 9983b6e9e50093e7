"""Checks for federated/quantized_fedavg: the protocol run in torch is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_federated as K


def _with(quantise):
    def wrong(global_w, client_w, num_samples):
        p = np.asarray(num_samples, np.float64) / np.sum(num_samples)
        return global_w + sum(p_k * quantise(w_k - global_w) for p_k, w_k in zip(p, client_w))
    return wrong


def _scale(d, levels=127.0):
    top = np.max(np.abs(d))
    return top / levels if top > 0 else 1.0


def _shared_scale(global_w, client_w, num_samples):
    changes = np.asarray(client_w) - global_w
    scale = _scale(changes)
    p = np.asarray(num_samples, np.float64) / np.sum(num_samples)
    codes = np.clip(np.round(changes / scale), -127, 127)
    return global_w + np.tensordot(p, codes * scale, axes=1)


MISTAKES = {
    "one scale was shared by all clients; each client quantises with its own max|d_k|/127":
        _shared_scale,
    "no quantisation at all: the server must use the int8 codes times the scale, q·s":
        lambda w, c, n: K.fedavg_round(w, c, n),
    "the codes were truncated towards 0 (a cast to int8 without rounding): round first":
        _with(lambda d: np.trunc(d / _scale(d)) * _scale(d)),
    "the scale used 255 levels (max|d|/255); symmetric int8 uses max|d|/127":
        _with(lambda d: np.clip(np.round(d / _scale(d, 255.0)), -127, 127) * _scale(d, 255.0)),
    "the reconstructed changes were averaged without the clients' data shares n_k/Σn":
        lambda w, c, n: K.quantized_fedavg(w, c, np.ones(len(n), np.int64)),
}


def _round(rng, K_, shape, counts, scale=0.05):
    w = inputs.normal(rng, shape)
    clients = w + inputs.normal(rng, (K_,) + tuple(np.atleast_1d(shape)), scale)
    return w, clients, np.asarray(counts, np.int64)


def _ties():
    """Changes of exactly (k + ½)·2⁻⁷ with max|d| = 127·2⁻⁷: scale 2⁻⁷, codes on .5 ties."""
    step = 2.0**-7
    d = np.array([127.0, 0.5, 1.5, 2.5, -0.5, -3.5, 10.5]) * step
    return np.zeros(7), np.stack([d, -d]), np.array([3, 1], np.int64)


def checks(rng):
    yield Check("3 clients, different data sizes", args=_round(rng, 3, 6, [100, 300, 600]),
                reference=K.quantized_fedavg, points=2, mistakes=MISTAKES,
                hint="per client: s = max|d|/127, q = round(d/s); then w + Σ p_k q_k s_k")
    yield Check("exact ties round to even", args=_ties(), reference=K.quantized_fedavg,
                mistakes=MISTAKES,
                hint="np.round(2.5) = 2 and np.round(-3.5) = -4: halves go to the even code, as "
                     "torch.round does; np.floor(x + 0.5) rounds them up")
    yield Check("a client that did not change (all-zero update)",
                args=(np.ones(4), np.stack([np.ones(4), np.ones(4) + [0.1, -0.2, 0.05, 0.0]]),
                      np.array([5, 5], np.int64)),
                reference=K.quantized_fedavg, mistakes=MISTAKES,
                hint="max|d| = 0 gives 0/0: use the scale 1 and codes 0 for that client")
    yield Check("a (3, 4) weight matrix, one scale per client",
                args=_round(rng, 4, (3, 4), [10, 20, 30, 40]), reference=K.quantized_fedavg,
                mistakes=MISTAKES,
                hint="one scale per client over its whole tensor, not one per row")
    yield Check("updates of very different sizes", args=(np.zeros(5), np.stack(
                    [inputs.normal(rng, 5, 1e-3), inputs.normal(rng, 5, 10.0)]),
                    np.array([1, 1], np.int64)),
                reference=K.quantized_fedavg, mistakes=MISTAKES)
    yield Check("8 clients, a (2, 3, 4) tensor", args=_round(rng, 8, (2, 3, 4),
                                                           rng.integers(1, 500, 8)),
                reference=K.quantized_fedavg, hidden=True, mistakes=MISTAKES)
