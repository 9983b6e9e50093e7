"""One mean over the real and fake terms pooled together."""
import numpy as np


def gan_losses(real_logits, fake_logits):
    sp = lambda u: np.logaddexp(0, u)  # noqa: E731
    d_loss = float(np.mean(np.concatenate([sp(-real_logits), sp(fake_logits)])))
    return {"d_loss": d_loss, "g_minimax": float(-np.mean(sp(fake_logits))),
            "g_nonsat": float(np.mean(sp(-fake_logits)))}
