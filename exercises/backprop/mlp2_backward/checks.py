"""Checks for backprop/mlp2_backward: torch autograd of the same two-layer network is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import backprop as K


def _net(rng, N, D, H, C, scale2=1.0):
    X = inputs.normal(rng, (N, D))
    y = inputs.labels(rng, N, C)
    W1 = inputs.normal(rng, (D, H), 0.7)
    b1 = inputs.normal(rng, H, 0.1)
    W2 = inputs.normal(rng, (H, C), 0.7 * scale2)
    b2 = inputs.normal(rng, C, 0.1)
    return X, y, W1, b1, W2, b2


def checks(rng):
    yield Check("small network N=6, D=4, H=5, C=3", args=_net(rng, 6, 4, 5, 3),
                reference=K.mlp2_gradients, points=2,
                hint="the first line names the gradient that is off; an error in the top layer "
                     "(W2, b2) also spoils every gradient below it, so fix the top first")
    yield Check("a single example (N = 1)", args=_net(rng, 1, 3, 4, 3),
                reference=K.mlp2_gradients)  # shape slips are named by the shape report
    X, y, W1, b1, W2, b2 = _net(rng, 8, 3, 6, 4)
    b1 = b1.copy()
    b1[[1, 4]] = -100.0  # these hidden units never fire
    yield Check("dead ReLU units (two units never fire)", args=(X, y, W1, b1, W2, b2),
                reference=K.mlp2_gradients,
                hint="two hidden units never fire here: no gradient may flow through them, so "
                     "their rows/columns of the W1, b1 and W2 gradients are 0")
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0], [1.0, 1.0]])
    W1 = np.array([[1.0, -1.0, 2.0], [1.0, 2.0, -1.0]])
    b1 = np.array([-1.0, 0.0, -3.0])  # makes several pre-activations exactly 0
    yield Check("pre-activations exactly 0 get slope 0", args=(X, np.array([0, 2, 1, 2]), W1, b1,
                                                                np.array([[0.5, -1.0, 0.2],
                                                                          [1.0, 0.3, -0.4],
                                                                          [-0.6, 0.8, 0.1]]),
                                                                np.array([0.1, 0.0, -0.1])),
                reference=K.mlp2_gradients,
                hint="several pre-activations are exactly 0 here, where ReLU's slope is taken "
                     "as 0 (as in PyTorch)")
    yield Check("large logits (|logits| ~ 1000)", args=_net(rng, 5, 4, 6, 3, scale2=600.0),
                reference=K.mlp2_gradients, points=2,
                hint="logits of about ±1000 make exp() overflow to inf (and inf/inf is nan): "
                     "the softmax must be computed without exponentiating them as they are")
    yield Check("larger network N=32, D=10, H=16, C=5", args=_net(rng, 32, 10, 16, 5),
                reference=K.mlp2_gradients, hidden=True)
