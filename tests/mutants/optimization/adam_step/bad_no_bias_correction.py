"""Forgets the bias correction of m and v."""
import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    return param - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new
