"""generative/gan_losses — discriminator, minimax and non-saturating generator losses."""

import numpy as np


def gan_losses(real_logits, fake_logits):
    """The three GAN losses from raw scores, stable for |logits| up to 1e4."""
    # TODO: write each term with softplus(u) = ln(1 + e^u), computed stably.
    raise NotImplementedError("gan_losses is not written yet")
