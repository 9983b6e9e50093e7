"""optimization/adam_step — implement adam_step(...) with NumPy."""

import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Step t (1-based) of Adam: returns (param_new, m_new, v_new)."""
    # TODO: update the two moments, correct their bias with t, then take the step.
    # BEGIN SOLUTION
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    param_new = param - lr * m_hat / (np.sqrt(v_hat) + eps)
    return param_new, m_new, v_new
    # END SOLUTION
