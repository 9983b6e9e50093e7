"""Sigmoid first, then log: log(0) = −inf once the discriminator saturates."""
import numpy as np


def gan_losses(real_logits, fake_logits):
    d_real = 1 / (1 + np.exp(-real_logits))
    d_fake = 1 / (1 + np.exp(-fake_logits))
    fake_term = float(-np.mean(np.log(1 - d_fake)))
    return {"d_loss": float(-np.mean(np.log(d_real))) + fake_term, "g_minimax": -fake_term,
            "g_nonsat": float(-np.mean(np.log(d_fake)))}
