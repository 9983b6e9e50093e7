"""derivatives/relative_error — the relative error of a gradient check, with NumPy."""

import numpy as np


def relative_error(analytic, numeric):
    """max over entries of |a − n| / max(|a|, |n|); entries where both are 0 count 0."""
    # TODO: compute the elementwise ratio, define it as 0 where both entries are 0, return
    # its maximum as a Python float (0.0 for empty arrays; nan must propagate).
    raise NotImplementedError("relative_error is not written yet")
