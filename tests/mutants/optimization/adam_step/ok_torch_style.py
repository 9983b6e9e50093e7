"""Correct: torch's own arrangement (step size lr / bc1, denominator sqrt(v) / sqrt(bc2) + eps)."""
import math

import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = np.add(np.multiply(m, beta1), np.multiply(grad, 1 - beta1))
    v_new = np.add(np.multiply(v, beta2), np.multiply(np.square(grad), 1 - beta2))
    step_size = lr / (1 - beta1 ** t)
    denom = np.sqrt(v_new) / math.sqrt(1 - beta2 ** t) + eps
    return param - step_size * m_new / denom, m_new, v_new
