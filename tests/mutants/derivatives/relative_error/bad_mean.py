"""Averages the entries instead of taking the worst."""
import numpy as np


def relative_error(analytic, numeric):
    """max over entries of |a − n| / max(|a|, |n|); entries where both are 0 count 0."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    diff = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    both_zero = scale == 0
    ratio = np.where(both_zero, 0.0, diff / np.where(both_zero, 1.0, scale))
    return float(np.mean(ratio)) if ratio.size else 0.0
