"""Adds 1e-8 to the denominator: scale-dependent for tiny gradients."""
import numpy as np


def relative_error(analytic, numeric):
    """max over entries of |a − n| / max(|a|, |n|); entries where both are 0 count 0."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    diff = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    both_zero = scale == 0
    ratio = diff / (scale + 1e-8)
    return float(np.max(ratio)) if ratio.size else 0.0
