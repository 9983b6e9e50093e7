"""generative/gan_losses — discriminator, minimax and non-saturating generator losses."""

import numpy as np


def gan_losses(real_logits, fake_logits):
    """The three GAN losses from raw scores, stable for |logits| up to 1e4."""
    # TODO: write each term with softplus(u) = ln(1 + e^u), computed stably.
    # BEGIN SOLUTION
    def softplus(u):
        return np.maximum(u, 0.0) + np.log1p(np.exp(-np.abs(u)))

    real_term = float(np.mean(softplus(-real_logits)))
    fake_term = float(np.mean(softplus(fake_logits)))
    return {"d_loss": real_term + fake_term, "g_minimax": -fake_term,
            "g_nonsat": float(np.mean(softplus(-fake_logits)))}
    # END SOLUTION
