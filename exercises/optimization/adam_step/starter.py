"""optimization/adam_step — implement adam_step(...) with NumPy."""

import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Step t (1-based) of Adam: returns (param_new, m_new, v_new)."""
    # TODO: update the two moments, correct their bias with t, then take the step.
    raise NotImplementedError("adam_step is not written yet")
