"""Stable −log σ(l) by cases on the sign of l."""
import numpy as np


def _neg_log_sigmoid(l):
    out = np.empty_like(l)
    pos = l >= 0
    out[pos] = np.log1p(np.exp(-l[pos]))
    out[~pos] = -l[~pos] + np.log1p(np.exp(l[~pos]))
    return out


def gan_losses(real_logits, fake_logits):
    fake_term = float(np.mean(_neg_log_sigmoid(-fake_logits)))  # −ln(1 − σ(l)) = −ln σ(−l)
    return {"d_loss": float(np.mean(_neg_log_sigmoid(real_logits))) + fake_term,
            "g_minimax": -fake_term, "g_nonsat": float(np.mean(_neg_log_sigmoid(fake_logits)))}
