"""Correct: the bias corrections folded into the step size, as in the AdamW paper's form."""
import numpy as np


def adamw_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
               weight_decay=1e-2):
    m_new = m + (1 - beta1) * (grad - m)
    v_new = v + (1 - beta2) * (grad ** 2 - v)
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
    update = (m_new / c1) / (np.sqrt(v_new) / np.sqrt(c2) + eps)
    return param - lr * weight_decay * param - lr * update, m_new, v_new
