"""information/entropy — implement entropy(p, axis=-1) in nats with NumPy."""

import numpy as np


def entropy(p, axis=-1):
    """Shannon entropy −Σ p·ln p (nats) along `axis`, with 0·ln 0 = 0; `axis` is removed."""
    # TODO: sum −p·ln p along `axis`, counting zero probabilities as 0 (never nan).
    raise NotImplementedError("entropy is not written yet")
