"""A plain Python loop over the entries."""
import math

import numpy as np


def relative_error(analytic, numeric):
    worst = 0.0
    for a, n in zip(np.ravel(analytic).tolist(), np.ravel(numeric).tolist()):
        scale = max(abs(a), abs(n))
        if math.isnan(a) or math.isnan(n):
            return float("nan")
        ratio = 0.0 if scale == 0 else abs(a - n) / scale
        worst = max(worst, ratio)
    return worst
