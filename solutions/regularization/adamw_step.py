"""regularization/adamw_step — implement one AdamW step with NumPy."""

import numpy as np


def adamw_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
               weight_decay=1e-2):
    """Step number t (1-based) of AdamW: decoupled weight decay, then an Adam step.

    Returns (param_new, m_new, v_new) as float64 arrays; the inputs are not modified.
    """
    # TODO: decay the parameters (not the gradient), then update m, v and take the Adam step.
    # BEGIN SOLUTION
    decayed = param * (1.0 - lr * weight_decay)
    m_new = beta1 * m + (1.0 - beta1) * grad
    v_new = beta2 * v + (1.0 - beta2) * grad * grad
    m_hat = m_new / (1.0 - beta1 ** t)
    v_hat = v_new / (1.0 - beta2 ** t)
    return decayed - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
    # END SOLUTION
