"""g_minimax with the sign of a cross-entropy (it is a log of a probability, ≤ 0)."""
import numpy as np


def gan_losses(real_logits, fake_logits):
    sp = lambda u: np.logaddexp(0, u)  # noqa: E731
    fake_term = float(np.mean(sp(fake_logits)))
    return {"d_loss": float(np.mean(sp(-real_logits))) + fake_term, "g_minimax": fake_term,
            "g_nonsat": float(np.mean(sp(-fake_logits)))}
