"""explainability/integrated_gradients_code — integrated gradients by the midpoint rule."""

import numpy as np


def integrated_gradients(x, baseline, W1, b1, W2, b2, target, steps):
    """(x − baseline) ⊙ the mean gradient of the target score at the path's midpoints; (D,)."""
    # TODO: the path points, the score's gradient at each of them, the average, the scaling.
    # BEGIN SOLUTION
    alphas = (np.arange(steps, dtype=x.dtype) + 0.5) / steps
    points = baseline + alphas[:, None] * (x - baseline)
    fires = (points @ W1 + b1 > 0).astype(x.dtype)
    grads = (fires * W2[:, target]) @ W1.T
    return (x - baseline) * grads.mean(axis=0)
    # END SOLUTION
