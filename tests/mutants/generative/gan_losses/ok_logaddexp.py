"""softplus(u) = logaddexp(0, u)."""
import numpy as np


def gan_losses(real_logits, fake_logits):
    real = np.logaddexp(0.0, -real_logits).mean()
    fake = np.logaddexp(0.0, fake_logits).mean()
    return {"d_loss": float(real + fake), "g_minimax": float(-fake),
            "g_nonsat": float(np.logaddexp(0.0, -fake_logits).mean())}
